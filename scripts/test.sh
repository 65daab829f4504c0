#!/usr/bin/env bash
# README command 2 (`npm test`): installs what the tests need, then runs every level and prints one summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec node scripts/test-all.mjs "$@"
