#!/usr/bin/env bash
# CI: every README code block marked runnable runs (twice) in a fresh project that installed the
# packed tarballs, from another working directory, and exits 0 within the timeout.
# See tools/ci/readme-examples.mjs and the root README's Contributing section for the markers.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node tools/ci/readme-examples.mjs "$@"
