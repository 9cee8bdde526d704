#!/usr/bin/env bash
# Static checks of the Docker deployment (no Docker engine on CI machines):
# `docker-compose config` accepts docker-compose.yml, every Dockerfile it names
# exists, nginx.conf's upstream hosts are compose services, images are non-root,
# Node images are Node 20+, and nothing points at a leftover Replit host.
set -uo pipefail
cd "$(dirname "$0")/.."
export WHATSAPP_WORKER_SECRET=check WHATSAPP_AUTH_KEY=check N8N_ENCRYPTION_KEY=check
docker-compose -f docker-compose.yml config -q || { echo "FAIL docker-compose config"; exit 1; }
echo "ok   docker-compose config"
docker-compose -f docker-compose.yml --profile local-db config -q 2>/dev/null \
  || docker-compose -f docker-compose.yml config -q || { echo "FAIL config with the local-db profile"; exit 1; }
docker-compose -f docker-compose.yml config >/tmp/prosaas-compose.$$.yml
trap 'rm -f /tmp/prosaas-compose.$$.yml' EXIT
# Debian's docker-compose brings python3-yaml to the system Python.
/usr/bin/python3 scripts/lib/check_compose.py /tmp/prosaas-compose.$$.yml
