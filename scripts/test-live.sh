#!/usr/bin/env bash
# Live checks against the real binaries on this machine: a fresh database,
# migrated and seeded by the `prosaas` CLI; api, voice and whatsapp started as
# processes; then the nginx routing test (scripts/test-nginx.sh) and, when the
# SPA exists, the browser end-to-end run through the real nginx.conf.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/stack.sh
source scripts/lib/stack.sh

work=$(mktemp -d)
db="prosaas_live_$$"
cleanup() {
  stop_nginx "$work/edge"
  stop_bg "$work"
  drop_db "$db"
  rm -rf "$work"
}
trap cleanup EXIT

cargo build -q --locked -p prosaas-api -p prosaas-admin -p prosaas-voice -p prosaas-whatsapp || exit 1
bin="$CARGO_TARGET_DIR/debug"
create_db "$db"
service_env "$db"
export DEMO_PASSWORD=demo-pass-2026
"$bin/prosaas" migrate >"$work/migrate.txt" && "$bin/prosaas" seed-demo >"$work/seed.txt" || { cat "$work"/*.txt; exit 1; }

API_PORT=$(free_port); VOICE_PORT=$(free_port); WHATSAPP_PORT=$(free_port)
export API_PORT VOICE_PORT WHATSAPP_PORT PUBLIC_BASE_URL=http://127.0.0.1
start_bg api "$work" "$bin/prosaas-api"
start_bg voice "$work" "$bin/prosaas-voice"
start_bg whatsapp "$work" "$bin/prosaas-whatsapp"
for p in "$API_PORT" "$VOICE_PORT" "$WHATSAPP_PORT"; do
  wait_http "http://127.0.0.1:$p/health" 30 || { tail -20 "$work"/*.log; exit 1; }
done
echo "api :$API_PORT, voice :$VOICE_PORT, whatsapp :$WHATSAPP_PORT up on database $db"

fail=0
if [ -f scripts/test-nginx.sh ]; then
  bash scripts/test-nginx.sh "$API_PORT" || fail=1
else
  echo "scripts/test-nginx.sh missing"; fail=1
fi

if [ -f web/e2e/run.mjs ]; then
  if [ ! -d web/node_modules ]; then (cd web && npm ci --no-audit --no-fund >/dev/null) || fail=1; fi
  [ -f web/dist/index.html ] || (cd web && npm run build >/dev/null) || fail=1
  EDGE_PORT=$(free_port)
  render_nginx "$work/edge" "$EDGE_PORT" "$ROOT/web/dist" "$API_PORT" "$VOICE_PORT" "$WHATSAPP_PORT" 1
  if start_nginx "$work/edge" && wait_http "http://127.0.0.1:$EDGE_PORT/health" 10; then
    BASE_URL="http://127.0.0.1:$EDGE_PORT" \
      E2E_OWNER_EMAIL=owner@demo.prosaas.local E2E_OWNER_PASSWORD="$DEMO_PASSWORD" \
      E2E_AGENT_EMAIL=agent@demo.prosaas.local E2E_AGENT_PASSWORD="$DEMO_PASSWORD" \
      E2E_ADMIN_EMAIL=admin@prosaas.local E2E_ADMIN_PASSWORD="$DEMO_PASSWORD" \
      node web/e2e/run.mjs || fail=1
  else
    echo "edge nginx did not start"; cat "$work/edge/logs/error.log" 2>/dev/null; fail=1
  fi
fi
# Schemathesis against the OpenAPI document; after the browser run because it
# leaves generated offers, leads and users in the demo business.
if [ -f scripts/check-openapi.sh ]; then
  bash scripts/check-openapi.sh "http://127.0.0.1:$API_PORT" || fail=1
fi
[ "$fail" -eq 0 ] || { echo "--- service logs"; tail -n 30 "$work"/*.log; }
exit "$fail"
