#!/usr/bin/env bash
# Live-preview latency: from saving a file to the new text visible in a
# headless Chromium page, on the seeds' briefing and on a 10,000-article
# corpus. A measurement, not a test. Needs chromium + chromium-driver.
#
#   scripts/bench-live.sh [--edit content|annotation] [--runs N] [--articles N] [--save in-place|rename]
#
# BRIEFING_BIN overrides the binary (default: a release build);
# CORPUS_DIR reuses a generated corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
EDIT=content RUNS=15 ARTICLES=10000 SAVE=in-place
while [ $# -gt 0 ]; do
  case "$1" in
    --edit) EDIT=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --articles) ARTICLES=$2; shift 2 ;;
    --save) SAVE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/chromedriver >/dev/null || { echo "needs /usr/bin/chromedriver (apt-get install chromium chromium-driver)" >&2; exit 1; }
if [ -z "${BRIEFING_BIN:-}" ]; then
  cargo build --release --quiet
  BRIEFING_BIN=$PWD/target/release/briefing
fi
cargo build --example bench_live --quiet
BENCH=$PWD/target/debug/examples/bench_live

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. the seeds' briefing (a copy: the benchmark edits files)
mkdir -p "$WORK/seeds-briefing"
# the whole project (entities and theme too: notes link to entities)
for f in briefing.toml entities.yaml seeds content annotations templates static .briefing; do
  [ -e "$f" ] && cp -r "$f" "$WORK/seeds-briefing/"
done
SLUG=$(ls content | grep -v '^_' | head -1 | sed 's/\.md$//')
FILE=content/$SLUG.md
if [ "$EDIT" = annotation ]; then
  # the annotation file that names the article (not named after its slug)
  FILE=$(cd "$WORK/seeds-briefing" && grep -l "^article: $SLUG\$" annotations/*.md 2>/dev/null | head -1 || true)
  if [ -z "$FILE" ]; then
    FILE=annotations/$SLUG.md
    mkdir -p "$WORK/seeds-briefing/annotations"
    printf -- '---\narticle: %s\n---\n\n## "Russia"\n\nA note.\n' "$SLUG" > "$WORK/seeds-briefing/$FILE"
  fi
fi
echo "== seeds' briefing ($(ls content | wc -l) articles), editing $FILE"
"$BENCH" --bin "$BRIEFING_BIN" --project "$WORK/seeds-briefing" --slug "$SLUG" --edit "$EDIT" --file "$FILE" --runs "$RUNS" --save "$SAVE"

# 2. the generated corpus
CORPUS=${CORPUS_DIR:-$WORK/corpus}
if [ ! -d "$CORPUS/content" ]; then
  python3 ../../shared/bench/gen_corpus.py --articles "$ARTICLES" --format briefing --annotations 3 --out "$CORPUS" >/dev/null 2>&1 \
    || python3 /work/shared/bench/gen_corpus.py --articles "$ARTICLES" --format briefing --annotations 3 --out "$CORPUS" >/dev/null
fi
# set aside the few generated annotations whose quote repeats in the article
python3 scripts/bench/drop_ambiguous.py "$CORPUS"
SLUG=$(ls "$CORPUS/content" | grep -v '^_' | sed -n 5p | sed 's/\.md$//')
echo "== generated corpus ($(ls "$CORPUS/content" | wc -l) articles), editing $EDIT of $SLUG"
"$BENCH" --bin "$BRIEFING_BIN" --project "$CORPUS" --slug "$SLUG" --edit "$EDIT" --runs "$RUNS" --save "$SAVE"
