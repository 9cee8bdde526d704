//! The agent's tools, the voicemail fallback, and what happens when a call ends
//! (transcript, summary, lead notes). Never awaits Twilio or OpenAI inside a
//! database transaction: each repository call is its own short unit of work.

use chrono::{DateTime, Utc};
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::domain::LeadChanges;
use prosaas_tenant::repo::calls::{self, BusinessNotice, CallDirection, CallerDetails};
use prosaas_tenant::repo::leads;
use prosaas_twilio::CallUpdate;
use prosaas_twilio::twiml::{Response, Verb};
use serde::Deserialize;
use serde_json::{Value, json};

use super::relay::CallContext;
use crate::agent;

/// What a tool answered, and whether the model should speak next.
pub(super) struct ToolOutcome {
    pub output: Value,
    pub respond: bool,
}

fn reply(output: Value) -> ToolOutcome {
    ToolOutcome {
        output,
        respond: true,
    }
}

#[derive(Deserialize, Default)]
struct LeadArgs {
    name: Option<String>,
    need: Option<String>,
    callback_time: Option<String>,
}

#[derive(Deserialize, Default)]
struct CallbackArgs {
    when: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize, Default)]
struct TransferArgs {
    summary: Option<String>,
}

const TRANSFER_HE: &str = "אני מעביר אתכם לנציג, רגע אחד בבקשה.";
const VOICEMAIL_HE: &str =
    "מצטערים, הנציג הדיגיטלי אינו זמין כרגע. השאירו הודעה אחרי הצליל ונחזור אליכם בהקדם.";

/// The caller's number: `From` of an inbound call, `To` of an outbound one.
fn caller_phone(ctx: &CallContext) -> Option<String> {
    let phone = match ctx.call.direction {
        CallDirection::Inbound => &ctx.call.from_phone,
        CallDirection::Outbound => &ctx.call.to_phone,
    };
    prosaas_common::E164Phone::parse(phone)
        .ok()
        .map(|p| p.as_str().to_string())
}

/// Runs one tool call of the model.
pub(super) async fn run(ctx: &mut CallContext, name: &str, arguments: &str) -> ToolOutcome {
    tracing::info!(call.id = %ctx.call.id, tool = name, "agent tool call");
    match name {
        "create_or_update_lead" => {
            let args: LeadArgs = serde_json::from_str(arguments).unwrap_or_default();
            lead(ctx, args).await
        }
        "schedule_callback" => {
            let args: CallbackArgs = serde_json::from_str(arguments).unwrap_or_default();
            callback(ctx, args).await
        }
        "transfer_to_human" => {
            let args: TransferArgs = serde_json::from_str(arguments).unwrap_or_default();
            transfer(ctx, args).await
        }
        "end_call" => {
            if ctx.audio_pending() {
                ctx.hangup_when_played = true;
            } else {
                hang_up(ctx).await;
            }
            ToolOutcome {
                output: json!({"ok": true}),
                respond: false,
            }
        }
        other => reply(json!({"ok": false, "error": format!("unknown tool {other}")})),
    }
}

async fn lead(ctx: &mut CallContext, args: LeadArgs) -> ToolOutcome {
    let details = CallerDetails {
        phone: caller_phone(ctx),
        name: args.name,
        need: args.need,
        callback_time: args.callback_time,
    };
    match calls::record_caller(&ctx.state.db, &ctx.scope, ctx.call.id, details).await {
        Ok((lead, created)) => {
            ctx.lead_id = Some(lead.id);
            let kind = if created {
                EventKind::LeadCreated
            } else {
                EventKind::LeadUpdated
            };
            ctx.state
                .bus
                .publish(Envelope::new(
                    ctx.scope.business_id().as_uuid(),
                    kind,
                    json!({"lead_id": lead.id, "source": "call", "call_id": ctx.call.id}),
                ))
                .await;
            reply(json!({"ok": true, "lead_id": lead.id, "created": created}))
        }
        Err(e) => {
            tracing::error!(error = %e, call.id = %ctx.call.id, "lead not saved");
            reply(json!({"ok": false, "error": "could not save the details"}))
        }
    }
}

async fn callback(ctx: &mut CallContext, args: CallbackArgs) -> ToolOutcome {
    let due_at = args
        .when
        .as_deref()
        .and_then(|w| DateTime::parse_from_rfc3339(w).ok())
        .map(|d| d.with_timezone(&Utc));
    let note = args.note.unwrap_or_default();
    let title = match note.trim() {
        "" => "חזרה ללקוח משיחה".to_string(),
        n => format!("חזרה ללקוח: {}", n.chars().take(120).collect::<String>()),
    };
    let description = format!("Call {}: {}", ctx.call.id, note);
    match calls::schedule_callback(
        &ctx.state.db,
        &ctx.scope,
        ctx.lead_id,
        &title,
        &description,
        due_at,
    )
    .await
    {
        Ok(id) => reply(json!({"ok": true, "task_id": id, "due_at": due_at})),
        Err(e) => {
            tracing::error!(error = %e, call.id = %ctx.call.id, "callback task not created");
            reply(json!({"ok": false, "error": "could not schedule the callback"}))
        }
    }
}

