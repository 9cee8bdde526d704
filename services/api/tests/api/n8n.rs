//! The n8n example (docs/n8n-new-lead-whatsapp-welcome.json) against the real
//! api: our signed `lead.created` webhook passes the workflow's own
//! verification code (run in Node when available), and the workflow's HTTP
//! Request nodes call back with an API key in a Header Auth credential.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;
use prosaas_api::workers::webhook_delivery;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::webhooks::{Received, Receiver, fast_settings, verify};

const WORKFLOW: &str = include_str!("../../../../docs/n8n-new-lead-whatsapp-welcome.json");

const HARNESS: &str = r#"
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const $env = { PROSAAS_WEBHOOK_SECRET: input.secret };
const $input = { first: () => ({ json: { headers: input.headers } }) };
const ctx = { helpers: { getBinaryDataBuffer: async () => Buffer.from(input.body_b64, 'base64') } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('$env', '$input', 'require', input.code)
  .call(ctx, $env, $input, require)
  .then((out) => console.log(JSON.stringify({ out })), (e) => console.log(JSON.stringify({ error: e.message })));
"#;

fn node(workflow: &Value, kind: &str) -> Vec<Value> {
    workflow["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter(|n| n["type"] == kind)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Runs the workflow's Code node on a delivery, as n8n would; `None` without Node.
fn run_code_node(code: &str, secret: &str, r: &Received) -> AnyResult<Option<Value>> {
    let input = json!({
        "code": code,
        "secret": secret,
        "headers": {"x-prosaas-timestamp": r.timestamp, "x-prosaas-signature": r.signature, "x-prosaas-event": r.event},
        "body_b64": base64::engine::general_purpose::STANDARD.encode(&r.body),
    });
    let Ok(mut child) = Command::new("node")
        .arg("-e")
        .arg(HARNESS)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        eprintln!("node not installed: skipping the Code node run");
        return Ok(None);
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.to_string().as_bytes())?;
    }
    let out = child.wait_with_output()?;
    Ok(Some(serde_json::from_slice(&out.stdout)?))
}

#[tokio::test]
async fn the_example_workflow_verifies_our_webhook_and_calls_back_with_a_key() -> TestResult {
    let workflow: Value = serde_json::from_str(WORKFLOW)?;
    let hook = node(&workflow, "n8n-nodes-base.webhook");
    assert_eq!(hook.len(), 1);
    assert_eq!(hook[0]["parameters"]["path"], "prosaas-new-lead");
    assert_eq!(
        hook[0]["parameters"]["options"]["rawBody"], true,
        "the signature covers the raw body"
    );
    let requests = node(&workflow, "n8n-nodes-base.httpRequest");
    let urls: Vec<String> = requests
        .iter()
        .map(|n| n["parameters"]["url"].to_string())
        .collect();
    assert!(
        urls.iter()
            .any(|u| u.contains("/api/whatsapp/conversations/") && u.contains("/messages"))
    );
    assert!(urls.iter().any(|u| u.contains("/api/tasks")));
    for n in &requests {
        assert_eq!(
            n["parameters"]["genericAuthType"], "httpHeaderAuth",
            "{}",
            n["name"]
        );
        assert!(n["credentials"]["httpHeaderAuth"].is_object());
    }

    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let key = app.api_key("owner@a.test").await?;
    let receiver = Receiver::start()?;
    let owner = app.login("owner@a.test").await?;
    let (_, sub) = app
        .post(
            &owner,
            "/api/webhooks",
            json!({"url": receiver.url, "event_types": ["lead.created"]}),
        )
        .await?;
    let secret = sub["secret"].as_str().unwrap_or_default().to_string();
    let (_, lead) = app
        .post(
            &owner,
            "/api/leads",
            json!({"name": "דנה", "phone": "050-1234567", "assigned_user_id": t.agent_a.id}),
        )
        .await?;
    let settings = fast_settings();
    webhook_delivery::deliver_once(&app.db, &webhook_delivery::client(&settings)?, &settings)
        .await?;
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert!(verify(&secret, &got[0]));

    // the workflow's own verification code accepts it, and rejects a forgery
    let code = node(&workflow, "n8n-nodes-base.code")
        .first()
        .and_then(|n| n["parameters"]["jsCode"].as_str().map(str::to_string))
        .unwrap_or_default();
    if let Some(result) = run_code_node(&code, &secret, &got[0])? {
        assert_eq!(result["out"][0]["json"]["type"], "lead.created", "{result}");
        let event = &result["out"][0]["json"]["data"];
        assert_eq!(
            (event["id"].clone(), event["phone"].as_str()),
            (lead["id"].clone(), Some("+972501234567"))
        );
        let mut forged = got[0].clone();
        forged.body = String::from_utf8_lossy(&forged.body)
            .replace("דנה", "Eve")
            .into_bytes();
        let rejected = run_code_node(&code, &secret, &forged)?.unwrap_or_default();
        assert_eq!(rejected["error"], "invalid ProSaaS webhook signature");
        let wrong_secret = run_code_node(&code, "whsec_other", &got[0])?.unwrap_or_default();
        assert!(wrong_secret["error"].is_string());
    }

    // "Create follow-up task": the body the node builds, with the Header Auth key
    let body: Value = serde_json::from_slice(&got[0].body)?;
    let data = &body["data"];
    let (st, task) = app
        .with_key(
            &key,
            Method::POST,
            "/api/tasks",
            Some(json!({
                "title": format!("Follow up on new lead {}", data["name"].as_str().unwrap_or_default()),
                "lead_id": data["id"],
                "assignee_user_id": data["assigned_user_id"],
                "due_at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
            })),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{task}");
    assert_eq!(
        (task["source"].as_str(), task["lead_id"].clone()),
        (Some("api"), lead["id"].clone())
    );
    assert_eq!(task["assignee_user_id"], json!(t.agent_a.id));
    let agent = app.login("agent@a.test").await?;
    let (_, mine) = app.get(&agent, "/api/tasks?mine=true").await?;
    assert_eq!(mine["total"], 1, "the agent sees the task n8n created");
    Ok(())
}
