# Shared shell functions of stack-up.sh and test-live.sh (source, do not run).

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PG_ADMIN_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_HOSTPORT="127.0.0.1:5432"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

create_db() { psql "$PG_ADMIN_URL" -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1 || psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $1"; }
drop_db() { psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true; }

# Environment of the services for database $1.
service_env() {
  export DATABASE_URL="postgres://postgres@$PG_HOSTPORT/$1"
  export APP_DATABASE_URL="postgres://prosaas_app:prosaas_app@$PG_HOSTPORT/$1"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  export VALIDATE_TWILIO_SIGNATURE="${VALIDATE_TWILIO_SIGNATURE:-false}"
  export BIND_HOST=127.0.0.1
  # development-only secrets (production sets its own in .env)
  export WHATSAPP_WORKER_SECRET="${WHATSAPP_WORKER_SECRET:-dev-worker-secret-0123456789}"
  export WHATSAPP_AUTH_KEY="${WHATSAPP_AUTH_KEY:-$(printf '0%.0s' $(seq 1 64))}"
}

# start_bg NAME LOGDIR CMD... : starts CMD in the background, pid in LOGDIR/NAME.pid
start_bg() {
  local name=$1 dir=$2; shift 2
  "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

stop_bg() {
  local dir=$1 f
  for f in "$dir"/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

# wait_http URL [SECONDS]
wait_http() {
  local url=$1 limit=${2:-60} i
  for i in $(seq 1 $((limit * 4))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "timed out waiting for $url" >&2
  return 1
}

# render_nginx OUT_DIR EDGE_PORT WEB_ROOT API_PORT VOICE_PORT WHATSAPP_PORT N8N_PORT
# Writes OUT_DIR/nginx.conf from nginx/nginx.conf with the compose upstream
# hosts replaced by local ports and every path moved into OUT_DIR.
render_nginx() {
  local out=$1 edge=$2 web=$3 api=$4 voice=$5 wa=$6 n8n=$7
  mkdir -p "$out/logs" "$out/tmp"
  sed -E \
    -e 's/^\s*user\s+[^;]+;//' \
    -e "s#^(\s*)pid\s+[^;]+;#\1pid $out/nginx.pid;#" \
    -e "s#server\s+api:[0-9]+#server 127.0.0.1:$api#" \
    -e "s#server\s+voice:[0-9]+#server 127.0.0.1:$voice#" \
    -e "s#server\s+whatsapp:[0-9]+#server 127.0.0.1:$wa#" \
    -e "s#server\s+n8n:[0-9]+#server 127.0.0.1:$n8n#" \
    -e "s#listen\s+80( default_server)?;#listen 127.0.0.1:$edge;#" \
    -e "s#listen\s+\[::\]:80[^;]*;##" \
    -e "s#root\s+/usr/share/nginx/html;#root $web;#" \
    -e "s#error_log\s+[^;]+;#error_log $out/logs/error.log;#" \
    -e "s#access_log\s+[^;]+;#access_log $out/logs/access.log;#" \
    "$ROOT/nginx/nginx.conf" >"$out/nginx.conf"
  # as root, workers would drop to `nobody`, which cannot read mktemp (0700) dirs
  [ "$(id -u)" = 0 ] && sed -i "1i user root;" "$out/nginx.conf"
  grep -q '^\s*pid ' "$out/nginx.conf" || sed -i "1i pid $out/nginx.pid;" "$out/nginx.conf"
  grep -q 'error_log' "$out/nginx.conf" || sed -i "1i error_log $out/logs/error.log;" "$out/nginx.conf"
  # temp paths inside OUT_DIR
  sed -i -E "s#^(\s*)([a-z_]+_temp_path)\s+\S+;#\1\2 $out/tmp/\2;#" "$out/nginx.conf"
}

# start_nginx OUT_DIR : runs the rendered config (daemonised; pid file in OUT_DIR)
start_nginx() {
  local out=$1 bin
  bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$bin" -t -q -c "$out/nginx.conf" -p "$out" -e "$out/logs/error.log" && "$bin" -c "$out/nginx.conf" -p "$out" -e "$out/logs/error.log"
}

stop_nginx() {
  local out=$1
  [ -f "$out/nginx.pid" ] && kill "$(cat "$out/nginx.pid")" 2>/dev/null || true
}

# A placeholder page when the SPA has not been built.
placeholder_web() {
  mkdir -p "$1"
  printf '<!doctype html><html lang="he" dir="rtl"><head><meta charset="utf-8"><title>ProSaaS</title></head><body><div id="root">ProSaaS</div></body></html>\n' >"$1/index.html"
}
