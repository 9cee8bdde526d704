//! Calls of the caller's business: the call log, one call with transcript and
//! summary, its recording (proxied from Twilio with server-side credentials),
//! and "call this lead" (an outbound call the voice service's agent handles).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use prosaas_common::Settings;
use prosaas_events::{Envelope, EventKind};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::calls::{
    self, Call, CallDirection, CallFilter, CallId, CallStatus, MAX_PER_PAGE, NewCall, StatusReport,
};
use prosaas_tenant::repo::{businesses, leads};
use prosaas_tenant::{Db, LeadId};
use prosaas_twilio::{TwilioClient, TwilioError};
use serde::Deserialize;
use url::Url;
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::openapi::foundation::BusinessQuery;

use crate::startup::ApiState;

/// What outbound calls and the recordings proxy need from the settings.
pub struct CallsConfig {
    /// Twilio REST client (`TWILIO_API_BASE`), when the account is configured.
    pub twilio: Option<TwilioClient>,
    /// `PUBLIC_BASE_URL`: where Twilio reaches the voice webhooks.
    pub public_base_url: Url,
    /// `TWILIO_PHONE_NUMBER`: caller id of businesses without their own number.
    pub platform_number: Option<String>,
}

impl CallsConfig {
    /// From settings; a client that cannot be built counts as not configured.
    pub fn from_settings(settings: &Settings) -> Self {
        let twilio = match (&settings.twilio.account_sid, &settings.twilio.auth_token) {
            (Some(sid), Some(token)) => {
                TwilioClient::new(settings.twilio.api_base.clone(), sid.clone(), token.clone())
                    .map_err(|e| tracing::error!(error = %e, "twilio client not built"))
                    .ok()
            }
            _ => None,
        };
        Self {
            twilio,
            public_base_url: settings.public_base_url.clone(),
            platform_number: settings
                .twilio
                .fallback_phone_number
                .as_ref()
                .map(|p| p.as_str().to_string()),
        }
    }

    fn public_url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.public_base_url.as_str().trim_end_matches('/')
        )
    }

    fn client(&self) -> Result<&TwilioClient, ApiError> {
        self.twilio.as_ref().ok_or_else(|| {
            ApiError::new(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "twilio_not_configured",
                "phone calls are not configured on this server",
            )
        })
    }
}

/// `GET /api/calls` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `inbound` or `outbound`.
    #[param(value_type = Option<CallDirection>)]
    direction: Option<String>,
    /// Twilio's call status.
    #[param(value_type = Option<CallStatus>)]
    status: Option<String>,
    #[param(value_type = Option<LeadId>)]
    lead_id: Option<String>,
    /// RFC 3339 timestamp or `YYYY-MM-DD` (UTC): `started_at >= from`.
    from: Option<String>,
    /// RFC 3339 timestamp or `YYYY-MM-DD` (inclusive day, UTC).
    to: Option<String>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<prosaas_tenant::BusinessId>)]
    _business_id: Option<String>,
}

/// `POST /api/calls` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateCallRequest {
    lead_id: LeadId,
}

fn bad(msg: &str) -> ApiError {
    ApiError::bad_request("invalid_query", msg)
}

/// RFC 3339, or a date (`YYYY-MM-DD`, UTC); `end` makes a date inclusive.
fn instant(value: &str, end: bool) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| bad("from/to must be RFC 3339 timestamps or YYYY-MM-DD dates"))?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(day.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn filter(q: ListQuery) -> Result<CallFilter, ApiError> {
    let per_page = q.per_page.unwrap_or(50);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(bad(&format!(
            "per_page must be between 1 and {MAX_PER_PAGE}"
        )));
    }
    let to_is_date = q.to.as_deref().is_some_and(|t| t.len() == 10);
    Ok(CallFilter {
        direction: q
            .direction
            .as_deref()
            .map(|d| {
                CallDirection::parse(d).ok_or_else(|| bad("direction must be inbound or outbound"))
            })
            .transpose()?,
        status: q
            .status
            .as_deref()
            .map(|s| CallStatus::parse(s).ok_or_else(|| bad("status is not a Twilio call status")))
            .transpose()?,
        lead_id: q
            .lead_id
            .as_deref()
            .map(|l| l.parse().map_err(|_| bad("lead_id must be a uuid")))
            .transpose()?,
        from: q.from.as_deref().map(|f| instant(f, false)).transpose()?,
        to: q
            .to
            .as_deref()
            .map(|t| instant(t, to_is_date))
            .transpose()?,
        page: q.page.unwrap_or(1).max(1),
        per_page,
    })
}

