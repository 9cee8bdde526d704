//! Reading offers back: rows of `offers`, `offer_items`, `offer_signatures` and
//! `invoices` assembled into [`Offer`]s, a page at a time.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{OfferItemRow, OfferRow, SignatureInfoRow};
use prosaas_db::schema::{invoices, offer_items, offer_signatures, offers};
use uuid::Uuid;

use super::status_of;
use crate::billing::{LineAmounts, LineItem, Offer, SignatureInfo, Totals};
use crate::{BusinessId, InvoiceId, LeadId, OfferId, TenantError};

/// Item rows of these offers, by offer, in order.
pub(crate) async fn lines_of(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<OfferItemRow>>, TenantError> {
    let rows: Vec<OfferItemRow> = offer_items::table
        .filter(offer_items::business_id.eq(business.as_uuid()))
        .filter(offer_items::offer_id.eq_any(ids))
        .order((offer_items::offer_id, offer_items::position))
        .select(OfferItemRow::as_select())
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<OfferItemRow>> = HashMap::new();
    for r in rows {
        out.entry(r.offer_id).or_default().push(r);
    }
    Ok(out)
}

/// One full offer (lines, signature, invoice).
pub(crate) async fn load(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: OfferId,
) -> Result<Offer, TenantError> {
    let row: OfferRow = offers::table
        .filter(offers::business_id.eq(business.as_uuid()))
        .filter(offers::id.eq(id.as_uuid()))
        .select(OfferRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("offer"))?;
    assemble(conn, business, vec![row])
        .await?
        .pop()
        .ok_or(TenantError::NotFound("offer"))
}

pub(super) async fn assemble(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    rows: Vec<OfferRow>,
) -> Result<Vec<Offer>, TenantError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut lines = lines_of(conn, business, &ids).await?;
    let mut signatures: HashMap<Uuid, SignatureInfoRow> = offer_signatures::table
        .filter(offer_signatures::business_id.eq(business.as_uuid()))
        .filter(offer_signatures::offer_id.eq_any(&ids))
        .select(SignatureInfoRow::as_select())
        .load::<SignatureInfoRow>(conn)
        .await?
        .into_iter()
        .map(|s| (s.offer_id, s))
        .collect();
    let mut invoiced: HashMap<Uuid, Uuid> = invoices::table
        .filter(invoices::business_id.eq(business.as_uuid()))
        .filter(invoices::offer_id.eq_any(&ids))
        .select((invoices::offer_id.assume_not_null(), invoices::id))
        .load::<(Uuid, Uuid)>(conn)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let items = lines
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(item_from_row)
                .collect();
            let signature = signatures.remove(&r.id).map(|s| SignatureInfo {
                signer_name: s.signer_name,
                signed_at: s.signed_at,
                ip: s.ip,
                user_agent: s.user_agent,
                document_sha256: s.document_sha256,
            });
            let invoice_id = invoiced.remove(&r.id).map(InvoiceId::from_uuid);
            offer_from_row(r, items, signature, invoice_id)
        })
        .collect())
}

pub(crate) fn item_from_row(r: OfferItemRow) -> LineItem {
    LineItem::stored(
        r.position,
        r.description,
        r.quantity_milli,
        r.unit_price_agorot,
        r.discount_bp,
        LineAmounts {
            gross: r.gross_agorot,
            discount: r.discount_agorot,
            total: r.total_agorot,
        },
    )
}

fn offer_from_row(
    r: OfferRow,
    items: Vec<LineItem>,
    signature: Option<SignatureInfo>,
    invoice_id: Option<InvoiceId>,
) -> Offer {
    Offer {
        id: OfferId::from_uuid(r.id),
        business_id: BusinessId::from_uuid(r.business_id),
        lead_id: r.lead_id.map(LeadId::from_uuid),
        status: status_of(&r),
        title: r.title,
        customer_name: r.customer_name,
        customer_email: r.customer_email,
        customer_phone: r.customer_phone,
        notes: r.notes,
        valid_until: r.valid_until,
        currency: r.currency,
        totals: Totals {
            vat_rate_bp: r.vat_rate_bp,
            gross_agorot: r.gross_agorot,
            discount_agorot: r.discount_agorot,
            subtotal_agorot: r.subtotal_agorot,
            vat_agorot: r.vat_agorot,
            total_agorot: r.total_agorot,
        },
        items,
        sent_at: r.sent_at,
        signed_at: r.signed_at,
        declined_at: r.declined_at,
        signature,
        invoice_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
