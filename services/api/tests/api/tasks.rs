//! Tasks over HTTP: CRUD, validation, filters, the due-task sweep, and the
//! cross-tenant matrix over every role and an API key.

use std::time::Duration;

use chrono::Utc;
use prosaas_api::workers::due_tasks;
use prosaas_events::BusHandle;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn crud_validates_assignee_and_lead_and_marks_done_undone() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let a = app.login("agent@a.test").await?;
    let b = app.login("owner@b.test").await?;
    let (_, lead) = app.post(&a, "/api/leads", json!({"name": "Dana"})).await?;
    let (_, lead_b) = app
        .post(&b, "/api/leads", json!({"name": "B lead"}))
        .await?;
    let due = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let (st, task) = app
        .post(
            &a,
            "/api/tasks",
            json!({"title": "  Call back Dana ", "lead_id": lead["id"], "assignee_user_id": t.agent_a.id, "due_at": due, "business_id": t.b.id}),
        )
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{task}");
    assert_eq!(task["title"], "Call back Dana");
    assert_eq!(
        (
            task["source"].as_str(),
            task["done"].as_bool(),
            task["overdue"].as_bool()
        ),
        (Some("manual"), Some(false), Some(false))
    );
    assert_eq!(task["created_by_user_id"], json!(t.agent_a.id));
    let tid = id(&task);

    for (body, want) in [
        (json!({"title": ""}), "invalid_task"),
        (json!({"title": "x".repeat(201)}), "invalid_task"),
        (
            json!({"title": "x", "assignee_user_id": t.agent_b.id}),
            "invalid_assignee",
        ),
        (
            json!({"title": "x", "lead_id": lead_b["id"]}),
            "invalid_lead",
        ),
    ] {
        let (st, res) = app.post(&a, "/api/tasks", body).await?;
        assert_eq!((st, code(&res)), (StatusCode::UNPROCESSABLE_ENTITY, want));
    }
    let (st, res) = app
        .post(
            &a,
            "/api/tasks",
            json!({"title": "x", "due_at": "tomorrow"}),
        )
        .await?;
    assert_eq!((st, code(&res)), (StatusCode::BAD_REQUEST, "invalid_json"));

    let (st, done) = app
        .patch(&a, &format!("/api/tasks/{tid}"), json!({"done": true}))
        .await?;
    assert_eq!((st, done["done"].as_bool()), (StatusCode::OK, Some(true)));
    let done_at = done["done_at"].clone();
    assert!(done_at.is_string());
    let (_, again) = app
        .patch(&a, &format!("/api/tasks/{tid}"), json!({"done": true}))
        .await?;
    assert_eq!(
        again["done_at"], done_at,
        "marking done twice keeps the first time"
    );
    let (_, undone) = app
        .patch(
            &a,
            &format!("/api/tasks/{tid}"),
            json!({"done": false, "due_at": null, "lead_id": null}),
        )
        .await?;
    assert_eq!(
        (
            undone["done"].as_bool(),
            undone["due_at"].is_null(),
            undone["lead_id"].is_null()
        ),
        (Some(false), true, true)
    );
    assert_eq!(
        undone["assignee_user_id"],
        json!(t.agent_a.id),
        "absent fields are kept"
    );
    let (st, res) = app
        .patch(
            &a,
            &format!("/api/tasks/{tid}"),
            json!({"assignee_user_id": t.owner_b.id}),
        )
        .await?;
    assert_eq!(
        (st, code(&res)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_assignee")
    );
    let (st, _) = app.delete(&a, &format!("/api/tasks/{tid}")).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, res) = app.get(&a, &format!("/api/tasks/{tid}")).await?;
    assert_eq!((st, code(&res)), (StatusCode::NOT_FOUND, "task_not_found"));
    Ok(())
}

