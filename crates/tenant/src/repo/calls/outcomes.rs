//! What a call leaves behind: the caller's lead, a callback task, notifications.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use prosaas_db::models::{LeadInsertRow, LeadRow};
use prosaas_db::schema::{calls, leads, notifications, tasks};
use uuid::Uuid;

use super::{BusinessNotice, CallId, CallerDetails, find, own};
use crate::domain::Lead;
use crate::repo::Tenancy;
use crate::{BusinessScope, Db, LeadId, TenantError};

/// Creates or updates the caller's lead (matched by phone within the business)
/// and links it to the call. Returns the lead and whether it is new.
pub async fn record_caller(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    details: CallerDetails,
) -> Result<(Lead, bool), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let call = find(conn, business, id, false).await?;
        let existing: Option<LeadRow> = match (call.lead_id, details.phone.as_deref()) {
            (Some(lead), _) => leads::table
                .filter(leads::business_id.eq(business.as_uuid()))
                .filter(leads::id.eq(lead.as_uuid()))
                .select(LeadRow::as_select())
                .first(conn)
                .await
                .optional()?,
            (None, Some(phone)) => leads::table
                .filter(leads::business_id.eq(business.as_uuid()))
                .filter(leads::phone.eq(phone))
                .order(leads::created_at.asc())
                .select(LeadRow::as_select())
                .first(conn)
                .await
                .optional()?,
            (None, None) => None,
        };
        let note = caller_note(&details);
        let (row, created) = match existing {
            Some(lead) => {
                let notes = match (lead.notes.trim().is_empty(), note.is_empty()) {
                    (_, true) => lead.notes.clone(),
                    (true, false) => note,
                    (false, false) => format!("{}\n{note}", lead.notes),
                };
                let name = details
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(lead.name.clone());
                let row: LeadRow = diesel::update(
                    leads::table
                        .filter(leads::business_id.eq(business.as_uuid()))
                        .filter(leads::id.eq(lead.id)),
                )
                .set((
                    leads::name.eq(name.trim().to_string()),
                    leads::notes.eq(notes),
                ))
                .returning(LeadRow::as_returning())
                .get_result(conn)
                .await?;
                (row, false)
            }
            None => {
                let name = details
                    .name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .or_else(|| details.phone.clone())
                    .unwrap_or_else(|| "Caller".into());
                let row: LeadRow = diesel::insert_into(leads::table)
                    .values(LeadInsertRow {
                        business_id: business.as_uuid(),
                        name: name.trim().to_string(),
                        phone: details.phone.clone(),
                        email: None,
                        source: "call".into(),
                        status: "new".into(),
                        notes: note,
                        assigned_user_id: None,
                    })
                    .returning(LeadRow::as_returning())
                    .get_result(conn)
                    .await?;
                (row, true)
            }
        };
        diesel::update(own(business, id))
            .set(calls::lead_id.eq(Some(row.id)))
            .execute(conn)
            .await?;
        Ok((Lead::from(row), created))
    })
}

fn caller_note(d: &CallerDetails) -> String {
    let mut lines = Vec::new();
    if let Some(need) = d.need.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push(format!("Need: {}", need.trim()));
    }
    if let Some(cb) = d.callback_time.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push(format!("Callback: {}", cb.trim()));
    }
    lines.join("\n")
}

/// Creates a callback task (source `call`) for the business.
pub async fn schedule_callback(
    db: &Db,
    scope: &BusinessScope,
    lead_id: Option<LeadId>,
    title: &str,
    description: &str,
    due_at: Option<DateTime<Utc>>,
) -> Result<Uuid, TenantError> {
    let business = scope.business_id();
    let (title, description) = (title.trim().to_string(), description.to_string());
    if title.is_empty() {
        return Err(TenantError::invalid(
            "invalid_title",
            "a task needs a title",
        ));
    }
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let id: Uuid = diesel::insert_into(tasks::table)
            .values((
                tasks::business_id.eq(business.as_uuid()),
                tasks::title.eq(title),
                tasks::description.eq(description),
                tasks::lead_id.eq(lead_id.map(|l| l.as_uuid())),
                tasks::source.eq("call"),
                tasks::due_at.eq(due_at),
            ))
            .returning(tasks::id)
            .get_result(conn)
            .await?;
        Ok(id)
    })
}

/// Writes a business-wide notification; returns its id.
pub async fn notify_business(
    db: &Db,
    scope: &BusinessScope,
    notice: BusinessNotice,
) -> Result<Uuid, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let id: Uuid = diesel::insert_into(notifications::table)
            .values((
                notifications::business_id.eq(business.as_uuid()),
                notifications::kind.eq(notice.kind),
                notifications::title.eq(notice.title),
                notifications::body.eq(notice.body),
                notifications::link.eq(notice.link),
                notifications::data.eq(notice.data),
            ))
            .returning(notifications::id)
            .get_result(conn)
            .await?;
        Ok(id)
    })
}

/// Business-wide notifications of a kind, newest first (tests and the voice
/// service's own checks).
pub async fn notifications_of_kind(
    db: &Db,
    scope: &BusinessScope,
    kind: &str,
) -> Result<Vec<(Uuid, serde_json::Value)>, TenantError> {
    let business = scope.business_id();
    let kind = kind.to_string();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(notifications::table
            .filter(notifications::business_id.eq(business.as_uuid()))
            .filter(notifications::kind.eq(kind))
            .order(notifications::created_at.desc())
            .select((notifications::id, notifications::data))
            .load(conn)
            .await?)
    })
}

/// Callback tasks of a lead (tests and the call view).
pub async fn callback_tasks(
    db: &Db,
    scope: &BusinessScope,
    lead_id: LeadId,
) -> Result<Vec<(Uuid, String, Option<DateTime<Utc>>)>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(tasks::table
            .filter(tasks::business_id.eq(business.as_uuid()))
            .filter(tasks::lead_id.eq(lead_id.as_uuid()))
            .filter(tasks::source.eq("call"))
            .select((tasks::id, tasks::title, tasks::due_at))
            .load(conn)
            .await?)
    })
}