/// `GET /api/calls`.
#[utoipa::path(get, path = "/api/calls", tag = "calls", params(ListQuery),
    responses((status = 200, body = Page<Call>, description = "newest first, without transcripts"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(calls::list(&db, &scope, filter(query.into_inner())?).await?))
}

/// `GET /api/calls/{id}`.
#[utoipa::path(get, path = "/api/calls/{id}", tag = "calls", params(("id" = CallId, Path), BusinessQuery),
    responses((status = 200, body = Call, description = "with transcript and summary"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<CallId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(calls::get(&db, &scope, id.into_inner()).await?))
}

/// `GET /api/calls/{id}/recording`: streams the MP3 from Twilio. The browser
/// never sees Twilio's URL or credentials.
#[utoipa::path(get, path = "/api/calls/{id}/recording", tag = "calls", params(("id" = CallId, Path), BusinessQuery),
    responses((status = 200, body = super::openapi::Binary, content_type = "audio/mpeg"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn recording(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    id: web::Path<CallId>,
) -> Result<HttpResponse, ApiError> {
    let call = calls::get(&db, &scope, id.into_inner()).await?;
    let sid = call
        .recording_sid
        .ok_or_else(|| ApiError::not_found("recording"))?;
    let upstream = state
        .calls
        .client()?
        .fetch_recording(&sid)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, call.id = %call.id, "recording fetch failed");
            ApiError::new(
                actix_web::http::StatusCode::BAD_GATEWAY,
                "recording_unavailable",
                "the recording could not be fetched from the phone provider",
            )
        })?;
    let mut response = HttpResponse::Ok();
    response
        .content_type("audio/mpeg")
        .insert_header(("cache-control", "private, max-age=300"));
    if let Some(len) = upstream.content_length() {
        response.no_chunking(len);
    }
    Ok(response.streaming(upstream.bytes_stream().map_err(std::io::Error::other)))
}

fn twilio_failure(e: TwilioError) -> ApiError {
    tracing::warn!(error = %e, "outbound call refused by twilio");
    let message = match e {
        TwilioError::Api { message, .. } => message,
        _ => "the phone provider could not be reached".into(),
    };
    ApiError::new(
        actix_web::http::StatusCode::BAD_GATEWAY,
        "twilio_error",
        message,
    )
}

/// `POST /api/calls {lead_id}`: calls the lead from the business's number.
#[utoipa::path(post, path = "/api/calls", tag = "calls", params(BusinessQuery), request_body = CreateCallRequest,
    responses((status = 201, body = Call), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 502, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    body: web::Json<CreateCallRequest>,
) -> Result<HttpResponse, ApiError> {
    let lead = leads::get(&db, &scope, body.lead_id).await?;
    let to = lead.phone.clone().ok_or_else(|| {
        ApiError::unprocessable("lead_has_no_phone", "the lead has no phone number")
    })?;
    let business = businesses::get_own(&db, &scope).await?;
    let from = business
        .twilio_phone_number
        .clone()
        .or_else(|| state.calls.platform_number.clone())
        .ok_or_else(|| {
            ApiError::unprocessable(
                "no_caller_id",
                "neither the business nor the platform has a Twilio number",
            )
        })?;
    let client = state.calls.client()?;
    let call = calls::create(
        &db,
        &scope,
        NewCall {
            direction: CallDirection::Outbound,
            call_sid: None,
            from_phone: from.clone(),
            to_phone: to.clone(),
            status: CallStatus::Queued,
            lead_id: Some(lead.id),
        },
    )
    .await?;
    let cfg = &state.calls;
    let placed = client
        .create_call(&prosaas_twilio::NewCall {
            to,
            from,
            url: cfg.public_url("/webhook/incoming_call"),
            status_callback: cfg.public_url("/webhook/call_status"),
            record: business
                .record_calls
                .then(|| cfg.public_url("/webhook/handle_recording")),
        })
        .await;
    let placed = match placed {
        Ok(p) => p,
        Err(e) => {
            let failed = StatusReport {
                status: CallStatus::Failed,
                duration_seconds: None,
            };
            let _ = calls::apply_status(&db, &scope, call.id, failed).await;
            return Err(twilio_failure(e));
        }
    };
    let call = calls::set_call_sid(&db, &scope, call.id, &placed.sid).await?;
    state
        .bus
        .publish(Envelope::new(
            scope.business_id().as_uuid(),
            EventKind::CallStatus,
            serde_json::json!({"call_id": call.id, "status": call.status, "direction": call.direction}),
        ))
        .await;
    Ok(HttpResponse::Created().json(call))
}
