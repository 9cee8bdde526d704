#!/usr/bin/env bash
# The SPA's checks (called by scripts/test.sh): install from the lock file when
# needed, typecheck, unit/component tests (vitest), production build, and the
# initial JS bundle size (gzip) against the 300 KB budget.
set -uo pipefail
cd "$(dirname "$0")/../web"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "npm ci"
  npm ci --no-audit --no-fund || exit 1
fi

fail=0
echo "--- typecheck"
npx tsc --noEmit -p tsconfig.json || fail=1
echo "--- vitest"
npx vitest run || fail=1
echo "--- build"
npx vite build --logLevel warn || fail=1
echo "--- bundle size"
node scripts/bundle-size.mjs dist 300 || fail=1
exit "$fail"
