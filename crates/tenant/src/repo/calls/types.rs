//! The types of calls: ids, directions, Twilio statuses, transcripts, filters.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{BusinessId, LeadId};

/// Identifies a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
pub struct CallId(pub(super) Uuid);

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    pub(super) fn rank(&self) -> u8 {
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Speaker {
    /// The AI agent.
    Assistant,
    /// The person on the phone.
    Caller,
}

/// One line of a call transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
