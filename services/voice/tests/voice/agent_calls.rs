//! The AI agent on a simulated call: lead for the right business only,
//! transcript, summary, callback task, barge-in, transfer, hang-up, forged tokens.

use prosaas_common::E164Phone;
use prosaas_events::EventKind;
use prosaas_fakes::{CallerScript, Step};
use prosaas_tenant::domain::{BusinessChanges, LeadFilter};
use prosaas_tenant::repo::calls::{self, CallFilter, CallStatus, Speaker};
use prosaas_tenant::repo::leads;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn inbound_call_creates_the_lead_for_the_right_business_with_transcript_and_summary()
-> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום, הגעתם לאלפא. איך אפשר לעזור?", 300, 1),
        Step::AwaitCaller("שמי דנה ואני צריכה הצעת מחיר".into()),
        Step::Tool {
            name: "create_or_update_lead".into(),
            arguments: json!({"name": "דנה", "need": "הצעת מחיר"}),
        },
        say("תודה דנה, מתי נוח לחזור אלייך?", 300, 2),
        Step::AwaitCaller("מחר בעשר".into()),
        Step::Tool {
            name: "schedule_callback".into(),
            arguments: json!({"when": "2026-11-26T10:00:00+02:00", "note": "הצעת מחיר"}),
        },
        say("מעולה, נחזור אלייך מחר.", 200, 3),
    ]))
    .await?;
    let seen = listen(&v.a).await?;
    let sid = "CA00000000000000000000000000000b01";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new()
        .silence(600)
        .speech(400)
        .silence(1200)
        .speech(300)
        .silence(1200);
    let report = v.sim.stream(&twiml, sid, script).await?;
    assert!(report.media_received > 0, "the agent spoke");
    assert_eq!(
        report.bad_stream_sid, 0,
        "every frame carried the streamSid"
    );
    assert!(report.marks_echoed > 0);
    assert_eq!(v.status(sid, "completed", Some("12")).await?, 204);

    let sa = v.scope(&v.a).await?;
    let call = calls::list(&v.db, &sa, CallFilter::default()).await?;
    let call_id = call.items.first().ok_or("no call")?.id;
    eventually("summary stored", || {
        let (db, sa) = (v.db.clone(), sa.clone());
        async move {
            calls::get(&db, &sa, call_id)
                .await
                .is_ok_and(|c| c.summary.is_some())
        }
    })
    .await?;
    let call = calls::get(&v.db, &sa, call_id).await?;
    assert_eq!(
        (call.status, call.duration_seconds),
        (CallStatus::Completed, Some(12))
    );
    assert!(call.first_response_ms.is_some(), "latency measured");
    let transcript = call.transcript.clone().unwrap_or_default();
    assert!(
        transcript
            .iter()
            .any(|t| t.role == Speaker::Caller && t.text.contains("דנה"))
    );
    assert!(
        transcript
            .iter()
            .any(|t| t.role == Speaker::Assistant && t.text.contains("מחר"))
    );
    assert_eq!(call.summary.as_deref(), Some("המתקשר ביקש הצעת מחיר."));

    let lead_id = call.lead_id.ok_or("call linked to a lead")?;
    let lead = leads::get(&v.db, &sa, lead_id).await?;
    assert_eq!(lead.name, "דנה");
    assert_eq!(
        lead.phone.as_deref(),
        Some(E164Phone::parse(CALLER)?.as_str())
    );
    assert!(lead.notes.contains("הצעת מחיר"));
    eventually("lead notes carry the summary", || {
        let (db, sa) = (v.db.clone(), sa.clone());
        async move {
            leads::get(&db, &sa, lead_id)
                .await
                .is_ok_and(|l| l.notes.contains("סיכום שיחה"))
        }
    })
    .await?;
    let tasks = calls::callback_tasks(&v.db, &sa, lead_id).await?;
    assert_eq!(tasks.len(), 1);
    assert!(tasks.first().and_then(|t| t.2).is_some(), "due time parsed");

    // nothing leaked to the other business
    let sb = v.scope(&v.b).await?;
    assert_eq!(
        leads::list(
            &v.db,
            &sb,
            LeadFilter {
                page: 1,
                per_page: 50,
                ..LeadFilter::default()
            }
        )
        .await?
        .total,
        0
    );
    assert_eq!(
        calls::list(&v.db, &sb, CallFilter::default()).await?.total,
        0
    );

    // the session spoke GA realtime with mu-law and a locked language
    let log = v.realtime_log();
    assert!(!log.beta_header, "no OpenAI-Beta header");
    assert_eq!(
        log.authorization.first().cloned().flatten().as_deref(),
        Some("Bearer sk-test")
    );
    assert!(
        log.paths
            .first()
            .is_some_and(|p| p.contains("model=gpt-realtime"))
    );
    let update = log.of_type("session.update");
    let session = &update.first().ok_or("session.update")?["session"];
    assert_eq!(session["audio"]["input"]["format"]["type"], "audio/pcmu");
    assert!(
        session["instructions"]
            .as_str()
            .unwrap_or("")
            .contains("Always speak Hebrew")
    );
    assert_eq!(
        log.of_type("conversation.item.create").len(),
        3,
        "greeting + 2 tool outputs"
    );
    assert!(log.appends > 100, "caller audio relayed");

    eventually("call events", || {
        let seen = seen.clone();
        async move {
            let k = kinds(&seen);
            k.contains(&EventKind::CallStarted)
                && k.contains(&EventKind::LeadCreated)
                && k.contains(&EventKind::CallEnded)
        }
    })
    .await?;
    // the summary request carried the transcript to chat completions
    let chat = v
        .apis
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/chat/completions")
        .ok_or("summary requested")?;
    assert!(
        chat.json
            .map(|j| j.to_string().contains("דנה"))
            .unwrap_or(false)
    );
    Ok(())
}

