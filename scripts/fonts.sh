#!/usr/bin/env bash
# Copy the theme's typefaces into static/fonts/ from the npm registry
# (run by hand when changing fonts; the build embeds what is committed).
#
# Source Serif 4 (text) and Source Sans 3 (labels, notes), both SIL Open
# Font License 1.1, as Fontsource ships them: woff2 files already subset
# into Latin and Latin Extended, which the stylesheet declares with their
# `unicode-range`, so a page downloads the Latin Extended file only when
# its text needs one of those letters.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=5.3.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=static/fonts
mkdir -p "$out"
copy() { # package, font name, weight-style...
  local pkg=$1 name=$2; shift 2
  (cd "$tmp" && npm pack --silent "@fontsource/$pkg@$VERSION" >/dev/null)
  mkdir -p "$tmp/$pkg"
  tar xzf "$tmp/fontsource-$pkg-$VERSION.tgz" -C "$tmp/$pkg"
  for ws in "$@"; do
    for subset in latin latin-ext; do
      cp "$tmp/$pkg/package/files/$name-$subset-$ws.woff2" "$out/"
    done
  done
  cp "$tmp/$pkg/package/LICENSE" "$out/$name-OFL.txt"
}
copy source-serif-4 source-serif-4 400-normal 400-italic 600-normal
copy source-sans-3 source-sans-3 400-normal 600-normal
ls -l "$out"
