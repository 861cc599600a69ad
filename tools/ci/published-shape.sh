#!/usr/bin/env bash
# CI: the published shape of every package, checked on the tarballs `npm pack` makes:
#   - publint (--strict: warnings fail too): exports, files, package.json fields;
#   - are-the-types-wrong with the esm-only profile (the packages are ESM-only): every entry point's
#     types resolve for TypeScript users under node16/nodenext and bundler resolution (the build
#     helper export @ipc/kit/scripts/native-addon.cjs, for the native packages, has no types).
# Packs with --ignore-scripts: the "build" step has just built dist (prepack's own run is covered by
# tools/ci/fresh-project.mjs). Needs the root devDependencies publint and @arethetypeswrong/cli.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$(mktemp -d "${TMPDIR:-/tmp}/ipc-published-shape-XXXXXX")
trap 'rm -rf "$out"' EXIT

workspaces=()
for dir in packages/*/; do
  if node -e 'process.exit(require(process.argv[1]).private ? 1 : 0)' "$PWD/${dir}package.json"; then
    workspaces+=(--workspace "${dir%/}")
  fi
done
npm pack --ignore-scripts --silent --pack-destination "$out" "${workspaces[@]}" >/dev/null

failed=0
for tgz in "$out"/*.tgz; do
  name=$(basename "$tgz")
  echo "--- $name"
  if ! npx --no-install publint run --strict --pack false "$tgz"; then
    echo "publint: $name FAILED"
    failed=1
  fi
  if ! npx --no-install attw --profile esm-only --format table-flipped --no-emoji --exclude-entrypoints ./scripts/native-addon.cjs -- "$tgz"; then
    echo "attw: $name FAILED"
    failed=1
  fi
done
exit "$failed"
