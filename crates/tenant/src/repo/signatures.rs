//! Signing links and e-signatures of offers.
//!
//! A link is 32 random bytes (base64url) shown once; only its SHA-256 is stored.
//! It expires, and it is single use: signing or declining marks it used, and
//! sending the offer again revokes every earlier link. The public side never
//! gets a [`BusinessScope`]: it gets a [`SigningGrant`] from
//! [`crate::system::resolve_signing_token`], which opens exactly one offer.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{SignatureInsertRow, SignatureRow, SigningLinkInsertRow};
use prosaas_db::schema::{businesses, offer_signatures, offer_signing_links, offers};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Tenancy;
use super::offers::{load, lock, mark_declined, status_of, transition};
use crate::billing::document::SignedDocument;
use crate::billing::{
    Offer, OfferStatus, PublicBusiness, PublicOffer, PublicOfferView, SignatureEvidence,
    SignatureInfo, SignatureSubmission, Signed, SigningLink,
};
use crate::{BusinessId, BusinessScope, Db, OfferId, TenantError};

/// The right to view, sign or decline one offer through its public link.
/// Made only by [`crate::system::resolve_signing_token`].
#[derive(Debug, Clone)]
pub struct SigningGrant {
    link_id: Uuid,
    business: BusinessId,
    offer: OfferId,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
}

impl SigningGrant {
    pub(crate) fn new(
        link_id: Uuid,
        business: BusinessId,
        offer: OfferId,
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            link_id,
            business,
            offer,
            expires_at,
        }
    }
}

/// SHA-256 of a signing token, as stored.
pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The link is no longer usable.
pub(crate) fn link_used() -> TenantError {
    TenantError::Conflict {
        code: "signing_link_used",
        message: "this signing link was already used or replaced".into(),
    }
}

/// The link ran out of time.
pub(crate) fn link_expired() -> TenantError {
    TenantError::Conflict {
        code: "signing_link_expired",
        message: "this signing link has expired; ask the business for a new one".into(),
    }
}

/// Sends an offer: a draft becomes `sent`; a sent offer gets a fresh link and
/// its earlier links stop working. Signed and declined offers are refused.
pub async fn issue_link(
    db: &Db,
    scope: &BusinessScope,
    id: OfferId,
    valid_for: Duration,
) -> Result<SigningLink, TenantError> {
    let business = scope.business_id();
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    let expires_at = Utc::now() + valid_for;
    let (offer, expires_at) = unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, id).await?;
        match status_of(&current) {
            OfferStatus::Draft => {
                transition(&current, OfferStatus::Sent)?;
                diesel::update(offers::table.filter(offers::id.eq(current.id)))
                    .set((
                        offers::status.eq(OfferStatus::Sent.as_str()),
                        offers::sent_at.eq(diesel::dsl::now),
                    ))
                    .execute(conn)
                    .await?;
            }
            OfferStatus::Sent => retire_links(conn, current.id).await?,
            other => {
                return Err(TenantError::Conflict {
                    code: "invalid_transition",
                    message: format!("an offer that is {} cannot be sent", other.as_str()),
                });
            }
        }
        diesel::insert_into(offer_signing_links::table)
            .values(SigningLinkInsertRow {
                business_id: business.as_uuid(),
                offer_id: current.id,
                token_hash: hash,
                expires_at,
            })
            .execute(conn)
            .await?;
        Ok((load(conn, business, id).await?, expires_at))
    })?;
    Ok(SigningLink::new(token, expires_at, offer))
}

/// Revokes every still-open link of an offer.
pub(crate) async fn retire_links(
    conn: &mut AsyncPgConnection,
    offer: Uuid,
) -> Result<(), TenantError> {
    diesel::update(
        offer_signing_links::table
            .filter(offer_signing_links::offer_id.eq(offer))
            .filter(offer_signing_links::used_at.is_null())
            .filter(offer_signing_links::revoked_at.is_null()),
    )
    .set(offer_signing_links::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The offer as the signing page shows it, with the hash of what would be signed.
pub async fn public_view(db: &Db, grant: &SigningGrant) -> Result<PublicOfferView, TenantError> {
    let business = grant.business;
    let offer_id = grant.offer;
    let expires_at = grant.expires_at;
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let offer = load(conn, business, offer_id).await?;
        if offer.status != OfferStatus::Sent {
            return Err(link_used());
        }
        let name = business_name(conn, business).await?;
        let (_, hash) = canonical(&offer, &name)?;
        Ok(PublicOfferView {
            business: PublicBusiness { name },
            offer: PublicOffer {
                id: offer.id,
                title: offer.title,
                customer_name: offer.customer_name,
                notes: offer.notes,
                valid_until: offer.valid_until,
                status: offer.status,
                currency: offer.currency,
                totals: offer.totals,
                items: offer.items,
            },
            expires_at,
            document_sha256: hash,
        })
    })
}

