//! The one error type of this crate; services map it to HTTP in one place.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What a repository or scope operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    /// The row does not exist *for this scope* (another tenant's row looks the same).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller is known but may not do this; `code` is stable, `message` says why.
    #[error("{message}")]
    Forbidden {
        /// Machine-readable reason, e.g. `last_owner`.
        code: &'static str,
        /// Human-readable reason.
        message: String,
    },
    /// The input is well-formed JSON but not acceptable.
    #[error("{message}")]
    Invalid {
        /// Machine-readable reason, e.g. `invalid_phone`.
        code: &'static str,
        /// Human-readable reason.
        message: String,
    },
    /// The change collides with existing data (e.g. an e-mail already in use).
    #[error("{message}")]
    Conflict {
        /// Machine-readable reason.
        code: &'static str,
        /// Human-readable reason.
        message: String,
    },
    /// No valid session or credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// Login failed; unknown e-mail and wrong password look the same.
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    /// A system admin called a tenant endpoint without naming the business.
    #[error("system administrators must pass ?business_id= for business data")]
    BusinessRequired,
    /// The database could not be reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A query failed unexpectedly.
    #[error("database error: {0}")]
    Db(DieselError),
    /// Anything else that is our fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl TenantError {
    /// Shorthand for [`TenantError::Invalid`].
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }
    /// Shorthand for [`TenantError::Forbidden`].
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            message: message.into(),
        }
    }
}

impl From<DieselError> for TenantError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => TenantError::NotFound("record"),
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                TenantError::Unavailable("connection closed".into())
            }
            other => TenantError::Db(other),
        }
    }
}

impl From<prosaas_db::DbError> for TenantError {
    fn from(e: prosaas_db::DbError) -> Self {
        match e {
            prosaas_db::DbError::Query(q) => q.into(),
            other => TenantError::Unavailable(other.to_string()),
        }
    }
}

/// Names the constraint a failed statement violated, if any.
pub(crate) fn violated_constraint(e: &TenantError) -> Option<&str> {
    match e {
        TenantError::Db(DieselError::DatabaseError(_, info)) => info.constraint_name(),
        _ => None,
    }
}

/// The kind of integrity rule a failed write broke, for generic HTTP mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    /// A unique constraint.
    Unique,
    /// A CHECK or NOT NULL constraint.
    Check,
    /// A foreign key.
    ForeignKey,
    /// Text Postgres cannot store (a NUL character: SQLSTATE 22021 in text,
    /// 22P05 in jsonb).
    InvalidText,
}

impl TenantError {
    /// Which integrity rule a database error broke, if it was one.
    pub fn violation(&self) -> Option<Violation> {
        match self {
            TenantError::Db(DieselError::DatabaseError(kind, _)) => match kind {
                DatabaseErrorKind::UniqueViolation => Some(Violation::Unique),
                DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                    Some(Violation::Check)
                }
                DatabaseErrorKind::ForeignKeyViolation => Some(Violation::ForeignKey),
                DatabaseErrorKind::Unknown if is_invalid_text(self.to_string().as_str()) => {
                    Some(Violation::InvalidText)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// Postgres's messages for text it cannot store (diesel gives no SQLSTATE).
fn is_invalid_text(message: &str) -> bool {
    message.contains("invalid byte sequence for encoding")
        || message.contains("cannot be converted to text")
}