#[tokio::test]
async fn barge_in_clears_twilio_and_truncates_at_the_audio_played() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום", 200, 1),
        Step::AwaitCaller("ספרו לי על המחירים".into()),
        say("תשובה ארוכה מאוד", 4000, 2),
        Step::AwaitCaller("רגע".into()),
        say("כן?", 300, 3),
        Step::AwaitCaller("סיימתי".into()),
    ]))
    .await?;
    let sid = "CA00000000000000000000000000000b02";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new()
        .silence(400)
        .speech(300)
        .silence(1100)
        .speech(300)
        .silence(1400);
    let report = v.sim.stream(&twiml, sid, script).await?;
    let clear_at = *report.clears_at_ms.first().ok_or("Twilio got a clear")?;
    assert_eq!(
        report.played_after(2, clear_at + 20),
        0,
        "the old answer never continues after the clear"
    );
    assert!(report.played_after(2, 0) > 0, "part of it was heard");
    assert!(
        report.played_after(3, clear_at) > 0,
        "the next answer plays"
    );
    let truncate = v.realtime_log().of_type("conversation.item.truncate");
    let t = truncate.first().ok_or("truncate sent")?;
    let end_ms = t["audio_end_ms"].as_u64().unwrap_or(0);
    let heard_ms = (report.played_after(2, 0) / 8) as u64;
    assert!(
        end_ms > 0 && end_ms < 4000,
        "cut inside the answer: {end_ms}"
    );
    assert!(
        end_ms <= heard_ms + 200,
        "cut at what was heard: {end_ms} vs {heard_ms}"
    );
    assert_eq!(t["content_index"], 0);
    Ok(())
}

#[tokio::test]
async fn transfer_to_human_redirects_the_live_call_through_rest() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום", 200, 1),
        Step::AwaitCaller("אני רוצה לדבר עם נציג".into()),
        Step::Tool {
            name: "transfer_to_human".into(),
            arguments: json!({"summary": "רוצה נציג לגבי הזמנה"}),
        },
    ]))
    .await?;
    v.change_business(
        &v.a,
        BusinessChanges {
            fallback_phone: Some(Some(E164Phone::parse(FALLBACK_A)?)),
            ..business_changes()
        },
    )
    .await?;
    let sid = "CA00000000000000000000000000000b03";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new().silence(400).speech(300).silence(800);
    v.sim.stream(&twiml, sid, script).await?;
    let update = v
        .apis
        .requests()
        .into_iter()
        .find(|r| r.path == format!("/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}.json"))
        .ok_or("REST update of the live call")?;
    assert!(update.authorized, "basic auth with the account credentials");
    let sent = update.field("Twiml").unwrap_or("");
    assert!(
        sent.contains(&format!(
            "<Dial callerId=\"{NUMBER_A}\">{FALLBACK_A}</Dial>"
        )),
        "{sent}"
    );
    let sa = v.scope(&v.a).await?;
    assert_eq!(
        calls::notifications_of_kind(&v.db, &sa, "call.transfer")
            .await?
            .len(),
        1
    );
    Ok(())
}

#[tokio::test]
async fn end_call_hangs_up_after_the_goodbye_and_forged_tokens_are_refused() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום", 200, 1),
        Step::AwaitCaller("זה הכל, תודה".into()),
        say("להתראות", 300, 2),
        Step::Tool {
            name: "end_call".into(),
            arguments: json!({}),
        },
    ]))
    .await?;
    let sid = "CA00000000000000000000000000000b04";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new().silence(400).speech(300).silence(1500);
    let report = v.sim.stream(&twiml, sid, script).await?;
    assert!(
        report.played_after(2, 0) >= 300 * 8 - 160,
        "goodbye played before hang-up"
    );
    let hangup = v
        .apis
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with(&format!("Calls/{sid}.json")))
        .ok_or("hang-up requested")?;
    assert_eq!(hangup.field("Status"), Some("completed"));

    // a token for another call, or a tampered one, opens nothing
    let connections = v.realtime_log().paths.len();
    let forged = twiml.replace("token\" value=\"", "token\" value=\"x");
    let report = v
        .sim
        .stream(
            &forged,
            sid,
            CallerScript::new().silence(400).wait_for_server(),
        )
        .await?;
    assert!(report.closed_by_server);
    assert_eq!(report.media_received, 0);
    assert_eq!(
        v.realtime_log().paths.len(),
        connections,
        "no AI session opened"
    );
    Ok(())
}
