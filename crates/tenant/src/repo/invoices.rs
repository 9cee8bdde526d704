//! Invoices of one business: issued once, never changed, numbered 1, 2, 3, ...
//!
//! Gapless numbering: the number comes from the business's row in
//! `invoice_counters`, bumped by an upsert inside the issuing transaction. The
//! upsert holds that row's lock until commit, so concurrent issues queue on it;
//! a failed issue rolls the counter back with everything else. A sequence would
//! be faster but leaves gaps on rollback, which an invoice book may not have.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{Array, Date, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{InvoiceInsertRow, InvoiceItemInsertRow, InvoiceItemRow, InvoiceRow};
use prosaas_db::schema::{invoice_counters, invoice_items, invoices};
use uuid::Uuid;

use super::Tenancy;
use super::offers::{
    constraint_error, load as load_offer, lock as lock_offer, status_of, vat_rate,
};
use crate::billing::{
    DocumentAmounts, Invoice, LineAmounts, LineItem, NewInvoice, OfferStatus, Totals, price_lines,
};
use crate::domain::Page;
use crate::{BusinessId, BusinessScope, Db, InvoiceId, LeadId, OfferId, TenantError};

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;

/// One page of the scope's invoices, highest number first.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    page: u32,
    per_page: u32,
) -> Result<Page<Invoice>, TenantError> {
    let business = scope.business_id();
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let total: i64 = invoices::table
            .filter(invoices::business_id.eq(business.as_uuid()))
            .select(count_star())
            .first(conn)
            .await?;
        let rows: Vec<InvoiceRow> = invoices::table
            .filter(invoices::business_id.eq(business.as_uuid()))
            .order(invoices::number.desc())
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(InvoiceRow::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items: assemble(conn, business, rows).await?,
            page,
            per_page,
            total,
        })
    })
}

/// One invoice of the scope's business.
pub async fn get(db: &Db, scope: &BusinessScope, id: InvoiceId) -> Result<Invoice, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        load(conn, business, id).await
    })
}

/// Issues a direct invoice at the business's current VAT rate.
pub async fn create(
    db: &Db,
    scope: &BusinessScope,
    new: NewInvoice,
) -> Result<Invoice, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let vat = vat_rate(conn, business).await?;
        let (lines, amounts) = price_lines(new.items, vat)?;
        let head = Head {
            offer_id: None,
            lead_id: new.lead_id,
            customer_name: new.customer_name.trim().to_string(),
            customer_email: new.customer_email.map(String::from),
            customer_phone: new.customer_phone.map(String::from),
            notes: new.notes,
        };
        issue(conn, business, head, amounts, &lines).await
    })
}

/// Issues the invoice of a signed offer, with exactly the signed lines and amounts.
pub async fn from_offer(
    db: &Db,
    scope: &BusinessScope,
    offer_id: OfferId,
) -> Result<Invoice, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row = lock_offer(conn, business, offer_id).await?;
        if status_of(&row) != OfferStatus::Signed {
            return Err(TenantError::Conflict {
                code: "offer_not_signed",
                message: "only a signed offer can become an invoice".into(),
            });
        }
        let offer = load_offer(conn, business, offer_id).await?;
        if offer.invoice_id.is_some() {
            return Err(TenantError::Conflict {
                code: "offer_already_invoiced",
                message: "this offer already has an invoice".into(),
            });
        }
        let t = offer.totals;
        let amounts = DocumentAmounts {
            vat_rate_bp: t.vat_rate_bp,
            gross: t.gross_agorot,
            discount: t.discount_agorot,
            subtotal: t.subtotal_agorot,
            vat: t.vat_agorot,
            total: t.total_agorot,
        };
        let head = Head {
            offer_id: Some(offer.id),
            lead_id: offer.lead_id,
            customer_name: offer.customer_name,
            customer_email: offer.customer_email,
            customer_phone: offer.customer_phone,
            notes: offer.notes,
        };
        issue(conn, business, head, amounts, &offer.items).await
    })
}

struct Head {
    offer_id: Option<OfferId>,
    lead_id: Option<LeadId>,
    customer_name: String,
    customer_email: Option<String>,
    customer_phone: Option<String>,
    notes: String,
}

