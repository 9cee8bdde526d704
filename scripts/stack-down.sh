#!/usr/bin/env bash
# Stops what scripts/stack-up.sh started (PostgreSQL and Redis keep running).
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/stack.sh
source scripts/lib/stack.sh
stop_nginx "$ROOT/.stack/edge"
stop_bg "$ROOT/.stack"
echo "stack stopped"
