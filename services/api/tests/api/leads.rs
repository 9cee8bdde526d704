//! Leads over HTTP, with the cross-tenant matrix: every id-taking endpoint
//! answers 404 for another business's lead and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn crud_normalises_phones_and_validates_input() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let s = app.login("agent@a.test").await?;
    let (st, lead) = app.post(&s, "/api/leads", json!({"name": "דנה כהן", "phone": "050-1234567", "email": "Dana@Example.com", "business_id": t.b.id})).await?;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(lead["phone"], "+972501234567");
    assert_eq!(lead["email"], "dana@example.com");
    assert_eq!(
        (lead["source"].as_str(), lead["status"].as_str()),
        (Some("manual"), Some("new"))
    );
    assert_eq!(
        lead["business_id"],
        json!(t.a.id),
        "body cannot pick the business"
    );
    let id = lead["id"].as_str().unwrap_or_default().to_string();
    let (st, got) = app.get(&s, &format!("/api/leads/{id}")).await?;
    assert_eq!(
        (st, got["name"].as_str()),
        (StatusCode::OK, Some("דנה כהן"))
    );
    let (st, patched) = app
        .patch(
            &s,
            &format!("/api/leads/{id}"),
            json!({"status": "contacted", "email": null, "assigned_user_id": t.agent_a.id}),
        )
        .await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (patched["status"].as_str(), patched["email"].is_null()),
        (Some("contacted"), true)
    );
    assert_eq!(patched["phone"], "+972501234567", "absent fields are kept");
    let (st, body) = app
        .patch(
            &s,
            &format!("/api/leads/{id}"),
            json!({"assigned_user_id": t.agent_b.id}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_assignee")
    );
    for (input, want) in [
        (
            json!({"name": "x", "phone": "not a phone"}),
            "invalid_phone",
        ),
        (json!({"name": "x", "email": "nope"}), "invalid_email"),
        (json!({}), "invalid_lead"),
        (json!({"name": "x".repeat(201)}), "too_long"),
    ] {
        let (st, body) = app.post(&s, "/api/leads", input).await?;
        assert_eq!((st, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, want));
    }
    let (st, body) = app
        .post(&s, "/api/leads", json!({"name": "x", "status": "maybe"}))
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_json"));
    let (st, _) = app.delete(&s, &format!("/api/leads/{id}")).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = app.get(&s, &format!("/api/leads/{id}")).await?;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "lead_not_found"));
    Ok(())
}

#[tokio::test]
async fn another_business_lead_is_404_everywhere_and_unchanged() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    let (_, lead_b) = app
        .post(
            &b,
            "/api/leads",
            json!({"name": "B's lead", "phone": "03-7654321"}),
        )
        .await?;
    let id = lead_b["id"].as_str().unwrap_or_default().to_string();
    for who in ["owner@a.test", "admin@a.test", "agent@a.test"] {
        let s = app.login(who).await?;
        let (st, body) = app.get(&s, &format!("/api/leads/{id}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "lead_not_found"),
            "{who} GET"
        );
        let (st, _) = app
            .patch(&s, &format!("/api/leads/{id}"), json!({"name": "pwned"}))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} PATCH");
        let (st, _) = app.delete(&s, &format!("/api/leads/{id}")).await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} DELETE");
        let (_, page) = app.get(&s, "/api/leads?q=B's").await?;
        assert_eq!(page["total"], 0, "{who} list");
        let (st, _) = app
            .get(&s, &format!("/api/leads?business_id={}", t.b.id))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} cannot name B");
    }
    let (_, still) = app.get(&b, &format!("/api/leads/{id}")).await?;
    assert_eq!(still["name"], "B's lead");
    Ok(())
}

#[tokio::test]
async fn system_admin_must_name_the_business_and_is_audited() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    app.post(&b, "/api/leads", json!({"name": "B lead"}))
        .await?;
    let root = app.login("root@prosaas.test").await?;
    let (st, body) = app.get(&root, "/api/leads").await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::BAD_REQUEST, "business_required")
    );
    let (st, page) = app
        .get(&root, &format!("/api/leads?business_id={}", t.b.id))
        .await?;
    assert_eq!((st, page["total"].as_i64()), (StatusCode::OK, Some(1)));
    let (st, _) = app.get(&root, "/api/leads?business_id=garbage").await?;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (_, audit) = app.get(&b, "/api/audit").await?;
    let crossed = audit.as_array().is_some_and(|a| {
        a.iter().any(|e| {
            e["action"] == "system.enter_business" && e["actor_user_id"] == json!(t.root.id)
        })
    });
    assert!(
        crossed,
        "B's owner sees that a system admin entered: {audit}"
    );
    Ok(())
}

#[tokio::test]
async fn list_filters_sorts_pages_and_rejects_bad_queries() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    for (name, status, source) in [
        ("Avi", "new", "call"),
        ("Bella", "won", "whatsapp"),
        ("Chen", "won", "manual"),
    ] {
        app.post(
            &s,
            "/api/leads",
            json!({"name": name, "status": status, "source": source}),
        )
        .await?;
    }
    let (_, page) = app.get(&s, "/api/leads?status=won&sort=name").await?;
    let names: Vec<&str> = page["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["Bella", "Chen"]);
    let (_, page) = app.get(&s, "/api/leads?source=call").await?;
    assert_eq!(page["total"], 1);
    let (_, page) = app
        .get(&s, "/api/leads?per_page=2&page=2&sort=-name")
        .await?;
    assert_eq!(
        (page["page"].as_i64(), page["items"][0]["name"].as_str()),
        (Some(2), Some("Avi"))
    );
    for bad in [
        "status=maybe",
        "sort=phone",
        "per_page=0",
        "per_page=1000",
        "page=-1",
    ] {
        let (st, body) = app.get(&s, &format!("/api/leads?{bad}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_query"),
            "{bad}"
        );
    }
    Ok(())
}
