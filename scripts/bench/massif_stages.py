#!/usr/bin/env python3
"""Attribute the peak heap of a massif profile to pipeline stages.

    valgrind --tool=massif --massif-out-file=M target/release/briefing -C DIR build
    scripts/bench/massif_stages.py M

Each allocation's bytes at the peak snapshot go to the innermost frame of
its stack that names one of the STAGES functions below (first match from
the allocation site outwards); the rest is "other".
"""
import re
import sys
from collections import Counter

STAGES = [
    "briefing::markdown::render",
    "briefing::render::Renderer::render",
    "briefing::render::render_site",
    "briefing::clean::clean_seed",
    "briefing::content::parse_article",
    "briefing::annotate::",
    "briefing::link::",
    "briefing::site::assemble",
    "briefing::project::Project::load",
    "briefing::project::Project::clean",
    "briefing::site::write_site",
    "briefing::theme::",
]

def main(path):
    lines = open(path).read().split("\n")
    peak = None
    for i, l in enumerate(lines):
        if l == "heap_tree=peak":
            peak = i
    if peak is None:
        sys.exit("no peak snapshot")
    # the tree: lines "n<k>: <bytes> <desc>" indented by depth
    stack, totals = [], Counter()
    total = None
    for l in lines[peak + 1:]:
        m = re.match(r"^( *)n(\d+): (\d+) (.*)$", l)
        if not m:
            break
        depth, kids, size, desc = len(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        del stack[depth:]
        stack.append(desc)
        if total is None:
            total = size
            continue
        if kids == 0:
            stage = "other"
            # the tree goes from the allocation site outwards to main
            for frame in stack[1:]:
                hit = next((s for s in STAGES if s in frame), None)
                if hit:
                    stage = hit
                    break
            totals[stage] += size
    print(f"peak heap {total / 2**20:.1f} MiB")
    for stage, size in totals.most_common():
        print(f"{size / 2**20:8.1f} MiB {100 * size / total:5.1f}%  {stage}")

if __name__ == "__main__":
    main(sys.argv[1])
