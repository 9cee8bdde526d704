//! Notifications over HTTP: own + business-wide, per-user read state, and the
//! cross-tenant matrix (another user's or business's notification is 404).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn users_see_own_and_business_wide_and_read_state_is_per_user() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let everyone = app.notify(t.a.id, None, "Missed call").await?;
    let for_agent = app
        .notify(t.a.id, Some(t.agent_a.id), "Call back Dana")
        .await?;
    let for_admin = app.notify(t.a.id, Some(t.admin_a.id), "Admin only").await?;
    let in_b = app.notify(t.b.id, None, "B's missed call").await?;

    let agent = app.login("agent@a.test").await?;
    let (st, page) = app.get(&agent, "/api/notifications").await?;
    assert_eq!(st, StatusCode::OK);
    let ids: Vec<&str> = page["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        vec![for_agent.as_str(), everyone.as_str()],
        "newest first"
    );
    assert_eq!(
        (page["total"].as_i64(), page["unread_count"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(page["items"][0]["read"], false);

    let (st, n) = app
        .post(
            &agent,
            &format!("/api/notifications/{everyone}/read"),
            json!({}),
        )
        .await?;
    assert_eq!((st, n["read"].as_bool()), (StatusCode::OK, Some(true)));
    assert!(n["read_at"].is_string());
    // idempotent
    let (st, _) = app
        .post(
            &agent,
            &format!("/api/notifications/{everyone}/read"),
            json!({}),
        )
        .await?;
    assert_eq!(st, StatusCode::OK);
    let (_, page) = app.get(&agent, "/api/notifications?unread=true").await?;
    assert_eq!(
        (page["total"].as_i64(), page["unread_count"].as_i64()),
        (Some(1), Some(1))
    );

    // the admin still has the business-wide one unread: read state is per user
    let admin = app.login("admin@a.test").await?;
    let (_, page) = app.get(&admin, "/api/notifications").await?;
    assert_eq!(
        (page["total"].as_i64(), page["unread_count"].as_i64()),
        (Some(2), Some(2))
    );

    let (st, body) = app
        .post(&agent, "/api/notifications/read-all", json!({}))
        .await?;
    assert_eq!((st, body["marked"].as_i64()), (StatusCode::OK, Some(1)));
    let (_, page) = app.get(&agent, "/api/notifications").await?;
    assert_eq!(page["unread_count"], 0);

    // another user's personal notification and another tenant's: 404, unchanged
    for id in [&for_admin, &in_b] {
        let (st, body) = app
            .post(&agent, &format!("/api/notifications/{id}/read"), json!({}))
            .await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "notification_not_found")
        );
    }
    let (_, page) = app.get(&admin, "/api/notifications").await?;
    assert_eq!(page["unread_count"], 2);
    let (st, _) = app.get(&agent, "/api/notifications?per_page=500").await?;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = app
        .call(None, Method::GET, "/api/notifications", None)
        .await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn cross_tenant_matrix_for_every_role_and_api_key() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let a_wide = app.notify(t.a.id, None, "A wide").await?;
    let b_wide = app.notify(t.b.id, None, "B wide").await?;
    let b_personal = app.notify(t.b.id, Some(t.agent_b.id), "B personal").await?;
    let a_owner_only = app.notify(t.a.id, Some(t.owner_a.id), "A owner").await?;

    for who in ["owner@a.test", "admin@a.test", "agent@a.test"] {
        let s = app.login(who).await?;
        let (_, page) = app.get(&s, "/api/notifications").await?;
        let text = page.to_string();
        assert!(
            !text.contains(&b_wide) && !text.contains(&b_personal),
            "{who} list"
        );
        assert!(text.contains(&a_wide), "{who} sees A's business-wide");
        for id in [&b_wide, &b_personal] {
            let (st, _) = app
                .post(&s, &format!("/api/notifications/{id}/read"), json!({}))
                .await?;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} read {id}");
        }
        let (st, _) = app
            .get(&s, &format!("/api/notifications?business_id={}", t.b.id))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} cannot name B");
    }

    // system admin: names the business, sees business-wide only, has no read state
    let root = app.login("root@prosaas.test").await?;
    let (st, body) = app.get(&root, "/api/notifications").await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::BAD_REQUEST, "business_required")
    );
    let (st, page) = app
        .get(&root, &format!("/api/notifications?business_id={}", t.a.id))
        .await?;
    assert_eq!(st, StatusCode::OK);
    let text = page.to_string();
    assert!(text.contains(&a_wide) && !text.contains(&a_owner_only) && !text.contains(&b_wide));
    let (st, body) = app
        .post(
            &root,
            &format!("/api/notifications/{a_wide}/read?business_id={}", t.a.id),
            json!({}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );

    // API key of A: business-wide of A only, cannot mark read, cannot name B
    let key = app.api_key("owner@a.test").await?;
    let (st, page) = app
        .with_key(&key, Method::GET, "/api/notifications", None)
        .await?;
    assert_eq!(st, StatusCode::OK);
    let text = page.to_string();
    assert!(text.contains(&a_wide) && !text.contains(&a_owner_only) && !text.contains(&b_wide));
    let (st, _) = app
        .with_key(
            &key,
            Method::POST,
            &format!("/api/notifications/{a_wide}/read"),
            Some(json!({})),
        )
        .await?;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app
        .with_key(
            &key,
            Method::GET,
            &format!("/api/notifications?business_id={}", t.b.id),
            None,
        )
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    Ok(())
}
