//! `GET /api/events` (SSE): only the caller's business, personal notifications
//! only to their user, and replay after `Last-Event-ID`.

use std::time::Duration;

use prosaas_events::{Envelope, EventBus, EventKind};
use prosaas_tenant::repo::event_log;
use prosaas_tenant::{BusinessId, system};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use crate::crm_helpers::{EventStream, Frame};
use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(5);

async fn bus() -> AnyResult<EventBus> {
    Ok(EventBus::connect(&SecretString::from(redis_url())).await?)
}

fn ids(frames: &[Frame]) -> Vec<String> {
    frames.iter().filter_map(|f| f.id.clone()).collect()
}

/// Publishes probes until the stream shows one: the recorder is subscribed.
async fn warm_up(
    bus: &EventBus,
    business: BusinessId,
    stream: &mut EventStream,
) -> AnyResult<Frame> {
    for _ in 0..50 {
        let probe = Envelope::new(
            business.as_uuid(),
            EventKind::LeadUpdated,
            json!({"probe": true}),
        );
        bus.publish(&probe).await?;
        if let Some(f) = stream.next(Duration::from_millis(200)).await?
            && f.id.as_deref() == Some(probe.id.to_string().as_str())
        {
            return Ok(f);
        }
    }
    Err("the event recorder never delivered a probe".into())
}

#[tokio::test]
async fn stream_carries_only_the_callers_business_and_own_notifications() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let bus = bus().await?;
    let agent = app.login("agent@a.test").await?;
    let (st, mut stream) = EventStream::open(&app, Some(&agent), None, None).await?;
    assert_eq!(st, StatusCode::OK);
    warm_up(&bus, t.a.id, &mut stream).await?;

    let a = t.a.id.as_uuid();
    let in_b = Envelope::new(
        t.b.id.as_uuid(),
        EventKind::LeadCreated,
        json!({"lead_id": "b"}),
    );
    let for_admin = Envelope::new(
        a,
        EventKind::NotificationCreated,
        json!({"user_id": t.admin_a.id}),
    );
    let for_agent = Envelope::new(
        a,
        EventKind::NotificationCreated,
        json!({"user_id": t.agent_a.id}),
    );
    let qr = Envelope::new(a, EventKind::WhatsAppQr, json!({"rotation": 1}));
    let due = Envelope::new(a, EventKind::TaskDue, json!({"task_id": "t"}));
    let end = Envelope::new(a, EventKind::CallEnded, json!({"call_id": "c"}));
    for e in [&in_b, &for_admin, &for_agent, &qr, &due, &end] {
        bus.publish(e).await?;
    }
    let frames = stream.until("call.ended", WAIT).await?;
    let want: Vec<String> = [&for_agent, &qr, &due, &end]
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    assert_eq!(ids(&frames), want, "{frames:?}");
    let last = frames
        .last()
        .and_then(|f| f.data.clone())
        .unwrap_or_default();
    assert_eq!(last["business_id"], json!(a));
    assert_eq!(last["kind"], "call.ended");
    assert_eq!(last["data"]["call_id"], "c");
    Ok(())
}

#[tokio::test]
async fn reconnect_with_last_event_id_replays_what_was_missed() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let bus = bus().await?;
    let agent = app.login("agent@a.test").await?;
    let (_, mut stream) = EventStream::open(&app, Some(&agent), None, None).await?;
    let seen = warm_up(&bus, t.a.id, &mut stream).await?;
    let last = seen.id.clone().unwrap_or_default();
    drop(stream); // the browser loses its connection

    let a = t.a.id.as_uuid();
    let missed1 = Envelope::new(a, EventKind::LeadCreated, json!({"lead_id": "1"}));
    let missed_b = Envelope::new(
        t.b.id.as_uuid(),
        EventKind::LeadCreated,
        json!({"lead_id": "b"}),
    );
    let missed2 = Envelope::new(a, EventKind::CallStatus, json!({"call_id": "2"}));
    for e in [&missed1, &missed_b, &missed2] {
        bus.publish(e).await?;
    }
    // wait until the recorder logged them (it keeps running without clients)
    let scope = system::worker_scope(t.a.id);
    let last_uuid: Uuid = last.parse()?;
    for _ in 0..50 {
        let logged = event_log::after(&app.db, &scope, last_uuid, 100)
            .await?
            .unwrap_or_default();
        if logged.iter().any(|e| e.id == missed2.id) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let (st, mut again) = EventStream::open(&app, Some(&agent), None, Some(&last)).await?;
    assert_eq!(st, StatusCode::OK);
    let frames = again.until("call.status", WAIT).await?;
    assert_eq!(
        ids(&frames),
        vec![missed1.id.to_string(), missed2.id.to_string()]
    );
    // then live, without repeating the replayed ones
    let live = Envelope::new(a, EventKind::WhatsAppStatus, json!({"state": "connected"}));
    bus.publish(&live).await?;
    let frames = again.until("whatsapp.status", WAIT).await?;
    assert_eq!(ids(&frames), vec![live.id.to_string()]);

    // an id the log does not know: the client is told to refetch
    let unknown = Uuid::new_v4().to_string();
    let (_, mut stale) = EventStream::open(&app, Some(&agent), None, Some(&unknown)).await?;
    let first = stale.next(WAIT).await?.unwrap_or_default();
    assert_eq!(first.event.as_deref(), Some("reset"));
    Ok(())
}

#[tokio::test]
async fn needs_a_session_or_key_and_is_not_buffered() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let (st, _) = EventStream::open(&app, None, None, None).await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _) = EventStream::open(&app, None, Some("psk_not-a-key"), None).await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let key = app.api_key("owner@a.test").await?;
    let (st, mut stream) = EventStream::open(&app, None, Some(&key), None).await?;
    assert_eq!(st, StatusCode::OK);
    let bus = bus().await?;
    warm_up(&bus, t.a.id, &mut stream).await?;
    let agent = app.login("agent@a.test").await?;
    let res = app
        .http
        .get(format!("{}/api/events", app.base))
        .header("cookie", agent.cookie.clone().unwrap_or_default())
        .send()
        .await?;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-type").starts_with("text/event-stream"));
    assert_eq!(header("cache-control"), "no-cache");
    assert_eq!(header("x-accel-buffering"), "no");
    // a system admin must name the business
    let root = app.login("root@prosaas.test").await?;
    let (st, _) = EventStream::open(&app, Some(&root), None, None).await?;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    Ok(())
}
