//! Calls of one business. Status updates are monotonic: a late or repeated
//! Twilio callback never moves a call backwards. [`outcomes`] holds what a call
//! leaves behind (lead, callback task, notification).

mod outcomes;
mod types;

use chrono::Utc;
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{CallInsertRow, CallRow};
use prosaas_db::schema::calls;
use uuid::Uuid;

use crate::domain::Page;
use crate::{BusinessId, BusinessScope, Db, LeadId, TenantError};

use super::Tenancy;

pub use outcomes::*;
pub use types::*;

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;

type BoxedCalls<'a> = calls::BoxedQuery<'a, Pg>;

fn filtered(business: BusinessId, f: &CallFilter) -> BoxedCalls<'static> {
    let mut q = calls::table
        .filter(calls::business_id.eq(business.as_uuid()))
        .into_boxed();
    if let Some(d) = f.direction {
        q = q.filter(calls::direction.eq(d.as_str()));
    }
    if let Some(s) = f.status {
        q = q.filter(calls::status.eq(s.as_str()));
    }
    if let Some(l) = f.lead_id {
        q = q.filter(calls::lead_id.eq(l.as_uuid()));
    }
    if let Some(from) = f.from {
        q = q.filter(calls::started_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(calls::started_at.lt(to));
    }
    q
}

/// One page of the scope's calls, newest first (no transcripts).
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: CallFilter,
) -> Result<Page<Call>, TenantError> {
    let business = scope.business_id();
    let per_page = filter.per_page.clamp(1, MAX_PER_PAGE);
    let page = filter.page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let total: i64 = filtered(business, &filter)
            .select(count_star())
            .first(conn)
            .await?;
        let rows: Vec<CallRow> = filtered(business, &filter)
            .order((calls::started_at.desc(), calls::id.desc()))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(CallRow::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(|r| to_call(r, None)).collect(),
            page,
            per_page,
            total,
        })
    })
}

/// One call of the scope's business, with its transcript.
pub async fn get(db: &Db, scope: &BusinessScope, id: CallId) -> Result<Call, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id, true).await
    })
}

/// Records a call. A repeated webhook for the same CallSid returns the first row.
pub async fn create(db: &Db, scope: &BusinessScope, new: NewCall) -> Result<Call, TenantError> {
    let business = scope.business_id();
    let sid = new.call_sid.clone();
    let row = CallInsertRow {
        business_id: business.as_uuid(),
        lead_id: new.lead_id.map(|l| l.as_uuid()),
        direction: new.direction.as_str().into(),
        call_sid: new.call_sid,
        from_phone: new.from_phone,
        to_phone: new.to_phone,
        status: new.status.as_str().into(),
    };
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let inserted: Option<CallRow> = diesel::insert_into(calls::table)
            .values(row)
            .on_conflict(calls::call_sid)
            .do_nothing()
            .returning(CallRow::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        match (inserted, sid) {
            (Some(r), _) => Ok(to_call(r, Some(Vec::new()))),
            (None, Some(sid)) => calls::table
                .filter(calls::business_id.eq(business.as_uuid()))
                .filter(calls::call_sid.eq(sid))
                .select(CallRow::as_select())
                .first(conn)
                .await
                .optional()?
                .map(|r| to_call(r, None))
                .ok_or(TenantError::Conflict {
                    code: "call_sid_taken",
                    message: "this CallSid belongs to another call".into(),
                }),
            (None, None) => Err(TenantError::Internal("call insert returned nothing".into())),
        }
    })
}

/// Sets the Twilio CallSid of a call created before Twilio knew it (outbound).
pub async fn set_call_sid(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    call_sid: &str,
) -> Result<Call, TenantError> {
    let business = scope.business_id();
    let sid = call_sid.to_string();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        diesel::update(own(business, id))
            .set(calls::call_sid.eq(sid))
            .execute(conn)
            .await?;
        find(conn, business, id, true).await
    })
}

fn own(
    business: BusinessId,
    id: CallId,
) -> diesel::dsl::Filter<
    diesel::dsl::Filter<calls::table, diesel::dsl::Eq<calls::business_id, Uuid>>,
    diesel::dsl::Eq<calls::id, Uuid>,
> {
    calls::table
        .filter(calls::business_id.eq(business.as_uuid()))
        .filter(calls::id.eq(id.as_uuid()))
}

