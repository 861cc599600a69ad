#!/usr/bin/env bash
# CI: the import rules of the repository.
#   1. No import cycle anywhere: madge --circular over every package's and tool's src/ (type-only
#      imports count too: a cycle of types is still two files that cannot be understood apart).
#   2. The package boundaries are lint errors: tools/ci/import-boundaries-check.mjs runs the
#      no-restricted-imports settings eslint.config.js gives to each folder on forbidden imports
#      (e.g. @ipc/socket from packages/pipe/src) and allowed ones, and fails unless each is judged right.
# Needs the root devDependency madge (npm ci installs it).
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
npx --no-install madge --circular --no-spinner --extensions ts packages/*/src tools/*/src || status=1
node tools/ci/import-boundaries-check.mjs || status=1
exit "$status"
