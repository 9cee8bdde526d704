//! `POST /webhook/call_status` and `POST /webhook/handle_recording`: Twilio's
//! status and recording callbacks. Idempotent; replies quickly (Twilio ignores
//! the body of status callbacks).

use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::repo::calls::{self, BusinessNotice, CallDirection, CallStatus, StatusReport};
use prosaas_tenant::system;
use prosaas_twilio::twiml::Response;

use super::{TwilioParams, twiml, verify};
use crate::state::VoiceState;

fn int(params: &TwilioParams, name: &str) -> Option<i32> {
    params.get(name).and_then(|v| v.parse().ok())
}

/// Handler of `POST /webhook/call_status`.
pub async fn call_status(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<VoiceState>,
) -> HttpResponse {
    let params = match verify(&req, &body, &state) {
        Ok(p) => p,
        Err(refused) => return refused.response(),
    };
    if let Err(e) = apply(&state, &params).await {
        tracing::error!(error = %e, "call status not applied");
        // 5xx makes Twilio retry per the number's settings; the update is idempotent
        return HttpResponse::ServiceUnavailable().finish();
    }
    HttpResponse::NoContent().finish()
}

async fn apply(
    state: &VoiceState,
    params: &TwilioParams,
) -> Result<(), prosaas_tenant::TenantError> {
    let (Some(sid), Some(status)) = (
        params.get("CallSid"),
        params.get("CallStatus").and_then(CallStatus::parse),
    ) else {
        tracing::warn!("status callback without CallSid or a known CallStatus; ignored");
        return Ok(());
    };
    let Some((scope, call_id)) = system::resolve_twilio_call(&state.db, sid).await? else {
        tracing::warn!(
            call.sid = sid,
            "status callback for an unknown call; ignored"
        );
        return Ok(());
    };
    if let (Some(rsid), Some(rurl)) = (params.get("RecordingSid"), params.get("RecordingUrl")) {
        calls::set_recording(
            &state.db,
            &scope,
            call_id,
            rsid,
            rurl,
            int(params, "RecordingDuration"),
        )
        .await?;
    }
    let outcome = calls::apply_status(
        &state.db,
        &scope,
        call_id,
        StatusReport {
            status,
            duration_seconds: int(params, "CallDuration"),
        },
    )
    .await?;
    if !outcome.changed {
        return Ok(());
    }
    let call = &outcome.call;
    let business = scope.business_id().as_uuid();
    state
        .bus
        .publish(Envelope::new(
            business,
            EventKind::CallStatus,
            serde_json::json!({"call_id": call.id, "status": call.status}),
        ))
        .await;
    if call.status.is_final() {
        state
            .bus
            .publish(Envelope::new(
                business,
                EventKind::CallEnded,
                serde_json::json!({"call_id": call.id, "status": call.status,
                    "duration_seconds": call.duration_seconds, "lead_id": call.lead_id}),
            ))
            .await;
    }
    if call.status.is_missed() {
        let (title, body) = match call.direction {
            CallDirection::Inbound => (
                "שיחה שלא נענתה",
                format!("Missed call ({})", call.status.as_str()),
            ),
            CallDirection::Outbound => (
                "שיחה יוצאת לא נענתה",
                format!("Outbound call not answered ({})", call.status.as_str()),
            ),
        };
        let data = serde_json::json!({"call_id": call.id, "status": call.status,
            "direction": call.direction, "lead_id": call.lead_id});
        let id = calls::notify_business(
            &state.db,
            &scope,
            BusinessNotice {
                kind: "call.missed".into(),
                title: title.into(),
                body,
                link: Some(format!("/calls/{}", call.id)),
                data,
            },
        )
        .await?;
        state
            .bus
            .publish(Envelope::new(
                business,
                EventKind::NotificationCreated,
                serde_json::json!({"notification_id": id, "kind": "call.missed", "call_id": call.id}),
            ))
            .await;
    }
    Ok(())
}

/// Handler of `POST /webhook/handle_recording` (recording status callback, and
/// the `action` of the voicemail `<Record>`: an empty `<Response/>` ends the call).
pub async fn handle_recording(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<VoiceState>,
) -> HttpResponse {
    let params = match verify(&req, &body, &state) {
        Ok(p) => p,
        Err(refused) => return refused.response(),
    };
    let status_ok = params
        .get("RecordingStatus")
        .is_none_or(|s| s == "completed");
    if let (true, Some(call_sid), Some(rsid), Some(rurl)) = (
        status_ok,
        params.get("CallSid"),
        params.get("RecordingSid"),
        params.get("RecordingUrl"),
    ) {
        let stored = async {
            if let Some((scope, call_id)) = system::resolve_twilio_call(&state.db, call_sid).await?
            {
                calls::set_recording(
                    &state.db,
                    &scope,
                    call_id,
                    rsid,
                    rurl,
                    int(&params, "RecordingDuration"),
                )
                .await?;
            } else {
                tracing::warn!(
                    call.sid = call_sid,
                    "recording for an unknown call; ignored"
                );
            }
            Ok::<_, prosaas_tenant::TenantError>(())
        }
        .await;
        if let Err(e) = stored {
            tracing::error!(error = %e, "recording not stored");
            return HttpResponse::ServiceUnavailable().finish();
        }
    }
    twiml(Response::new().to_xml())
}
