#!/usr/bin/env bash
# Everything the product and its tests need on a fresh Debian machine, idempotent and quick when done:
# Debian packages + code-server (setup-vscode-host.sh), npm packages, and the Python packages in
# requirements-dev.txt (real tools the tests run: py-spy, the OpenTelemetry SDK, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-vscode-host.sh
# A real Prometheus (Debian's package: prometheus + promtool) for the rollback tests (test/support/prometheus.mjs).
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo "[install] apt-get install prometheus"
  sudo_=(); [ "$(id -u)" -eq 0 ] || sudo_=(sudo)
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \
    || { "${sudo_[@]}" apt-get update && "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus; }
fi
# A real VictoriaLogs (from the Go module proxy) for the log store tests and the demo: .tools/bin/victoria-logs.
bash scripts/build-victorialogs.sh
# A real Jaeger (v2, from the Go module proxy) for the trace search tests and the demo: .tools/bin/jaeger.
bash scripts/build-jaeger.sh
# gdb: `memray attach` injects its tracker into a running Python through a debugger (gdb or lldb).
if ! command -v gdb >/dev/null; then
  echo "[install] apt-get install gdb"
  sudo_=(); [ "$(id -u)" -eq 0 ] || sudo_=(sudo)
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gdb \
    || { "${sudo_[@]}" apt-get update && "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gdb; }
fi
# Reinstalled when package-lock.json's content changed since the last install (not its mtime: a fresh
# checkout or a second worktree touches every file without changing what is locked).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.package-lock.json ] || [ "$(cat node_modules/.iwb-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "[install] npm ci"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.iwb-lock-hash
fi
if [ -s requirements-dev.txt ]; then
  marker=.vscode-host/.python-deps
  if [ ! -f "$marker" ] || [ requirements-dev.txt -nt "$marker" ]; then
    echo "[install] python3 -m pip install -r requirements-dev.txt"
    python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    touch "$marker"
  fi
fi
