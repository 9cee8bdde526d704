//! Inbound messages, leads, notifications, events; conversations and threads;
//! outbound from the CRM with rate limits; AI auto-replies and the "human took
//! over" switch. Every endpoint: another business's conversation is 404.

use std::time::Duration;

use futures_util::StreamExt;
use prosaas_common::E164Phone;
use prosaas_events::{EventBus, EventKind};
use prosaas_tenant::domain::{LeadSource, LeadStatus, NewLead};
use prosaas_tenant::repo::leads;
use prosaas_tenant::system;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

use crate::helpers::{AI_REPLY, Options, TestResult, code, eventually, redis_url, spawn_app};

const DANA: &str = "972501234567@s.whatsapp.net";

#[tokio::test]
async fn inbound_message_is_stored_once_with_lead_notification_and_event() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let bus = EventBus::connect(&SecretString::from(redis_url())).await?;
    let mut events = Box::pin(bus.subscribe(t.a.id.as_uuid()).await?);

    for _ in 0..2 {
        // WhatsApp redelivers: the second copy changes nothing
        assert_eq!(
            app.inbound(&t.a, "3EB0AAA1", DANA, "שלום, כמה עולה תספורת?")
                .await?,
            StatusCode::NO_CONTENT
        );
    }
    let (s, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["total_unread"], 1);
    let conv = &page["items"][0];
    assert_eq!(conv["contact_phone"], "+972501234567");
    assert_eq!(conv["contact_name"], "Dana");
    assert_eq!(conv["unread_count"], 1);
    assert_eq!(conv["human_took_over"], false);
    assert!(conv.get("jid").is_none(), "the chat id is internal");
    let id = conv["id"].as_str().ok_or("id")?.to_string();
    let (_, thread) = app
        .get(
            &t.owner_a,
            &format!("/api/whatsapp/conversations/{id}/messages"),
        )
        .await?;
    assert_eq!(thread["total"], 1);
    assert_eq!(thread["items"][0]["direction"], "inbound");
    assert_eq!(thread["items"][0]["author"], "contact");
    assert_eq!(thread["items"][0]["status"], "received");
    assert_eq!(thread["items"][0]["wa_message_id"], "3EB0AAA1");

    // a lead by phone, source whatsapp, linked to the conversation
    let scope = system::operator_scope(&app.db, t.a.id, "test").await?;
    let all = leads::list(&app.db, &scope, Default::default()).await?;
    assert_eq!(all.total, 1);
    assert_eq!(all.items[0].phone.as_deref(), Some("+972501234567"));
    assert_eq!(all.items[0].source, LeadSource::Whatsapp);
    assert_eq!(conv["lead_id"], json!(all.items[0].id));

    // one business-wide notification
    let owner = prosaas_test_support::raw_connect(&app.tdb.owner_url()).await?;
    let n = owner
        .query(
            "SELECT kind, link, user_id IS NULL FROM notifications WHERE business_id::text = $1",
            &[&t.a.id.to_string()],
        )
        .await?;
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].get::<_, String>(0), "whatsapp.message");
    assert_eq!(
        n[0].get::<_, Option<String>>(1),
        Some(format!("/whatsapp?conversation={id}"))
    );
    assert!(n[0].get::<_, bool>(2));

    // events on A's channel: the message (once), the lead, the notification
    let mut kinds = Vec::new();
    while let Ok(Some(env)) = tokio::time::timeout(Duration::from_millis(500), events.next()).await
    {
        assert_eq!(env.business_id, t.a.id.as_uuid());
        assert!(
            !env.data.to_string().contains("כמה עולה"),
            "no message text in events"
        );
        kinds.push(env.kind);
    }
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EventKind::WhatsAppMessage)
            .count(),
        1,
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&EventKind::LeadCreated) && kinds.contains(&EventKind::NotificationCreated)
    );

    // B sees none of it
    let (_, page) = app.get(&t.owner_b, "/api/whatsapp/conversations").await?;
    assert_eq!(
        (page["total"].as_i64(), page["total_unread"].as_i64()),
        (Some(0), Some(0))
    );
    for (method, path, body) in [
        (
            reqwest::Method::GET,
            format!("/api/whatsapp/conversations/{id}"),
            None,
        ),
        (
            reqwest::Method::GET,
            format!("/api/whatsapp/conversations/{id}/messages"),
            None,
        ),
        (
            reqwest::Method::PATCH,
            format!("/api/whatsapp/conversations/{id}"),
            Some(json!({"human_took_over": true})),
        ),
        (
            reqwest::Method::POST,
            format!("/api/whatsapp/conversations/{id}/read"),
            Some(json!({})),
        ),
        (
            reqwest::Method::POST,
            format!("/api/whatsapp/conversations/{id}/messages"),
            Some(json!({"text": "hi"})),
        ),
    ] {
        let (s, body) = app
            .call(Some(&t.owner_b), method.clone(), &path, body)
            .await?;
        assert_eq!(
            (s, code(&body)),
            (StatusCode::NOT_FOUND, "conversation_not_found"),
            "{method} {path}"
        );
    }
    let (_, c) = app
        .get(&t.owner_a, &format!("/api/whatsapp/conversations/{id}"))
        .await?;
    assert_eq!(c["human_took_over"], false);
    Ok(())
}

