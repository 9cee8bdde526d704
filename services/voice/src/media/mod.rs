//! `GET /ws/media`: Twilio's bidirectional Media Stream for one call, relayed to
//! an OpenAI Realtime session. The socket proves nothing by itself: the `start`
//! frame must carry the signed token the incoming-call webhook issued, which is
//! the only way to get a scope for the call.

pub mod frames;
mod openai;
mod relay;
mod tools;

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::ALLOW;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::AggregatedMessage;
use futures_util::StreamExt;
use prosaas_tenant::system;

use crate::state::VoiceState;
use frames::{StartInfo, TwilioFrame};

/// Largest Twilio frame we accept (a media frame is ~300 bytes).
const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Twilio sends `connected` and `start` immediately after the upgrade.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Installs `/ws/media`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ws/media")
            .route(web::get().to(media_stream))
            .default_service(web::to(|| async {
                HttpResponse::build(StatusCode::METHOD_NOT_ALLOWED)
                    .insert_header((ALLOW, "GET"))
                    .json(serde_json::json!({"error": {"code": "method_not_allowed",
                        "message": "the media stream is a websocket (GET with Upgrade)"}}))
            })),
    );
}

async fn media_stream(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<VoiceState>,
) -> Result<HttpResponse, actix_web::Error> {
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    let stream = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME_BYTES);
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        run(state, session, stream).await;
    });
    Ok(response)
}

/// Reads frames until `start` (or gives up).
async fn wait_for_start(stream: &mut actix_ws::AggregatedMessageStream) -> Option<StartInfo> {
    let read = async {
        while let Some(msg) = stream.next().await {
            let Ok(AggregatedMessage::Text(text)) = msg else {
                if matches!(msg, Ok(AggregatedMessage::Close(_)) | Err(_)) {
                    return None;
                }
                continue;
            };
            let Ok(frame) = serde_json::from_str::<TwilioFrame<'_>>(&text) else {
                continue;
            };
            if frame.event == "start" {
                return frame.start;
            }
        }
        None
    };
    tokio::time::timeout(START_TIMEOUT, read)
        .await
        .ok()
        .flatten()
}

async fn run(
    state: Arc<VoiceState>,
    session: actix_ws::Session,
    mut stream: actix_ws::AggregatedMessageStream,
) {
    let Some(start) = wait_for_start(&mut stream).await else {
        tracing::warn!("media stream closed or timed out before start");
        let _ = session.close(None).await;
        return;
    };
    // the streamSid is echoed into every frame we send: Twilio's are MZ + hex
    if start.stream_sid.is_empty() || !start.stream_sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        tracing::warn!("media stream refused: malformed streamSid");
        let _ = session.close(None).await;
        return;
    }
    let token = start
        .custom_parameters
        .get("token")
        .map(String::as_str)
        .unwrap_or("");
    let opened = system::scope_from_stream_token(&state.db, &state.stream_secret, token).await;
    let (scope, call) = match opened {
        Ok(ok) => ok,
        Err(e) => {
            tracing::warn!(error = %e, "media stream refused: bad or expired stream token");
            let _ = session.close(None).await;
            return;
        }
    };
    let named = start.custom_parameters.get("call_id").map(String::as_str);
    if named.is_some_and(|n| n != call.id.to_string()) {
        tracing::warn!(call.id = %call.id, "media stream refused: call_id does not match the token");
        let _ = session.close(None).await;
        return;
    }
    relay::run_call(state, scope, call, start, session, stream).await;
}
