#!/usr/bin/env bash
# `npm test`: every suite, in the order that fails fastest. Each mocha suite's log is kept
# in test-results/, and the totals are summed into one closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
: > test-results/summary.txt
status=0

# run NAME CMD...: run a step, keep its log, remember a failure but go on with the rest.
run() {
  local name=$1; shift
  echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "test-results/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc in $((SECONDS - start)) s"
  echo "$name exit=$rc seconds=$((SECONDS - start))" >> test-results/summary.txt
  [ "$rc" = 0 ] || status=1
}

# A fresh clone has no node_modules: install them first, as the demo does (a no-op when up to date).
bash scripts/npm-deps.sh || { echo "=== npm ci failed: nothing can run"; exit 1; }
run typecheck npm run --silent typecheck
run lint npm run --silent lint
run build npm run --silent build
run unit npm run --silent test:unit

# One lab for the integration and the VS Code suites (both reach it from the host); down at the end.
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then
  run system-deps bash scripts/install-system-deps.sh
  trap 'bash test/lab/lab.sh down >/dev/null 2>&1 || true' EXIT
  run lab-up bash test/lab/lab.sh up
  export GCM_LAB_MANAGED=1
else
  echo "=== not root on Linux: the lab suites will report themselves skipped"
fi
run integration bash scripts/test-integration.sh
# the integration suites merge and roll back: give the VS Code suites the pre-merge lab again
if [ -n "${GCM_LAB_MANAGED:-}" ]; then run lab-reset bash test/lab/lab.sh reset; fi
run vscode bash scripts/test-vscode.sh

# Ganeti 3.1 (Debian 13's): the same lab on a debootstrapped trixie root filesystem (test/lab/README.md),
# after the 3.0 lab is down; .mocharc.integration-3.1.json lists the suites, ending with the mixed pair
# (a 3.0 lab brought up beside it).
if [ -n "${GCM_LAB_MANAGED:-}" ]; then
  run lab-down bash test/lab/lab.sh down
  export GCM_LAB_GANETI=3.1
  run lab-up-3.1 bash test/lab/lab.sh up
  run integration-3.1 npx mocha --config .mocharc.integration-3.1.json --exit
fi

# Sum mocha's "N passing / N failing / N pending" lines over every suite's log.
passed=0; failed=0; skipped=0
for f in test-results/*.log; do
  p=$(grep -Eo '^ *[0-9]+ passing' "$f" | awk '{s+=$1} END {print s+0}')
  x=$(grep -Eo '^ *[0-9]+ failing' "$f" | awk '{s+=$1} END {print s+0}')
  k=$(grep -Eo '^ *[0-9]+ pending' "$f" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + x)); skipped=$((skipped + k))
done
cat test-results/summary.txt
# CI keeps only the tail of this output: name every failing test there with its first error lines.
for f in test-results/*.log; do
  grep -Eq '^ *[0-9]+ failing' "$f" || continue
  echo "--- failures in $f:"
  sed -e 's/\x1b\[[0-9;]*m//g' "$f" | awk '
    /^ *[0-9]+ failing/ { on = 1; next }
    on && /^  [0-9]+\) / { n++; left = 6 }
    on && left > 0 && !/^ +at / && NF { if (n <= 40) print substr($0, 1, 300); left--; next }
    on && /^ +at / { left = 0 }
    END { if (n > 40) print "  ... and " (n - 40) " more (see the log above)" }'
done
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1   # a step failed outside mocha: never report 0 failed
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
