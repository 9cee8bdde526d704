//! Calls of one business and what a call leaves behind: the caller's lead, a
//! callback task, a missed-call notification. Status updates are monotonic: a
//! late or repeated Twilio callback never moves a call backwards.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{CallInsertRow, CallRow, LeadInsertRow, LeadRow};
use prosaas_db::schema::{calls, leads, notifications, tasks};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Lead, Page};
use crate::{BusinessId, BusinessScope, Db, LeadId, TenantError};

use super::Tenancy;

/// Largest page the API serves.
pub const MAX_PER_PAGE: u32 = 200;

/// Identifies a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(Uuid);

impl CallId {
    /// Wraps a raw uuid (from a URL path, a signed token, a row).
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }
    /// The raw uuid.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for CallId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// Who placed the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallDirection {
    /// A caller dialled the business's number.
    Inbound,
    /// The business called out (POST /api/calls).
    Outbound,
}

impl CallDirection {
    /// The database spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            CallDirection::Inbound => "inbound",
            CallDirection::Outbound => "outbound",
        }
    }
    /// Parses the database/API spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inbound" => Some(Self::Inbound),
            "outbound" => Some(Self::Outbound),
            _ => None,
        }
    }
}

/// Twilio's call statuses, in the order a call moves through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    /// Created, not yet dialling.
    Queued,
    /// Dialling (outbound).
    Initiated,
    /// Ringing.
    Ringing,
    /// Answered.
    InProgress,
    /// Ended normally.
    Completed,
    /// Callee busy.
    Busy,
    /// Could not be placed.
    Failed,
    /// Nobody answered.
    NoAnswer,
    /// Hung up before it was answered.
    Canceled,
}

impl CallStatus {
    /// Twilio's spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            CallStatus::Queued => "queued",
            CallStatus::Initiated => "initiated",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Completed => "completed",
            CallStatus::Busy => "busy",
            CallStatus::Failed => "failed",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Canceled => "canceled",
        }
    }
    /// Parses Twilio's spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => Self::Queued,
            "initiated" => Self::Initiated,
            "ringing" => Self::Ringing,
            "in-progress" => Self::InProgress,
            "completed" => Self::Completed,
            "busy" => Self::Busy,
            "failed" => Self::Failed,
            "no-answer" => Self::NoAnswer,
            "canceled" => Self::Canceled,
            _ => return None,
        })
    }
    /// Position in the life of a call; a status never replaces a higher one.
    fn rank(&self) -> u8 {
        match self {
            CallStatus::Queued => 0,
            CallStatus::Initiated => 1,
            CallStatus::Ringing => 2,
            CallStatus::InProgress => 3,
            _ => 4,
        }
    }
    /// The call is over.
    pub fn is_final(&self) -> bool {
        self.rank() == 4
    }
    /// The call ended without anyone talking (a missed call).
    pub fn is_missed(&self) -> bool {
        matches!(
            self,
            CallStatus::Busy | CallStatus::NoAnswer | CallStatus::Failed | CallStatus::Canceled
        )
    }
}

/// Who said a line of the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The AI agent.
    Assistant,
    /// The person on the phone.
    Caller,
}

/// One line of a call transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptTurn {
    /// Who spoke.
    pub role: Speaker,
    /// What was said.
    pub text: String,
    /// Milliseconds since the media stream started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<u64>,
}

/// A call as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub id: CallId,
    pub business_id: BusinessId,
    pub lead_id: Option<LeadId>,
    pub direction: CallDirection,
    pub call_sid: Option<String>,
    pub from_phone: String,
    pub to_phone: String,
    pub status: CallStatus,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: Option<i32>,
    pub has_recording: bool,
    /// Server side only: the recordings proxy fetches by it.
    #[serde(skip)]
    pub recording_sid: Option<String>,
    pub recording_duration_seconds: Option<i32>,
    pub first_response_ms: Option<i32>,
    pub summary: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Present on single-call reads only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<Vec<TranscriptTurn>>,
}

/// A call to record.
#[derive(Debug, Clone)]
pub struct NewCall {
    pub direction: CallDirection,
    pub call_sid: Option<String>,
    pub from_phone: String,
    pub to_phone: String,
    pub status: CallStatus,
    pub lead_id: Option<LeadId>,
}

/// Which calls to list.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub direction: Option<CallDirection>,
    pub status: Option<CallStatus>,
    pub lead_id: Option<LeadId>,
    /// `started_at >= from`.
    pub from: Option<DateTime<Utc>>,
    /// `started_at < to`.
    pub to: Option<DateTime<Utc>>,
    pub page: u32,
    pub per_page: u32,
}

/// What Twilio reported about a call.
#[derive(Debug, Clone, Copy)]
pub struct StatusReport {
    pub status: CallStatus,
    pub duration_seconds: Option<i32>,
}

/// The call after a status report, and whether its status moved.
#[derive(Debug, Clone)]
pub struct StatusOutcome {
    pub call: Call,
    pub changed: bool,
}

/// What the agent learned about the caller (create_or_update_lead).
#[derive(Debug, Clone, Default)]
pub struct CallerDetails {
    /// E.164 caller id; matches an existing lead of the business.
    pub phone: Option<String>,
    pub name: Option<String>,
    pub need: Option<String>,
    pub callback_time: Option<String>,
}

/// A notification for the whole business.
#[derive(Debug, Clone)]
pub struct BusinessNotice {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub data: serde_json::Value,
}

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