/// Applies a Twilio status report. Only forward moves change the status; a final
/// status also stamps `ended_at` and fills the duration once.
pub async fn apply_status(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    report: StatusReport,
) -> Result<StatusOutcome, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current: CallRow = own(business, id)
            .select(CallRow::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?
            .ok_or(TenantError::NotFound("call"))?;
        let before = CallStatus::parse(&current.status).unwrap_or(CallStatus::Queued);
        let changed = report.status.rank() > before.rank();
        let now = Utc::now();
        if changed {
            let answered_at = match (report.status, current.answered_at) {
                (CallStatus::InProgress, None) => Some(now),
                (CallStatus::Completed, None) => Some(current.started_at),
                (_, a) => a,
            };
            let ended_at = if report.status.is_final() {
                Some(current.ended_at.unwrap_or(now))
            } else {
                current.ended_at
            };
            diesel::update(own(business, id))
                .set((
                    calls::status.eq(report.status.as_str()),
                    calls::answered_at.eq(answered_at),
                    calls::ended_at.eq(ended_at),
                ))
                .execute(conn)
                .await?;
        }
        let duration = report.duration_seconds.filter(|d| *d >= 0);
        if let (true, None, Some(d)) =
            (report.status.is_final(), current.duration_seconds, duration)
        {
            diesel::update(own(business, id))
                .set(calls::duration_seconds.eq(d))
                .execute(conn)
                .await?;
        }
        Ok(StatusOutcome {
            call: find(conn, business, id, false).await?,
            changed,
        })
    })
}

/// Stores the recording Twilio made of a call.
pub async fn set_recording(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    recording_sid: &str,
    recording_url: &str,
    duration_seconds: Option<i32>,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    let (sid, url) = (recording_sid.to_string(), recording_url.to_string());
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        diesel::update(own(business, id))
            .set((
                calls::recording_sid.eq(sid),
                calls::recording_url.eq(url),
                calls::recording_duration_seconds.eq(duration_seconds.filter(|d| *d >= 0)),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// Marks the call answered by the agent (the media stream started).
pub async fn mark_answered(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
) -> Result<Call, TenantError> {
    apply_status(
        db,
        scope,
        id,
        StatusReport {
            status: CallStatus::InProgress,
            duration_seconds: None,
        },
    )
    .await
    .map(|o| o.call)
}

/// Replaces the transcript (the session keeps the whole list) and the measured
/// first-response latency.
pub async fn save_transcript(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    transcript: &[TranscriptTurn],
    first_response_ms: Option<i32>,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    let json =
        serde_json::to_value(transcript).map_err(|e| TenantError::Internal(e.to_string()))?;
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        diesel::update(own(business, id))
            .set((
                calls::transcript.eq(json),
                calls::first_response_ms.eq(first_response_ms.filter(|m| *m >= 0)),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// Stores the AI summary of a call.
pub async fn set_summary(
    db: &Db,
    scope: &BusinessScope,
    id: CallId,
    summary: &str,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    let summary = summary.to_string();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        diesel::update(own(business, id))
            .set(calls::summary.eq(summary))
            .execute(conn)
            .await?;
        Ok(())
    })
}

async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: CallId,
    with_transcript: bool,
) -> Result<Call, TenantError> {
    let row: CallRow = own(business, id)
        .select(CallRow::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("call"))?;
    let transcript = if with_transcript {
        let json: serde_json::Value = own(business, id)
            .select(calls::transcript)
            .first(conn)
            .await?;
        // lines we cannot read are skipped rather than failing the whole call
        Some(match json {
            serde_json::Value::Array(items) => items
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        })
    } else {
        None
    };
    Ok(to_call(row, transcript))
}

fn to_call(r: CallRow, transcript: Option<Vec<TranscriptTurn>>) -> Call {
    Call {
        id: CallId(r.id),
        business_id: BusinessId::from_uuid(r.business_id),
        lead_id: r.lead_id.map(LeadId::from_uuid),
        // CHECK constraints keep these columns to the enum spellings
        direction: CallDirection::parse(&r.direction).unwrap_or(CallDirection::Inbound),
        call_sid: r.call_sid,
        from_phone: r.from_phone,
        to_phone: r.to_phone,
        status: CallStatus::parse(&r.status).unwrap_or(CallStatus::Queued),
        started_at: r.started_at,
        answered_at: r.answered_at,
        ended_at: r.ended_at,
        duration_seconds: r.duration_seconds,
        has_recording: r.recording_sid.is_some(),
        recording_sid: r.recording_sid,
        recording_duration_seconds: r.recording_duration_seconds,
        first_response_ms: r.first_response_ms,
        summary: r.summary,
        created_at: r.created_at,
        updated_at: r.updated_at,
        transcript,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_only_move_forward() {
        assert!(CallStatus::Ringing.rank() > CallStatus::Queued.rank());
        assert!(CallStatus::Completed.rank() > CallStatus::InProgress.rank());
        assert_eq!(CallStatus::Busy.rank(), CallStatus::Completed.rank());
        for s in ["queued", "ringing", "in-progress", "no-answer", "canceled"] {
            assert_eq!(CallStatus::parse(s).map(|c| c.as_str()), Some(s));
        }
        assert!(CallStatus::NoAnswer.is_missed() && !CallStatus::Completed.is_missed());
    }
}
