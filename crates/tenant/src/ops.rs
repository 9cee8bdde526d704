//! Operator entry points into the schema, for the `prosaas` CLI only: services
//! never migrate (the compose `migrate` one-shot does, before they start).

use crate::TenantError;

/// Applies pending migrations with the owner URL; returns what was applied.
pub async fn migrate(owner_url: &str) -> Result<Vec<String>, TenantError> {
    Ok(prosaas_db::migrate::run_pending(owner_url).await?)
}

/// Migrations not yet applied.
pub async fn pending_migrations(owner_url: &str) -> Result<Vec<String>, TenantError> {
    Ok(prosaas_db::migrate::pending(owner_url).await?)
}

/// Every migration compiled into this binary.
pub fn known_migrations() -> Vec<String> {
    prosaas_db::migrate::all_names()
}

/// Enables login for `prosaas_app` with the password of APP_DATABASE_URL.
pub async fn enable_app_role_login(owner_url: &str, password: &str) -> Result<(), TenantError> {
    Ok(prosaas_db::migrate::enable_app_role_login(owner_url, password).await?)
}