/// Takes the next number and writes the invoice, in the caller's transaction.
async fn issue(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    head: Head,
    amounts: DocumentAmounts,
    lines: &[LineItem],
) -> Result<Invoice, TenantError> {
    let number = next_number(conn, business).await?;
    let id: Uuid = diesel::insert_into(invoices::table)
        .values(InvoiceInsertRow {
            business_id: business.as_uuid(),
            number,
            offer_id: head.offer_id.map(|o| o.as_uuid()),
            lead_id: head.lead_id.map(|l| l.as_uuid()),
            customer_name: head.customer_name,
            customer_email: head.customer_email,
            customer_phone: head.customer_phone,
            notes: head.notes,
            vat_rate_bp: amounts.vat_rate_bp,
            gross_agorot: amounts.gross,
            discount_agorot: amounts.discount,
            subtotal_agorot: amounts.subtotal,
            vat_agorot: amounts.vat,
            total_agorot: amounts.total,
        })
        .returning(invoices::id)
        .get_result(conn)
        .await
        .map_err(|e| constraint_error(e.into()))?;
    let rows: Vec<InvoiceItemInsertRow> = lines
        .iter()
        .map(|l| InvoiceItemInsertRow {
            business_id: business.as_uuid(),
            invoice_id: id,
            position: l.position,
            description: l.description.clone(),
            quantity_milli: l.quantity_milli,
            unit_price_agorot: l.unit_price_agorot,
            discount_bp: l.discount_bp,
            gross_agorot: l.gross_agorot,
            discount_agorot: l.discount_agorot,
            total_agorot: l.total_agorot,
        })
        .collect();
    diesel::insert_into(invoice_items::table)
        .values(rows)
        .execute(conn)
        .await?;
    load(conn, business, InvoiceId::from_uuid(id)).await
}

/// Bumps and returns the business's invoice counter (row-locked until commit).
async fn next_number(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
) -> Result<i64, TenantError> {
    Ok(diesel::insert_into(invoice_counters::table)
        .values((
            invoice_counters::business_id.eq(business.as_uuid()),
            invoice_counters::last_number.eq(1i64),
        ))
        .on_conflict(invoice_counters::business_id)
        .do_update()
        .set(invoice_counters::last_number.eq(invoice_counters::last_number + 1i64))
        .returning(invoice_counters::last_number)
        .get_result(conn)
        .await?)
}

async fn load(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: InvoiceId,
) -> Result<Invoice, TenantError> {
    let row: InvoiceRow = invoices::table
        .filter(invoices::business_id.eq(business.as_uuid()))
        .filter(invoices::id.eq(id.as_uuid()))
        .select(InvoiceRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("invoice"))?;
    assemble(conn, business, vec![row])
        .await?
        .pop()
        .ok_or(TenantError::NotFound("invoice"))
}

#[derive(QueryableByName)]
struct LocalDay {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Date)]
    day: NaiveDate,
}

async fn assemble(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    rows: Vec<InvoiceRow>,
) -> Result<Vec<Invoice>, TenantError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let items: Vec<InvoiceItemRow> = invoice_items::table
        .filter(invoice_items::business_id.eq(business.as_uuid()))
        .filter(invoice_items::invoice_id.eq_any(&ids))
        .order((invoice_items::invoice_id, invoice_items::position))
        .select(InvoiceItemRow::as_select())
        .load(conn)
        .await?;
    let mut days: HashMap<Uuid, NaiveDate> = diesel::sql_query(
        "SELECT i.id, app_local_date(i.issued_at, b.timezone) AS day
         FROM invoices i JOIN businesses b ON b.id = i.business_id
         WHERE i.business_id = $1 AND i.id = ANY($2)",
    )
    .bind::<SqlUuid, _>(business.as_uuid())
    .bind::<Array<SqlUuid>, _>(&ids)
    .load::<LocalDay>(conn)
    .await?
    .into_iter()
    .map(|d| (d.id, d.day))
    .collect();
    let mut by_invoice: HashMap<Uuid, Vec<LineItem>> = HashMap::new();
    for r in items {
        by_invoice
            .entry(r.invoice_id)
            .or_default()
            .push(LineItem::stored(
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
            ));
    }
    Ok(rows
        .into_iter()
        .map(|r| Invoice {
            id: InvoiceId::from_uuid(r.id),
            business_id: BusinessId::from_uuid(r.business_id),
            number: r.number,
            offer_id: r.offer_id.map(OfferId::from_uuid),
            lead_id: r.lead_id.map(LeadId::from_uuid),
            items: by_invoice.remove(&r.id).unwrap_or_default(),
            customer_name: r.customer_name,
            customer_email: r.customer_email,
            customer_phone: r.customer_phone,
            notes: r.notes,
            currency: r.currency,
            totals: Totals {
                vat_rate_bp: r.vat_rate_bp,
                gross_agorot: r.gross_agorot,
                discount_agorot: r.discount_agorot,
                subtotal_agorot: r.subtotal_agorot,
                vat_agorot: r.vat_agorot,
                total_agorot: r.total_agorot,
            },
            issued_on: days
                .remove(&r.id)
                .unwrap_or_else(|| r.issued_at.date_naive()),
            issued_at: r.issued_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}
