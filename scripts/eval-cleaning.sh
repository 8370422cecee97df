#!/usr/bin/env bash
# Evaluate the cleaner on a directory of benchmark pages (default: the DEV
# split in ../shared beside the repository): clean every *.txt dump and
# *.html page, score each kind's body with score.py (P/R/F1 and the ten
# worst pages), then its metadata (title, date, outlet, url) against the
# hand-checked labels in scripts/cleaning-meta/dev.tsv with
# scripts/cleaning-meta/score_meta.py (accuracy per kind and split, and the
# worst pages for each field; the matching rules are written at the top of
# score_meta.py).
#
# The labels hold two splits: "dev" (81 pages the metadata rules were
# developed on) and "heldout" (40 pages looked at only to check them).
#
# Usage: scripts/eval-cleaning.sh [--split dev|heldout|all] [DIR]
#   --split  which labelled pages to score and list (default: both, apart)
set -euo pipefail
splits=(dev heldout)
if [[ "${1:-}" == "--split" ]]; then
    case "${2:-}" in
        dev|heldout) splits=("$2") ;;
        all) splits=(dev heldout all) ;;
        *) echo "--split takes dev, heldout or all" >&2; exit 2 ;;
    esac
    shift 2
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${BRIEFING_SHARED:-$repo/../shared}"
# A git worktree may live outside the main checkout; fall back to the
# shared/ beside the main worktree when there is none beside this one.
if [[ ! -d "$shared/eval/cleaning" ]]; then
    common="$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    [[ -n "$common" && -d "$common/../../shared/eval/cleaning" ]] && shared="$common/../../shared"
fi
dir="${1:-$shared/eval/cleaning/dev}"
score="$shared/eval/cleaning/score.py"
[[ -f "$score" ]] || { echo "score.py not found under $shared/eval/cleaning" >&2; exit 2; }
[[ -d "$dir" ]] || { echo "no such directory: $dir" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --release --quiet --bin briefing --example clean_dir
bin="$repo/target/release/briefing"
example="$repo/target/release/examples/clean_dir"

run_kind() { # kind ext
    local kind="$1" ext="$2" out="$work/$1"
    mkdir -p "$out/truth"
    shopt -s nullglob
    local seeds=()
    for s in "$dir"/*."$ext"; do [[ "$s" == *.truth.txt ]] || seeds+=("$s"); done
    # keep only pages that have a truth file
    local with_truth=()
    for s in "${seeds[@]}"; do
        local id; id="$(basename "$s" ."$ext")"
        [[ -f "$dir/$id.truth.txt" ]] && with_truth+=("$s") && ln -s "$dir/$id.truth.txt" "$out/truth/"
    done
    ((${#with_truth[@]})) || return 0
    if "$bin" clean --help 2>/dev/null | grep -q -- '--out'; then
        "$bin" clean --out "$out/md" "${with_truth[@]}" >/dev/null 2>"$out/stderr" || true
    else
        "$example" "$out/md" "${with_truth[@]}" 2>"$out/stderr" || true
    fi
    mkdir -p "$out/md"
    python3 "$score" "$out/truth" "$out/md" --csv "$out/cases.csv" --quiet >"$out/score.txt" || true
    echo "== $kind (${#with_truth[@]} pages)"
    tail -n 1 "$out/score.txt"
}

run_kind dump txt
run_kind html html

for kind in dump html; do
    [[ -f "$work/$kind/cases.csv" ]] || continue
    echo "== worst ten $kind pages (F1 P R id)"
    python3 - "$work/$kind/cases.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rows.sort(key=lambda r: float(r["f1"] or 0))
for r in rows[:10]:
    print(f"{float(r['f1']):.3f} {float(r['precision']):.3f} {float(r['recall']):.3f} {r['id']}")
PY
done

labels="$repo/scripts/cleaning-meta/dev.tsv"
for kind in dump html; do
    [[ -d "$work/$kind/md" ]] || continue
    for split in "${splits[@]}"; do
        python3 "$repo/scripts/cleaning-meta/score_meta.py" "$labels" "$kind" "$work/$kind/md" --split "$split" --worst 8
    done
done
