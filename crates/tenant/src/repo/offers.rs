//! Price offers of one business. Totals are computed here from the lines and the
//! business's VAT rate (never taken from a request). Only drafts change.

use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{OfferInsertRow, OfferItemInsertRow, OfferRow, OfferUpdateForm};
use prosaas_db::schema::{businesses, offer_items, offers};
use uuid::Uuid;

use crate::billing::{
    DocumentAmounts, LineInput, LineItem, NewOffer, Offer, OfferChanges, OfferFilter, OfferStatus,
    price_lines,
};
use crate::domain::Page;
use crate::error::violated_constraint;
use crate::{BusinessId, BusinessScope, Db, OfferId, TenantError};

use super::Tenancy;

mod assemble;
use assemble::{assemble, lines_of};
pub(crate) use assemble::{item_from_row, load};

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;

/// One page of the scope's offers, newest first.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: OfferFilter,
) -> Result<Page<Offer>, TenantError> {
    let business = scope.business_id();
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    let filtered = move || {
        let mut q: offers::BoxedQuery<'static, Pg> = offers::table
            .filter(offers::business_id.eq(business.as_uuid()))
            .into_boxed();
        if let Some(s) = filter.status {
            q = q.filter(offers::status.eq(s.as_str()));
        }
        if let Some(l) = filter.lead_id {
            q = q.filter(offers::lead_id.eq(l.as_uuid()));
        }
        q
    };
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let total: i64 = filtered().select(count_star()).first(conn).await?;
        let rows: Vec<OfferRow> = filtered()
            .order((offers::created_at.desc(), offers::id.desc()))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(OfferRow::as_select())
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

/// One offer of the scope's business.
pub async fn get(db: &Db, scope: &BusinessScope, id: OfferId) -> Result<Offer, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        load(conn, business, id).await
    })
}

/// Creates a draft with the business's current VAT rate.
pub async fn create(db: &Db, scope: &BusinessScope, new: NewOffer) -> Result<Offer, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let vat = vat_rate(conn, business).await?;
        let (lines, amounts) = price_lines(new.items, vat)?;
        let row = OfferInsertRow {
            business_id: business.as_uuid(),
            lead_id: new.lead_id.map(|l| l.as_uuid()),
            title: new.title.trim().to_string(),
            customer_name: new.customer_name.trim().to_string(),
            customer_email: new.customer_email.map(String::from),
            customer_phone: new.customer_phone.map(String::from),
            notes: new.notes,
            valid_until: new.valid_until,
            vat_rate_bp: amounts.vat_rate_bp,
            gross_agorot: amounts.gross,
            discount_agorot: amounts.discount,
            subtotal_agorot: amounts.subtotal,
            vat_agorot: amounts.vat,
            total_agorot: amounts.total,
        };
        let id: Uuid = diesel::insert_into(offers::table)
            .values(row)
            .returning(offers::id)
            .get_result(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        insert_lines(conn, business, id, &lines).await?;
        load(conn, business, OfferId::from_uuid(id)).await
    })
}

/// Edits a draft; new lines (or none) are re-priced at the business's current VAT rate.
pub async fn update(
    db: &Db,
    scope: &BusinessScope,
    id: OfferId,
    c: OfferChanges,
) -> Result<Offer, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, id).await?;
        require_draft(&current)?;
        let vat = vat_rate(conn, business).await?;
        let items = match c.items {
            Some(items) => items,
            None => current_lines(conn, business, id).await?,
        };
        let (lines, amounts) = price_lines(items, vat)?;
        let form = OfferUpdateForm {
            lead_id: c.lead_id.map(|l| l.map(|l| l.as_uuid())),
            title: c.title.map(|t| t.trim().to_string()),
            customer_name: c.customer_name.map(|n| n.trim().to_string()),
            customer_email: c.customer_email.map(|e| e.map(String::from)),
            customer_phone: c.customer_phone.map(|p| p.map(String::from)),
            notes: c.notes,
            valid_until: c.valid_until,
            ..totals_form(amounts)
        };
        diesel::update(offers::table.filter(offers::id.eq(id.as_uuid())))
            .set(form)
            .execute(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        diesel::delete(offer_items::table.filter(offer_items::offer_id.eq(id.as_uuid())))
            .execute(conn)
            .await?;
        insert_lines(conn, business, id.as_uuid(), &lines).await?;
        load(conn, business, id).await
    })
}

