//! Brief 5.2 over HTTP, and the cross-tenant rule: another business's user is 404.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn listing_is_scoped_for_business_users_and_global_for_system_admins() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    let (st, list) = app.get(&owner, "/api/users").await?;
    assert_eq!(st, StatusCode::OK);
    let emails: Vec<&str> = list
        .as_array()
        .map(|a| a.iter().filter_map(|u| u["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(emails, vec!["owner@a.test", "admin@a.test", "agent@a.test"]);
    assert!(
        list.as_array()
            .is_some_and(|a| a.iter().all(|u| u.get("password_hash").is_none()))
    );
    let (st, body) = app
        .get(&owner, &format!("/api/users?business_id={}", t.b.id))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "business_not_found")
    );
    let (st, _) = app
        .get(&owner, &format!("/api/users/{}", t.agent_b.id))
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let root = app.login("root@prosaas.test").await?;
    let (_, all) = app.get(&root, "/api/users").await?;
    assert_eq!(all.as_array().map(Vec::len), Some(6));
    let (_, only_b) = app
        .get(&root, &format!("/api/users?business_id={}", t.b.id))
        .await?;
    assert_eq!(only_b.as_array().map(Vec::len), Some(2));
    Ok(())
}

#[tokio::test]
async fn delete_rules_of_the_brief() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    let admin = app.login("admin@a.test").await?;
    let agent = app.login("agent@a.test").await?;
    // admin and agent delete nobody
    let (st, body) = app
        .delete(&admin, &format!("/api/users/{}", t.agent_a.id))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    let (st, _) = app
        .delete(&agent, &format!("/api/users/{}", t.admin_a.id))
        .await?;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // owner: not another business's user (404, and it still exists), not themself, not the last owner
    let (st, body) = app
        .delete(&owner, &format!("/api/users/{}", t.agent_b.id))
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "user_not_found"));
    let (st, body) = app
        .delete(&owner, &format!("/api/users/{}", t.owner_a.id))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "cannot_delete_self")
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("your own account"))
    );
    // owner deletes own agent
    let (st, _) = app
        .delete(&owner, &format!("/api/users/{}", t.agent_a.id))
        .await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    // the deleted agent's session is gone
    let (st, _) = app.get(&agent, "/api/auth/me").await?;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    // system admin: anyone except the only owner and themself
    let root = app.login("root@prosaas.test").await?;
    let (st, body) = app
        .delete(&root, &format!("/api/users/{}", t.owner_b.id))
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "last_owner"));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("only owner"))
    );
    let (st, _) = app
        .delete(&root, &format!("/api/users/{}", t.root.id))
        .await?;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app
        .delete(&root, &format!("/api/users/{}", t.agent_b.id))
        .await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    // owner B is still there for B
    let owner_b = app.login("owner@b.test").await?;
    let (_, b_users) = app.get(&owner_b, "/api/users").await?;
    assert_eq!(b_users.as_array().map(Vec::len), Some(1));
    let (st, _) = app
        .delete(&root, &format!("/api/users/{}", uuid::Uuid::new_v4()))
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app.delete(&root, "/api/users/not-a-uuid").await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn create_and_update_follow_role_rules_and_stay_in_the_business() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let owner = app.login("owner@a.test").await?;
    // business_id in the body cannot move the user to another business
    let (st, body) = app.post(&owner, "/api/users", json!({"email": "new@a.test", "password": "long-enough", "role": "agent", "business_id": t.b.id})).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "business_not_found")
    );
    let (st, created) = app.post(&owner, "/api/users", json!({"email": "New@A.test", "password": "long-enough", "role": "agent", "name": "New"})).await?;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(
        (created["business_id"].clone(), created["email"].clone()),
        (json!(t.a.id), json!("new@a.test"))
    );
    let (st, body) = app
        .post(
            &owner,
            "/api/users",
            json!({"email": "new@a.test", "password": "long-enough", "role": "agent"}),
        )
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "email_taken"));
    let (st, body) = app
        .post(
            &owner,
            "/api/users",
            json!({"email": "x@a.test", "password": "short", "role": "agent"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "weak_password")
    );
    let (st, body) = app
        .post(
            &owner,
            "/api/users",
            json!({"email": "x@a.test", "password": "long-enough", "role": "system_admin"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "role_not_allowed")
    );
    let (st, body) = app
        .post(
            &owner,
            "/api/users",
            json!({"email": "x@a.test", "password": "long-enough", "role": "emperor"}),
        )
        .await?;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_json"));
    // last owner cannot be demoted, a second owner can
    let (st, body) = app
        .patch(
            &owner,
            &format!("/api/users/{}", t.owner_a.id),
            json!({"role": "agent"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::FORBIDDEN, "cannot_delete_self")
    );
    let (st, _) = app
        .patch(
            &owner,
            &format!("/api/users/{}", t.agent_b.id),
            json!({"name": "hijack"}),
        )
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, updated) = app
        .patch(
            &owner,
            &format!("/api/users/{}", t.admin_a.id),
            json!({"name": "Renamed", "active": false}),
        )
        .await?;
    assert_eq!(
        (st, updated["name"].as_str(), updated["active"].as_bool()),
        (StatusCode::OK, Some("Renamed"), Some(false))
    );
    // system admin creates an owner in B
    let root = app.login("root@prosaas.test").await?;
    let (st, _) = app.post(&root, "/api/users", json!({"email": "o2@b.test", "password": "long-enough", "role": "owner", "business_id": t.b.id})).await?;
    assert_eq!(st, StatusCode::CREATED);
    let (st, body) = app
        .post(
            &root,
            "/api/users",
            json!({"email": "o3@b.test", "password": "long-enough", "role": "owner"}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "business_required")
    );
    Ok(())
}
