//! The canonical form of what a customer signs, and its SHA-256.
//!
//! "Canonical" here: compact JSON of [`SignedDocument`], whose fields serialize
//! in declaration order (serde structs do not depend on map ordering), UTF-8.
//! The exact text is stored next to the hash so the hash can be re-checked later.
//! Bump `version` if the shape ever changes.

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{LineItem, Totals};
use crate::{BusinessId, OfferId};

/// Everything that makes an offer binding, in a fixed order.
#[derive(Debug, Serialize)]
pub struct SignedDocument<'a> {
    pub version: u32,
    pub business_id: BusinessId,
    pub business_name: &'a str,
    pub offer_id: OfferId,
    pub title: &'a str,
    pub customer_name: &'a str,
    pub customer_email: Option<&'a str>,
    pub customer_phone: Option<&'a str>,
    pub notes: &'a str,
    pub valid_until: Option<NaiveDate>,
    pub currency: &'a str,
    pub items: &'a [LineItem],
    pub totals: Totals,
}

impl SignedDocument<'_> {
    /// The canonical text and its hex SHA-256.
    pub fn canonical(&self) -> Result<(String, String), serde_json::Error> {
        let text = serde_json::to_string(self)?;
        let hash = hex_sha256(text.as_bytes());
        Ok((text, hash))
    }
}

/// Lower-case hex SHA-256.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_text_is_stable_and_hashed() {
        let items = [LineItem {
            position: 0,
            description: "מזגן".into(),
            quantity: 1.5,
            quantity_milli: 1500,
            unit_price_agorot: 100,
            discount_bp: 0,
            gross_agorot: 150,
            discount_agorot: 0,
            total_agorot: 150,
        }];
        let doc = SignedDocument {
            version: 1,
            business_id: BusinessId::from_uuid(uuid::Uuid::nil()),
            business_name: "B",
            offer_id: OfferId::from_uuid(uuid::Uuid::nil()),
            title: "T",
            customer_name: "C",
            customer_email: None,
            customer_phone: None,
            notes: "",
            valid_until: None,
            currency: "ILS",
            items: &items,
            totals: Totals {
                vat_rate_bp: 1800,
                gross_agorot: 150,
                discount_agorot: 0,
                subtotal_agorot: 150,
                vat_agorot: 27,
                total_agorot: 177,
            },
        };
        let (text, hash) = doc.canonical().unwrap_or_default();
        assert!(text.starts_with(r#"{"version":1,"business_id":"00000000-0000-0000-0000-000000000000","business_name":"B""#));
        assert!(text.contains(r#""description":"מזגן","quantity":1.5"#));
        assert_eq!(hash, hex_sha256(text.as_bytes()));
        assert_eq!(hash.len(), 64);
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
