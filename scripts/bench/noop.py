#!/usr/bin/env python3
"""No-op rebuilds: `briefing build -o SITE` with nothing changed, timed.

    scripts/bench/noop.py RUNS NAME=BIN:PROJECT:SITE [NAME=BIN:PROJECT:SITE ...]

Each NAME (e.g. old, new) is a binary, the project it builds and the site
it builds to; each project must have had a full build into its site by that
binary already (or the first run is one), and the projects should be
separate (`cp -al` of the same inputs: the stamp and the listing in
`.briefing/` are per project). The binaries are run in turn, RUNS rounds,
each run under `/usr/bin/time -f '%e %U %S %M'`, the load average read
before each. A run that is not a no-op (anything written, or the stamp
`.briefing/build.json` made again) is reported and not counted. Prints each run and, per NAME, the median and range of wall,
user and system seconds and peak RSS. A measurement, not a test.
"""
import os, statistics, subprocess, sys

runs = int(sys.argv[1])
setups = []
for arg in sys.argv[2:]:
    name, rest = arg.split("=", 1)
    binp, proj, site = rest.split(":")
    setups.append((name, binp, proj, site))

results = {name: [] for name, *_ in setups}
loads = []
for r in range(runs):
    for name, binp, proj, site in setups:
        load = open("/proc/loadavg").read().split()[0]
        stamp_path = os.path.join(proj, ".briefing", "build.json")
        before = open(stamp_path).read() if os.path.exists(stamp_path) else None
        loads.append(float(load))
        p = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", binp, "build", "-o", site],
            cwd=proj,
            capture_output=True,
            text=True,
        )
        last = p.stderr.strip().splitlines()
        wall, user, sys_, rss = last[-1].split()
        after = open(stamp_path).read() if os.path.exists(stamp_path) else None
        # (a full build that finds every page unchanged writes nothing but
        # a new stamp)
        noop = "(0 written" in p.stderr and "0 removed" in p.stderr and before == after
        print(f"{r:2} {name:6} load {load:5}  wall {wall}  user {user}  sys {sys_}  rss {int(rss)//1024} MB"
              + ("" if noop else "  NOT A NO-OP"), flush=True)
        if noop:
            results[name].append((float(wall), float(user), float(sys_), int(rss) // 1024))

print(f"\nload average {min(loads)}-{max(loads)}")
for name, rows in results.items():
    if not rows:
        print(f"{name}: no no-op run")
        continue
    cols = list(zip(*rows))
    def show(i, unit):
        c = cols[i]
        return f"{statistics.median(c):.3f} ({min(c):.3f}-{max(c):.3f}){unit}"
    cpu = [u + s for u, s in zip(cols[1], cols[2])]
    print(f"{name}: {len(rows)} runs, median wall {show(0, ' s')}, user {show(1, '')}, "
          f"sys {show(2, '')}, user+sys {statistics.median(cpu):.3f} ({min(cpu):.3f}-{max(cpu):.3f}), "
          f"rss {statistics.median(cols[3])} MB")
