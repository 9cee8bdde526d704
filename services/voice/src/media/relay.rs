//! One call: Twilio frames <-> OpenAI events, with barge-in (clear Twilio's
//! buffer, truncate the assistant item at what was actually played), tools,
//! transcript, first-response latency, and the fallback to voicemail when
//! OpenAI is unreachable or fails mid-call.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use actix_ws::AggregatedMessage;
use futures_util::{SinkExt, StreamExt};
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::BusinessScope;
use prosaas_tenant::domain::Business;
use prosaas_tenant::repo::businesses;
use prosaas_tenant::repo::calls::{self, Call, Speaker, TranscriptTurn};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::frames::{self, ServerEvent, StartInfo, TwilioFrame};
use super::{openai, tools};
use crate::agent;
use crate::state::VoiceState;

/// What is playing on the caller's side (for barge-in).
#[derive(Default)]
pub(super) struct Playback {
    /// Twilio's clock: `media.timestamp` of the latest caller frame.
    latest_media_ms: u64,
    /// Item whose audio we are forwarding.
    item: Option<String>,
    /// Twilio clock when that item's first audio went out.
    item_started_ms: u64,
    /// Bytes of mu-law sent for that item (8 bytes = 1 ms).
    item_bytes: u64,
    /// Marks sent and not yet echoed (audio still queued at Twilio).
    marks: VecDeque<String>,
    /// Audio sent since the last mark (one mark per ~100 ms keeps the Twilio
    /// traffic down; counted as still playing).
    unmarked_bytes: u64,
    mark_seq: u64,
    /// Item cut by barge-in: its late deltas are dropped.
    truncated: Option<String>,
}

/// Everything one call needs while it runs.
pub(super) struct CallContext {
    pub state: Arc<VoiceState>,
    pub scope: BusinessScope,
    pub call: Call,
    pub business: Business,
    pub stream_sid: String,
    pub twilio: actix_ws::Session,
    pub transcript: Vec<TranscriptTurn>,
    pub lead_id: Option<prosaas_tenant::LeadId>,
    /// end_call: hang up once the goodbye has played.
    pub hangup_when_played: bool,
    /// transfer or hang-up already asked of Twilio.
    pub call_handed_off: bool,
    playback: Playback,
    speech_stopped_at: Option<Instant>,
    latencies_ms: Vec<u64>,
}

enum Ending {
    /// Twilio sent `stop` or closed the socket.
    TwilioGone,
    /// OpenAI closed, errored, or never answered.
    OpenAiFailed(String),
}

/// Runs a call to its end, then finalizes it (transcript, summary, lead).
pub(super) async fn run_call(
    state: Arc<VoiceState>,
    scope: BusinessScope,
    call: Call,
    start: StartInfo,
    twilio: actix_ws::Session,
    mut stream: actix_ws::AggregatedMessageStream,
) {
    let call_id = call.id;
    let loaded = async {
        if call
            .call_sid
            .as_deref()
            .is_some_and(|s| s != start.call_sid)
        {
            return Ok(None);
        }
        let business = businesses::get_own(&state.db, &scope).await?;
        let call = calls::mark_answered(&state.db, &scope, call_id).await?;
        Ok::<_, prosaas_tenant::TenantError>(Some((business, call)))
    }
    .await;
    let (business, call) = match loaded {
        Ok(Some(x)) => x,
        Ok(None) => {
            tracing::warn!(call.id = %call_id, "media stream refused: CallSid does not match the call");
            let _ = twilio.close(None).await;
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, call.id = %call_id, "call could not be loaded");
            let _ = twilio.close(None).await;
            return;
        }
    };
    state
        .bus
        .publish(Envelope::new(
            scope.business_id().as_uuid(),
            EventKind::CallStarted,
            json!({"call_id": call.id, "direction": call.direction}),
        ))
        .await;
    let mut ctx = CallContext {
        lead_id: call.lead_id,
        state,
        scope,
        call,
        business,
        stream_sid: start.stream_sid,
        twilio,
        transcript: Vec::new(),
        hangup_when_played: false,
        call_handed_off: false,
        playback: Playback::default(),
        speech_stopped_at: None,
        latencies_ms: Vec::new(),
    };
    let ending = match openai::connect(&ctx.state.openai).await {
        Ok(socket) => relay(&mut ctx, socket, &mut stream).await,
        Err(e) => Ending::OpenAiFailed(e),
    };
    if let Ending::OpenAiFailed(reason) = &ending {
        tracing::warn!(call.id = %ctx.call.id, reason = %reason, "AI agent unavailable; offering voicemail");
        tools::offer_voicemail(&mut ctx).await;
    }
    let _ = ctx.twilio.clone().close(None).await;
    let latency = average(&ctx.latencies_ms);
    tools::finalize(ctx, latency).await;
}

