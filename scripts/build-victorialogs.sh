#!/usr/bin/env bash
# Builds VictoriaLogs (github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs, pinned in
# tools/victorialogs/go.mod) into .tools/bin/victoria-logs (git-ignored) from the Go module proxy. Reused when
# present and built from the same go.sum; about 1.5 minutes on 2 cores the first time. The log store tests,
# benches and `npm start` use it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tools/bin/victoria-logs
stamp=.tools/bin/victoria-logs.go.sum
if [ -x "$out" ] && [ -f "$stamp" ] && cmp -s "$stamp" tools/victorialogs/go.sum; then
  exit 0
fi
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
if ! command -v go >/dev/null; then
  echo "[install] go not found: VictoriaLogs (log store tests) is built with the Go toolchain; install Go 1.24+ (https://go.dev/dl/) and rerun" >&2
  exit 1
fi
echo "[install] go build victoria-logs (tools/victorialogs, about 1.5 minutes the first time)"
mkdir -p .tools/bin
(cd tools/victorialogs && go build -o ../../"$out".tmp github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs)
mv "$out".tmp "$out"
cp tools/victorialogs/go.sum "$stamp"
