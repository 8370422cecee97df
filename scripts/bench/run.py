#!/usr/bin/env python3
"""Measure `briefing build` against Hugo on corpora prepared by scripts/bench.sh.

    run.py --briefing BIN --hugo BIN --work DIR --runs R --sizes N [N ...]

For each size N (projects WORK/bN, WORK/rN, WORK/hN) it does R rounds; each
round runs, in this order, so that briefing and Hugo alternate:

    content   briefing -C bN build          after removing bN/site
    noop      briefing -C bN build          again, nothing changed
    hugo      hugo --source hN --destination hN-out   after removing hN-out
    raw       briefing -C rN build          after removing content/, site/, .briefing/
    raw-noop  briefing -C rN build          again, nothing changed

Every run goes through `/usr/bin/time -f '%e %U %S %M'` (wall s, user s,
sys s, peak RSS KiB); briefing runs also set BRIEFING_TIMINGS=1 and the
per-stage lines are collected. Prints Markdown (medians) on stdout and
writes WORK/results.json.
"""

import re
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SCENARIOS = ["content", "noop", "hugo", "raw", "raw-noop"]
LABEL = {
    "content": "briefing: full build from content",
    "noop": "briefing: no-op rebuild",
    "hugo": "Hugo: full build",
    "raw": "briefing: full build from raw dumps (clean + build)",
    "raw-noop": "briefing: no-op rebuild of the raw project",
}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def timed(cmd, env=None):
    """Run cmd under /usr/bin/time; return a measurement dict."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        p = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd,
            capture_output=True,
            text=True,
            env=env,
        )
        fields = tf.read().strip().splitlines()[-1].split()
    wall, user, sys_, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    stages = {}
    # `timing <stage, may contain spaces> <ms> ms [(peak RSS so far N MB, now N MB)]`
    for line in p.stderr.splitlines():
        m = re.match(r"timing (.+?) ([0-9.]+) ms", line)
        if m:
            stages[m.group(1)] = float(m.group(2))
    return {
        "rc": p.returncode,
        "wall": wall,
        "cpu": user + sys_,
        "user": user,
        "sys": sys_,
        "rss_mb": rss / 1024.0,
        "stages": stages,
        "tail": p.stderr.strip().splitlines()[-3:] if p.returncode else [],
    }


def mem_available_mb():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def rm(*paths):
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--briefing", required=True)
    ap.add_argument("--hugo", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", type=int, nargs="+", required=True)
    a = ap.parse_args()

    env = dict(os.environ, BRIEFING_TIMINGS="1")
    W = a.work
    load_before = os.getloadavg()
    results = {}
    mb_per_article = 0.0  # the largest peak RSS per article seen so far
    for n in sorted(a.sizes):
        # Peak memory grows linearly with the corpus: do not start a size
        # that would not fit (the machine is shared).
        avail = mem_available_mb()
        if mb_per_article and avail and n * mb_per_article * 1.2 > 0.7 * avail:
            print(
                f"  skipping n={n}: ~{n * mb_per_article:.0f} MB expected, "
                f"{avail:.0f} MB available",
                file=sys.stderr,
            )
            continue
        b, r, h = (os.path.join(W, f"{k}{n}") for k in "brh")
        hout = os.path.join(W, f"h{n}-out")
        cmds = {
            "content": ([a.briefing, "-C", b, "build"], lambda: rm(os.path.join(b, "site"))),
            "noop": ([a.briefing, "-C", b, "build"], lambda: None),
            "hugo": (
                [a.hugo, "--source", h, "--destination", hout, "--quiet"],
                lambda: rm(hout),
            ),
            "raw": (
                [a.briefing, "-C", r, "build"],
                lambda: rm(*(os.path.join(r, d) for d in ("content", "site", ".briefing"))),
            ),
            "raw-noop": ([a.briefing, "-C", r, "build"], lambda: None),
        }
        # warm-up: page cache, binaries, and a site for the first no-op run
        for s in ("content", "hugo"):
            cmd, prep = cmds[s]
            prep()
            timed(cmd, env)
        res = {s: [] for s in SCENARIOS}
        for i in range(a.runs):
            for s in SCENARIOS:
                cmd, prep = cmds[s]
                prep()
                m = timed(cmd, env)
                res[s].append(m)
                print(
                    f"  n={n} round {i + 1}/{a.runs} {s:<8} rc={m['rc']} wall={m['wall']:.2f}s "
                    f"cpu={m['cpu']:.2f}s rss={m['rss_mb']:.0f}MB",
                    file=sys.stderr,
                )
                if m["rc"]:
                    print("    " + "\n    ".join(m["tail"]), file=sys.stderr)
        results[n] = res
        mb_per_article = max(
            [mb_per_article] + [x["rss_mb"] / n for k in ("content", "raw") for x in res[k]]
        )
    load_after = os.getloadavg()

    def med(runs, key):
        return statistics.median(x[key] for x in runs)

    def med_stages(runs):
        names = []
        for x in runs:
            names += [k for k in x["stages"] if k not in names]
        return {k: statistics.median(x["stages"].get(k, 0.0) for x in runs) for k in names}

    out = []
    p = out.append
    p("## Machine\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    commit = sh(f"git -C '{os.path.dirname(os.path.abspath(__file__))}' log -1 --format='%h %s'")
    p(f"- CPU: {cpu}, "
      f"`nproc` = {sh('nproc')}")
    mem = (sh("free -h").splitlines() or [""])[1:2] or [""]
    mem = mem[0].split()
    p(f"- memory (`free -h`): {mem[1] if len(mem) > 6 else '?'} total, {mem[6] if len(mem) > 6 else '?'} available")
    p(f"- {platform.system()} {platform.release()}; load average before/after: "
      f"{load_before[0]:.1f} / {load_after[0]:.1f} (the machine is shared: wall times are noisy)")
    if os.environ.get("BRIEFING_BIN"):
        p(f"- briefing: `{a.briefing}` (BRIEFING_BIN; the checkout is at `{commit}`)")
    else:
        p(f"- briefing: `{commit}`")
    p(f"- Hugo: `{sh(a.hugo + ' version').split(' BuildDate')[0]}`")
    p(f"- {a.runs} alternating rounds per size; medians shown\n")
    p("## Results\n")
    p("| articles | run | wall s | CPU s (user+sys) | peak RSS MB | wall / Hugo | CPU / Hugo | RSS / Hugo |")
    p("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, res in results.items():
        hw, hc, hr = med(res["hugo"], "wall"), med(res["hugo"], "cpu"), med(res["hugo"], "rss_mb")
        for s in SCENARIOS:
            runs = res[s]
            w, c, m = med(runs, "wall"), med(runs, "cpu"), med(runs, "rss_mb")
            fail = "" if all(x["rc"] == 0 for x in runs) else " **(failed)**"
            ratio = "" if s == "hugo" else f"{w / hw:.2f}× | {c / hc:.2f}× | {m / hr:.2f}×"
            if s == "hugo":
                ratio = "1 | 1 | 1"
            p(f"| {n:,} | {LABEL[s]}{fail} | {w:.2f} | {c:.2f} | {m:.0f} | {ratio} |")
    p("")
    p("## Stages (briefing, median wall ms; `BRIEFING_TIMINGS=1`)\n")
    stage_names = []
    for res in results.values():
        for s in ("content", "noop", "raw", "raw-noop"):
            for k in med_stages(res[s]):
                if k not in stage_names:
                    stage_names.append(k)
    p("| articles | run | " + " | ".join(stage_names) + " |")
    p("| ---: | --- |" + " ---: |" * len(stage_names))
    for n, res in results.items():
        for s in ("content", "noop", "raw", "raw-noop"):
            st = med_stages(res[s])
            p(f"| {n:,} | {s} | " + " | ".join(f"{st.get(k, 0):.0f}" for k in stage_names) + " |")
    p("")
    if len(results) > 1:
        lo, hi = min(results), max(results)
        p(f"## Scaling ({lo:,} → {hi:,} articles)\n")
        p("| run | wall ms/article at " + f"{lo:,} | at {hi:,} | ratio | CPU ms/article at {lo:,} | at {hi:,} | ratio |")
        p("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in ("content", "raw", "hugo"):
            wl, wh = med(results[lo][s], "wall") / lo * 1e3, med(results[hi][s], "wall") / hi * 1e3
            cl, ch = med(results[lo][s], "cpu") / lo * 1e3, med(results[hi][s], "cpu") / hi * 1e3
            p(f"| {s} | {wl:.3f} | {wh:.3f} | {wh / wl:.2f}× | {cl:.3f} | {ch:.3f} | {ch / cl:.2f}× |")
        p("")
    if 10000 in results:
        res = results[10000]
        hw, hr = med(res["hugo"], "wall"), med(res["hugo"], "rss_mb")
        cw, rw = med(res["content"], "wall"), med(res["raw"], "wall")
        cr = max(med(res["content"], "rss_mb"), med(res["raw"], "rss_mb"))
        nw = med(res["noop"], "wall")

        def ok(b):
            return "met" if b else "**not met**"

        p("## Targets at 10,000 articles\n")
        p(f"- full build from content ≤ 0.5× Hugo: {cw:.2f} s vs {hw:.2f} s = {cw / hw:.2f}× — {ok(cw <= 0.5 * hw)}")
        p(f"- full build from raw dumps ≤ 1.0× Hugo: {rw:.2f} s = {rw / hw:.2f}× — {ok(rw <= hw)}")
        p(f"- peak RSS ≤ 0.5× Hugo: {cr:.0f} MB vs {hr:.0f} MB = {cr / hr:.2f}× — {ok(cr <= 0.5 * hr)}")
        p(f"- no-op rebuild < 300 ms: {nw * 1000:.0f} ms — {ok(nw < 0.3)}")
        p("")
    print("\n".join(out))
    with open(os.path.join(W, "results.json"), "w") as f:
        json.dump({str(k): v for k, v in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
