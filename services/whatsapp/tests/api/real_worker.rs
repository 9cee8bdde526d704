//! The real Node worker (services/whatsapp-worker, WORKER_FAKE_SOCKET=1: Baileys'
//! socket replaced at its event-emitter boundary) wired to the real service.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{FakeWorker, Options, SECRET, TestResult, eventually, spawn_on};

struct Worker {
    child: Child,
    url: String,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

async fn start_worker(
    service_url: &str,
) -> Result<Worker, Box<dyn std::error::Error + Send + Sync>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../whatsapp-worker");
    if !dir.join("node_modules").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .await?;
        assert!(status.success(), "npm ci in services/whatsapp-worker");
    }
    let mut child = Command::new("node")
        .arg("src/main.js")
        .current_dir(&dir)
        .env("WORKER_PORT", "0")
        .env("WORKER_HOST", "127.0.0.1")
        .env("WORKER_FAKE_SOCKET", "1")
        .env("WHATSAPP_WORKER_SECRET", SECRET)
        .env("WHATSAPP_SERVICE_URL", service_url)
        .env("LOG_LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let port = tokio::time::timeout(Duration::from_secs(15), async {
        while let Ok(Some(line)) = lines.next_line().await {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
            if v["msg"] == "whatsapp worker listening" {
                return v["port"].as_u64();
            }
        }
        None
    })
    .await?
    .ok_or("worker did not start")?;
    // keep draining its log so it never blocks on a full pipe
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Worker {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

#[tokio::test]
async fn the_real_worker_links_receives_and_sends_through_the_service() -> TestResult {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let service_url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let worker = start_worker(&service_url).await?;
    let app = spawn_on(
        listener,
        &format!("{}/", worker.url),
        FakeWorker::default(),
        Options {
            cooldown_ms: 0,
            with_ai: false,
        },
    )
    .await?;
    let t = app.two_tenants().await?;

    let (s, _) = app
        .post(&t.owner_a, "/api/whatsapp/session", json!({}))
        .await?;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert!(
        eventually(|| async {
            let (s, _) = app
                .get(&t.owner_a, "/api/whatsapp/qr")
                .await
                .unwrap_or_default();
            s == StatusCode::OK
        })
        .await,
        "the worker's QR reached the service"
    );
    let (s, _) = app.get(&t.owner_b, "/api/whatsapp/qr").await?;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let http = reqwest::Client::new();
    let fake = |action: &str| format!("{}/fake/{}/{action}", worker.url, t.a.id);
    http.post(fake("scan"))
        .header("x-worker-secret", SECRET)
        .json(&json!({"phone_digits": "972521112222"}))
        .send()
        .await?;
    assert!(
        eventually(|| async {
            let (_, body) = app
                .get(&t.owner_a, "/api/whatsapp/status")
                .await
                .unwrap_or_default();
            body["state"] == "connected" && body["phone"] == "+972521112222"
        })
        .await
    );

    http.post(fake("inbound"))
        .header("x-worker-secret", SECRET)
        .json(&json!({"id": "REAL1", "jid": "972501234567@s.whatsapp.net", "text": "hi from node", "push_name": "Dana"}))
        .send()
        .await?;
    assert!(
        eventually(|| async {
            let (_, page) = app
                .get(&t.owner_a, "/api/whatsapp/conversations")
                .await
                .unwrap_or_default();
            page["total"] == 1
        })
        .await
    );
    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    let id = page["items"][0]["id"].as_str().ok_or("id")?.to_string();
    let path = format!("/api/whatsapp/conversations/{id}/messages");
    let (s, sent) = app
        .post(&t.owner_a, &path, json!({"text": "hello from the CRM"}))
        .await?;
    assert_eq!(s, StatusCode::CREATED, "{sent}");
    // the fake socket acknowledges delivery through the worker's messages.update path
    assert!(
        eventually(|| async {
            let (_, thread) = app.get(&t.owner_a, &path).await.unwrap_or_default();
            thread["items"][0]["status"] == "delivered"
        })
        .await
    );

    let (s, _) = app.delete(&t.owner_a, "/api/whatsapp/session").await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, body) = app.get(&t.owner_a, "/api/whatsapp/status").await?;
    assert_eq!(body["state"], "logged_out");
    Ok(())
}
