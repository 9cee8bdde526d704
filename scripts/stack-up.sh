#!/usr/bin/env bash
# Starts the whole ProSaaS stack on this machine (README command 1):
# PostgreSQL and Redis (started if down), database `prosaas` migrated and seeded
# with the demo tenant, api/voice/whatsapp (+ the Baileys worker when its
# dependencies are installed), the SPA behind the real nginx.conf on :8080.
# Stop it with scripts/stack-down.sh. Logs: .stack/*.log
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/stack.sh
source scripts/lib/stack.sh

DB=${PROSAAS_DB:-prosaas}
EDGE_PORT=${EDGE_PORT:-8080}
STACK="$ROOT/.stack"
mkdir -p "$STACK"
bash scripts/stack-down.sh >/dev/null 2>&1 || true
bash scripts/ensure-services.sh --tools

echo "building (debug) ..."
cargo build -q -p prosaas-api -p prosaas-admin -p prosaas-voice -p prosaas-whatsapp
bin="$CARGO_TARGET_DIR/debug"

create_db "$DB"
service_env "$DB"
export API_PORT=5000 VOICE_PORT=5001 WHATSAPP_PORT=5002
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:$EDGE_PORT}"
export DEMO_PASSWORD="${DEMO_PASSWORD:-demo-pass-2026}"
export WHATSAPP_WORKER_URL="${WHATSAPP_WORKER_URL:-http://127.0.0.1:3300}"
"$bin/prosaas" migrate
"$bin/prosaas" seed-demo >"$STACK/logins.txt"

start_bg api "$STACK" "$bin/prosaas-api"
start_bg voice "$STACK" "$bin/prosaas-voice"
start_bg whatsapp "$STACK" "$bin/prosaas-whatsapp"
for p in $API_PORT $VOICE_PORT $WHATSAPP_PORT; do wait_http "http://127.0.0.1:$p/health" 30; done

if [ -f services/whatsapp-worker/package.json ]; then
  (cd services/whatsapp-worker && { [ -d node_modules ] || npm ci --omit=dev --no-audit --no-fund >/dev/null; })
  WORKER_PORT=3300 WORKER_HOST=127.0.0.1 WHATSAPP_SERVICE_URL="http://127.0.0.1:$WHATSAPP_PORT" \
    start_bg whatsapp-worker "$STACK" node services/whatsapp-worker/src/main.js
fi

web_root="$ROOT/web/dist"
if [ -f web/package.json ]; then
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null; } && npm run build >/dev/null)
else
  web_root="$STACK/web"; placeholder_web "$web_root"
fi
render_nginx "$STACK/edge" "$EDGE_PORT" "$web_root" "$API_PORT" "$VOICE_PORT" "$WHATSAPP_PORT" 5678
start_nginx "$STACK/edge"
wait_http "http://127.0.0.1:$EDGE_PORT/api/health" 15

echo
echo "ProSaaS is up: http://localhost:$EDGE_PORT"
cat "$STACK/logins.txt"
echo "logs: $STACK/*.log   stop: scripts/stack-down.sh"
