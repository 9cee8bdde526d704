//! API keys: managed by owners/admins, shown once, and `Authorization: Bearer`
//! acting as the key's business with the api_key role (no user management),
//! driven the way an n8n HTTP Request node calls us.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn managers_create_list_and_revoke_keys_shown_once() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    let (st, created) = app
        .post(&owner, "/api/api-keys", json!({"name": "n8n prod"}))
        .await?;
    assert_eq!(st, StatusCode::CREATED);
    let key = created["key"].as_str().unwrap_or_default().to_string();
    assert!(key.starts_with("psk_") && key.len() > 40, "{key}");
    assert_eq!(created["prefix"].as_str(), Some(&key[..12]));
    let (_, list) = app.get(&owner, "/api/api-keys").await?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert!(
        !list.to_string().contains(&key),
        "the key itself is never listed"
    );
    assert!(list[0]["key"].is_null());

    let admin = app.login("admin@a.test").await?;
    let (st, _) = app.get(&admin, "/api/api-keys").await?;
    assert_eq!(st, StatusCode::OK);
    let agent = app.login("agent@a.test").await?;
    for (method, path) in [
        (Method::GET, "/api/api-keys"),
        (Method::POST, "/api/api-keys"),
    ] {
        let (st, body) = app
            .call(Some(&agent), method, path, Some(json!({"name": "x"})))
            .await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::FORBIDDEN, "role_not_allowed")
        );
    }
    let (st, body) = app
        .post(&owner, "/api/api-keys", json!({"name": " "}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_name")
    );

    let (st, _) = app.with_key(&key, Method::GET, "/api/leads", None).await?;
    assert_eq!(st, StatusCode::OK);
    let (_, list) = app.get(&owner, "/api/api-keys").await?;
    assert!(list[0]["last_used_at"].is_string(), "use is recorded");
    let id = created["id"].as_str().unwrap_or_default();
    let (st, _) = app.delete(&owner, &format!("/api/api-keys/{id}")).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = app.with_key(&key, Method::GET, "/api/leads", None).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNAUTHORIZED, "invalid_api_key")
    );
    let (_, list) = app.get(&owner, "/api/api-keys").await?;
    assert!(list[0]["revoked_at"].is_string());
    Ok(())
}

#[tokio::test]
async fn bearer_key_acts_as_its_business_like_an_n8n_http_request_node() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let key = app.api_key("owner@a.test").await?;
    let b = app.login("owner@b.test").await?;
    let (_, lead_b) = app
        .post(&b, "/api/leads", json!({"name": "B lead"}))
        .await?;

    // n8n: POST JSON with Header Auth `Authorization: Bearer <key>`
    let (st, lead) = app
        .with_key(
            &key,
            Method::POST,
            "/api/leads",
            Some(json!({"name": "From n8n", "phone": "050-1234567", "source": "api"})),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{lead}");
    assert_eq!(lead["business_id"], json!(t.a.id));
    let lead_id = lead["id"].as_str().unwrap_or_default();
    let (st, task) = app
        .with_key(&key, Method::POST, "/api/tasks", Some(json!({"title": "Send welcome", "lead_id": lead_id, "assignee_user_id": t.agent_a.id})))
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{task}");
    assert_eq!(
        (
            task["source"].as_str(),
            task["created_by_user_id"].is_null()
        ),
        (Some("api"), true)
    );
    let (st, page) = app.with_key(&key, Method::GET, "/api/leads", None).await?;
    assert_eq!((st, page["total"].as_i64()), (StatusCode::OK, Some(1)));

    // never another business
    let b_id = lead_b["id"].as_str().unwrap_or_default();
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"name": "pwned"}));
        let (st, _) = app
            .with_key(&key, method.clone(), &format!("/api/leads/{b_id}"), body)
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{method}");
    }
    let (st, _) = app
        .with_key(
            &key,
            Method::GET,
            &format!("/api/leads?business_id={}", t.b.id),
            None,
        )
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app
        .with_key(
            &key,
            Method::GET,
            &format!("/api/leads?business_id={}", t.a.id),
            None,
        )
        .await?;
    assert_eq!(st, StatusCode::OK, "naming its own business is fine");

    // no user, business or session management; no manager-only endpoints
    for (method, path) in [
        (Method::GET, "/api/users".to_string()),
        (Method::POST, "/api/users".to_string()),
        (Method::DELETE, format!("/api/users/{}", t.agent_a.id)),
        (Method::GET, "/api/businesses".to_string()),
        (Method::GET, "/api/auth/me".to_string()),
    ] {
        let (st, body) = app
            .with_key(&key, method.clone(), &path, Some(json!({})))
            .await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::FORBIDDEN, "api_key_not_allowed"),
            "{method} {path}"
        );
    }
    for (method, path) in [
        (Method::GET, "/api/api-keys"),
        (Method::POST, "/api/api-keys"),
        (Method::GET, "/api/webhooks"),
        (Method::PATCH, "/api/business"),
        (Method::GET, "/api/audit"),
    ] {
        let (st, body) = app
            .with_key(&key, method.clone(), path, Some(json!({"name": "x"})))
            .await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::FORBIDDEN, "role_not_allowed"),
            "{method} {path}"
        );
    }
    let (st, _) = app
        .with_key(&key, Method::GET, "/api/business", None)
        .await?;
    assert_eq!(
        st,
        StatusCode::OK,
        "reading its own business settings is member-level"
    );

    // bad keys
    for bad in ["psk_nope", "nope", "", &format!("{key}x")] {
        let (st, body) = app.with_key(bad, Method::GET, "/api/leads", None).await?;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{bad:?} {body}");
    }
    Ok(())
}

#[tokio::test]
async fn keys_of_another_business_are_404_for_every_role() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    let (_, key_b) = app
        .post(&b, "/api/api-keys", json!({"name": "B key"}))
        .await?;
    let id = key_b["id"].as_str().unwrap_or_default();
    for who in ["owner@a.test", "admin@a.test"] {
        let s = app.login(who).await?;
        let (st, body) = app.delete(&s, &format!("/api/api-keys/{id}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "api_key_not_found"),
            "{who}"
        );
        let (_, list) = app.get(&s, "/api/api-keys").await?;
        assert!(!list.to_string().contains(id), "{who} list");
    }
    let root = app.login("root@prosaas.test").await?;
    let (st, _) = app
        .delete(&root, &format!("/api/api-keys/{id}?business_id={}", t.a.id))
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, list) = app
        .get(&root, &format!("/api/api-keys?business_id={}", t.b.id))
        .await?;
    assert_eq!(
        (st, list.as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "audited visit of B"
    );
    // B's key still works
    let key = key_b["key"].as_str().unwrap_or_default();
    let (st, _) = app.with_key(key, Method::GET, "/api/leads", None).await?;
    assert_eq!(st, StatusCode::OK);
    Ok(())
}
