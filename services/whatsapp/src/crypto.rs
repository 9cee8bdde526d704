//! Encryption at rest of the Baileys auth state (AES-256-GCM, key from
//! `WHATSAPP_AUTH_KEY`). Each value is bound to its slot (business, key type,
//! key id) as associated data, so a ciphertext copied into another business's
//! row or another key's slot does not decrypt.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};

/// Why a key or a ciphertext was refused.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// `WHATSAPP_AUTH_KEY` is not 32 bytes of base64 or 64 hex digits.
    #[error("WHATSAPP_AUTH_KEY must be 32 bytes, base64 or 64 hex digits")]
    BadKey,
    /// Encryption failed (no randomness).
    #[error("encryption failed")]
    Seal,
    /// The ciphertext is corrupt, or belongs to another slot or key.
    #[error("stored auth state does not decrypt with WHATSAPP_AUTH_KEY")]
    Open,
}

/// The cipher of stored auth state.
pub struct AuthCipher {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for AuthCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthCipher(..)")
    }
}

impl AuthCipher {
    /// From `WHATSAPP_AUTH_KEY` (base64 of 32 bytes, or 64 hex digits).
    pub fn from_secret(secret: &SecretString) -> Result<Self, CryptoError> {
        let raw = secret.expose_secret().trim();
        let bytes = if raw.len() == 64 && raw.chars().all(|c| c.is_ascii_hexdigit()) {
            decode_hex(raw).ok_or(CryptoError::BadKey)?
        } else {
            STANDARD.decode(raw).map_err(|_| CryptoError::BadKey)?
        };
        if bytes.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            key: LessSafeKey::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// `nonce || ciphertext || tag`.
    pub fn seal(&self, slot: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| CryptoError::Seal)?;
        let mut buf = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(slot.as_bytes()),
                &mut buf,
            )
            .map_err(|_| CryptoError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + buf.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&buf);
        Ok(out)
    }

    /// Reverses [`AuthCipher::seal`] for the same slot.
    pub fn open(&self, slot: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (nonce, body) = sealed
            .split_at_checked(NONCE_LEN)
            .ok_or(CryptoError::Open)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| CryptoError::Open)?;
        let mut buf = body.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(slot.as_bytes()), &mut buf)
            .map_err(|_| CryptoError::Open)?;
        Ok(plain.to_vec())
    }
}

/// The slot name of a business's creds.
pub fn creds_slot(business: &impl std::fmt::Display) -> String {
    format!("{business}|creds")
}

/// The slot name of one Signal key.
pub fn key_slot(business: &impl std::fmt::Display, key_type: &str, key_id: &str) -> String {
    format!("{business}|{key_type}|{key_id}")
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_slot_binding() -> Result<(), CryptoError> {
        let c = AuthCipher::from_secret(&SecretString::from("11".repeat(32)))?;
        let sealed = c.seal("b1|creds", b"{\"x\":1}")?;
        assert_ne!(sealed.get(NONCE_LEN..), Some(&b"{\"x\":1}"[..]));
        assert_eq!(c.open("b1|creds", &sealed)?, b"{\"x\":1}");
        assert!(
            c.open("b2|creds", &sealed).is_err(),
            "another business's slot"
        );
        assert!(
            c.open("b1|creds", sealed.get(..5).unwrap_or_default())
                .is_err()
        );
        Ok(())
    }

    #[test]
    fn keys_in_base64_or_hex_only() {
        let b64 = STANDARD.encode([7u8; 32]);
        assert!(AuthCipher::from_secret(&SecretString::from(b64)).is_ok());
        assert!(AuthCipher::from_secret(&SecretString::from("short")).is_err());
        assert!(AuthCipher::from_secret(&SecretString::from(STANDARD.encode([1u8; 16]))).is_err());
    }
}
