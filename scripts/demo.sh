#!/usr/bin/env bash
# `npm run demo`: the extension in VS Code (code-server, in the browser) on the project's local lab of
# 3 real Ganeti 3.0 clusters. Installs what it needs, builds and packages the extension, starts it all
# and prints the URL to open; Ctrl-C tears everything down (scripts/demo-editor.ts).
#   npm run demo                     the editor demo (root on Linux)
#   npm run demo -- cli [rollback|down]   the same merge from the command line (scripts/demo-cli.sh)
# Environment: GCM_DEMO_PORT (default 8739), GCM_LAB_MANAGED=1 (reset the lab at the end, keep it up).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: npm run demo [-- cli [merge|rollback|down]]"; }

case "${1:-editor}" in
  editor) ;;
  cli) shift; exec bash scripts/demo-cli.sh "$@" ;;
  rollback|down) exec bash scripts/demo-cli.sh "$1" ;;   # the CLI demo's old spelling
  -h|--help|help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
  cat >&2 <<'MSG'
demo: the demo needs root on Linux: its lab runs 3 Ganeti clusters in Linux namespaces on this machine.
Instead, use the extension with your real clusters in desktop VS Code:
  npm ci && npm run package            # makes dist/ganeti-cluster-merge.vsix
  code --install-extension dist/ganeti-cluster-merge.vsix
then add your clusters (Ganeti view > Add Cluster, or the ganetiMerge.clusters setting); see README.md.
Or run the demo on a Debian 12 VM as root.
MSG
  exit 1
fi

step() { echo "demo: $*"; }
step "npm packages (scripts/npm-deps.sh)"
bash scripts/npm-deps.sh
step "system packages (scripts/install-system-deps.sh)"
bash scripts/install-system-deps.sh
step "VS Code server (scripts/install-vscode-server.sh; the first time ~3 min)"
bash scripts/install-vscode-server.sh
step "building and packaging the extension (npm run package)"
npm run --silent package
exec node --import tsx scripts/demo-editor.ts
