//! The worker's side: the shared secret, events for unknown businesses, and the
//! auth state stored encrypted and resumed after a restart.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Options, TestResult, code, spawn_app};

#[tokio::test]
async fn internal_routes_need_the_worker_secret() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    for (method, path) in [
        (Method::GET, "/internal/whatsapp/sessions".to_string()),
        (Method::GET, format!("/internal/whatsapp/auth/{}", t.a.id)),
        (
            Method::DELETE,
            format!("/internal/whatsapp/auth/{}", t.a.id),
        ),
    ] {
        let res = app
            .http
            .request(method.clone(), format!("{}{path}", app.base))
            .header("x-worker-secret", "wrong-secret-wrong-secret")
            .send()
            .await?;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    let res = app
        .http
        .post(format!("{}/internal/whatsapp/events", app.base))
        .json(&json!({"business_id": t.a.id, "type": "qr", "data": {"qr": "2@x"}}))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // a browser session is not a worker secret
    let (s, _) = app
        .call(
            Some(&t.owner_a),
            Method::GET,
            "/internal/whatsapp/sessions",
            None,
        )
        .await?;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn malformed_events_are_400_and_unknown_businesses_404() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    assert_eq!(
        app.worker_event(&t.a, "telepathy", json!({})).await?,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.worker_event(&t.a, "connection", json!({"state": "sleepy"}))
            .await?,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.worker_event(&t.a, "qr", json!({"nope": 1})).await?,
        StatusCode::BAD_REQUEST
    );
    let group = json!({"wa_message_id": "G1", "jid": "1203@g.us", "text": "hi"});
    assert_eq!(
        app.worker_event(&t.a, "message", group).await?,
        StatusCode::BAD_REQUEST
    );
    let (s, body) = app
        .internal(
            Method::POST,
            "/internal/whatsapp/events",
            Some(json!({"business_id": uuid::Uuid::new_v4(), "type": "qr", "data": {"qr": "2@x"}})),
        )
        .await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::NOT_FOUND, "business_not_found")
    );
    Ok(())
}

#[tokio::test]
async fn auth_state_is_stored_encrypted_per_business_and_resumable() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let auth_a = format!("/internal/whatsapp/auth/{}", t.a.id);
    let creds = r#"{"noiseKey":{"private":{"type":"Buffer","data":"c2VjcmV0LW5vaXNl"}},"registrationId":4242}"#;
    let (s, _) = app
        .internal(
            Method::PUT,
            &auth_a,
            Some(json!({"creds": creds, "keys": [
                {"type": "pre-key", "id": "1", "value": "{\"k\":1}"},
                {"type": "pre-key", "id": "2", "value": "{\"k\":2}"},
                {"type": "session", "id": "972501234567.0", "value": "{\"s\":\"secret-session\"}"}
            ]})),
        )
        .await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, body) = app.internal(Method::GET, &auth_a, None).await?;
    assert_eq!(body["creds"], creds);
    let (_, body) = app
        .internal(
            Method::POST,
            &format!("{auth_a}/keys"),
            Some(json!({"type": "pre-key", "ids": ["1", "2", "3"]})),
        )
        .await?;
    assert_eq!(body["values"], json!({"1": "{\"k\":1}", "2": "{\"k\":2}"}));
    // null deletes, in the same kind of batch
    app.internal(
        Method::PUT,
        &auth_a,
        Some(json!({"keys": [{"type": "pre-key", "id": "1", "value": null}]})),
    )
    .await?;
    let (_, body) = app
        .internal(
            Method::POST,
            &format!("{auth_a}/keys"),
            Some(json!({"type": "pre-key", "ids": ["1", "2"]})),
        )
        .await?;
    assert_eq!(body["values"], json!({"2": "{\"k\":2}"}));

    // at rest: ciphertext only
    let owner = prosaas_test_support::raw_connect(&app.tdb.owner_url()).await?;
    let row = owner
        .query_one(
            "SELECT creds_enc FROM whatsapp_sessions WHERE business_id::text = $1",
            &[&t.a.id.to_string()],
        )
        .await?;
    let stored: Vec<u8> = row.get(0);
    assert!(
        !stored.windows(8).any(|w| w == b"registra"),
        "creds stored in clear"
    );
    let rows = owner
        .query("SELECT value_enc FROM whatsapp_auth_keys", &[])
        .await?;
    assert!(
        rows.iter()
            .all(|r| !r.get::<_, Vec<u8>>(0).windows(6).any(|w| w == b"secret"))
    );

    // B's slot is empty, and A's ciphertext copied into B's row does not decrypt
    let (_, body) = app
        .internal(
            Method::GET,
            &format!("/internal/whatsapp/auth/{}", t.b.id),
            None,
        )
        .await?;
    assert_eq!(body["creds"], Value::Null);
    owner
        .execute(
            "INSERT INTO whatsapp_sessions (business_id, creds_enc) VALUES ($1::text::uuid, $2)",
            &[&t.b.id.to_string(), &stored],
        )
        .await?;
    let (s, _) = app
        .internal(
            Method::GET,
            &format!("/internal/whatsapp/auth/{}", t.b.id),
            None,
        )
        .await?;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);

    let (_, body) = app
        .internal(Method::GET, "/internal/whatsapp/sessions", None)
        .await?;
    let ids = body["business_ids"].as_array().cloned().unwrap_or_default();
    assert!(ids.contains(&json!(t.a.id)));

    let (s, _) = app.internal(Method::DELETE, &auth_a, None).await?;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, body) = app
        .internal(Method::GET, "/internal/whatsapp/sessions", None)
        .await?;
    assert!(
        !body["business_ids"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .contains(&json!(t.a.id))
    );
    let (_, body) = app
        .internal(
            Method::POST,
            &format!("{auth_a}/keys"),
            Some(json!({"type": "pre-key", "ids": ["2"]})),
        )
        .await?;
    assert_eq!(body["values"], json!({}));
    Ok(())
}
