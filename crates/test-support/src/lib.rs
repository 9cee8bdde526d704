//! Test harness shared by every crate's integration tests.
//!
//! [`TestDatabase::new`] gives each test its own database, cloned from a template
//! that has every migration applied (crates.io's approach): no shared state, no
//! `#[serial]`. The template's name carries a hash of the migration files, so a
//! new migration builds a new template once. Tests connect as `prosaas_app`, so
//! row-level security is exercised exactly as in production.
//!
//! `TEST_DATABASE_URL` names a superuser connection to the maintenance database
//! (default `postgres://postgres@127.0.0.1:5432/postgres`).

use std::path::Path;

use sha2::{Digest, Sha256};
use tokio_postgres::{Client, NoTls};

/// The maintenance connection URL.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn url_for(base: &str, user: Option<&str>, db: &str) -> String {
    // base is postgres://user[:pw]@host:port/dbname[?..]
    let (scheme_user, rest) = base.split_once('@').unwrap_or((base, ""));
    let host = rest.split('/').next().unwrap_or("127.0.0.1:5432");
    let userinfo = match user {
        Some(u) => format!("postgres://{u}:{u}"),
        None => scheme_user.to_string(),
    };
    format!("{userinfo}@{host}/{db}")
}

/// Connects with tokio-postgres and drives the connection in the background.
pub async fn raw_connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, conn) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

fn migrations_hash() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../db/migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(h.finalize()).chars().take(12).collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Errors of the harness, as strings: a failing harness fails the test loudly.
pub type HarnessError = Box<dyn std::error::Error + Send + Sync>;

const TEMPLATE_LOCK: i64 = 0x7072_6f73_6161;

/// Creates (once) the migrated template database and returns its name.
pub async fn ensure_template() -> Result<String, HarnessError> {
    let name = format!("prosaas_tpl_{}", migrations_hash());
    let admin = raw_connect(&admin_url()).await?;
    admin
        .execute("SELECT pg_advisory_lock($1)", &[&TEMPLATE_LOCK])
        .await?;
    let result = async {
        let exists = admin
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await?
            .is_some();
        if !exists {
            let building = format!("{name}_building");
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {building}"))
                .await?;
            admin
                .batch_execute(&format!("CREATE DATABASE {building}"))
                .await?;
            prosaas_db::migrate::run_pending(&url_for(&admin_url(), None, &building)).await?;
            // trust auth locally; the password serves password-auth set-ups
            admin
                .batch_execute("ALTER ROLE prosaas_app LOGIN PASSWORD 'prosaas_app'")
                .await?;
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .await?;
        }
        Ok::<_, HarnessError>(())
    }
    .await;
    admin
        .execute("SELECT pg_advisory_unlock($1)", &[&TEMPLATE_LOCK])
        .await?;
    result.map(|_| name)
}

/// A database of its own for one test, dropped when the value is dropped.
pub struct TestDatabase {
    name: String,
}

impl TestDatabase {
    /// Clones the migrated template into `test_<random>`.
    pub async fn new() -> Result<Self, HarnessError> {
        let template = ensure_template().await?;
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let admin = raw_connect(&admin_url()).await?;
        let mut attempt = 0;
        loop {
            match admin
                .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
            {
                Ok(()) => break,
                // another test is cloning the same template at this instant
                Err(e)
                    if attempt < 20 && e.to_string().contains("being accessed by other users") =>
                {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Self { name })
    }

    /// Creates an empty database (no migrations), for migration tests.
    pub async fn empty() -> Result<Self, HarnessError> {
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        let admin = raw_connect(&admin_url()).await?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await?;
        Ok(Self { name })
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Superuser (owner) URL: migrations and fixtures.
    pub fn owner_url(&self) -> String {
        url_for(&admin_url(), None, &self.name)
    }

    /// `prosaas_app` URL: what services use; subject to RLS.
    pub fn app_url(&self) -> String {
        url_for(&admin_url(), Some("prosaas_app"), &self.name)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside any runtime guarantee: use a short-lived one on a thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(admin) = raw_connect(&admin_url()).await {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

/// Applies exactly one pending migration (for the data-preservation test).
pub async fn run_next_migration(url: &str) -> Result<Option<String>, HarnessError> {
    Ok(prosaas_db::migrate::run_next(url).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls() {
        assert_eq!(
            super::url_for(
                "postgres://postgres@127.0.0.1:5432/postgres",
                Some("prosaas_app"),
                "t1"
            ),
            "postgres://prosaas_app:prosaas_app@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::url_for("postgres://root:pw@h:1/x", None, "t1"),
            "postgres://root:pw@h:1/t1"
        );
    }
}

/// Reading actix route tables for the OpenAPI route-match tests.
pub mod route_table;
