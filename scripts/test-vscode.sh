#!/usr/bin/env bash
# The extension in a real VS Code (1.139.1, bundled in code-server), from a fresh clone:
#   1. install Node 24 + the VS Code server into .vscode-test/ (once; fast when the lockfile is unchanged)
#   2. package the .vsix (production build) for the UI tests, then the development build for the host tests
#   3. the in-host mocha suites (test/vscode/suite) in the server's extension host, driven by headless chromium,
#      then test/vscode/multiroot in a window of two folders (settings of each folder)
#   4. the UI suite (test/vscode/ui): code-server with the .vsix installed, driven like a person would
# Every step runs even when an earlier test step failed; the exit status is non-zero if any failed.
# Screenshots and, on failure, server logs go to test-results/. Needs chromium and libkrb5-dev (Debian).
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
step_pid=
summary=()

# A step runs in its own process group, so an interrupted run can end it with everything it started;
# the test runners themselves stop their servers and browsers on exit, failure or SIGINT/SIGTERM.
stop_step() {
  if [ -n "$step_pid" ] && kill -0 "$step_pid" 2>/dev/null; then
    kill -TERM -- "-$step_pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$step_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$step_pid" 2>/dev/null
  fi
}
trap 'stop_step; exit 130' INT
trap 'stop_step; exit 143' TERM
trap 'stop_step' EXIT

# step NAME REQUIRED CMD...: time one step; a failed REQUIRED=yes step makes the later ones pointless.
step() {
  local name=$1 required=$2; shift 2
  echo "=== vscode/$name: $*"
  local start=$SECONDS
  setsid "$@" &
  step_pid=$!
  wait "$step_pid"
  local rc=$?
  step_pid=
  echo "=== vscode/$name: exit $rc in $((SECONDS - start)) s"
  summary+=("$name exit=$rc seconds=$((SECONDS - start))")
  if [ "$rc" != 0 ]; then
    status=1
    if [ "$required" = yes ]; then
      finish
    fi
  fi
}

finish() {
  printf '%s\n' "${summary[@]/#/vscode/}"
  exit "$status"
}

step install-server yes bash scripts/install-vscode-server.sh
step package yes npm run --silent package
step build yes npm run --silent build
step ext-host-tests no node_modules/.bin/tsx test/vscode/run-ext-tests.ts
step ext-host-multi-root no env VSCODE_TEST_SUITE_DIR=test/vscode/multiroot VSCODE_TEST_WORKSPACE=multi-root node_modules/.bin/tsx test/vscode/run-ext-tests.ts
step ui-tests no node_modules/.bin/mocha --config test/vscode/ui/mocharc.json
finish
