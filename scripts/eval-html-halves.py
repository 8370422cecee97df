#!/usr/bin/env python3
"""Split a score.py per-case CSV into two halves of the benchmark's *sites*
and print mean F1/P/R for each (and both).

HTML cleaning rules are developed looking at one half of DEV's sites and
checked on the other (then the other way round), so that a rule that only
fits the pages it was written from shows up as no gain, or a loss, on the
half it was not written from. A page's half is fixed by an MD5 of its
registrable domain (last two labels of the host, three under co.uk-style
second-level domains): pages of one site are never split.

Usage: scripts/eval-html-halves.py CASES_CSV INDEX_TSV
"""
import csv
import hashlib
import sys
import urllib.parse


def site(url):
    host = urllib.parse.urlparse(url).netloc.lower().split(":")[0]
    parts = host.split(".")
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "gov", "ac", "ne", "or") and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def half(url):
    return "A" if int(hashlib.md5(site(url).encode()).hexdigest(), 16) % 2 == 0 else "B"


def main():
    cases_csv, index_tsv = sys.argv[1:3]
    halves = {}
    with open(index_tsv, encoding="utf-8") as fh:
        for line in fh.read().splitlines()[1:]:
            cid, url = line.split("\t")[:2]
            halves[cid] = half(url)
    rows = list(csv.DictReader(open(cases_csv, encoding="utf-8")))
    for name, pick in (("half A", "A"), ("half B", "B"), ("all", "AB")):
        sel = [r for r in rows if halves.get(r["id"], "?") in pick]
        if not sel:
            continue
        m = lambda k: sum(float(r[k]) for r in sel) / len(sel)
        print(f"{name:6} F1 {m('f1'):.4f} P {m('precision'):.4f} R {m('recall'):.4f} n={len(sel)}")


if __name__ == "__main__":
    main()
