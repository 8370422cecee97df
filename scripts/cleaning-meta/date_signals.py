#!/usr/bin/env python3
"""Which date signal decides each labelled page, and how good each signal is
taken alone: a sensitivity view of the cleaner's date rules.

Usage: scripts/cleaning-meta/date_signals.py [--split dev] [--list] [--profile debug] [DIR]

Runs `examples/date_signals.rs` (release) on every `*.txt` dump and `*.html`
page of DIR (default: ../shared/eval/cleaning/dev) whose id is labelled in
the chosen split of scripts/cleaning-meta/dev.tsv, and ONLY on those: other
pages are never read. For each kind it prints

* decided by: how many pages each signal decided (or why none), and of
  those how many dates are right / wrong / given where the page prints
  none (a day is right when it equals the printed publication or update
  date, as score_meta.py judges it);
* each signal alone: on how many pages it is present, and of those how
  often its day is the label's, a day off, or further off, over pages that
  print a date — plus the same counted once per outlet (each outlet's
  pages weigh one in all), since the sites in the set are what would not
  repeat on unseen pages;
* overrides: pages where the deciding signal was not right but another
  signal was (a lower-ranked signal or an abstention costing a right date),
  and pages where a signal more precise than the decider disagreed with it.

Dumps' signals: `dateline` (the dates next to the chosen headline),
`yearless` (a dateline without a year, completed with the copyright year),
`header` (the scraper's header), `first printed` (a naive baseline: the
first full date anywhere). Pages' signals: `jsonld`, `meta` (Open Graph,
`article:`, Dublin Core…), `time pubdate` (a `<time>` marked as the
publication's), `time first` (the first `<time>` not marked as an update),
`modified`, `url` (a date in the canonical URL), `dateline` (printed next
to the visible headline). A machine timestamp's day is taken as written
(its wall clock), so a UTC time after the local midnight shows as a day
off.

With --list, every page's decider, signals and label are printed too.
Python 3 standard library only.
"""

import argparse
import collections
import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from score_meta import read_labels  # noqa: E402


def day(s):
    s = (s or "")[:10]
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        return None


def verdict(got, row):
    """right / upd / wrong / missing / extra / none for a day against a label."""
    want, upd = day(row["date"]), day(row["updated"])
    if want is None:
        return "extra" if got else "none"
    if got is None:
        return "missing"
    if got == want:
        return "right"
    if got == upd:
        return "upd"
    return "wrong"


def closeness(got, row):
    want, upd = day(row["date"]), day(row["updated"])
    if got in (want, upd):
        return "same"
    if any(w and abs((got - w).days) == 1 for w in (want, upd)):
        return "day off"
    return "far"


