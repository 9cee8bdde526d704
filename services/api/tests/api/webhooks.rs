//! Outgoing webhooks: subscriptions (manager-only, cross-tenant 404), and the
//! durable outbox: signed deliveries a local receiver verifies, retries with
//! backoff while the receiver fails, and no loss while Redis is down.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, KeyInit, Mac};
use prosaas_api::startup::{ApiState, AppParts, Application};
use prosaas_api::workers::{WorkerSettings, webhook_delivery};
use prosaas_events::BusHandle;
use prosaas_tenant::Db;
use prosaas_test_support::TestDatabase;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::*;

/// What the receiver got: headers of interest and the raw body.
#[derive(Debug, Clone)]
pub struct Received {
    pub event: String,
    pub delivery: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Vec<u8>,
}

/// A webhook receiver on port 0 (stands in for n8n's Webhook node).
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer, in order; 200 once empty.
    pub answers: Arc<Mutex<VecDeque<u16>>>,
}

struct ReceiverState {
    got: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<ReceiverState>,
) -> HttpResponse {
    let h = |n: &str| {
        req.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    if let Ok(mut got) = state.got.lock() {
        got.push(Received {
            event: h("x-prosaas-event"),
            delivery: h("x-prosaas-delivery"),
            timestamp: h("x-prosaas-timestamp"),
            signature: h("x-prosaas-signature"),
            body: body.to_vec(),
        });
    }
    let status = state
        .answers
        .lock()
        .ok()
        .and_then(|mut a| a.pop_front())
        .unwrap_or(200);
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default()).finish()
}

impl Receiver {
    pub fn start() -> AnyResult<Self> {
        let got = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(VecDeque::new()));
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!(
            "http://127.0.0.1:{}/webhook/new-lead",
            listener.local_addr()?.port()
        );
        let (g, a) = (got.clone(), answers.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(ReceiverState {
                    got: g.clone(),
                    answers: a.clone(),
                }))
                .default_service(web::to(receive))
        })
        .workers(1)
        .listen(listener)?
        .run();
        tokio::spawn(server);
        Ok(Self { url, got, answers })
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }
}

/// What a receiver must do (docs/api.md): HMAC-SHA256 over "<timestamp>.<body>",
/// constant-time compare, and a fresh timestamp.
pub fn verify(secret: &str, r: &Received) -> bool {
    let Ok(ts) = r.timestamp.parse::<i64>() else {
        return false;
    };
    if (chrono::Utc::now().timestamp() - ts).abs() > 300 {
        return false;
    }
    let Some(hex_sig) = r.signature.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(format!("{ts}.").as_bytes());
    mac.update(&r.body);
    mac.verify_slice(&sig).is_ok()
}

pub fn fast_settings() -> WorkerSettings {
    WorkerSettings {
        webhook_timeout: Duration::from_secs(3),
        webhook_retry_base: Duration::ZERO,
        webhook_max_attempts: 3,
        ..WorkerSettings::default()
    }
}

async fn deliveries(app: &TestApp, s: &Session, hook: &str) -> AnyResult<Value> {
    let (st, page) = app
        .get(s, &format!("/api/webhooks/{hook}/deliveries"))
        .await?;
    assert_eq!(st, StatusCode::OK);
    Ok(page)
}

