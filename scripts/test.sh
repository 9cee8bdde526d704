#!/usr/bin/env bash
# Runs every test of ProSaaS on a machine of this kind (README command 2; .ci/run).
# Starts PostgreSQL and Redis when they are down and installs nginx, chromium and
# docker-compose from Debian's packages when missing. Each step prints its own
# results; the last line counts the steps.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/ensure-services.sh --tools || { echo "could not start PostgreSQL/Redis"; exit 1; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

passed=0
failed=0
failed_steps=()
step() {
  local name=$1; shift
  echo
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - started)) s)"
  else
    failed=$((failed + 1)); failed_steps+=("$name"); echo "=== $name: FAILED ($((SECONDS - started)) s)"
  fi
}

# the voice tests sign webhooks with Twilio's own Python RequestValidator too
python3 -c 'import twilio' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check twilio >/dev/null 2>&1 \
  || echo "note: pip install twilio failed; that one voice test prints SKIPPED"

step "rustfmt" cargo fmt --all --check
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "tenant-wall static checks" bash scripts/check-walls.sh
step "rust tests (nextest)" cargo nextest run --workspace --locked --no-fail-fast
[ -f services/whatsapp-worker/test.sh ] && step "whatsapp worker (node --test)" bash services/whatsapp-worker/test.sh
[ -f scripts/test-web.sh ] && step "web (typecheck, vitest, build, bundle size)" bash scripts/test-web.sh
[ -f scripts/check-compose.sh ] && step "docker-compose config" bash scripts/check-compose.sh
step "live stack (nginx routing, browser e2e)" bash scripts/test-live.sh

echo
[ "$failed" -gt 0 ] && echo "failed steps: ${failed_steps[*]}"
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
