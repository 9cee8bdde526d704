//! Embedded, forward-only migrations. Run by the `prosaas migrate` operator
//! command with the owner role, never by services at start-up.

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::DbError;

/// Every migration of the product, compiled into the binaries.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

type Wrapper = AsyncConnectionWrapper<AsyncPgConnection>;

async fn wrapper(url: &str) -> Result<Wrapper, DbError> {
    let conn = crate::establish(url)
        .await
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(Wrapper::from(conn))
}

async fn blocking<T: Send + 'static>(
    url: &str,
    job: impl FnOnce(&mut Wrapper) -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    let mut conn = wrapper(url).await?;
    tokio::task::spawn_blocking(move || job(&mut conn))
        .await
        .map_err(|e| DbError::Migration(e.to_string()))?
}

/// Applies every pending migration; returns the versions applied.
pub async fn run_pending(url: &str) -> Result<Vec<String>, DbError> {
    blocking(url, |conn| {
        conn.run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| DbError::Migration(e.to_string()))
    })
    .await
}

/// Applies exactly the next pending migration, if any (used by the
/// data-preservation test, which fills the database between steps).
pub async fn run_next(url: &str) -> Result<Option<String>, DbError> {
    blocking(url, |conn| {
        let pending = conn
            .pending_migrations(MIGRATIONS)
            .map_err(|e| DbError::Migration(e.to_string()))?;
        match pending.first() {
            None => Ok(None),
            Some(next) => conn
                .run_migration(next.as_ref())
                .map(|v| Some(v.to_string()))
                .map_err(|e| DbError::Migration(e.to_string())),
        }
    })
    .await
}

/// Versions not yet applied.
pub async fn pending(url: &str) -> Result<Vec<String>, DbError> {
    blocking(url, |conn| {
        conn.pending_migrations(MIGRATIONS)
            .map(|m| m.iter().map(|m| m.name().to_string()).collect())
            .map_err(|e| DbError::Migration(e.to_string()))
    })
    .await
}

/// Names of all embedded migrations, in order.
pub fn all_names() -> Vec<String> {
    use diesel::migration::MigrationSource;
    let mut names: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map(|ms| ms.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Lets the `prosaas_app` role log in with `password` (the migration creates
/// it NOLOGIN). Runs as the owner; the password never reaches a log line.
pub async fn enable_app_role_login(owner_url: &str, password: &str) -> Result<(), DbError> {
    use diesel_async::SimpleAsyncConnection;
    let mut conn = crate::establish(owner_url)
        .await
        .map_err(|e| DbError::Migration(e.to_string()))?;
    // ALTER ROLE takes no bind parameters: quote the literal ourselves
    let literal = password.replace('\'', "''");
    conn.batch_execute(&format!(
        "ALTER ROLE prosaas_app LOGIN PASSWORD '{literal}'"
    ))
    .await
    .map_err(|e| DbError::Migration(format!("enabling prosaas_app login: {e}")))
}
