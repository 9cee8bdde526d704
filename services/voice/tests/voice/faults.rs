//! OpenAI unreachable or failing mid-call: the caller hears an apology and is
//! offered voicemail; the call and the transcript so far are kept.

use std::time::Duration;

use prosaas_fakes::{CallerScript, FakeRealtime, Step};
use prosaas_tenant::repo::calls::{self, CallFilter, CallStatus, Speaker};

use crate::helpers::*;

fn voicemail_request(v: &TestVoice, sid: &str) -> Option<String> {
    v.apis
        .requests()
        .into_iter()
        .find(|r| r.path == format!("/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}.json"))
        .and_then(|r| r.field("Twiml").map(String::from))
}

#[tokio::test]
async fn openai_down_offers_voicemail_and_keeps_the_call() -> TestResult {
    let v = spawn_voice(None).await?;
    let sid = "CA00000000000000000000000000000c01";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let report = v
        .sim
        .stream(
            &twiml,
            sid,
            CallerScript::new().silence(200).wait_for_server(),
        )
        .await?;
    assert!(report.closed_by_server);
    let sent = voicemail_request(&v, sid).ok_or("voicemail redirect")?;
    assert!(
        sent.contains("language=\"he-IL\">") && sent.contains("<Record "),
        "{sent}"
    );
    assert!(sent.contains(
        "recordingStatusCallback=\"https://voice.prosaas.test/webhook/handle_recording\""
    ));
    let sa = v.scope(&v.a).await?;
    let page = calls::list(&v.db, &sa, CallFilter::default()).await?;
    let call = page.items.first().ok_or("call kept")?;
    assert_eq!(call.status, CallStatus::InProgress);
    Ok(())
}

#[tokio::test]
async fn openai_failing_mid_call_keeps_the_transcript_so_far() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום, במה אפשר לעזור?", 200, 1),
        Step::AwaitCaller("אני צריך עזרה".into()),
        Step::Fail,
    ]))
    .await?;
    let sid = "CA00000000000000000000000000000c02";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new()
        .silence(400)
        .speech(300)
        .silence(600)
        .wait_for_server();
    let report = v.sim.stream(&twiml, sid, script).await?;
    assert!(report.closed_by_server);
    assert!(voicemail_request(&v, sid).is_some_and(|t| t.contains("<Record ")));
    let sa = v.scope(&v.a).await?;
    let id = calls::list(&v.db, &sa, CallFilter::default())
        .await?
        .items
        .first()
        .ok_or("call kept")?
        .id;
    eventually("transcript saved", || {
        let (db, sa) = (v.db.clone(), sa.clone());
        async move {
            calls::get(&db, &sa, id).await.is_ok_and(|c| {
                let t = c.transcript.unwrap_or_default();
                t.iter().any(|x| x.role == Speaker::Assistant)
                    && t.iter()
                        .any(|x| x.role == Speaker::Caller && x.text == "אני צריך עזרה")
            })
        }
    })
    .await
}

#[tokio::test]
async fn openai_hanging_on_connect_times_out_into_voicemail() -> TestResult {
    let v = spawn_voice_with(
        Some(FakeRealtime::black_hole().await?),
        Duration::from_millis(500),
    )
    .await?;
    let sid = "CA00000000000000000000000000000c03";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let report = v
        .sim
        .stream(
            &twiml,
            sid,
            CallerScript::new().silence(200).wait_for_server(),
        )
        .await?;
    assert!(report.closed_by_server);
    assert!(voicemail_request(&v, sid).is_some_and(|t| t.contains("<Record ")));
    Ok(())
}

#[tokio::test]
async fn recoverable_openai_errors_do_not_end_the_call() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום", 200, 1),
        Step::Error {
            code: "rate_limit_exceeded".into(),
            message: "slow down".into(),
        },
        Step::AwaitCaller("עדיין כאן".into()),
        say("כן, אני כאן", 200, 2),
    ]))
    .await?;
    let sid = "CA00000000000000000000000000000c04";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new().silence(400).speech(300).silence(900);
    let report = v.sim.stream(&twiml, sid, script).await?;
    assert!(!report.closed_by_server);
    assert!(
        report.played_after(2, 0) > 0,
        "the call went on after the error"
    );
    assert!(voicemail_request(&v, sid).is_none());
    Ok(())
}

#[tokio::test]
async fn a_dropped_twilio_socket_closes_the_ai_session_and_finalizes_the_call() -> TestResult {
    let v = spawn_voice(Some(vec![
        say("שלום", 200, 1),
        Step::AwaitCaller("הלו?".into()),
        say("אני כאן", 2000, 2),
    ]))
    .await?;
    let sid = "CA00000000000000000000000000000c05";
    let twiml = v.ring(sid, NUMBER_A).await?;
    let script = CallerScript::new()
        .silence(400)
        .speech(300)
        .silence(300)
        .drop_socket();
    v.sim.stream(&twiml, sid, script).await?;
    eventually("AI session closed", || {
        let closed = v.realtime_log().closed;
        async move { closed == 1 }
    })
    .await?;
    let sa = v.scope(&v.a).await?;
    let id = calls::list(&v.db, &sa, CallFilter::default())
        .await?
        .items
        .first()
        .ok_or("call kept")?
        .id;
    eventually("transcript saved", || {
        let (db, sa) = (v.db.clone(), sa.clone());
        async move {
            calls::get(&db, &sa, id).await.is_ok_and(|c| {
                c.transcript
                    .unwrap_or_default()
                    .iter()
                    .any(|t| t.text == "הלו?")
            })
        }
    })
    .await
}