async fn transfer(ctx: &mut CallContext, args: TransferArgs) -> ToolOutcome {
    let (Some(target), Some(client), Some(sid)) = (
        ctx.business.fallback_phone.clone(),
        ctx.state.twilio.clone(),
        ctx.call.call_sid.clone(),
    ) else {
        return reply(json!({"ok": false,
            "error": "no human is available for transfer; offer a callback instead"}));
    };
    let twiml = Response::new()
        .say(TRANSFER_HE, Some(crate::agent::SAY_VOICE_HE), Some("he-IL"))
        .verb(Verb::Dial {
            number: target,
            caller_id: ctx.business.twilio_phone_number.clone(),
        })
        .to_xml();
    match client.update_call(&sid, &CallUpdate::Twiml(twiml)).await {
        Ok(_) => {
            ctx.call_handed_off = true;
            let summary = args.summary.unwrap_or_default();
            let notice = BusinessNotice {
                kind: "call.transfer".into(),
                title: "שיחה הועברה אליכם".into(),
                body: summary,
                link: Some(format!("/calls/{}", ctx.call.id)),
                data: json!({"call_id": ctx.call.id, "lead_id": ctx.lead_id}),
            };
            if let Ok(id) = calls::notify_business(&ctx.state.db, &ctx.scope, notice).await {
                ctx.state
                    .bus
                    .publish(Envelope::new(
                        ctx.scope.business_id().as_uuid(),
                        EventKind::NotificationCreated,
                        json!({"notification_id": id, "kind": "call.transfer", "call_id": ctx.call.id}),
                    ))
                    .await;
            }
            ToolOutcome {
                output: json!({"ok": true}),
                respond: false,
            }
        }
        Err(e) => {
            tracing::error!(error = %e, call.id = %ctx.call.id, "transfer failed");
            reply(json!({"ok": false, "error": "transfer failed; offer a callback instead"}))
        }
    }
}

/// Ends the call through the REST API (the stream then stops).
pub(super) async fn hang_up(ctx: &mut CallContext) {
    if ctx.call_handed_off {
        return;
    }
    ctx.call_handed_off = true;
    match (ctx.state.twilio.clone(), ctx.call.call_sid.clone()) {
        (Some(client), Some(sid)) => {
            if let Err(e) = client.update_call(&sid, &CallUpdate::Hangup).await {
                tracing::error!(error = %e, call.id = %ctx.call.id, "hang-up failed");
            }
        }
        _ => tracing::warn!(call.id = %ctx.call.id, "cannot hang up: Twilio REST not configured"),
    }
}

/// The TwiML the caller gets when the agent is unavailable: apology, voicemail.
pub fn voicemail_twiml(ctx_callback: &str) -> String {
    Response::new()
        .say(
            VOICEMAIL_HE,
            Some(crate::agent::SAY_VOICE_HE),
            Some("he-IL"),
        )
        .verb(Verb::Record {
            action: Some(ctx_callback.to_string()),
            max_length: 120,
            status_callback: ctx_callback.to_string(),
        })
        .verb(Verb::Hangup)
        .to_xml()
}

/// OpenAI is down: redirect the live call to the apology + voicemail TwiML.
pub(super) async fn offer_voicemail(ctx: &mut CallContext) {
    if ctx.call_handed_off {
        return;
    }
    let twiml = voicemail_twiml(&ctx.state.public_url("/webhook/handle_recording"));
    match (ctx.state.twilio.clone(), ctx.call.call_sid.clone()) {
        (Some(client), Some(sid)) => {
            match client.update_call(&sid, &CallUpdate::Twiml(twiml)).await {
                Ok(_) => ctx.call_handed_off = true,
                Err(e) => {
                    tracing::error!(error = %e, call.id = %ctx.call.id, "voicemail redirect failed")
                }
            }
        }
        _ => {
            tracing::warn!(call.id = %ctx.call.id, "cannot offer voicemail: Twilio REST not configured")
        }
    }
}

/// Saves the transcript now, then summarises in the background and stores the
/// summary on the call and the lead.
pub(super) async fn finalize(ctx: CallContext, first_response_ms: Option<i32>) {
    let CallContext {
        state,
        scope,
        call,
        business,
        transcript,
        lead_id,
        ..
    } = ctx;
    if let Err(e) =
        calls::save_transcript(&state.db, &scope, call.id, &transcript, first_response_ms).await
    {
        tracing::error!(error = %e, call.id = %call.id, "transcript not saved");
    }
    actix_web::rt::spawn(async move {
        let Some(summary) =
            agent::summarize(state.chat.as_ref(), &business.ai_language, &transcript).await
        else {
            return;
        };
        if let Err(e) = calls::set_summary(&state.db, &scope, call.id, &summary).await {
            tracing::error!(error = %e, call.id = %call.id, "summary not saved");
        }
        if let Some(lead) = lead_id {
            let notes = match leads::get(&state.db, &scope, lead).await {
                Ok(l) if l.notes.trim().is_empty() => format!("סיכום שיחה: {summary}"),
                Ok(l) => format!("{}\nסיכום שיחה: {summary}", l.notes),
                Err(_) => return,
            };
            let changes = LeadChanges {
                notes: Some(notes),
                ..LeadChanges::default()
            };
            if let Err(e) = leads::update(&state.db, &scope, lead, changes).await {
                tracing::error!(error = %e, call.id = %call.id, "lead summary not saved");
            }
        }
    });
}
