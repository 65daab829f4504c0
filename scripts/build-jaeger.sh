#!/usr/bin/env bash
# Builds Jaeger v2 (github.com/jaegertracing/jaeger/cmd/jaeger, pinned in tools/jaeger/go.mod) into
# .tools/bin/jaeger (git-ignored) from the Go module proxy. Reused when present and built from the same
# go.sum; about 5 minutes on 2 cores the first time. The trace search tests, benches and `npm start` use it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tools/bin/jaeger
stamp=.tools/bin/jaeger.go.sum
if [ -x "$out" ] && [ -f "$stamp" ] && cmp -s "$stamp" tools/jaeger/go.sum; then
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "[install] go not found: Jaeger (trace search tests) needs the Go toolchain to be built; skipped" >&2
  exit 0
fi
echo "[install] go build jaeger (tools/jaeger, about 5 minutes the first time)"
mkdir -p .tools/bin
(cd tools/jaeger && go build -o ../../"$out".tmp github.com/jaegertracing/jaeger/cmd/jaeger)
mv "$out".tmp "$out"
cp tools/jaeger/go.sum "$stamp"
