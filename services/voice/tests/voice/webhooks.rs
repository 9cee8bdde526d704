//! Webhook behaviour: signatures, methods, unknown numbers, status and recording
//! callbacks, the outbound answer.

use prosaas_events::EventKind;
use prosaas_tenant::repo::calls::{self, CallDirection, CallFilter, CallStatus, NewCall};

use crate::helpers::*;

#[tokio::test]
async fn unknown_number_gets_a_polite_hebrew_goodbye_and_no_call_row() -> TestResult {
    let v = spawn_voice(Some(vec![])).await?;
    let twiml = v
        .ring("CA00000000000000000000000000000a01", "+15005550999")
        .await?;
    assert!(
        twiml.contains(r#"<Say voice="Google.he-IL-Standard-A" language="he-IL">"#),
        "{twiml}"
    );
    assert!(
        twiml.contains("<Hangup/>") && !twiml.contains("<Stream"),
        "{twiml}"
    );
    for b in [&v.a, &v.b] {
        let page = calls::list(&v.db, &v.scope(b).await?, CallFilter::default()).await?;
        assert_eq!(page.total, 0);
    }
    Ok(())
}

#[tokio::test]
async fn signatures_are_checked_and_other_methods_get_405_with_allow() -> TestResult {
    let v = spawn_voice(Some(vec![])).await?;
    let params = v
        .sim
        .incoming_params("CA00000000000000000000000000000a02", CALLER, NUMBER_A);
    for sig in [None, Some("bm90IGEgc2lnbmF0dXJl")] {
        let (status, body) = v
            .sim
            .webhook_with_signature("/webhook/incoming_call", &params, sig)
            .await?;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("invalid_twilio_signature"));
    }
    // signed for another URL (e.g. a different path) fails too
    let wrong = v.sim.sign("/webhook/call_status", &params);
    let (status, _) = v
        .sim
        .webhook_with_signature("/webhook/incoming_call", &params, Some(&wrong))
        .await?;
    assert_eq!(status, 403);
    // nothing was recorded for a refused request
    let page = calls::list(&v.db, &v.scope(&v.a).await?, CallFilter::default()).await?;
    assert_eq!(page.total, 0);

    let http = reqwest::Client::new();
    for path in [
        "/webhook/incoming_call",
        "/webhook/call_status",
        "/webhook/handle_recording",
    ] {
        let res = http
            .get(format!("{}{path}", v.sim.voice_base))
            .send()
            .await?;
        assert_eq!(res.status().as_u16(), 405, "{path}");
        assert_eq!(
            res.headers().get("allow").and_then(|h| h.to_str().ok()),
            Some("POST")
        );
    }
    // behind nginx: the URL rebuilt from X-Forwarded-Proto + Host is accepted
    let signed_for = prosaas_twilio::signature::compute(
        TOKEN,
        "https://edge.example.test/webhook/incoming_call",
        &params,
    );
    let res = http
        .post(format!("{}/webhook/incoming_call", v.sim.voice_base))
        .header("host", "edge.example.test")
        .header("x-forwarded-proto", "https")
        .header("x-twilio-signature", signed_for)
        .form(&params)
        .send()
        .await?;
    assert_eq!(res.status().as_u16(), 200);
    Ok(())
}

/// Twilio's own Python helper signs our URL; we must accept it.
#[tokio::test]
async fn python_twilio_request_validator_signatures_are_accepted() -> TestResult {
    let v = spawn_voice(Some(vec![])).await?;
    let params = v
        .sim
        .incoming_params("CA00000000000000000000000000000a03", CALLER, NUMBER_A);
    let url = format!("{PUBLIC}/webhook/incoming_call");
    let json_params = serde_json::to_string(
        &params
            .iter()
            .cloned()
            .collect::<std::collections::BTreeMap<String, String>>(),
    )?;
    let script = "import json,sys\nfrom twilio.request_validator import RequestValidator\n\
                  print(RequestValidator(sys.argv[1]).compute_signature(sys.argv[2], json.loads(sys.argv[3])))";
    let out = std::process::Command::new("python3")
        .args(["-c", script, TOKEN, &url, &json_params])
        .output();
    let signature = match out {
        Ok(o) if o.status.success() => String::from_utf8(o.stdout)?.trim().to_string(),
        _ => {
            println!(
                "SKIPPED python_twilio_request_validator: python3 with the `twilio` package is not installed (pip install twilio)"
            );
            return Ok(());
        }
    };
    assert_eq!(signature, v.sim.sign("/webhook/incoming_call", &params));
    let (status, body) = v
        .sim
        .webhook_with_signature("/webhook/incoming_call", &params, Some(&signature))
        .await?;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<Connect><Stream"));
    Ok(())
}

