use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_sets_an_httponly_cookie_and_me_and_logout_work() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let res = app
        .http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"email": "OWNER@a.test", "password": PASSWORD}))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let s = app.login("owner@a.test").await?;
    let (st, me) = app.get(&s, "/api/auth/me").await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(me["user"]["id"], json!(t.owner_a.id));
    assert_eq!(me["user"]["role"], "owner");
    assert_eq!(me["business"]["id"], json!(t.a.id));
    let (st, _) = app.post(&s, "/api/auth/logout", json!({})).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = app.get(&s, "/api/auth/me").await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    Ok(())
}

#[tokio::test]
async fn wrong_password_and_unknown_email_answer_the_same() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let wrong = app
        .call(
            None,
            Method::POST,
            "/api/auth/login",
            Some(json!({"email": "owner@a.test", "password": "wrong-password"})),
        )
        .await?;
    let unknown = app
        .call(
            None,
            Method::POST,
            "/api/auth/login",
            Some(json!({"email": "ghost@a.test", "password": "wrong-password"})),
        )
        .await?;
    assert_eq!(wrong, unknown);
    assert_eq!(
        (wrong.0, code(&wrong.1)),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );
    Ok(())
}

#[tokio::test]
async fn login_is_rate_limited_per_email() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    for _ in 0..3 {
        let (st, _) = app
            .call(
                None,
                Method::POST,
                "/api/auth/login",
                Some(json!({"email": "agent@a.test", "password": "nope-nope"})),
            )
            .await?;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"email": "agent@a.test", "password": PASSWORD}))
        .send()
        .await?;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(res.headers().get("retry-after").is_some());
    let body: serde_json::Value = res.json().await?;
    assert_eq!(code(&body), "rate_limited");
    // another e-mail from the same IP is not affected
    app.login("owner@a.test").await?;
    Ok(())
}

#[tokio::test]
async fn bad_login_input_is_a_clear_4xx() -> TestResult {
    let app = spawn_app().await?;
    let res = app
        .http
        .post(format!("{}/api/auth/login", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await?;
    assert_eq!(code(&body), "invalid_json");
    let (st, body) = app
        .call(
            None,
            Method::POST,
            "/api/auth/login",
            Some(json!({"email": "", "password": ""})),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "missing_credentials")
    );
    let (st, body) = app
        .call(
            None,
            Method::POST,
            "/api/auth/login",
            Some(json!({"email": 5})),
        )
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_json"));
    let res = app
        .http
        .get(format!("{}/api/auth/me", app.base))
        .header("cookie", "prosaas_session=forged")
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    Ok(())
}