#[tokio::test]
async fn filters_mine_overdue_done_and_order_by_due_date() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let agent = app.login("agent@a.test").await?;
    let past = (Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    let soon = (Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let later = (Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    for (title, who, due) in [
        ("no date", Some(t.agent_a.id), None),
        ("later", Some(t.agent_a.id), Some(later)),
        ("overdue", Some(t.agent_a.id), Some(past)),
        ("admin's", Some(t.admin_a.id), Some(soon)),
    ] {
        let (st, _) = app
            .post(
                &agent,
                "/api/tasks",
                json!({"title": title, "assignee_user_id": who, "due_at": due}),
            )
            .await?;
        assert_eq!(st, StatusCode::CREATED);
    }
    let (_, all) = app.get(&agent, "/api/tasks").await?;
    assert_eq!(titles(&all), vec!["overdue", "admin's", "later", "no date"]);
    let (_, mine) = app.get(&agent, "/api/tasks?mine=true").await?;
    assert_eq!(titles(&mine), vec!["overdue", "later", "no date"]);
    let (_, overdue) = app.get(&agent, "/api/tasks?overdue=true").await?;
    assert_eq!(titles(&overdue), vec!["overdue"]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let first = id(&overdue["items"][0]);
    app.patch(
        &agent,
        &format!("/api/tasks/{first}"),
        json!({"done": true}),
    )
    .await?;
    let (_, open) = app.get(&agent, "/api/tasks?done=false&mine=true").await?;
    assert_eq!(titles(&open), vec!["later", "no date"]);
    let (_, done) = app.get(&agent, "/api/tasks?done=true").await?;
    assert_eq!(titles(&done), vec!["overdue"]);
    let (_, page) = app.get(&agent, "/api/tasks?per_page=1&page=2").await?;
    assert_eq!(
        (page["total"].as_i64(), titles(&page)),
        (Some(4), vec!["admin's".to_string()])
    );
    for bad in ["per_page=0", "per_page=1000", "mine=maybe", "lead_id=nope"] {
        let (st, body) = app.get(&agent, &format!("/api/tasks?{bad}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_query"),
            "{bad}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_due_task_notifies_its_assignee_once() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let agent = app.login("agent@a.test").await?;
    let admin = app.login("admin@a.test").await?;
    let past = (Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let future = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let (_, due) = app
        .post(
            &agent,
            "/api/tasks",
            json!({"title": "Call back", "assignee_user_id": t.agent_a.id, "due_at": past}),
        )
        .await?;
    app.post(
        &agent,
        "/api/tasks",
        json!({"title": "Not yet", "due_at": future}),
    )
    .await?;
    let (_, done) = app
        .post(
            &agent,
            "/api/tasks",
            json!({"title": "Done already", "due_at": past}),
        )
        .await?;
    app.patch(
        &agent,
        &format!("/api/tasks/{}", id(&done)),
        json!({"done": true}),
    )
    .await?;

    let bus = BusHandle::connect(SecretString::from(redis_url())).await;
    let mut notified = due_tasks::sweep_once(&app.db, &bus).await?;
    // other tests' databases are separate, so every due task counted here is ours
    for _ in 0..3 {
        if notified > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        notified += due_tasks::sweep_once(&app.db, &bus).await?;
    }
    assert_eq!(notified, 1);
    assert_eq!(due_tasks::sweep_once(&app.db, &bus).await?, 0, "once only");

    let (_, page) = app.get(&agent, "/api/notifications").await?;
    assert_eq!(page["total"], 1);
    let n = &page["items"][0];
    assert_eq!(
        (n["kind"].as_str(), n["title"].as_str()),
        (Some("task.due"), Some("Call back"))
    );
    assert_eq!(n["link"], json!(format!("/tasks?id={}", id(&due))));
    let (_, page) = app.get(&admin, "/api/notifications").await?;
    assert_eq!(page["total"], 0, "personal to the assignee");

    // moving the due date re-arms it
    app.patch(
        &agent,
        &format!("/api/tasks/{}", id(&due)),
        json!({"due_at": (Utc::now() - chrono::Duration::seconds(5)).to_rfc3339()}),
    )
    .await?;
    assert_eq!(due_tasks::sweep_once(&app.db, &bus).await?, 1);
    Ok(())
}

#[tokio::test]
async fn cross_tenant_matrix_for_every_role_and_api_key() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    let (_, task_b) = app
        .post(&b, "/api/tasks", json!({"title": "B secret task"}))
        .await?;
    let tid = id(&task_b);
    let key_a = app.api_key("owner@a.test").await?;
    let root = app.login("root@prosaas.test").await?;

    for who in ["owner@a.test", "admin@a.test", "agent@a.test"] {
        let s = app.login(who).await?;
        let (st, body) = app.get(&s, &format!("/api/tasks/{tid}")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "task_not_found"),
            "{who}"
        );
        let (st, _) = app
            .patch(&s, &format!("/api/tasks/{tid}"), json!({"title": "pwned"}))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} PATCH");
        let (st, _) = app.delete(&s, &format!("/api/tasks/{tid}")).await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} DELETE");
        let (_, page) = app.get(&s, "/api/tasks").await?;
        assert!(!page.to_string().contains("B secret"), "{who} list");
        let (st, _) = app
            .get(&s, &format!("/api/tasks?business_id={}", t.b.id))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} cannot name B");
    }
    // system admin inside A
    let q = format!("business_id={}", t.a.id);
    let (st, _) = app.get(&root, &format!("/api/tasks/{tid}?{q}")).await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app
        .patch(
            &root,
            &format!("/api/tasks/{tid}?{q}"),
            json!({"title": "pwned"}),
        )
        .await?;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, page) = app.get(&root, &format!("/api/tasks?{q}")).await?;
    assert_eq!(page["total"], 0);
    // API key of A
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"title": "pwned"}));
        let (st, _) = app
            .with_key(&key_a, method.clone(), &format!("/api/tasks/{tid}"), body)
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "key {method}");
    }
    let (_, page) = app
        .with_key(&key_a, Method::GET, "/api/tasks", None)
        .await?;
    assert_eq!(page["total"], 0);
    let (_, still) = app.get(&b, &format!("/api/tasks/{tid}")).await?;
    assert_eq!(still["title"], "B secret task");
    Ok(())
}