#[tokio::test]
async fn missed_call_writes_a_notification_and_publishes_it_once() -> TestResult {
    let v = spawn_voice(Some(vec![])).await?;
    let seen = listen(&v.a).await?;
    let sid = "CA00000000000000000000000000000a04";
    let twiml = v.ring(sid, NUMBER_A).await?;
    assert!(
        twiml.contains("<Connect><Stream url=\"wss://voice.prosaas.test/ws/media\">"),
        "{twiml}"
    );
    assert!(twiml.contains("<Parameter name=\"token\""));
    // the number is normalised; the call belongs to A only
    let sa = v.scope(&v.a).await?;
    let page = calls::list(&v.db, &sa, CallFilter::default()).await?;
    let call = page.items.first().ok_or("no call row")?.clone();
    assert_eq!(
        (call.direction, call.status, call.from_phone.as_str()),
        (CallDirection::Inbound, CallStatus::Ringing, CALLER)
    );
    let sb = v.scope(&v.b).await?;
    assert_eq!(
        calls::list(&v.db, &sb, CallFilter::default()).await?.total,
        0
    );

    assert_eq!(v.status(sid, "no-answer", None).await?, 204);
    assert_eq!(
        v.status(sid, "no-answer", None).await?,
        204,
        "repeat is harmless"
    );
    assert_eq!(
        v.status(sid, "ringing", None).await?,
        204,
        "late is harmless"
    );
    let call = calls::get(&v.db, &sa, call.id).await?;
    assert_eq!(call.status, CallStatus::NoAnswer);
    assert!(call.ended_at.is_some());
    let notes = calls::notifications_of_kind(&v.db, &sa, "call.missed").await?;
    assert_eq!(notes.len(), 1, "one notification for one missed call");
    assert!(
        calls::notifications_of_kind(&v.db, &sb, "call.missed")
            .await?
            .is_empty()
    );
    eventually("notification.created event", || {
        let seen = seen.clone();
        async move { kinds(&seen).contains(&EventKind::NotificationCreated) }
    })
    .await?;
    let k = kinds(&seen);
    assert_eq!(k.iter().filter(|k| **k == EventKind::CallEnded).count(), 1);
    Ok(())
}

#[tokio::test]
async fn recording_callback_is_stored_and_outbound_answer_connects_the_agent() -> TestResult {
    let v = spawn_voice(Some(vec![])).await?;
    let sid = "CA00000000000000000000000000000a05";
    v.ring(sid, NUMBER_A).await?;
    let params: Vec<(String, String)> = [
        ("AccountSid", ACCOUNT),
        ("CallSid", sid),
        ("RecordingSid", "RE00000000000000000000000000000001"),
        (
            "RecordingUrl",
            "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1",
        ),
        ("RecordingStatus", "completed"),
        ("RecordingDuration", "17"),
        ("RecordingChannels", "2"),
        ("RecordingSource", "StartCallRecordingAPI"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (status, body) = v.sim.webhook("/webhook/handle_recording", &params).await?;
    assert_eq!(status, 200);
    assert!(body.contains("<Response></Response>"));
    let sa = v.scope(&v.a).await?;
    let call = calls::list(&v.db, &sa, CallFilter::default()).await?;
    let call = call.items.first().ok_or("no call")?;
    assert!(call.has_recording);
    assert_eq!(call.recording_duration_seconds, Some(17));

    // an outbound call placed by the api: Twilio asks what to do when answered
    let out = calls::create(
        &v.db,
        &sa,
        NewCall {
            direction: CallDirection::Outbound,
            call_sid: Some("CA00000000000000000000000000000a06".into()),
            from_phone: NUMBER_A.into(),
            to_phone: CALLER.into(),
            status: CallStatus::Queued,
            lead_id: None,
        },
    )
    .await?;
    let mut params = v
        .sim
        .incoming_params("CA00000000000000000000000000000a06", NUMBER_A, CALLER);
    params.retain(|(k, _)| k != "Direction");
    params.push(("Direction".into(), "outbound-api".into()));
    let (status, twiml) = v.sim.webhook("/webhook/incoming_call", &params).await?;
    assert_eq!(status, 200);
    assert!(
        twiml.contains(&format!(
            "<Parameter name=\"call_id\" value=\"{}\"/>",
            out.id
        )),
        "{twiml}"
    );
    Ok(())
}

/// `VALIDATE_TWILIO_SIGNATURE=false` (development): unsigned requests are served,
/// e.g. `curl -X POST http://localhost/webhook/incoming_call` answers 200.
#[tokio::test]
async fn validation_switched_off_accepts_unsigned_requests() -> TestResult {
    let v = spawn_voice_opts(None, std::time::Duration::from_secs(1), false).await?;
    let params = v
        .sim
        .incoming_params("CA00000000000000000000000000000a07", CALLER, NUMBER_A);
    let (status, body) = v
        .sim
        .webhook_with_signature("/webhook/incoming_call", &params, None)
        .await?;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<Connect><Stream"));
    let (status, _) = v
        .sim
        .webhook_with_signature("/webhook/incoming_call", &[], None)
        .await?;
    assert_eq!(
        status, 400,
        "a POST without CallSid is a client error, not a 5xx"
    );
    Ok(())
}
