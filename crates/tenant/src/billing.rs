//! Price offers, their e-signatures and invoices: the domain types the
//! repositories `repo::{offers, signatures, invoices}` take and return. They
//! serialize to the shapes of docs/api.md ("Offers, invoices, e-signatures").

pub mod document;
mod signing;
pub mod totals;

use chrono::{DateTime, NaiveDate, Utc};
use prosaas_common::{E164Phone, Email};
use serde::{Deserialize, Serialize};

use crate::{BusinessId, InvoiceId, LeadId, OfferId};
pub use signing::{
    PublicBusiness, PublicOffer, PublicOfferView, SignatureSubmission, Signed, SigningLink,
};
pub use totals::{DocumentAmounts, LineAmounts, LineInput};

/// Where an offer is in its life: `draft -> sent -> signed | declined`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OfferStatus {
    /// Being written; the only editable state.
    Draft,
    /// A signing link went out.
    Sent,
    /// The customer signed.
    Signed,
    /// The customer (or the business for them) refused.
    Declined,
}

impl OfferStatus {
    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Signed => "signed",
            Self::Declined => "declined",
        }
    }
    /// Parses the database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "sent" => Some(Self::Sent),
            "signed" => Some(Self::Signed),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }
    /// The one transition table of the status machine.
    pub fn may_become(self, next: OfferStatus) -> bool {
        matches!(
            (self, next),
            (Self::Draft, Self::Sent) | (Self::Sent, Self::Signed) | (Self::Sent, Self::Declined)
        )
    }
}

/// One priced line of an offer or invoice.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineItem {
    /// 0-based order on the document.
    pub position: i32,
    pub description: String,
    /// Decimal quantity (stored as thousandths).
    pub quantity: f64,
    /// The stored form of `quantity`.
    #[serde(skip)]
    pub quantity_milli: i64,
    pub unit_price_agorot: i64,
    pub discount_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub total_agorot: i64,
}

impl LineItem {
    /// A freshly priced line.
    pub(crate) fn new(position: i32, input: LineInput, amounts: LineAmounts) -> Self {
        Self::stored(
            position,
            input.description,
            input.quantity_milli,
            input.unit_price_agorot,
            input.discount_bp,
            amounts,
        )
    }

    /// A line as stored in `offer_items` / `invoice_items`.
    pub(crate) fn stored(
        position: i32,
        description: String,
        quantity_milli: i64,
        unit_price_agorot: i64,
        discount_bp: i32,
        amounts: LineAmounts,
    ) -> Self {
        // thousandths up to 1e9 are exact in an f64
        let quantity = quantity_milli as f64 / 1000.0;
        Self {
            position,
            description,
            quantity,
            quantity_milli,
            unit_price_agorot,
            discount_bp,
            gross_agorot: amounts.gross,
            discount_agorot: amounts.discount,
            total_agorot: amounts.total,
        }
    }

    /// The line as input again (to re-price a draft).
    pub(crate) fn input(&self) -> LineInput {
        LineInput {
            description: self.description.clone(),
            quantity_milli: self.quantity_milli,
            unit_price_agorot: self.unit_price_agorot,
            discount_bp: self.discount_bp,
        }
    }
}

/// Prices validated lines at a VAT rate: the one place documents get their
/// amounts. Refuses an empty document, more than [`totals::MAX_LINES`] lines,
/// blank or over-long descriptions and out-of-range numbers.
pub fn price_lines(
    items: Vec<LineInput>,
    vat_rate_bp: i32,
) -> Result<(Vec<LineItem>, DocumentAmounts), crate::TenantError> {
    if items.is_empty() || items.len() > totals::MAX_LINES {
        return Err(crate::TenantError::invalid(
            "invalid_item",
            format!("a document needs 1 to {} lines", totals::MAX_LINES),
        ));
    }
    let mut lines = Vec::with_capacity(items.len());
    let mut amounts = Vec::with_capacity(items.len());
    for (position, mut input) in (0i32..).zip(items) {
        input.description = input.description.trim().to_string();
        let chars = input.description.chars().count();
        if chars == 0 || chars > 500 || input.description.contains('\0') {
            return Err(crate::TenantError::invalid(
                "invalid_item",
                "every line needs a description of 1 to 500 characters",
            ));
        }
        let a = totals::line_amounts(&input)?;
        amounts.push(a);
        lines.push(LineItem::new(position, input, a));
    }
    let doc = totals::document_amounts(&amounts, vat_rate_bp)?;
    Ok((lines, doc))
}

