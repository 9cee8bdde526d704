//! What the public signing link shows and takes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{LineItem, Offer, OfferStatus, Totals};
use crate::OfferId;

/// What the public signing page shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicOfferView {
    pub business: PublicBusiness,
    pub offer: PublicOffer,
    pub expires_at: DateTime<Utc>,
    /// Hex SHA-256 of the document the customer is about to sign.
    pub document_sha256: String,
}

/// The business as a signer sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicBusiness {
    pub name: String,
}

/// The offer as a signer sees it (no internal ids besides its own).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicOffer {
    pub id: OfferId,
    pub title: String,
    pub customer_name: String,
    pub notes: String,
    pub valid_until: Option<NaiveDate>,
    pub status: OfferStatus,
    pub currency: String,
    #[serde(flatten)]
    pub totals: Totals,
    pub items: Vec<LineItem>,
}

/// What the signer hands in.
#[derive(Debug, Clone)]
pub struct SignatureSubmission {
    pub signer_name: String,
    /// Decoded PNG bytes (checked by the caller to be a PNG).
    pub png: Vec<u8>,
    /// Client IP as nginx saw it.
    pub ip: String,
    pub user_agent: String,
}

/// The result of a signature.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signed {
    pub status: OfferStatus,
    pub signed_at: DateTime<Utc>,
    pub document_sha256: String,
}

/// A freshly made signing link. The token exists only here; the database
/// keeps its SHA-256.
pub struct SigningLink {
    token: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// The offer, now `sent`.
    pub offer: Offer,
}

impl SigningLink {
    pub(crate) fn new(token: String, expires_at: DateTime<Utc>, offer: Offer) -> Self {
        Self {
            token,
            expires_at,
            offer,
        }
    }
    /// The secret token for the URL. Never log it.
    pub fn expose_token(&self) -> &str {
        &self.token
    }
}
