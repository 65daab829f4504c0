#!/usr/bin/env bash
# `npm start`: the demo workspace in a real VS Code (code-server) with the packaged extension installed, on
# http://127.0.0.1:${IWB_PORT:-8080} (a free port when that one is taken). The workspace is .run/demo/workspace:
# a copy of demo/ that is its own git repository, with the scripted history of scripts/demo-workspace.mjs
# (releases, the commit that introduced the quadratic scoring), so Suspect Commits have history to read. It
# is made again when demo/ or that script changed; the previous copy is kept as .run/demo/workspace.previous.
#
#   npm start                  foreground; Ctrl-C stops code-server (its whole process group)
#   IWB_NO_WAIT=1 npm start    prints the URL and leaves code-server running in the background; its
#                              process group id is in .run/demo/pid (stop: kill -- -$(cat .run/demo/pid))
#   IWB_PORT=9000 npm start    another port
#   IWB_NO_JAEGER=1 npm start  without the live Jaeger (scripts/demo-jaeger.mjs) for Search Traces in Jaeger…
#
# Also starts the demo's log store: VictoriaLogs on 127.0.0.1:${IWB_VL_PORT:-9428} with the demo logs
# (scripts/demo-logstore.mjs; it keeps running; stop: kill $(cat .run/demo/victorialogs.pid)).
#
# Installs what is missing first: Debian packages and code-server (scripts/setup-vscode-host.sh), npm
# packages (npm ci when node_modules is missing or older than package-lock.json). State lives in
# .run/demo/ (git-ignored): the workspace, extensions, user data (Workspace Trust off: the demo is trusted), logs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_DIR="$ROOT/.run/demo"
PID_FILE="$RUN_DIR/pid"
PORT="${IWB_PORT:-8080}"

log() { printf '[start] %s\n' "$*"; }

# Debian packages, code-server, npm packages and the Python tools the demo uses (py-spy, ...).
bash scripts/install-deps.sh

mkdir -p "$RUN_DIR"
[ -d demo ] || mkdir -p demo

# A demo started earlier shares .run/demo/user with this one: stop it first.
if [ -s "$PID_FILE" ]; then
  old="$(tr -dc '0-9' < "$PID_FILE")"
  if [ -n "$old" ] && kill -0 -- "-$old" 2>/dev/null && grep -qa "code-server" "/proc/$old/cmdline" 2>/dev/null \
     && grep -qa "$RUN_DIR" "/proc/$old/cmdline" 2>/dev/null; then
    log "stopping the demo started earlier (process group $old)"
    kill -TERM -- "-$old" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 -- "-$old" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$old" 2>/dev/null || true
  fi
  : > "$PID_FILE"
fi

# The demo workspace: demo/ with its git history, made again when demo/ or its history script changed.
WORKSPACE="$RUN_DIR/workspace"
STAMP="$( (cd "$ROOT" && find demo -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum; sha256sum scripts/demo-workspace.mjs) | sha256sum | cut -d' ' -f1)"
if [ ! -d "$WORKSPACE/.git" ] || [ "$(cat "$RUN_DIR/workspace.stamp" 2>/dev/null)" != "$STAMP" ]; then
  if [ -d "$WORKSPACE" ]; then
    rm -rf "$RUN_DIR/workspace.previous"
    mv "$WORKSPACE" "$RUN_DIR/workspace.previous"
    log "demo/ changed: the previous demo workspace is kept in .run/demo/workspace.previous"
  fi
  log "making the demo workspace (demo/ with its git history) in .run/demo/workspace"
  node scripts/demo-workspace.mjs "$WORKSPACE" > /dev/null
  echo "$STAMP" > "$RUN_DIR/workspace.stamp"
fi

# The demo's live log store (Errors and Patterns can load from it): VictoriaLogs with the demo logs.
node scripts/demo-logstore.mjs || log "VictoriaLogs not started: the demo logs are still there as files"

log "packaging the extension"
if ! node scripts/package.mjs --out "$RUN_DIR/incident-workbench.vsix" > "$RUN_DIR/package.log" 2>&1; then
  cat "$RUN_DIR/package.log" >&2
  log "packaging failed"
  exit 1
fi
VSIX="$(tail -n 1 "$RUN_DIR/package.log")"

log "installing $(basename "$VSIX") into .run/demo/ext"
rm -rf "$RUN_DIR/ext"
node scripts/lib/codeserver.mjs install-vsix --vsix "$VSIX" --extensions-dir "$RUN_DIR/ext" \
  --user-data-dir "$RUN_DIR/install-user-data" > "$RUN_DIR/install.log" 2>&1 || { cat "$RUN_DIR/install.log" >&2; exit 1; }

# A live Jaeger with the demo's traces (Search Traces in Jaeger…); skipped with IWB_NO_JAEGER=1.
if [ "${IWB_NO_JAEGER:-0}" != "1" ]; then
  node scripts/demo-jaeger.mjs || log "the demo's Jaeger did not start (see .run/demo/jaeger.log); the rest works without it"
fi

args=(serve --workspace "$WORKSPACE" --extensions-dir "$RUN_DIR/ext" --user-data-dir "$RUN_DIR/user"
      --port "$PORT" --log-file "$RUN_DIR/code-server.log" --pid-file "$PID_FILE")
if [ "${IWB_NO_WAIT:-0}" = "1" ]; then
  exec node scripts/lib/codeserver.mjs "${args[@]}" --detach
fi
# exec: node gets Ctrl-C and stops code-server's process group (code-server has its own group).
exec node scripts/lib/codeserver.mjs "${args[@]}"
