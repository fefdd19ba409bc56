#!/usr/bin/env bash
# `npm run test:matrix`: the FULL fault and crash matrices of the merger on the lab (CI runs only
# a subset of the same test files: see test/integration/helpers/merge-matrix.ts). Builds the CLI
# first (the crash matrix kills `node dist/cli.js`). Runs in chunks of a few phases, one mocha run
# each, so that with GCM_LAB_LOCK=FILE every chunk takes that flock on its own and others sharing
# the lab get in between. Arguments go to every mocha run.
#   GCM_LAB_MANAGED=1   the caller keeps the lab up (else: up here, down at the end)
#   GCM_LAB_LOCK=FILE   flock FILE around each chunk (never set it while holding that lock yourself)
#   GCM_MATRIX_FILES    the test files (default: both matrices)
#   GCM_LAB_GANETI=3.1  on the Ganeti 3.1 lab (test/lab/README.md)
set -uo pipefail
cd "$(dirname "$0")/.."

npm run --silent build || { echo "test-matrix: build failed" >&2; exit 1; }

if [ -z "${GCM_LAB_MANAGED:-}" ]; then
  bash scripts/install-system-deps.sh || { echo "test-matrix: installing system packages failed" >&2; exit 1; }
  trap 'bash test/lab/lab.sh down >/dev/null 2>&1 || true' EXIT
  bash test/lab/lab.sh up || { echo "test-matrix: the Ganeti lab did not come up" >&2; exit 1; }
fi

files=${GCM_MATRIX_FILES:-"test/integration/merger-faults.test.ts test/integration/merger-crash.test.ts"}
chunks=(
  preflight,verify-target,authorize-target-master,stop-instances,pause-watchers,snapshot
  remove-master-ips,stop-mergee-daemons,stop-target-master,write-config,start-master-no-voting,readd-nodes
  redistribute,restart-master,start-instances,resume-watchers,verify-merged,cleanup
)
mkdir -p test-results
status=0 passed=0 failed=0 start=$SECONDS
for file in $files; do
  for chunk in "${chunks[@]}"; do
    log="test-results/matrix-$(basename "$file" .test.ts)-${chunk%%,*}.log"
    echo "=== $file: $chunk"
    lock=()
    [ -n "${GCM_LAB_LOCK:-}" ] && lock=(flock "$GCM_LAB_LOCK")
    # no .mocharc here: its spec would add every integration suite
    GCM_LAB_MANAGED=1 GCM_MATRIX=full GCM_MATRIX_PHASES=$chunk "${lock[@]}" \
      npx mocha --no-config -n import=tsx --timeout 600000 --reporter spec --exit "$file" "$@" 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
    passed=$((passed + $(grep -Eo '^ *[0-9]+ passing' "$log" | awk '{s+=$1} END {print s+0}')))
    failed=$((failed + $(grep -Eo '^ *[0-9]+ failing' "$log" | awk '{s+=$1} END {print s+0}')))
  done
done
echo "test-matrix: $passed passed, $failed failed in $((SECONDS - start)) s"
exit $status
