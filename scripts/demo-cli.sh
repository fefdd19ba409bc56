#!/usr/bin/env bash
# `npm run demo -- cli`: the whole merge against the project's local Ganeti lab, from the CLI.
# Brings the lab up (3 real Ganeti 3.0 clusters in namespaces), merges clusterb and clusterc
# into clustera, shows the result, and leaves the journal so the merge can be rolled back:
#   npm run demo -- cli              merge (the lab stays up for inspection)
#   npm run demo -- cli rollback     roll the last demo merge back
#   npm run demo -- cli down         take the lab down
set -euo pipefail
cd "$(dirname "$0")/.."

# A typo must not bring the lab up first.
case "${1:-merge}" in
  merge|rollback|down) ;;
  *) echo "usage: npm run demo -- cli [merge|rollback|down]" >&2; exit 2 ;;
esac
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ]; then
  echo "demo: the local lab needs root on Linux (namespaces). With real clusters, use the CLI:" >&2
  echo "  node dist/cli.js plan --target MASTER --mergee MASTER... (see README)" >&2
  exit 1
fi
DEMO_DIR=${GCM_DEMO_DIR:-/var/tmp/gcm-demo}
JOURNAL=$DEMO_DIR/journal.json
mkdir -p "$DEMO_DIR"

bash scripts/install-system-deps.sh
[ -f dist/cli.js ] || npm run --silent build
bash test/lab/lab.sh up
STATE=${GCM_LAB_STATE:-/var/tmp/gcm-lab}
SSH=(--ssh-config "$STATE/ssh_config" --known-hosts "$STATE/known_hosts" --identity "$STATE/id_ed25519")

case "${1:-merge}" in
  merge)
    if [ -f "$JOURNAL" ]; then
      echo "demo: an earlier demo merge exists ($JOURNAL): roll it back first (npm run demo -- cli rollback)" >&2
      exit 1
    fi
    bash test/lab/lab.sh reset
    node dist/cli.js run --yes --journal "$JOURNAL" "${SSH[@]}" \
      --target a1.glab.test --mergee b1.glab.test --mergee c1.glab.test \
      --groups merge --networks rename --ignore-verify-error ENODESETUP
    bash test/lab/lab.sh exec a1 'gnt-node list; gnt-instance list'
    echo "demo: merged. Roll back with: npm run demo -- cli rollback"
    ;;
  rollback)
    node dist/cli.js rollback --journal "$JOURNAL" "${SSH[@]}"
    for m in a1 b1 c1; do bash test/lab/lab.sh exec "$m" 'gnt-node list; gnt-instance list'; done
    rm -rf "$JOURNAL" "$JOURNAL.files"
    echo "demo: rolled back; all three clusters are as before"
    ;;
  down) bash test/lab/lab.sh down ;;
  *) echo "usage: npm run demo -- cli [merge|rollback|down]" >&2; exit 2 ;;
esac
