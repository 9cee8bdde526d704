//! Linking: start, QR (JSON, PNG, live over SSE), connected, log out; each
//! business sees only its own session and QR.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, Options, TestApp, TestResult, code, spawn_app};

/// Reads Server-Sent Events from a live response.
struct Sse {
    res: reqwest::Response,
    buf: String,
}

impl Sse {
    async fn open(
        app: &TestApp,
        who: &Browser,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let res = app
            .http
            .get(format!("{}/api/whatsapp/events", app.base))
            .header("cookie", &who.cookie)
            .send()
            .await?;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        Ok(Self {
            res,
            buf: String::new(),
        })
    }

    /// The next event (name, envelope), skipping keep-alives; None after `wait`.
    async fn next(&mut self, wait: Duration) -> Option<(String, Value)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                let name = frame
                    .lines()
                    .find_map(|l| l.strip_prefix("event: "))
                    .map(str::to_string);
                let data = frame.lines().find_map(|l| l.strip_prefix("data: "));
                if let (Some(name), Some(data)) = (name, data) {
                    return Some((name, serde_json::from_str(data).ok()?));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.res.chunk())
                .await
                .ok()?
                .ok()??;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn linking_shows_the_qr_to_its_own_business_only() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;

    let (s, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["state"], "disconnected");
    assert_eq!(body["qr_available"], false);
    assert_eq!(body["auto_reply"], true);

    // agents may not link; owners may
    let (s, body) = app
        .post(&t.agent_a, "/api/whatsapp/session", json!({}))
        .await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    let (s, body) = app
        .post(&t.owner_a, "/api/whatsapp/session", json!({}))
        .await?;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(body["state"], "connecting");
    let started: Vec<_> = app
        .worker
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST")
        .collect();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].path, format!("/sessions/{}", t.a.id));

    let (s, body) = app.get(&t.owner_a, "/api/whatsapp/qr").await?;
    assert_eq!((s, code(&body)), (StatusCode::NOT_FOUND, "qr_not_found"));

    assert_eq!(
        app.worker_event(&t.a, "qr", json!({"qr": "2@first-code,abc=="}))
            .await?,
        StatusCode::NO_CONTENT
    );
    let (s, body) = app.get(&t.owner_a, "/api/whatsapp/qr").await?;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["qr"], "2@first-code,abc==");
    assert_eq!(body["rotation"], 1);
    assert!(
        body["data_url"]
            .as_str()
            .unwrap_or("")
            .starts_with("data:image/png;base64,")
    );
    let png = app
        .http
        .get(format!("{}/api/whatsapp/qr.png", app.base))
        .header("cookie", &t.owner_a.cookie)
        .send()
        .await?;
    assert_eq!(
        png.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert!(png.bytes().await?.starts_with(b"\x89PNG"));
    let (_, body) = app.get(&t.agent_a, "/api/whatsapp/status").await?;
    assert_eq!(
        (body["state"].as_str(), body["qr_available"].as_bool()),
        (Some("waiting_for_qr"), Some(true))
    );

    // business B sees neither A's session nor A's QR
    let (s, body) = app.get(&t.owner_b, "/api/whatsapp/qr").await?;
    assert_eq!((s, code(&body)), (StatusCode::NOT_FOUND, "qr_not_found"));
    let (_, body) = app.get(&t.owner_b, "/api/whatsapp/status").await?;
    assert_eq!(body["state"], "disconnected");
    let s = app
        .http
        .get(format!("{}/api/whatsapp/qr.png", app.base))
        .header("cookie", &t.owner_b.cookie)
        .send()
        .await?
        .status();
    assert_eq!(s, StatusCode::NOT_FOUND);
    // and without a session nobody sees anything
    let (s, _) = app
        .call(None, reqwest::Method::GET, "/api/whatsapp/qr", None)
        .await?;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn qr_rotations_are_pushed_live_to_the_right_business() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let mut sse_a = Sse::open(&app, &t.owner_a).await?;
    let mut sse_b = Sse::open(&app, &t.owner_b).await?;
    let (name, first) = sse_a
        .next(Duration::from_secs(5))
        .await
        .ok_or("no first event")?;
    assert_eq!(name, "whatsapp.status");
    assert_eq!(first["data"]["state"], "disconnected");
    sse_b
        .next(Duration::from_secs(5))
        .await
        .ok_or("no first event for B")?;

    for (i, qr) in ["2@one,x==", "2@two,y=="].iter().enumerate() {
        app.worker_event(&t.a, "qr", json!({"qr": qr})).await?;
        let (name, env) = sse_a
            .next(Duration::from_secs(5))
            .await
            .ok_or("no qr event")?;
        assert_eq!(name, "whatsapp.qr");
        assert_eq!(env["business_id"], json!(t.a.id));
        assert_eq!(env["data"]["qr"], *qr);
        assert_eq!(env["data"]["rotation"], i + 1);
        assert!(
            env["data"]["data_url"]
                .as_str()
                .unwrap_or("")
                .starts_with("data:image/png")
        );
        let (name, _) = sse_a
            .next(Duration::from_secs(5))
            .await
            .ok_or("no status event")?;
        assert_eq!(name, "whatsapp.status");
    }
    // B's stream got nothing of A's: its next event is its own
    app.worker_event(&t.b, "connection", json!({"state": "connecting"}))
        .await?;
    let (name, env) = sse_b
        .next(Duration::from_secs(5))
        .await
        .ok_or("no event for B")?;
    assert_eq!(name, "whatsapp.status");
    assert_eq!(env["business_id"], json!(t.b.id));
    assert_eq!(env["data"]["state"], "connecting");
    Ok(())
}

