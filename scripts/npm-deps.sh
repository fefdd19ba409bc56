#!/usr/bin/env bash
# Installs the project's npm packages (`npm ci`, pinned by package-lock.json) when node_modules is
# missing or older than the lockfile, so `npm test` and `npm run demo` work on a fresh clone.
# npm ci writes node_modules/.package-lock.json last: newer than package-lock.json = up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ node_modules/.package-lock.json -nt package-lock.json ] && [ -x node_modules/.bin/tsc ]; then
  exit 0
fi
echo "npm-deps: npm ci (node_modules missing or older than package-lock.json; ~1 min)"
start=$SECONDS
npm ci --no-audit --no-fund --loglevel=error
echo "npm-deps: done in $((SECONDS - start)) s"