#[tokio::test]
async fn an_existing_lead_is_matched_by_phone_and_a_lid_contact_is_not_duplicated() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let scope = system::operator_scope(&app.db, t.a.id, "test").await?;
    let lead = leads::create(
        &app.db,
        &scope,
        NewLead {
            name: "Dana Levi".into(),
            phone: Some(E164Phone::parse("+972501234567")?),
            email: None,
            source: LeadSource::Call,
            status: LeadStatus::Contacted,
            notes: String::new(),
            assigned_user_id: None,
        },
    )
    .await?;
    // first by privacy id with its phone alternate, then by privacy id alone, then by phone
    let lid = "123456789012345@lid";
    app.worker_event(
        &t.a,
        "message",
        json!({"wa_message_id": "L1", "jid": lid, "alt_jid": DANA, "text": "hi"}),
    )
    .await?;
    app.worker_event(
        &t.a,
        "message",
        json!({"wa_message_id": "L2", "jid": lid, "text": "again"}),
    )
    .await?;
    app.inbound(&t.a, "L3", DANA, "by number").await?;
    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["lead_id"], json!(lead.id));
    assert_eq!(page["items"][0]["unread_count"], 3);
    assert_eq!(
        leads::list(&app.db, &scope, Default::default())
            .await?
            .total,
        1
    );
    // the same phone at B is B's own lead and conversation
    app.inbound(&t.b, "L1", DANA, "hi B").await?;
    let scope_b = system::operator_scope(&app.db, t.b.id, "test").await?;
    assert_eq!(
        leads::list(&app.db, &scope_b, Default::default())
            .await?
            .total,
        1
    );
    Ok(())
}