fn average(values: &[u64]) -> Option<i32> {
    if values.is_empty() {
        return None;
    }
    let sum: u64 = values.iter().sum();
    i32::try_from(sum / values.len() as u64).ok()
}

async fn relay(
    ctx: &mut CallContext,
    socket: openai::RealtimeSocket,
    stream: &mut actix_ws::AggregatedMessageStream,
) -> Ending {
    let (mut ai_tx, mut ai_rx) = socket.split();
    let mut opening = vec![agent::session_update(
        &ctx.business,
        &ctx.state.openai.realtime_model,
    )];
    opening.extend(agent::greeting_events(&ctx.business));
    for event in &opening {
        if let Err(e) = openai::send_json(&mut ai_tx, event).await {
            return Ending::OpenAiFailed(e);
        }
    }
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    match on_twilio(ctx, &text, &mut ai_tx).await {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => return Ending::OpenAiFailed(e),
                    }
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    let _ = ctx.twilio.pong(&bytes).await;
                }
                Some(Ok(AggregatedMessage::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            event = ai_rx.next() => match event {
                Some(Ok(Message::Text(text))) => {
                    if let Err(e) = on_openai(ctx, text.as_str(), &mut ai_tx).await {
                        return Ending::OpenAiFailed(e);
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    return Ending::OpenAiFailed("realtime socket closed mid-call".into());
                }
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = ai_tx.send(Message::Close(None)).await;
    Ending::TwilioGone
}

/// Handles one Twilio frame; `Ok(false)` when the stream ended.
async fn on_twilio<S>(ctx: &mut CallContext, text: &str, ai: &mut S) -> Result<bool, String>
where
    S: futures_util::Sink<Message> + Unpin,
{
    let Ok(frame) = serde_json::from_str::<TwilioFrame<'_>>(text) else {
        return Ok(true);
    };
    match frame.event.as_ref() {
        "media" => {
            let Some(media) = frame.media else {
                return Ok(true);
            };
            if let Some(ts) = media.timestamp.as_deref().and_then(|t| t.parse().ok()) {
                ctx.playback.latest_media_ms = ts;
            }
            if frames::is_base64(&media.payload) {
                ai.send(Message::text(frames::append_audio(&media.payload)))
                    .await
                    .map_err(|_| "realtime socket closed".to_string())?;
            }
        }
        "mark" => {
            if let Some(mark) = frame.mark {
                ctx.playback.marks.retain(|m| *m != mark.name);
            }
            if ctx.hangup_when_played && !ctx.audio_pending() {
                ctx.hangup_when_played = false;
                tools::hang_up(ctx).await;
            }
        }
        "stop" => return Ok(false),
        _ => {}
    }
    Ok(true)
}

async fn on_openai<S>(ctx: &mut CallContext, text: &str, ai: &mut S) -> Result<(), String>
where
    S: futures_util::Sink<Message> + Unpin,
{
    let Ok(event) = serde_json::from_str::<ServerEvent<'_>>(text) else {
        tracing::debug!("unreadable realtime event skipped");
        return Ok(());
    };
    match event.kind.as_ref() {
        "response.output_audio.delta" => {
            let (Some(delta), Some(item)) = (event.delta.as_deref(), event.item_id.as_deref())
            else {
                return Ok(());
            };
            forward_audio(ctx, item, delta).await;
        }
        "response.output_audio.done" if ctx.playback.unmarked_bytes > 0 => {
            send_mark(ctx).await;
        }
        "input_audio_buffer.speech_started" => barge_in(ctx, ai).await?,
        "input_audio_buffer.speech_stopped" => ctx.speech_stopped_at = Some(Instant::now()),
        "conversation.item.input_audio_transcription.completed" => {
            push_turn(ctx, Speaker::Caller, event.transcript);
        }
        "response.output_audio_transcript.done" => {
            push_turn(ctx, Speaker::Assistant, event.transcript);
        }
        "response.function_call_arguments.done" => {
            let (Some(call_id), Some(name)) = (event.call_id, event.name) else {
                return Ok(());
            };
            let args = event.arguments.unwrap_or_else(|| "{}".into());
            let outcome = tools::run(ctx, &name, &args).await;
            let output = json!({"type": "conversation.item.create", "item": {
                "type": "function_call_output", "call_id": call_id,
                "output": outcome.output.to_string()}});
            openai::send_json(ai, &output).await?;
            if outcome.respond {
                openai::send_json(ai, &json!({"type": "response.create"})).await?;
            }
        }
        "error" => {
            let e = event.error.as_ref();
            tracing::warn!(
                call.id = %ctx.call.id,
                error.kind = e.and_then(|e| e.kind.as_deref()).unwrap_or(""),
                error.code = e.and_then(|e| e.code.as_deref()).unwrap_or(""),
                error.message = e.and_then(|e| e.message.as_deref()).unwrap_or(""),
                "realtime error event"
            );
            if e.and_then(|e| e.code.as_deref()) == Some("beta_api_shape_disabled") {
                return Err("realtime refused the session shape".into());
            }
        }
        _ => {}
    }
    Ok(())
}

fn push_turn(ctx: &mut CallContext, role: Speaker, text: Option<String>) {
    if let Some(text) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        ctx.transcript.push(TranscriptTurn {
            role,
            text,
            at_ms: Some(ctx.playback.latest_media_ms),
        });
    }
}

