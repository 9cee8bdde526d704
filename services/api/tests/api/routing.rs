use reqwest::{Method, StatusCode};

use crate::helpers::*;

#[tokio::test]
async fn health_reports_db_and_redis() -> TestResult {
    let app = spawn_app().await?;
    let (s, body) = app.call(None, Method::GET, "/health", None).await?;
    assert_eq!((s, body["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, body) = app.call(None, Method::GET, "/api/health", None).await?;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (body["db"].as_str(), body["redis"].as_str()),
        (Some("ok"), Some("ok"))
    );
    Ok(())
}

#[tokio::test]
async fn health_is_503_when_the_database_is_down() -> TestResult {
    let tdb = prosaas_test_support::TestDatabase::new().await?;
    // nothing listens on port 1
    let dead = prosaas_tenant::Db::connect(
        &secrecy::SecretString::from("postgres://prosaas_app@127.0.0.1:1/x".to_string()),
        2,
    )?;
    let app = spawn_with(tdb, dead).await?;
    let (s, body) = app.call(None, Method::GET, "/api/health", None).await?;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["db"].as_str(), Some("down"));
    // and a data endpoint answers a clean 503 JSON, not a hang or a 500
    let (s, body) = app
        .call(
            None,
            Method::POST,
            "/api/auth/login",
            Some(serde_json::json!({"email": "a@b.co", "password": "whatever1"})),
        )
        .await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
    );
    Ok(())
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() -> TestResult {
    let app = spawn_app().await?;
    let (s, body) = app.call(None, Method::GET, "/api/nope", None).await?;
    assert_eq!((s, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (s, body) = app.call(None, Method::PUT, "/api/leads", None).await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let (s, body) = app.call(None, Method::GET, "/api/leads", None).await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    Ok(())
}

#[tokio::test]
async fn request_id_is_echoed_or_generated() -> TestResult {
    let app = spawn_app().await?;
    let res = app
        .http
        .get(format!("{}/health", app.base))
        .header("x-request-id", "abc-123")
        .send()
        .await?;
    assert_eq!(
        res.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("abc-123")
    );
    let res = app.http.get(format!("{}/health", app.base)).send().await?;
    assert!(res.headers().get("x-request-id").is_some());
    Ok(())
}