/// The totals block of an offer or invoice (flattened into it).
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Totals {
    pub vat_rate_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub subtotal_agorot: i64,
    pub vat_agorot: i64,
    pub total_agorot: i64,
}

impl From<DocumentAmounts> for Totals {
    fn from(d: DocumentAmounts) -> Self {
        Self {
            vat_rate_bp: d.vat_rate_bp,
            gross_agorot: d.gross,
            discount_agorot: d.discount,
            subtotal_agorot: d.subtotal,
            vat_agorot: d.vat,
            total_agorot: d.total,
        }
    }
}

/// Who signed, when, from where, and the fingerprint of what they signed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureInfo {
    pub signer_name: String,
    pub signed_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
    /// Hex SHA-256 of the canonical signed document.
    pub document_sha256: String,
}

/// The full evidence of a signature.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureEvidence {
    #[serde(flatten)]
    pub info: SignatureInfo,
    /// `data:image/png;base64,...` as drawn by the customer.
    pub signature_png_data_url: String,
    /// The canonical document whose SHA-256 is `document_sha256`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: serde_json::Value,
}

/// A price offer with its lines.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offer {
    pub id: OfferId,
    pub business_id: BusinessId,
    pub lead_id: Option<LeadId>,
    pub title: String,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub valid_until: Option<NaiveDate>,
    pub status: OfferStatus,
    pub currency: String,
    #[serde(flatten)]
    pub totals: Totals,
    pub items: Vec<LineItem>,
    pub sent_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    pub signature: Option<SignatureInfo>,
    pub invoice_id: Option<InvoiceId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new draft offer.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub lead_id: Option<LeadId>,
    pub title: String,
    pub customer_name: String,
    pub customer_email: Option<Email>,
    pub customer_phone: Option<E164Phone>,
    pub notes: String,
    pub valid_until: Option<NaiveDate>,
    pub items: Vec<LineInput>,
}

/// Changes to a draft; `None` keeps a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct OfferChanges {
    pub lead_id: Option<Option<LeadId>>,
    pub title: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<Option<Email>>,
    pub customer_phone: Option<Option<E164Phone>>,
    pub notes: Option<String>,
    pub valid_until: Option<Option<NaiveDate>>,
    /// Replaces every line when present.
    pub items: Option<Vec<LineInput>>,
}

/// Which offers to list.
#[derive(Debug, Clone)]
pub struct OfferFilter {
    pub status: Option<OfferStatus>,
    pub lead_id: Option<LeadId>,
    pub page: u32,
    pub per_page: u32,
}

/// An issued invoice.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: InvoiceId,
    pub business_id: BusinessId,
    /// Gapless per business: 1, 2, 3, ...
    pub number: i64,
    pub offer_id: Option<OfferId>,
    pub lead_id: Option<LeadId>,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub currency: String,
    #[serde(flatten)]
    pub totals: Totals,
    pub items: Vec<LineItem>,
    pub issued_at: DateTime<Utc>,
    /// The calendar day of `issued_at` in the business's time zone (the printed date).
    pub issued_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A direct invoice (not from an offer).
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub lead_id: Option<LeadId>,
    pub customer_name: String,
    pub customer_email: Option<Email>,
    pub customer_phone: Option<E164Phone>,
    pub notes: String,
    pub items: Vec<LineInput>,
}

#[cfg(test)]
mod tests {
    use super::OfferStatus::{self, *};

    #[test]
    fn only_the_documented_transitions_exist() {
        let all = [Draft, Sent, Signed, Declined];
        let mut allowed = Vec::new();
        for from in all {
            for to in all {
                if from.may_become(to) {
                    allowed.push((from, to));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![(Draft, Sent), (Sent, Signed), (Sent, Declined)]
        );
        for s in all {
            assert_eq!(OfferStatus::parse(s.as_str()), Some(s));
        }
    }
}
