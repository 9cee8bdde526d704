//! The recent events of one business, so an SSE client that reconnects with
//! `Last-Event-ID` gets what it missed. Written by the api's bus recorder.

use chrono::{DateTime, Duration, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use prosaas_db::schema::event_log;
use uuid::Uuid;

use super::Tenancy;
use crate::{BusinessScope, Db, TenantError};

/// One logged event (the bus envelope minus its business).
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    pub id: Uuid,
    /// Dotted kind, e.g. `lead.created`.
    pub kind: String,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = event_log, check_for_backend(Pg))]
struct EventRow {
    id: Uuid,
    kind: String,
    data: serde_json::Value,
    occurred_at: DateTime<Utc>,
}

/// Appends an event (idempotent on its id) and forgets the business's events
/// older than `keep`. Returns false when the id was already logged.
pub async fn record(
    db: &Db,
    scope: &BusinessScope,
    event: LoggedEvent,
    keep: Duration,
) -> Result<bool, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let inserted = diesel::insert_into(event_log::table)
            .values((
                event_log::id.eq(event.id),
                event_log::business_id.eq(business.as_uuid()),
                event_log::kind.eq(event.kind),
                event_log::data.eq(event.data),
                event_log::occurred_at.eq(event.occurred_at),
            ))
            .on_conflict(event_log::id)
            .do_nothing()
            .execute(conn)
            .await?;
        diesel::delete(
            event_log::table
                .filter(event_log::business_id.eq(business.as_uuid()))
                .filter(event_log::created_at.lt(Utc::now() - keep)),
        )
        .execute(conn)
        .await?;
        Ok(inserted == 1)
    })
}

/// The business's events logged after `last_id`, oldest first, at most `limit`.
/// `None` when `last_id` is not (or no longer) in the log: the client must refetch.
pub async fn after(
    db: &Db,
    scope: &BusinessScope,
    last_id: Uuid,
    limit: i64,
) -> Result<Option<Vec<LoggedEvent>>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let seq: Option<i64> = event_log::table
            .filter(event_log::business_id.eq(business.as_uuid()))
            .filter(event_log::id.eq(last_id))
            .select(event_log::seq)
            .first(conn)
            .await
            .optional()?;
        let Some(seq) = seq else {
            return Ok(None);
        };
        let rows: Vec<EventRow> = event_log::table
            .filter(event_log::business_id.eq(business.as_uuid()))
            .filter(event_log::seq.gt(seq))
            .order(event_log::seq.asc())
            .limit(limit)
            .select(EventRow::as_select())
            .load(conn)
            .await?;
        Ok(Some(
            rows.into_iter()
                .map(|r| LoggedEvent {
                    id: r.id,
                    kind: r.kind,
                    data: r.data,
                    occurred_at: r.occurred_at,
                })
                .collect(),
        ))
    })
}
