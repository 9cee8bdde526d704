//! The audit log: appended inside the unit of work that does the audited thing.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{AuditInsertForm, AuditRow};
use prosaas_db::schema::audit_log;
use serde::Serialize;

use crate::scope::Actor;
use crate::{BusinessId, BusinessScope, Db, TenantError, UserId};

use super::Tenancy;

/// One audit entry to write.
pub(crate) struct AuditEntry<'a> {
    pub business_id: Option<BusinessId>,
    pub actor: &'a Actor,
    pub action: &'static str,
    pub target_type: Option<&'static str>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
}

pub(crate) async fn record(
    conn: &mut AsyncPgConnection,
    entry: AuditEntry<'_>,
) -> Result<(), TenantError> {
    diesel::insert_into(audit_log::table)
        .values(AuditInsertForm {
            business_id: entry.business_id.map(|b| b.as_uuid()),
            actor_user_id: entry.actor.user_id().map(|u| u.as_uuid()),
            actor_kind: entry.actor.kind().to_string(),
            action: entry.action.to_string(),
            target_type: entry.target_type.map(str::to_string),
            target_id: entry.target_id,
            detail: entry.detail,
        })
        .execute(conn)
        .await?;
    Ok(())
}

/// An audit entry as owners and admins read it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub actor_user_id: Option<UserId>,
    pub actor_kind: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The newest `limit` audit entries of the scope's business.
pub async fn recent(
    db: &Db,
    scope: &BusinessScope,
    limit: i64,
) -> Result<Vec<AuditEvent>, TenantError> {
    let business = scope.business_id().as_uuid();
    let limit = limit.clamp(1, 500);
    unit_of_work!(db, Tenancy::Business(scope.business_id()), |conn| {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::business_id.eq(business))
            .order(audit_log::id.desc())
            .limit(limit)
            .select(AuditRow::as_select())
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEvent {
                id: r.id,
                actor_user_id: r.actor_user_id.map(UserId::from_uuid),
                actor_kind: r.actor_kind,
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                detail: r.detail,
                at: r.at,
            })
            .collect())
    })
}
