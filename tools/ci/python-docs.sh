#!/usr/bin/env bash
# Runs the examples of docs/python.md: every fenced block whose first line is "# file: NAME" or
# "// file: NAME" is written to a temporary folder inside the repository (so that @ipc/* resolve
# from its node_modules), then every .mjs file there runs with node. Needs python3 (standard
# library only) and a built repository (npm run build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
work="$(mktemp -d "$root/tools/ci/.python-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
awk -v dir="$work" '
  /^```/ { if (inside) { inside = 0; if (out != "") close(out); out = ""; next } inside = 1; first = 1; next }
  inside && first { first = 0; if (match($0, /^(#|\/\/) file: /)) { out = dir "/" substr($0, RLENGTH + 1); next } }
  inside && out != "" { print > out }
' "$root/docs/python.md"
count=0
for example in "$work"/*.mjs; do
  echo "== ${example##*/}"
  timeout 120 node "$example"
  count=$((count + 1))
done
echo "python docs: $count examples ran"
[ "$count" -ge 7 ]
