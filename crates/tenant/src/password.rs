//! Password hashing with argon2id, off the async runtime.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};

use crate::TenantError;

/// A plaintext password that passed the length rules. Not `Debug`-printable.
pub struct Password(String);

impl Password {
    /// At least 8 and at most 256 characters.
    pub fn parse(raw: &str) -> Result<Self, TenantError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(TenantError::invalid(
                "weak_password",
                "password must have at least 8 characters",
            ));
        }
        if n > 256 {
            return Err(TenantError::invalid(
                "invalid_password",
                "password must have at most 256 characters",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// argon2id PHC string, computed on the blocking pool.
    pub(crate) async fn hash(self) -> Result<String, TenantError> {
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(self.0.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| TenantError::Internal(format!("hashing failed: {e}")))
        })
        .await
        .map_err(|e| TenantError::Internal(e.to_string()))?
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// Verifies on the blocking pool; a malformed stored hash counts as a mismatch.
pub(crate) async fn verify(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}
