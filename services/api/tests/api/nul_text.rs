//! A NUL character (`\u0000`) in JSON text or `%00` in a query string is
//! refused before any handler (prosaas_http text_guard): 422 / 400
//! `invalid_text`, never a 500 from Postgres; nothing is written.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn nul_in_json_text_answers_422_invalid_text_and_writes_nothing() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;

    let (st, res) = app
        .call(
            Some(&s),
            Method::POST,
            "/api/leads",
            Some(json!({"name": "Dana\u{0}"})),
        )
        .await?;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{res}");
    assert_eq!(code(&res), "invalid_text");
    let (_, page) = app.call(Some(&s), Method::GET, "/api/leads", None).await?;
    assert_eq!(page["total"], 0, "nothing was stored: {page}");

    let (st, res) = app
        .call(
            Some(&s),
            Method::PATCH,
            "/api/business",
            Some(json!({"ai_prompt": "a\u{0}b"})),
        )
        .await?;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{res}");
    assert_eq!(code(&res), "invalid_text");

    let (st, res) = app
        .call(
            Some(&s),
            Method::POST,
            "/api/tasks",
            Some(json!({"title": "call\u{0}"})),
        )
        .await?;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{res}");
    assert_eq!(code(&res), "invalid_text");

    // a backslash followed by "u0000" is ordinary text
    let (st, lead) = app
        .call(
            Some(&s),
            Method::POST,
            "/api/leads",
            Some(json!({"name": "Dana \\u0000"})),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{lead}");
    assert_eq!(lead["name"], "Dana \\u0000");
    Ok(())
}

#[tokio::test]
async fn nul_in_a_query_string_answers_400_invalid_text() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (st, res) = app
        .call(Some(&s), Method::GET, "/api/leads?q=a%00b", None)
        .await?;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{res}");
    assert_eq!(code(&res), "invalid_text");
    Ok(())
}
