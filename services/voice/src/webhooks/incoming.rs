//! `POST /webhook/incoming_call`: the first request of every call. Inbound: find
//! the business by the dialled number, log the call, connect the media stream.
//! Outbound (placed by POST /api/calls): the call row exists; connect the stream.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_common::E164Phone;
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::domain::Business;
use prosaas_tenant::repo::businesses;
use prosaas_tenant::repo::calls::{self, CallDirection, CallId, CallStatus, NewCall};
use prosaas_tenant::{BusinessScope, system};
use prosaas_twilio::twiml::{Response, Verb};

use super::{twiml, verify};
use crate::state::VoiceState;

/// Said (in Hebrew) to callers of a number no business owns.
const UNKNOWN_NUMBER_HE: &str = "שלום, המספר שחייגתם אינו זמין כרגע. תודה ולהתראות.";
/// Said when the service itself fails before the agent can answer.
const TRY_LATER_HE: &str = "מצטערים, אירעה תקלה. אנא נסו שוב מאוחר יותר.";

/// Media-stream tokens live this long: Twilio opens the socket within seconds.
const STREAM_TOKEN_TTL_SECONDS: i64 = 300;

/// The TwiML that hands a call to the AI agent: optional whole-call recording,
/// then `<Connect><Stream>` with the call id and a signed token.
pub fn answer_twiml(
    state: &VoiceState,
    scope: &BusinessScope,
    business: &Business,
    call: CallId,
) -> String {
    let token =
        system::issue_stream_token(&state.stream_secret, scope, call, STREAM_TOKEN_TTL_SECONDS);
    let mut response = Response::new();
    if business.record_calls {
        response = response.verb(Verb::StartRecording {
            status_callback: state.public_url("/webhook/handle_recording"),
        });
    }
    response
        .verb(Verb::ConnectStream {
            url: state.media_stream_url(),
            parameters: vec![
                ("call_id".into(), call.to_string()),
                ("token".into(), token),
            ],
        })
        .to_xml()
}

fn say_and_hang_up(text: &str) -> HttpResponse {
    twiml(
        Response::new()
            .say(text, Some(crate::agent::SAY_VOICE_HE), Some("he-IL"))
            .verb(Verb::Hangup)
            .to_xml(),
    )
}

/// Handler of `POST /webhook/incoming_call`.
pub async fn incoming_call(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<VoiceState>,
) -> HttpResponse {
    let params = match verify(&req, &body, &state) {
        Ok(p) => p,
        Err(refused) => return refused.response(),
    };
    let Some(call_sid) = params.get("CallSid").map(str::to_string) else {
        return HttpResponse::BadRequest().json(serde_json::json!({"error": {
            "code": "invalid_webhook", "message": "CallSid is required"}}));
    };
    let outbound = params
        .get("Direction")
        .is_some_and(|d| d.starts_with("outbound"));
    let result = if outbound {
        answer_outbound(&state, &call_sid).await
    } else {
        answer_inbound(
            &state,
            call_sid,
            params.get("From").unwrap_or(""),
            params.get("To").unwrap_or(""),
        )
        .await
    };
    match result {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "incoming call failed");
            say_and_hang_up(TRY_LATER_HE)
        }
    }
}

async fn answer_inbound(
    state: &VoiceState,
    call_sid: String,
    from: &str,
    to: &str,
) -> Result<HttpResponse, prosaas_tenant::TenantError> {
    let to_number = E164Phone::parse(to).ok();
    let scope = match &to_number {
        Some(n) => system::resolve_business_for_twilio_number(&state.db, n).await?,
        None => None,
    };
    let Some(scope) = scope else {
        // our own Twilio number, not a caller's: safe to log
        tracing::warn!(
            twilio.to = to,
            "incoming call to a number no business owns; answered with a polite hang-up"
        );
        return Ok(say_and_hang_up(UNKNOWN_NUMBER_HE));
    };
    let business = businesses::get_own(&state.db, &scope).await?;
    let from_phone = E164Phone::parse(from)
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|_| from.to_string());
    let call = calls::create(
        &state.db,
        &scope,
        NewCall {
            direction: CallDirection::Inbound,
            call_sid: Some(call_sid),
            from_phone,
            to_phone: to_number
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            status: CallStatus::Ringing,
            lead_id: None,
        },
    )
    .await?;
    state
        .bus
        .publish(Envelope::new(
            scope.business_id().as_uuid(),
            EventKind::CallStatus,
            serde_json::json!({"call_id": call.id, "status": call.status}),
        ))
        .await;
    Ok(twiml(answer_twiml(state, &scope, &business, call.id)))
}

async fn answer_outbound(
    state: &VoiceState,
    call_sid: &str,
) -> Result<HttpResponse, prosaas_tenant::TenantError> {
    // the api stores the CallSid right after Twilio returns it; Twilio may be faster
    let mut found = None;
    for _ in 0..20 {
        found = system::resolve_twilio_call(&state.db, call_sid).await?;
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let Some((scope, call)) = found else {
        tracing::warn!(
            call.sid = call_sid,
            "outbound call answered but unknown here"
        );
        return Ok(say_and_hang_up(TRY_LATER_HE));
    };
    let business = businesses::get_own(&state.db, &scope).await?;
    Ok(twiml(answer_twiml(state, &scope, &business, call)))
}
