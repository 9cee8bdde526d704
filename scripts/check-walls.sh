#!/usr/bin/env bash
# Static checks of the tenant wall and of the brief's "no hard-coded numbers" rule.
# 1. dependency direction: services never depend on prosaas-db (or diesel) directly;
#    only prosaas-tenant (and the test harness) may.
# 2. the Diesel schema is named only in crates/db, crates/tenant/src/repo and system.rs.
# 3. no phone-number literals in non-test source.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
pass=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass+1)); else echo "FAIL $1"; fail=$((fail+1)); fi; }

direct_db_users() {
  for toml in services/*/Cargo.toml crates/*/Cargo.toml; do
    case "$toml" in crates/db/*|crates/tenant/*|crates/test-support/*) continue ;; esac
    sed -n '/^\[dependencies\]/,/^\[/p' "$toml" | grep -qE '^(prosaas-db|diesel|diesel-async)' && echo "$toml"
  done
}
check "only prosaas-tenant depends on prosaas-db/diesel" '[ -z "$(direct_db_users)" ]'

schema_outside() {
  grep -rln --include='*.rs' -E 'schema::|prosaas_db::schema' crates services \
    | grep -vE '^crates/db/|^crates/tenant/src/repo/|^crates/tenant/src/system\.rs$|^crates/wall-check/tests/' || true
}
check "schema:: appears only in db, tenant repo/ and system.rs" '[ -z "$(schema_outside)" ]'

reexports() { grep -rnE 'pub use prosaas_db|pub use diesel' crates/tenant/src || true; }
check "prosaas-tenant re-exports neither prosaas_db nor diesel" '[ -z "$(reexports)" ]'

phone_literals() {
  git grep -nE '\+?972[ -]?[2-9][0-9]{7,8}|0[2-9][0-9]?-?[0-9]{7}' -- '*.rs' '*.ts' '*.tsx' '*.js' '*.mjs' \
    ':!**/tests/**' ':!**/test/**' ':!**/*test*' ':!**/fixtures/**' ':!**/e2e/**' ':!web/src/**/*.test.*' 2>/dev/null \
    | grep -vE '^\S+:[0-9]+:\s*(//|\*|#)' || true
}
check "no phone-number literals in non-test source" '[ -z "$(phone_literals)" ]'
[ -n "$(phone_literals)" ] && phone_literals

replit() { git grep -n -i 'replit' -- ':!docs/**' ':!*.md' ':!scripts/check-walls.sh' ':!scripts/check-compose.sh' ':!scripts/lib/check_compose.py' 2>/dev/null || true; }
check "no leftover Replit URLs" '[ -z "$(replit)" ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