def run_example(paths, profile):
    flag = ["--release"] if profile == "release" else []
    subprocess.run(["cargo", "build", "--quiet", "--example", "date_signals"] + flag,
                   cwd=REPO, check=True)
    exe = os.path.join(REPO, "target", profile, "examples", "date_signals")
    out = subprocess.run([exe] + paths, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def lower_bound(k, n, z=1.96):
    """Wilson score interval's lower end for k of n."""
    if n == 0:
        return 0.0
    p = k / n
    den = 1 + z * z / n
    centre = p + z * z / (2 * n)
    spread = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return (centre - spread) / den


def report(kind, pages, rows, listing):
    print(f"== {kind}: {len(pages)} pages, {sum(1 for r in rows.values() if r['date'])} print a date")
    # decided by
    by = collections.defaultdict(collections.Counter)
    for p in pages:
        r = rows[p["id"]]
        by[p.get("from", "(not cleaned)")][verdict(day(p.get("date")), r)] += 1
    print("   decided by                                  pages  right  upd  wrong  missing  extra")
    for k, c in sorted(by.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"   {k:<44}{sum(c.values()):>5}{c['right']:>7}{c['upd']:>5}{c['wrong']:>7}"
              f"{c['missing']:>9}{c['extra']:>7}")
    # each signal alone, on pages that print a date
    names = sorted({k for p in pages for k in p.get("signals", {})})
    stats = {}
    for name in names:
        c = collections.Counter()
        by_site = collections.defaultdict(list)
        for p in pages:
            r = rows[p["id"]]
            got = day(p.get("signals", {}).get(name))
            if got is None:
                continue
            if not r["date"]:
                c["no label"] += 1
                continue
            v = closeness(got, r)
            c[v] += 1
            by_site[r["outlet"] or p["id"]].append(v == "same")
        n = c["same"] + c["day off"] + c["far"]
        site_score = sum(sum(v) / len(v) for v in by_site.values())
        stats[name] = (c, n, lower_bound(c["same"], n), site_score, len(by_site))
    print("   signal alone      present  same  day off  far  (no date printed)  same%  "
          "lower95  by outlet")
    ranked = sorted(names, key=lambda k: -stats[k][2])
    for name in ranked:
        c, n, lb, site_score, sites = stats[name]
        pct = 100 * c["same"] / n if n else 0.0
        site_pct = 100 * site_score / sites if sites else 0.0
        print(f"   {name:<18}{n + c['no label']:>7}{c['same']:>6}{c['day off']:>9}{c['far']:>5}"
              f"{c['no label']:>19}{pct:>7.0f}%{100 * lb:>8.0f}%{site_pct:>9.0f}% of {sites}")
    rank = {k: i for i, k in enumerate(ranked)}
    # overrides
    lines = []
    for p in pages:
        r = rows[p["id"]]
        if not r["date"]:
            continue
        got = day(p.get("date"))
        v = verdict(got, r)
        sig = p.get("signals", {})
        right = [k for k, d in sig.items() if closeness(day(d), r) == "same"]
        frm = p.get("from", "")
        if v in ("wrong", "missing") and right:
            lines.append(f"   {p['id'][:8]} {v} (from {frm}); right alone: {', '.join(right)}")
        elif v in ("right", "upd") and frm in rank:
            better = [k for k, d in sig.items()
                      if k in rank and rank[k] < rank[frm] and day(d) != got]
            if better:
                lines.append(f"   {p['id'][:8]} right from {frm}; a higher-ranked signal disagreed: "
                             f"{', '.join(f'{k} {sig[k][:10]}' for k in better)}")
    print(f"   overrides ({len(lines)}):")
    for line in lines:
        print(line)
    if listing:
        print("   pages:")
        for p in pages:
            r = rows[p["id"]]
            sig = " ".join(f"{k}={v[:10]}" for k, v in sorted(p.get("signals", {}).items()))
            print(f"   {p['id'][:8]} label={r['date'] or '-'} upd={r['updated'] or '-'} "
                  f"got={(p.get('date') or '-')[:10]} from={p.get('from', '-')} | {sig}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--split", default="dev", choices=["dev", "heldout", "all"])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--profile", default="release", choices=["release", "debug"],
                    help="the cargo profile to build and run the example in")
    a = ap.parse_args()
    shared = os.environ.get("BRIEFING_SHARED", os.path.join(REPO, "..", "shared"))
    if not os.path.isdir(os.path.join(shared, "eval", "cleaning")):
        common = subprocess.run(["git", "-C", REPO, "rev-parse", "--path-format=absolute",
                                 "--git-common-dir"], capture_output=True, text=True).stdout.strip()
        shared = os.path.join(common, "..", "..", "shared")
    d = a.dir or os.path.join(shared, "eval", "cleaning", "dev")
    rows = {r["id"]: r for r in read_labels(os.path.join(HERE, "dev.tsv"), a.split)}
    for kind, ext in (("dump", ".txt"), ("html", ".html")):
        paths = [os.path.join(d, i + ext) for i in sorted(rows)
                 if os.path.isfile(os.path.join(d, i + ext))]
        if not paths:
            continue
        pages = [p for p in run_example(paths, a.profile) if p.get("id") in rows]
        report(kind, pages, {p["id"]: rows[p["id"]] for p in pages}, a.list)


if __name__ == "__main__":
    main()