async fn forward_audio(ctx: &mut CallContext, item: &str, delta: &str) {
    let p = &mut ctx.playback;
    if p.truncated.as_deref() == Some(item) || !frames::is_base64(delta) {
        return;
    }
    if p.item.as_deref() != Some(item) {
        p.item = Some(item.to_string());
        p.item_started_ms = p.latest_media_ms;
        p.item_bytes = 0;
        if let Some(stopped) = ctx.speech_stopped_at.take() {
            let ms = u64::try_from(stopped.elapsed().as_millis()).unwrap_or(u64::MAX);
            ctx.latencies_ms.push(ms);
        }
    }
    // base64: 4 chars carry 3 bytes
    let bytes = (delta.len() as u64 / 4) * 3;
    let first = p.item_bytes == 0;
    p.item_bytes += bytes;
    p.unmarked_bytes += bytes;
    let _ = ctx
        .twilio
        .text(frames::twilio_media(&ctx.stream_sid, delta))
        .await;
    // mark the first audio of an answer at once, then every ~100 ms of audio
    if first || ctx.playback.unmarked_bytes >= MARK_EVERY_BYTES {
        send_mark(ctx).await;
    }
}

/// 100 ms of 8 kHz mu-law.
const MARK_EVERY_BYTES: u64 = 800;

async fn send_mark(ctx: &mut CallContext) {
    let p = &mut ctx.playback;
    p.mark_seq += 1;
    p.unmarked_bytes = 0;
    let mark = format!("a{}", p.mark_seq);
    let frame = frames::twilio_mark(&ctx.stream_sid, &mark);
    p.marks.push_back(mark);
    let _ = ctx.twilio.text(frame).await;
}

/// The caller started talking over the agent: flush Twilio's queue and cut the
/// assistant item at what the caller actually heard.
async fn barge_in<S>(ctx: &mut CallContext, ai: &mut S) -> Result<(), String>
where
    S: futures_util::Sink<Message> + Unpin,
{
    ctx.speech_stopped_at = None;
    let p = &mut ctx.playback;
    let Some(item) = p.item.take() else {
        return Ok(());
    };
    if p.marks.is_empty() && p.unmarked_bytes == 0 {
        return Ok(());
    }
    let heard_ms = p.latest_media_ms.saturating_sub(p.item_started_ms);
    let audio_end_ms = heard_ms.min(p.item_bytes / 8);
    p.marks.clear();
    p.unmarked_bytes = 0;
    p.truncated = Some(item.clone());
    let _ = ctx.twilio.text(frames::twilio_clear(&ctx.stream_sid)).await;
    openai::send_json(
        ai,
        &json!({"type": "conversation.item.truncate", "item_id": item,
                "content_index": 0, "audio_end_ms": audio_end_ms}),
    )
    .await
}

impl CallContext {
    /// Audio of the agent is still queued or playing at Twilio.
    pub(super) fn audio_pending(&self) -> bool {
        !self.playback.marks.is_empty() || self.playback.unmarked_bytes > 0
    }
}