/// Signs the offer: uses up the link, stores the evidence, moves `sent -> signed`.
pub async fn sign(
    db: &Db,
    grant: &SigningGrant,
    s: SignatureSubmission,
) -> Result<Signed, TenantError> {
    let business = grant.business;
    let offer_id = grant.offer;
    let link_id = grant.link_id;
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, offer_id).await?;
        transition(&current, OfferStatus::Signed).map_err(|_| link_used())?;
        use_up(conn, link_id).await?;
        let offer = load(conn, business, offer_id).await?;
        let name = business_name(conn, business).await?;
        let (document, hash) = canonical(&offer, &name)?;
        let signed_at: DateTime<Utc> = diesel::insert_into(offer_signatures::table)
            .values(SignatureInsertRow {
                business_id: business.as_uuid(),
                offer_id: offer_id.as_uuid(),
                signing_link_id: link_id,
                signer_name: s.signer_name.trim().to_string(),
                ip: s.ip,
                user_agent: s.user_agent.chars().take(512).collect(),
                document_canonical: document,
                document_sha256: hash.clone(),
                signature_png: s.png,
            })
            .returning(offer_signatures::signed_at)
            .get_result(conn)
            .await?;
        diesel::update(offers::table.filter(offers::id.eq(offer_id.as_uuid())))
            .set((
                offers::status.eq(OfferStatus::Signed.as_str()),
                offers::signed_at.eq(signed_at),
            ))
            .execute(conn)
            .await?;
        retire_links(conn, offer_id.as_uuid()).await?;
        Ok(Signed {
            status: OfferStatus::Signed,
            signed_at,
            document_sha256: hash,
        })
    })
}

/// The customer refuses through the link: uses it up, moves `sent -> declined`.
pub async fn decline(db: &Db, grant: &SigningGrant) -> Result<OfferStatus, TenantError> {
    let business = grant.business;
    let offer_id = grant.offer;
    let link_id = grant.link_id;
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, offer_id).await?;
        transition(&current, OfferStatus::Declined).map_err(|_| link_used())?;
        use_up(conn, link_id).await?;
        mark_declined(conn, &current).await?;
        Ok(OfferStatus::Declined)
    })
}

/// The stored evidence of an offer's signature.
pub async fn evidence(
    db: &Db,
    scope: &BusinessScope,
    id: OfferId,
) -> Result<SignatureEvidence, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: SignatureRow = offer_signatures::table
            .filter(offer_signatures::business_id.eq(business.as_uuid()))
            .filter(offer_signatures::offer_id.eq(id.as_uuid()))
            .select(SignatureRow::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(TenantError::NotFound("signature"))?;
        let document = serde_json::from_str(&row.document_canonical)
            .map_err(|e| TenantError::Internal(format!("stored signed document: {e}")))?;
        Ok(SignatureEvidence {
            info: SignatureInfo {
                signer_name: row.signer_name,
                signed_at: row.signed_at,
                ip: row.ip,
                user_agent: row.user_agent,
                document_sha256: row.document_sha256,
            },
            signature_png_data_url: format!(
                "data:image/png;base64,{}",
                STANDARD.encode(&row.signature_png)
            ),
            document,
        })
    })
}

/// Marks the link used, re-checking it under the offer lock (two tabs signing at once).
async fn use_up(conn: &mut AsyncPgConnection, link_id: Uuid) -> Result<(), TenantError> {
    let (expires_at, used_at, revoked_at): (
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    ) = offer_signing_links::table
        .find(link_id)
        .select((
            offer_signing_links::expires_at,
            offer_signing_links::used_at,
            offer_signing_links::revoked_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("signing_link"))?;
    if used_at.is_some() || revoked_at.is_some() {
        return Err(link_used());
    }
    if expires_at <= Utc::now() {
        return Err(link_expired());
    }
    diesel::update(offer_signing_links::table.find(link_id))
        .set(offer_signing_links::used_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(())
}

async fn business_name(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
) -> Result<String, TenantError> {
    Ok(businesses::table
        .find(business.as_uuid())
        .select(businesses::name)
        .first(conn)
        .await?)
}

fn canonical(offer: &Offer, business_name: &str) -> Result<(String, String), TenantError> {
    SignedDocument {
        version: 1,
        business_id: offer.business_id,
        business_name,
        offer_id: offer.id,
        title: &offer.title,
        customer_name: &offer.customer_name,
        customer_email: offer.customer_email.as_deref(),
        customer_phone: offer.customer_phone.as_deref(),
        notes: &offer.notes,
        valid_until: offer.valid_until,
        currency: &offer.currency,
        items: &offer.items,
        totals: offer.totals,
    }
    .canonical()
    .map_err(|e| TenantError::Internal(format!("signed document: {e}")))
}
