#!/usr/bin/env bash
# Integration tests against the real Ganeti lab: bring it up (reusing the saved image when valid),
# run the integration suites, always bring it down again.  Needs root and Linux namespaces;
# elsewhere the suites skip themselves loudly (test/lab/lab.ts requireLab).
set -uo pipefail
cd "$(dirname "$0")/.."

lab_usable() { [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; }

if [ -n "${GCM_LAB_MANAGED:-}" ]; then
  echo "test-integration: the lab is managed by the caller (GCM_LAB_MANAGED)"
elif lab_usable; then
  # the lab needs Ganeti & co.; fast no-op when they are installed
  bash scripts/install-system-deps.sh || { echo "test-integration: installing system packages failed" >&2; exit 1; }
  trap 'bash test/lab/lab.sh down >/dev/null 2>&1 || true' EXIT
  start=$SECONDS
  bash test/lab/lab.sh up || { echo "test-integration: the Ganeti lab did not come up" >&2; exit 1; }
  echo "test-integration: lab up in $((SECONDS - start)) s"
else
  echo "test-integration: not root on Linux - the lab suites will report themselves skipped" >&2
fi

# --exit: a suite that leaks a handle (an open ssh connection) must not hang CI after its results
npx mocha --config .mocharc.integration.json --exit "$@"
