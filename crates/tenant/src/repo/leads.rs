//! Leads of one business.

use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{LeadInsertRow, LeadRow, LeadUpdateForm};
use prosaas_db::schema::leads;

use crate::domain::{
    Lead, LeadChanges, LeadFilter, LeadSort, LeadSource, LeadStatus, NewLead, Page,
};
use crate::error::violated_constraint;
use crate::{BusinessId, BusinessScope, Db, LeadId, TenantError, UserId};

use super::{Tenancy, like_pattern};

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;

type BoxedLeads<'a> = leads::BoxedQuery<'a, Pg>;

fn filtered(business: BusinessId, f: &LeadFilter) -> BoxedLeads<'static> {
    let mut q = leads::table
        .filter(leads::business_id.eq(business.as_uuid()))
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(leads::status.eq(s.as_str()));
    }
    if let Some(s) = f.source {
        q = q.filter(leads::source.eq(s.as_str()));
    }
    if let Some(u) = f.assigned_user_id {
        q = q.filter(leads::assigned_user_id.eq(u.as_uuid()));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like_pattern(text);
        // "050-123" should find +97250123...: match phones on digits without the trunk 0
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.trim_start_matches('0');
        let phone_pattern = if digits.len() >= 3 {
            like_pattern(digits)
        } else {
            pattern.clone()
        };
        q = q.filter(
            leads::name
                .ilike(pattern.clone())
                .or(leads::email.assume_not_null().ilike(pattern))
                .or(leads::phone.assume_not_null().like(phone_pattern)),
        );
    }
    q
}

/// One page of the scope's leads.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: LeadFilter,
) -> Result<Page<Lead>, TenantError> {
    let business = scope.business_id();
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let total: i64 = filtered(business, &filter)
            .select(count_star())
            .first(conn)
            .await?;
        let query = filtered(business, &filter);
        let query = match filter.sort {
            LeadSort::CreatedAsc => query.order((leads::created_at.asc(), leads::id.asc())),
            LeadSort::CreatedDesc => query.order((leads::created_at.desc(), leads::id.desc())),
            LeadSort::UpdatedAsc => query.order((leads::updated_at.asc(), leads::id.asc())),
            LeadSort::UpdatedDesc => query.order((leads::updated_at.desc(), leads::id.desc())),
            LeadSort::NameAsc => query.order((leads::name.asc(), leads::id.asc())),
            LeadSort::NameDesc => query.order((leads::name.desc(), leads::id.desc())),
        };
        let offset = i64::from(page - 1) * i64::from(per_page);
        let rows: Vec<LeadRow> = query
            .limit(i64::from(per_page))
            .offset(offset)
            .select(LeadRow::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(Lead::from).collect(),
            page,
            per_page,
            total,
        })
    })
}

/// One lead of the scope's business.
pub async fn get(db: &Db, scope: &BusinessScope, id: LeadId) -> Result<Lead, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await
    })
}

/// Creates a lead in the scope's business.
pub async fn create(db: &Db, scope: &BusinessScope, new: NewLead) -> Result<Lead, TenantError> {
    let business = scope.business_id();
    let row = LeadInsertRow {
        business_id: business.as_uuid(),
        name: new.name.trim().to_string(),
        phone: new.phone.map(String::from),
        email: new.email.map(String::from),
        source: new.source.as_str().to_string(),
        status: new.status.as_str().to_string(),
        notes: new.notes,
        assigned_user_id: new.assigned_user_id.map(|u| u.as_uuid()),
    };
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: LeadRow = diesel::insert_into(leads::table)
            .values(row)
            .returning(LeadRow::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        Ok(Lead::from(row))
    })
}

/// Applies changes to a lead of the scope's business.
pub async fn update(
    db: &Db,
    scope: &BusinessScope,
    id: LeadId,
    c: LeadChanges,
) -> Result<Lead, TenantError> {
    let business = scope.business_id();
    let form = LeadUpdateForm {
        name: c.name.map(|n| n.trim().to_string()),
        phone: c.phone.map(|p| p.map(String::from)),
        email: c.email.map(|e| e.map(String::from)),
        source: c.source.map(|s| s.as_str().to_string()),
        status: c.status.map(|s| s.as_str().to_string()),
        notes: c.notes,
        assigned_user_id: c.assigned_user_id.map(|u| u.map(|u| u.as_uuid())),
    };
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let nothing = form.name.is_none()
            && form.phone.is_none()
            && form.email.is_none()
            && form.source.is_none()
            && form.status.is_none()
            && form.notes.is_none()
            && form.assigned_user_id.is_none();
        if nothing {
            return find(conn, business, id).await;
        }
        diesel::update(
            leads::table
                .filter(leads::business_id.eq(business.as_uuid()))
                .filter(leads::id.eq(id.as_uuid())),
        )
        .set(form)
        .returning(LeadRow::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(|e| constraint_error(e.into()))?
        .map(Lead::from)
        .ok_or(TenantError::NotFound("lead"))
    })
}

/// Deletes a lead of the scope's business.
pub async fn delete(db: &Db, scope: &BusinessScope, id: LeadId) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let n = diesel::delete(
            leads::table
                .filter(leads::business_id.eq(business.as_uuid()))
                .filter(leads::id.eq(id.as_uuid())),
        )
        .execute(conn)
        .await?;
        if n == 0 {
            Err(TenantError::NotFound("lead"))
        } else {
            Ok(())
        }
    })
}

/// Counts of the scope's leads per status (dashboard).
pub async fn count_by_status(
    db: &Db,
    scope: &BusinessScope,
) -> Result<Vec<(LeadStatus, i64)>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let rows: Vec<(String, i64)> = leads::table
            .filter(leads::business_id.eq(business.as_uuid()))
            .group_by(leads::status)
            .select((leads::status, count_star()))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, n)| LeadStatus::parse(&s).map(|s| (s, n)))
            .collect())
    })
}

async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: LeadId,
) -> Result<Lead, TenantError> {
    leads::table
        .filter(leads::business_id.eq(business.as_uuid()))
        .filter(leads::id.eq(id.as_uuid()))
        .select(LeadRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(Lead::from)
        .ok_or(TenantError::NotFound("lead"))
}

fn constraint_error(e: TenantError) -> TenantError {
    match violated_constraint(&e) {
        Some("leads_assigned_user_fkey") => TenantError::invalid(
            "invalid_assignee",
            "the assignee is not a user of this business",
        ),
        _ => e,
    }
}

impl From<LeadRow> for Lead {
    fn from(r: LeadRow) -> Self {
        Lead {
            id: LeadId::from_uuid(r.id),
            business_id: BusinessId::from_uuid(r.business_id),
            name: r.name,
            phone: r.phone,
            email: r.email,
            // CHECK constraints keep these columns to the enum spellings
            source: LeadSource::parse(&r.source).unwrap_or(LeadSource::Manual),
            status: LeadStatus::parse(&r.status).unwrap_or(LeadStatus::New),
            notes: r.notes,
            assigned_user_id: r.assigned_user_id.map(UserId::from_uuid),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
