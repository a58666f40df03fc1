#!/usr/bin/env bash
# `npm test`: every test of the project. Type check and lint, unit + integration tests (vitest,
# against a private embedded PostgreSQL), a production build, then browser and end-to-end tests
# (Playwright with Debian's /usr/bin/chromium, real DKMS builds). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mkdir -p reports
rm -f reports/vitest.json reports/playwright.json
status=0
step() { echo; echo "== $*"; }

step "system packages for the browser and DKMS tests"
bash scripts/ensure-test-packages.sh || echo "(could not install every system package; the tests that need them report themselves skipped)"

step "prisma generate"
npx prisma generate >/dev/null || status=1
# Caches under .data/ (gitignored) make a repeated run on the same machine faster; a clean clone
# starts without them.
step "typecheck"
# Route and page types first (.next/types, as next build generates them), so tsc checks all that
# the build's own type check would.
npx next typegen >/dev/null || status=1
typechecked=0
npx tsc --noEmit --incremental --tsBuildInfoFile .data/cache/tsc.tsbuildinfo && typechecked=1 || status=1
step "lint"
npx eslint . --cache --cache-location .data/cache/eslint/ || status=1

step "unit + integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json || status=1

step "production build"
# The build's own type check repeats the one above; it is skipped only when that one passed.
if MODCOMPAT_TYPECHECKED=$typechecked npx next build; then
  step "browser + end-to-end tests (playwright)"
  rm -rf .data/e2e-pg
  CI=${CI:-true} npx playwright test || status=1
else
  status=1
fi

node scripts/test-summary.mjs reports/vitest.json reports/playwright.json || status=1
if [ $status -ne 0 ]; then echo "some checks failed (see above)"; fi
exit $status
