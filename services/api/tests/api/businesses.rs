use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn owners_edit_their_own_business_only() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    let (st, own) = app.get(&owner, "/api/business").await?;
    assert_eq!((st, own["id"].clone()), (StatusCode::OK, json!(t.a.id)));
    assert_eq!(
        (own["timezone"].as_str(), own["locale"].as_str()),
        (Some("Asia/Jerusalem"), Some("he"))
    );
    let (st, upd) = app
        .patch(
            &owner,
            "/api/business",
            json!({"ai_greeting": "שלום!", "twilio_phone_number": "+1 (415) 555-0100"}),
        )
        .await?;
    assert_eq!(
        (st, upd["twilio_phone_number"].as_str()),
        (StatusCode::OK, Some("+14155550100"))
    );
    let owner_b = app.login("owner@b.test").await?;
    let (st, body) = app
        .patch(
            &owner_b,
            "/api/business",
            json!({"twilio_phone_number": "+14155550100"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "twilio_number_taken")
    );
    let (st, body) = app
        .patch(
            &owner,
            "/api/business",
            json!({"timezone": "'; DROP TABLE"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_timezone")
    );
    let agent = app.login("agent@a.test").await?;
    let (st, body) = app
        .patch(&agent, "/api/business", json!({"name": "mine now"}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    for path in [
        "/api/businesses".to_string(),
        format!("/api/businesses/{}", t.b.id),
    ] {
        let (st, _) = app.get(&owner, &path).await?;
        assert_eq!(st, StatusCode::FORBIDDEN, "{path}");
    }
    let (st, _) = app
        .patch(
            &owner,
            &format!("/api/businesses/{}", t.b.id),
            json!({"name": "x"}),
        )
        .await?;
    assert_eq!(st, StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test]
async fn system_admin_manages_businesses() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let root = app.login("root@prosaas.test").await?;
    let (st, created) = app
        .post(
            &root,
            "/api/businesses",
            json!({"name": "מספרת גילה", "twilio_phone_number": "03-5551234"}),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(created["twilio_phone_number"], "+97235551234");
    assert!(
        created["slug"]
            .as_str()
            .is_some_and(|s| s.starts_with("biz-"))
    );
    let (_, all) = app.get(&root, "/api/businesses").await?;
    assert_eq!(all.as_array().map(Vec::len), Some(3));
    let (st, upd) = app
        .patch(
            &root,
            &format!("/api/businesses/{}", t.b.id),
            json!({"locale": "en", "whatsapp_phone": null}),
        )
        .await?;
    assert_eq!((st, upd["locale"].as_str()), (StatusCode::OK, Some("en")));
    let (st, body) = app
        .post(&root, "/api/businesses", json!({"name": " "}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_name")
    );
    let (st, _) = app
        .get(&root, &format!("/api/businesses/{}", uuid::Uuid::new_v4()))
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    Ok(())
}