#[tokio::test]
async fn conversations_paginate_filter_unread_and_mark_read() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    for (i, jid) in [
        "972501111111@s.whatsapp.net",
        "972502222222@s.whatsapp.net",
        "972503333333@s.whatsapp.net",
    ]
    .iter()
    .enumerate()
    {
        app.inbound(&t.a, &format!("P{i}"), jid, "hello").await?;
    }
    let (_, page) = app
        .get(&t.owner_a, "/api/whatsapp/conversations?page=1&per_page=2")
        .await?;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"].as_array().map(Vec::len)
        ),
        (Some(3), Some(2))
    );
    // newest activity first
    assert_eq!(page["items"][0]["contact_phone"], "+972503333333");
    let (_, page2) = app
        .get(&t.owner_a, "/api/whatsapp/conversations?page=2&per_page=2")
        .await?;
    assert_eq!(page2["items"].as_array().map(Vec::len), Some(1));
    let first = page["items"][0]["id"].as_str().ok_or("id")?.to_string();
    let (s, c) = app
        .post(
            &t.agent_a,
            &format!("/api/whatsapp/conversations/{first}/read"),
            json!({}),
        )
        .await?;
    assert_eq!((s, c["unread_count"].as_i64()), (StatusCode::OK, Some(0)));
    let (_, unread) = app
        .get(&t.owner_a, "/api/whatsapp/conversations?unread=true")
        .await?;
    assert_eq!(
        (unread["total"].as_i64(), unread["total_unread"].as_i64()),
        (Some(2), Some(2))
    );
    let (s, _) = app
        .get(&t.owner_a, "/api/whatsapp/conversations?per_page=abc")
        .await?;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .get(&t.owner_a, "/api/whatsapp/conversations/not-a-uuid")
        .await?;
    assert_eq!(s, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn crm_sends_through_the_worker_with_a_per_chat_cooldown_and_delivery_status() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    app.inbound(&t.a, "IN1", DANA, "hi").await?;
    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    let id = page["items"][0]["id"].as_str().ok_or("id")?.to_string();
    let path = format!("/api/whatsapp/conversations/{id}/messages");

    // not linked yet
    let (s, body) = app
        .post(&t.agent_a, &path, json!({"text": "hello"}))
        .await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::CONFLICT, "whatsapp_not_connected")
    );
    app.connect(&t.a, "+972521112222").await?;
    let (s, body) = app.post(&t.agent_a, &path, json!({"text": "   "})).await?;
    assert_eq!(
        (s, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_text")
    );
    let (s, body) = app
        .post(&t.agent_a, &path, json!({"text": "נשמח לעזור"}))
        .await?;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["author"].as_str(), body["status"].as_str()),
        (Some("user"), Some("sent"))
    );
    let sends = app.worker.sends();
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0].path, format!("/sessions/{}/messages", t.a.id));
    assert_eq!(
        (&sends[0].body["jid"], &sends[0].body["text"]),
        (&json!(DANA), &json!("נשמח לעזור"))
    );
    // the id went out with the message and is the one stored
    assert_eq!(sends[0].body["message_id"], body["wa_message_id"]);
    // a human wrote: the AI steps back
    let (_, c) = app
        .get(&t.owner_a, &format!("/api/whatsapp/conversations/{id}"))
        .await?;
    assert_eq!(c["human_took_over"], true);

    // too soon for this chat
    let res = app
        .http
        .post(format!("{}{path}", app.base))
        .header("cookie", &t.agent_a.cookie)
        .json(&json!({"text": "again"}))
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get("retry-after").is_some());
    assert_eq!(app.worker.sends().len(), 1);

    // delivery receipts move the status forward only
    let wa_id = body["wa_message_id"].as_str().ok_or("wa id")?.to_string();
    for status in ["read", "delivered"] {
        app.worker_event(
            &t.a,
            "message_status",
            json!({"wa_message_id": wa_id, "status": status}),
        )
        .await?;
    }
    let (_, thread) = app.get(&t.owner_a, &path).await?;
    assert_eq!(thread["items"][0]["status"], "read");
    assert_eq!(thread["total"], 2);
    Ok(())
}

