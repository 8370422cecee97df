#!/usr/bin/env bash
# Validate the built site's HTML with vnu (the Nu HTML checker): errors only.
#
#   scripts/validate-html.sh [SITE_DIR]     (default: site/)
#
# Uses $VNU_JAR when set; otherwise installs the npm package vnu-jar into
# target/vnu/ once. Needs Java 11+ (and npm for the first install).
# Exit status: 0 when vnu reports no errors.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-site}"
jar="${VNU_JAR:-target/vnu/node_modules/vnu-jar/build/dist/vnu.jar}"
if [ ! -f "$jar" ]; then
  command -v npm >/dev/null || { echo "validate-html: npm is needed to install vnu-jar (or set VNU_JAR)" >&2; exit 2; }
  mkdir -p target/vnu
  (cd target/vnu && npm install --silent --no-save vnu-jar >&2)
fi
command -v java >/dev/null || { echo "validate-html: java is needed to run vnu" >&2; exit 2; }
[ -d "$site" ] || { echo "validate-html: no $site/ — run \`briefing build\` first" >&2; exit 2; }
exec java -jar "$jar" --errors-only --skip-non-html "$site"
