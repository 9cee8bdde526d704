#!/usr/bin/env bash
# The Baileys worker's test step (scripts/test.sh runs it when present).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
node --test test/
