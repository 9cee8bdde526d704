-- Development only: production migrations are forward-only.
-- The prosaas_app role is cluster-wide and shared by other databases, so it stays.
DROP FUNCTION IF EXISTS app_sessions_revoke_user(uuid);
DROP FUNCTION IF EXISTS app_session_delete(bytea);
DROP FUNCTION IF EXISTS app_session_lookup(bytea);
DROP FUNCTION IF EXISTS app_session_create(uuid, bytea, integer, text, text);
DROP FUNCTION IF EXISTS app_login_lookup(text);
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS user_sessions;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS businesses;
DROP FUNCTION IF EXISTS set_updated_at();
DROP FUNCTION IF EXISTS app_cross_tenant();
DROP FUNCTION IF EXISTS app_current_business();
REVOKE USAGE ON SCHEMA public FROM prosaas_app;
