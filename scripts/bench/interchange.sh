#!/usr/bin/env bash
# Time and peak memory of `briefing export w3c|hypothesis`, `briefing
# import`, and of data/briefing.json, on the generated 10,000-article,
# 30,000-annotation briefing (never in CI: it measures the machine).
#
#   scripts/bench/interchange.sh [DIR] [ARTICLES]
#
# DIR (default /tmp/briefing-bench-interchange) gets the corpus from
# ../shared/bench/gen_corpus.py --format briefing --annotations 3, with a
# `url:` added to every article (the generator writes none). Needs a
# release build: cargo build --release --bin briefing
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-/tmp/briefing-bench-interchange}"
n="${2:-10000}"
bin="${BRIEFING_BIN:-$here/target/release/briefing}"
if [ ! -d "$dir/content" ]; then
  python3 "$here/../shared/bench/gen_corpus.py" --articles "$n" --format briefing --annotations 3 --out "$dir"
  for f in "$dir"/content/*.md; do
    s="$(basename "$f" .md)"
    sed -i "0,/^slug: /s|^slug: .*|&\nurl: https://news.example/2024/$s|" "$f"
  done
  printf 'title = "Bench"\nbase_url = "https://brief.example/"\n' > "$dir/briefing.toml"
fi
t() { /usr/bin/time -f "  %e s wall, %U s user, %S s sys, %M KB max RSS" "$@"; }
echo "== build (with data/briefing.json; 'timing data' is making it)"
BRIEFING_TIMINGS=1 t "$bin" -C "$dir" build 2>&1 | grep -E "timing (data|render|assemble)|wall|built"
ls -l "$dir/site/data/briefing.json"
echo "== export w3c"; t "$bin" -C "$dir" export w3c -o /tmp/bench-export.jsonld
ls -l /tmp/bench-export.jsonld
echo "== export hypothesis"; t "$bin" -C "$dir" export hypothesis -o /tmp/bench-export.json
ls -l /tmp/bench-export.json
echo "== import w3c (everything already there)"; t "$bin" -C "$dir" import w3c /tmp/bench-export.jsonld 2>&1 | tail -3