#[tokio::test]
async fn connected_session_logs_out_and_forgets_its_auth_state() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    app.worker_event(&t.a, "qr", json!({"qr": "2@code"}))
        .await?;
    app.connect(&t.a, "+972521112222").await?;
    let (_, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(body["state"], "connected");
    assert_eq!(body["phone"], "+972521112222");
    assert_eq!(body["qr_available"], false);
    let (s, _) = app.get(&t.owner_a, "/api/whatsapp/qr").await?;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, _) = app
        .internal(
            reqwest::Method::PUT,
            &format!("/internal/whatsapp/auth/{}", t.a.id),
            Some(json!({"creds": "{\"me\":1}"})),
        )
        .await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // B cannot log A out: its DELETE only touches B
    let (s, _) = app.delete(&t.owner_b, "/api/whatsapp/session").await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(body["state"], "connected");

    let (s, body) = app.delete(&t.agent_a, "/api/whatsapp/session").await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    let (s, _) = app.delete(&t.owner_a, "/api/whatsapp/session").await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        app.worker
            .calls()
            .iter()
            .any(|c| c.method == "DELETE" && c.path == format!("/sessions/{}", t.a.id))
    );
    let (_, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(body["state"], "logged_out");
    assert_eq!(body["phone"], Value::Null);
    let (_, creds) = app
        .internal(
            reqwest::Method::GET,
            &format!("/internal/whatsapp/auth/{}", t.a.id),
            None,
        )
        .await?;
    assert_eq!(creds["creds"], Value::Null);
    Ok(())
}

#[tokio::test]
async fn worker_down_answers_502_and_says_so_in_the_status() -> TestResult {
    let (worker, _) = crate::helpers::spawn_fake_worker()?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    // nothing listens on port 9 (discard): the worker is unreachable
    let app = crate::helpers::spawn_on(listener, "http://127.0.0.1:9", worker, Options::default())
        .await?;
    let t = app.two_tenants().await?;
    let (s, body) = app
        .post(&t.owner_a, "/api/whatsapp/session", json!({}))
        .await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::BAD_GATEWAY, "worker_unreachable")
    );
    let (_, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(
        (body["state"].as_str(), body["last_error"].as_str()),
        (Some("disconnected"), Some("worker_unreachable"))
    );
    Ok(())
}