#[tokio::test]
async fn the_ai_answers_until_a_human_takes_over() -> TestResult {
    let app = spawn_app(Options {
        cooldown_ms: 0,
        with_ai: true,
    })
    .await?;
    let t = app.two_tenants().await?;
    app.connect(&t.a, "+972521112222").await?;
    app.inbound(&t.a, "Q1", DANA, "מה שעות הפתיחה?").await?;
    assert!(
        eventually(|| async { app.worker.sends().len() == 1 }).await,
        "the AI replied"
    );
    assert_eq!(
        (
            &app.worker.sends()[0].body["jid"],
            &app.worker.sends()[0].body["text"]
        ),
        (&json!(DANA), &json!(AI_REPLY))
    );
    let request = &app.openai.requests()[0];
    assert_eq!(request["model"], "gpt-4o-mini");
    let system_prompt = request["messages"][0]["content"].as_str().unwrap_or("");
    assert!(
        system_prompt.contains("Always answer in Hebrew"),
        "{system_prompt}"
    );
    assert_eq!(request["messages"][1]["content"], "מה שעות הפתיחה?");

    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    let id = page["items"][0]["id"].as_str().ok_or("id")?.to_string();
    let (_, thread) = app
        .get(
            &t.owner_a,
            &format!("/api/whatsapp/conversations/{id}/messages"),
        )
        .await?;
    assert!(
        eventually(|| async {
            let (_, thread) = app
                .get(
                    &t.owner_a,
                    &format!("/api/whatsapp/conversations/{id}/messages"),
                )
                .await
                .unwrap_or_default();
            thread["items"][0]["author"] == "ai" && thread["items"][0]["status"] == "sent"
        })
        .await,
        "{thread}"
    );

    // a human takes over: no more AI in this chat
    let (s, c) = app
        .patch(
            &t.agent_a,
            &format!("/api/whatsapp/conversations/{id}"),
            json!({"human_took_over": true}),
        )
        .await?;
    assert_eq!(
        (s, c["human_took_over"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    app.inbound(&t.a, "Q2", DANA, "שלום?").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.worker.sends().len(), 1);
    assert_eq!(app.openai.requests().len(), 1);

    // handing back lets it answer again; the business kill switch stops it everywhere
    app.patch(
        &t.agent_a,
        &format!("/api/whatsapp/conversations/{id}"),
        json!({"human_took_over": false}),
    )
    .await?;
    app.inbound(&t.a, "Q3", DANA, "hello?").await?;
    assert!(eventually(|| async { app.worker.sends().len() == 2 }).await);
    let owner = prosaas_test_support::raw_connect(&app.tdb.owner_url()).await?;
    owner
        .execute(
            "UPDATE businesses SET whatsapp_auto_reply = false WHERE id::text = $1",
            &[&t.a.id.to_string()],
        )
        .await?;
    app.inbound(&t.a, "Q4", DANA, "anyone?").await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.worker.sends().len(), 2);
    Ok(())
}

#[tokio::test]
async fn a_nul_character_in_a_message_answers_422_invalid_text() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    app.connect(&t.a, "+972501112222").await?;
    app.inbound(&t.a, "3EB0NUL1", DANA, "hello").await?;
    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    let id = page["items"][0]["id"].as_str().ok_or("id")?.to_string();
    let path = format!("/api/whatsapp/conversations/{id}/messages");
    let (s, res) = app
        .post(&t.owner_a, &path, json!({"text": "hi\u{0}there"}))
        .await?;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{res}");
    assert_eq!(code(&res), "invalid_text");
    assert!(app.worker.sends().is_empty(), "nothing was sent");
    Ok(())
}

#[tokio::test]
async fn a_chat_opens_for_a_lead_once_and_its_replies_land_in_it() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let scope = system::operator_scope(&app.db, t.a.id, "test").await?;
    let new_lead = |phone: Option<&str>| -> Result<NewLead, prosaas_common::phone::PhoneError> {
        Ok(NewLead {
            name: "Noa".into(),
            phone: phone.map(E164Phone::parse).transpose()?,
            email: None,
            source: LeadSource::Manual,
            status: LeadStatus::New,
            notes: String::new(),
            assigned_user_id: None,
        })
    };
    let lead = leads::create(&app.db, &scope, new_lead(Some("+972501234567"))?).await?;
    let no_phone = leads::create(&app.db, &scope, new_lead(None)?).await?;

    let (status, opened) = app
        .post(
            &t.agent_a,
            "/api/whatsapp/conversations",
            json!({"lead_id": lead.id}),
        )
        .await?;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["lead_id"], json!(lead.id));
    assert_eq!(opened["contact_phone"], "+972501234567");
    let (status, again) = app
        .post(
            &t.owner_a,
            "/api/whatsapp/conversations",
            json!({"lead_id": lead.id}),
        )
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], opened["id"]);

    // the contact answers: same conversation, no second lead
    app.inbound(&t.a, "R1", DANA, "thanks").await?;
    let (_, page) = app.get(&t.owner_a, "/api/whatsapp/conversations").await?;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["id"], opened["id"]);
    assert_eq!(
        leads::list(&app.db, &scope, Default::default())
            .await?
            .total,
        2
    );

    let (status, body) = app
        .post(
            &t.owner_a,
            "/api/whatsapp/conversations",
            json!({"lead_id": no_phone.id}),
        )
        .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "lead_has_no_phone");
    // another business's lead does not exist for B
    let (status, body) = app
        .post(
            &t.owner_b,
            "/api/whatsapp/conversations",
            json!({"lead_id": lead.id}),
        )
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(code(&body), "lead_not_found");
    let (status, _) = app
        .post(
            &t.owner_a,
            "/api/whatsapp/conversations",
            json!({"lead": "x"}),
        )
        .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    Ok(())
}