async fn subscribe(
    app: &TestApp,
    s: &Session,
    url: &str,
    types: Value,
) -> AnyResult<(String, String)> {
    let (st, hook) = app
        .post(
            s,
            "/api/webhooks",
            json!({"url": url, "event_types": types, "description": "n8n"}),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{hook}");
    Ok((
        hook["id"].as_str().unwrap_or_default().to_string(),
        hook["secret"].as_str().unwrap_or_default().to_string(),
    ))
}

#[tokio::test]
async fn subscriptions_are_validated_manager_only_and_tenant_scoped() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    let (st, hook) = app
        .post(&owner, "/api/webhooks", json!({"url": "https://n8n.example/webhook/x", "event_types": ["lead.created", "lead.created", "task.due"]}))
        .await?;
    assert_eq!(st, StatusCode::CREATED);
    assert!(
        hook["secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("whsec_"))
    );
    assert_eq!(hook["event_types"], json!(["lead.created", "task.due"]));
    let id = hook["id"].as_str().unwrap_or_default().to_string();
    let (_, list) = app.get(&owner, "/api/webhooks").await?;
    assert!(list[0]["secret"].is_null() && list.as_array().map(Vec::len) == Some(1));
    let (st, patched) = app
        .patch(
            &owner,
            &format!("/api/webhooks/{id}"),
            json!({"active": false, "event_types": ["call.ended"]}),
        )
        .await?;
    assert_eq!(
        (st, patched["active"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    for (body, want) in [
        (
            json!({"url": "ftp://x.example", "event_types": ["lead.created"]}),
            "invalid_url",
        ),
        (
            json!({"url": "not a url", "event_types": ["lead.created"]}),
            "invalid_url",
        ),
        (
            json!({"url": "http://x.example", "event_types": []}),
            "invalid_event_types",
        ),
        (
            json!({"url": "http://x.example", "event_types": ["lead.exploded"]}),
            "invalid_event_types",
        ),
    ] {
        let (st, res) = app.post(&owner, "/api/webhooks", body).await?;
        assert_eq!((st, code(&res)), (StatusCode::UNPROCESSABLE_ENTITY, want));
    }
    let agent = app.login("agent@a.test").await?;
    let (st, res) = app.get(&agent, "/api/webhooks").await?;
    assert_eq!(
        (st, code(&res)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );

    // another business's subscription: 404 everywhere, never listed
    let b = app.login("owner@b.test").await?;
    let (hook_b, _) = subscribe(&app, &b, "http://b.example/hook", json!(["lead.created"])).await?;
    for who in ["owner@a.test", "admin@a.test"] {
        let s = app.login(who).await?;
        for (method, path) in [
            (Method::GET, format!("/api/webhooks/{hook_b}")),
            (Method::PATCH, format!("/api/webhooks/{hook_b}")),
            (Method::DELETE, format!("/api/webhooks/{hook_b}")),
            (Method::GET, format!("/api/webhooks/{hook_b}/deliveries")),
        ] {
            let (st, res) = app
                .call(
                    Some(&s),
                    method.clone(),
                    &path,
                    Some(json!({"active": false})),
                )
                .await?;
            assert_eq!(
                (st, code(&res)),
                (StatusCode::NOT_FOUND, "webhook_not_found"),
                "{who} {method} {path}"
            );
        }
        let (_, list) = app.get(&s, "/api/webhooks").await?;
        assert!(!list.to_string().contains(&hook_b), "{who} list");
    }
    let root = app.login("root@prosaas.test").await?;
    let (st, _) = app
        .get(
            &root,
            &format!("/api/webhooks/{hook_b}?business_id={}", t.a.id),
        )
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let key = app.api_key("owner@a.test").await?;
    let (st, _) = app
        .with_key(&key, Method::GET, &format!("/api/webhooks/{hook_b}"), None)
        .await?;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "keys cannot manage webhooks at all"
    );
    let (_, still) = app.get(&b, &format!("/api/webhooks/{hook_b}")).await?;
    assert_eq!(still["active"], true);
    let (st, _) = app.delete(&owner, &format!("/api/webhooks/{id}")).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    Ok(())
}

#[tokio::test]
async fn signed_deliveries_reach_the_receiver_and_verify() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let receiver = Receiver::start()?;
    let other = Receiver::start()?;
    let owner = app.login("owner@a.test").await?;
    let (hook, secret) = subscribe(&app, &owner, &receiver.url, json!(["lead.created"])).await?;
    let b = app.login("owner@b.test").await?;
    subscribe(&app, &b, &other.url, json!(["lead.created"])).await?;

    let (_, lead) = app
        .post(
            &owner,
            "/api/leads",
            json!({"name": "Dana", "phone": "050-1234567"}),
        )
        .await?;
    app.patch(
        &owner,
        &format!("/api/leads/{}", lead["id"].as_str().unwrap_or_default()),
        json!({"status": "contacted"}),
    )
    .await?; // lead.updated: not subscribed
    let settings = fast_settings();
    let http = webhook_delivery::client(&settings)?;
    let attempts = webhook_delivery::deliver_once(&app.db, &http, &settings).await?;
    assert_eq!(attempts, 1);

    let got = receiver.received();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert!(
        verify(&secret, r),
        "signature verifies with the subscription secret"
    );
    assert!(!verify("whsec_wrong", r), "and not with another");
    let mut tampered = r.clone();
    tampered.body.push(b' ');
    assert!(!verify(&secret, &tampered), "a changed body fails");
    assert_eq!(r.event, "lead.created");
    let body: Value = serde_json::from_slice(&r.body)?;
    assert_eq!(
        (body["type"].as_str(), body["business_id"].clone()),
        (Some("lead.created"), json!(t.a.id))
    );
    assert_eq!(
        (
            body["data"]["name"].as_str(),
            body["data"]["phone"].as_str()
        ),
        (Some("Dana"), Some("+972501234567"))
    );
    assert!(
        other.received().is_empty(),
        "B's receiver never hears about A's lead"
    );

    let page = deliveries(&app, &owner, &hook).await?;
    let d = &page["items"][0];
    assert_eq!(
        (
            page["total"].as_i64(),
            d["status"].as_str(),
            d["attempts"].as_i64(),
            d["last_status_code"].as_i64()
        ),
        (Some(1), Some("delivered"), Some(1), Some(200))
    );
    assert_eq!(d["id"].as_str(), Some(r.delivery.as_str()));
    assert_eq!(
        webhook_delivery::deliver_once(&app.db, &http, &settings).await?,
        0,
        "delivered once"
    );
    Ok(())
}

#[tokio::test]
async fn failing_receiver_is_retried_with_backoff_until_delivered_or_given_up() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let receiver = Receiver::start()?;
    if let Ok(mut a) = receiver.answers.lock() {
        a.extend([500, 503]);
    }
    let owner = app.login("owner@a.test").await?;
    let (hook, secret) = subscribe(&app, &owner, &receiver.url, json!(["task.created"])).await?;
    app.post(&owner, "/api/tasks", json!({"title": "Follow up"}))
        .await?;

    // a real backoff: the failed delivery waits
    let slow = WorkerSettings {
        webhook_retry_base: Duration::from_secs(60),
        ..fast_settings()
    };
    let http = webhook_delivery::client(&slow)?;
    assert_eq!(
        webhook_delivery::deliver_once(&app.db, &http, &slow).await?,
        1
    );
    assert_eq!(
        webhook_delivery::deliver_once(&app.db, &http, &slow).await?,
        0,
        "not due before its backoff"
    );
    let page = deliveries(&app, &owner, &hook).await?;
    let d = &page["items"][0];
    assert_eq!(
        (d["status"].as_str(), d["last_status_code"].as_i64()),
        (Some("pending"), Some(500))
    );
    let next: chrono::DateTime<chrono::Utc> =
        d["next_attempt_at"].as_str().unwrap_or_default().parse()?;
    assert!(
        next > chrono::Utc::now() + chrono::Duration::seconds(50),
        "{next}"
    );

    // zero backoff from here: 503, then 200
    make_pending_due(&app).await?;
    let fast = fast_settings();
    webhook_delivery::deliver_once(&app.db, &http, &fast).await?;
    webhook_delivery::deliver_once(&app.db, &http, &fast).await?;
    let page = deliveries(&app, &owner, &hook).await?;
    let d = &page["items"][0];
    assert_eq!(
        (d["status"].as_str(), d["attempts"].as_i64()),
        (Some("delivered"), Some(3))
    );
    let got = receiver.received();
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|r| verify(&secret, r) && r.delivery == got[0].delivery),
        "same delivery id on every retry"
    );

    // a receiver that never answers well: failed after WEBHOOK_MAX_ATTEMPTS
    let dead = TcpListener::bind("127.0.0.1:0")?;
    let dead_url = format!("http://127.0.0.1:{}/hook", dead.local_addr()?.port());
    drop(dead);
    let (dead_hook, _) = subscribe(&app, &owner, &dead_url, json!(["task.created"])).await?;
    app.post(&owner, "/api/tasks", json!({"title": "Second"}))
        .await?;
    for _ in 0..5 {
        webhook_delivery::deliver_once(&app.db, &http, &fast).await?;
    }
    let page = deliveries(&app, &owner, &dead_hook).await?;
    let d = &page["items"][0];
    assert_eq!(
        (d["status"].as_str(), d["attempts"].as_i64()),
        (Some("failed"), Some(3))
    );
    assert!(
        d["last_status_code"].is_null()
            && d["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("request failed"))
    );
    let (_, failed) = app
        .get(
            &owner,
            &format!("/api/webhooks/{dead_hook}/deliveries?status=failed"),
        )
        .await?;
    assert_eq!(failed["total"], 1);
    Ok(())
}

/// Makes every pending delivery of the test database due now (as time passing would).
async fn make_pending_due(app: &TestApp) -> TestResult {
    let owner = prosaas_test_support::raw_connect(&app._tdb.owner_url()).await?;
    owner
        .execute(
            "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status = 'pending'",
            &[],
        )
        .await?;
    Ok(())
}

#[tokio::test]
async fn nothing_is_lost_while_redis_is_down() -> TestResult {
    prosaas_common::telemetry::init_for_tests();
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 5)?;
    // the api runs with Redis unreachable: publishing is a logged no-op
    let mut settings = settings(&tdb.app_url())?;
    settings.redis_url = SecretString::from("redis://127.0.0.1:1".to_string());
    let bus = BusHandle::connect(settings.redis_url.clone()).await;
    assert!(bus.get().await.is_none());
    let parts = AppParts {
        db: db.clone(),
        state: Arc::new(ApiState::from_settings(&settings, bus)),
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let server = Application::serve(listener, parts)?;
    let app = TestApp {
        base: format!("http://127.0.0.1:{}", server.port()),
        db,
        _tdb: tdb,
        http: reqwest::Client::new(),
    };
    tokio::spawn(server.run_until_stopped());
    two_tenants(&app).await?;
    let receiver = Receiver::start()?;
    let owner = app.login("owner@a.test").await?;
    let (_, secret) = subscribe(
        &app,
        &owner,
        &receiver.url,
        json!(["lead.created", "lead.deleted"]),
    )
    .await?;
    let (st, lead) = app
        .post(&owner, "/api/leads", json!({"name": "While Redis sleeps"}))
        .await?;
    assert_eq!(st, StatusCode::CREATED);
    // a rejected change writes no delivery: the outbox row shares its transaction
    let (st, _) = app
        .post(
            &owner,
            "/api/leads",
            json!({"name": "x", "assigned_user_id": uuid::Uuid::new_v4()}),
        )
        .await?;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    app.delete(
        &owner,
        &format!("/api/leads/{}", lead["id"].as_str().unwrap_or_default()),
    )
    .await?;
    let settings = fast_settings();
    let http = webhook_delivery::client(&settings)?;
    assert_eq!(
        webhook_delivery::deliver_once(&app.db, &http, &settings).await?,
        2
    );
    let got = receiver.received();
    let kinds: Vec<&str> = got.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&"lead.created") && kinds.contains(&"lead.deleted"));
    assert!(got.iter().all(|r| verify(&secret, r)));
    Ok(())
}
