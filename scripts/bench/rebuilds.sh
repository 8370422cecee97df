#!/usr/bin/env bash
# Compare two briefing binaries on the rebuilds around an existing site.
#
#   scripts/bench/rebuilds.sh BEFORE AFTER PROJECT [ROUNDS] [WORK]
#
# Copies PROJECT (e.g. the 10,000-article corpus scripts/bench.sh makes,
# /dev/shm/briefing-bench/b10000) once per binary into WORK (default
# /dev/shm/briefing-rebuilds), then runs ROUNDS rounds (default 5), the
# binaries alternating, of:
#   full     a build with site/ removed first
#   noop     the same build again (nothing changed)
#   change   a build after one article's text changed (every other round
#            changes it back): the pages it shows are rewritten, every other
#            page is compared and kept
# Prints one line per run (binary, kind, wall s, user s, sys s, peak RSS KiB)
# and the medians. Never run it from CI: it measures the machine.
set -euo pipefail
before="$1" after="$2" project="$3" rounds="${4:-5}" work="${5:-/dev/shm/briefing-rebuilds}"
mkdir -p "$work"
declare -A bin=([before]="$before" [after]="$after")
for k in before after; do
    rm -rf "$work/$k"
    cp -r "$project" "$work/$k"
    rm -rf "$work/$k/site" "$work/$k/.briefing/build.json"
done
log="$work/runs.txt"
: > "$log"
run() { # kind binary-key
    local t
    t="$(mktemp)"
    /usr/bin/time -f "%e %U %S %M" -o "$t" "${bin[$2]}" -C "$work/$2" build >/dev/null 2>&1
    echo "$2 $1 $(cat "$t")" | tee -a "$log"
    rm -f "$t"
}
for _ in $(seq "$rounds"); do
    for k in before after; do
        rm -rf "$work/$k/site"
        run full "$k"
        run noop "$k"
        articles=("$work/$k/content/"*.md)
        f="${articles[0]}"
        if grep -q "Edited once" "$f"; then
            sed -i 's/Edited once. //' "$f"
        else
            sed -i '0,/^[A-Z]/s//Edited once. &/' "$f"
        fi
        run change "$k"
    done
done
python3 - "$log" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    k, kind, wall, user, sys_, rss = line.split()
    runs[(kind, k)].append((float(wall), float(user) + float(sys_), float(sys_), int(rss) / 1024))
print("| run | binary | wall s | CPU s | of which sys | peak RSS MB |")
print("| --- | --- | --- | --- | --- | --- |")
for kind in ["full", "noop", "change"]:
    for k in ["before", "after"]:
        v = runs[(kind, k)]
        med = lambda i: statistics.median(x[i] for x in v)
        print(f"| {kind} | {k} | {med(0):.2f} | {med(1):.2f} | {med(2):.2f} | {med(3):.0f} |")
PY
