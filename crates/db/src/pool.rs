//! The connection pool. TLS is used when the URL asks for it (`sslmode=require`,
//! `verify-ca`, `verify-full`), as Neon does; local URLs stay plain TCP.

use std::sync::Arc;
use std::time::Duration;

use diesel::ConnectionError;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use secrecy::{ExposeSecret, SecretString};

use crate::DbError;

/// The pool every service holds one of.
pub type PgPool = Pool<AsyncPgConnection>;
/// A pooled connection.
pub type Connection = Object<AsyncPgConnection>;

// Long enough for the leads list with search, short enough that a runaway query
// cannot hold a pooled connection for minutes (crates.io uses the same idea).
const STATEMENT_TIMEOUT: &str = "SET statement_timeout = '30s'";

/// Builds the pool; connections are opened lazily.
pub fn build_pool(url: &SecretString, max_size: usize) -> Result<PgPool, DbError> {
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(|url| establish(url).boxed());
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        url.expose_secret(),
        config,
    );
    Pool::builder(manager)
        // deadpool needs at least 2 so a transaction plus a health probe never deadlock
        .max_size(max_size.max(2))
        .wait_timeout(Some(Duration::from_secs(5)))
        .create_timeout(Some(Duration::from_secs(5)))
        .recycle_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::Unavailable(e.to_string()))
}

/// Opens one connection with the pool's settings (TLS when asked, statement timeout).
pub async fn establish(url: &str) -> Result<AsyncPgConnection, ConnectionError> {
    let bad = |e: tokio_postgres::Error| ConnectionError::BadConnection(e.to_string());
    let mut conn = if wants_tls(url) {
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config());
        let (client, connection) = tokio_postgres::connect(url, tls).await.map_err(bad)?;
        AsyncPgConnection::try_from_client_and_connection(client, connection).await?
    } else {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(bad)?;
        AsyncPgConnection::try_from_client_and_connection(client, connection).await?
    };
    conn.batch_execute(STATEMENT_TIMEOUT)
        .await
        .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

fn wants_tls(url: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|kv| {
            matches!(
                kv,
                "sslmode=require" | "sslmode=verify-ca" | "sslmode=verify-full"
            )
        })
    })
}

fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap_or_else(|_| rustls::ClientConfig::builder())
    .with_root_certificates(roots)
    .with_no_client_auth()
}

#[cfg(test)]
mod tests {
    use super::wants_tls;

    #[test]
    fn tls_only_when_the_url_requires_it() {
        assert!(wants_tls(
            "postgres://u:p@ep-x.neon.tech/db?sslmode=require"
        ));
        assert!(wants_tls(
            "postgres://u@h/db?application_name=x&sslmode=verify-full"
        ));
        assert!(!wants_tls("postgres://postgres@127.0.0.1/prosaas"));
        assert!(!wants_tls("postgres://u@h/db?sslmode=disable"));
    }
}