/// Deletes a draft.
pub async fn delete(db: &Db, scope: &BusinessScope, id: OfferId) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, id).await?;
        require_draft(&current)?;
        diesel::delete(
            offers::table
                .filter(offers::business_id.eq(business.as_uuid()))
                .filter(offers::id.eq(id.as_uuid())),
        )
        .execute(conn)
        .await?;
        Ok(())
    })
}

/// Records that the customer refused a sent offer (the business's side).
pub async fn decline(db: &Db, scope: &BusinessScope, id: OfferId) -> Result<Offer, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = lock(conn, business, id).await?;
        mark_declined(conn, &current).await?;
        load(conn, business, id).await
    })
}

/// Moves a locked `sent` offer to `declined` and retires its links.
pub(crate) async fn mark_declined(
    conn: &mut AsyncPgConnection,
    current: &OfferRow,
) -> Result<(), TenantError> {
    transition(current, OfferStatus::Declined)?;
    diesel::update(offers::table.filter(offers::id.eq(current.id)))
        .set((
            offers::status.eq(OfferStatus::Declined.as_str()),
            offers::declined_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    super::signatures::retire_links(conn, current.id).await
}

/// Refuses a transition the status machine does not have.
pub(crate) fn transition(current: &OfferRow, next: OfferStatus) -> Result<(), TenantError> {
    let now = status_of(current);
    if now.may_become(next) {
        Ok(())
    } else {
        Err(TenantError::Conflict {
            code: "invalid_transition",
            message: format!(
                "an offer that is {} cannot become {}",
                now.as_str(),
                next.as_str()
            ),
        })
    }
}

fn require_draft(current: &OfferRow) -> Result<(), TenantError> {
    if status_of(current) == OfferStatus::Draft {
        Ok(())
    } else {
        Err(TenantError::Conflict {
            code: "offer_not_editable",
            message: "only draft offers can be changed or deleted".into(),
        })
    }
}

pub(crate) fn status_of(row: &OfferRow) -> OfferStatus {
    // a CHECK constraint keeps the column to these spellings
    OfferStatus::parse(&row.status).unwrap_or(OfferStatus::Draft)
}

fn totals_form(a: DocumentAmounts) -> OfferUpdateForm {
    OfferUpdateForm {
        vat_rate_bp: Some(a.vat_rate_bp),
        gross_agorot: Some(a.gross),
        discount_agorot: Some(a.discount),
        subtotal_agorot: Some(a.subtotal),
        vat_agorot: Some(a.vat),
        total_agorot: Some(a.total),
        ..OfferUpdateForm::default()
    }
}

/// The business's VAT rate (basis points).
pub(crate) async fn vat_rate(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
) -> Result<i32, TenantError> {
    Ok(businesses::table
        .find(business.as_uuid())
        .select(businesses::vat_rate_bp)
        .first(conn)
        .await?)
}

/// The offer row, locked for the rest of the transaction.
pub(crate) async fn lock(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: OfferId,
) -> Result<OfferRow, TenantError> {
    offers::table
        .filter(offers::business_id.eq(business.as_uuid()))
        .filter(offers::id.eq(id.as_uuid()))
        .select(OfferRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("offer"))
}

async fn current_lines(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: OfferId,
) -> Result<Vec<LineInput>, TenantError> {
    Ok(lines_of(conn, business, &[id.as_uuid()])
        .await?
        .remove(&id.as_uuid())
        .unwrap_or_default()
        .into_iter()
        .map(|r| item_from_row(r).input())
        .collect())
}

async fn insert_lines(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    offer: Uuid,
    lines: &[LineItem],
) -> Result<(), TenantError> {
    let rows: Vec<OfferItemInsertRow> = lines
        .iter()
        .map(|l| OfferItemInsertRow {
            business_id: business.as_uuid(),
            offer_id: offer,
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
    diesel::insert_into(offer_items::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) fn constraint_error(e: TenantError) -> TenantError {
    match violated_constraint(&e) {
        Some("offers_lead_fkey" | "invoices_lead_fkey") => {
            TenantError::invalid("invalid_lead", "the lead is not a lead of this business")
        }
        _ => e,
    }
}
