#!/usr/bin/env bash
# The real nginx (Debian package) running nginx/nginx.conf, rendered with local
# ports, in front of the running api/voice/whatsapp and a stand-in for n8n.
# Called by scripts/test-live.sh; needs API_PORT, VOICE_PORT, WHATSAPP_PORT.
# usage: test-nginx.sh [API_PORT]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/stack.sh
source scripts/lib/stack.sh
API_PORT=${1:-${API_PORT:?}}
: "${VOICE_PORT:?}" "${WHATSAPP_PORT:?}"

work=$(mktemp -d)
cleanup() { stop_nginx "$work/edge"; stop_bg "$work"; rm -rf "$work"; }
trap cleanup EXIT

bin=$(command -v nginx || echo /usr/sbin/nginx)
"$bin" -v 2>&1 | sed 's/^/using /'

mkdir -p "$work/web/assets"
placeholder_web "$work/web"
echo 'console.log("asset")' >"$work/web/assets/app.js"

N8N_PORT=$(free_port)
start_bg n8n "$work" python3 scripts/lib/fake_n8n.py "$N8N_PORT"
EDGE_PORT=$(free_port)
render_nginx "$work/edge" "$EDGE_PORT" "$work/web" "$API_PORT" "$VOICE_PORT" "$WHATSAPP_PORT" "$N8N_PORT"
"$bin" -t -c "$work/edge/nginx.conf" -p "$work/edge" -e "$work/edge/logs/error.log" 2>&1 | sed 's/^/nginx -t: /'
start_nginx "$work/edge" || { cat "$work/edge/logs/error.log"; exit 1; }
wait_http "http://127.0.0.1:$EDGE_PORT/health" 10 || exit 1
wait_http "http://127.0.0.1:$N8N_PORT/" 10 || exit 1
python3 scripts/lib/check_edge.py "http://127.0.0.1:$EDGE_PORT" || { tail -n 20 "$work/edge/logs/error.log"; exit 1; }
