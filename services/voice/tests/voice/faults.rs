//! OpenAI unreachable or failing mid-call: the caller hears an apology and is
//! offered voicemail; the call and the transcript so far are kept.

use prosaas_fakes::{CallerScript, Step};
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
        sent.contains("<Say language=\"he-IL\">") && sent.contains("<Record "),
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
