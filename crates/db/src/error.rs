//! Errors of the Postgres layer.

/// What can go wrong below the repositories.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The pool could not hand out a connection (database down, pool exhausted).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A query failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    /// Running migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for DbError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        DbError::Unavailable(e.to_string())
    }
}
