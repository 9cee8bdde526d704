//! Tenant wall of the CRM repositories (tasks, notifications, API keys,
//! webhooks outbox, event log): written as A, invisible as B; plus the outbox
//! trigger and the due sweep under concurrency.

use chrono::{Duration, Utc};
use prosaas_tenant::domain::{LeadSource, LeadStatus, NewLead};
use prosaas_tenant::repo::event_log::{self, LoggedEvent};
use prosaas_tenant::repo::notifications::{self, NewNotification, NotificationFilter};
use prosaas_tenant::repo::tasks::{self, NewTask, TaskFilter};
use prosaas_tenant::repo::webhooks::{self, NewSubscription};
use prosaas_tenant::repo::{api_keys, leads};
use prosaas_tenant::{Manager, Role, TenantError, system};

use crate::helpers::*;

fn task(title: &str, due_in_minutes: Option<i64>) -> NewTask {
    NewTask {
        title: title.into(),
        description: String::new(),
        lead_id: None,
        assignee_user_id: None,
        due_at: due_in_minutes.map(|m| Utc::now() + Duration::minutes(m)),
    }
}

fn lead(name: &str) -> NewLead {
    NewLead {
        name: name.into(),
        phone: None,
        email: None,
        source: LeadSource::Manual,
        status: LeadStatus::New,
        notes: String::new(),
        assigned_user_id: None,
    }
}

#[tokio::test]
async fn written_as_a_invisible_as_b() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let (sa, sb) = (scope(&w.db, &a).await?, scope(&w.db, &b).await?);

    let t = tasks::create(&w.db, &sa, task("A's task", None)).await?;
    assert!(matches!(
        tasks::get(&w.db, &sb, t.id).await,
        Err(TenantError::NotFound("task"))
    ));
    assert!(matches!(
        tasks::delete(&w.db, &sb, t.id).await,
        Err(TenantError::NotFound("task"))
    ));
    let listed = tasks::list(
        &w.db,
        &sb,
        TaskFilter {
            page: 1,
            per_page: 50,
            ..TaskFilter::default()
        },
    )
    .await?;
    assert_eq!(listed.total, 0);

    notifications::create(
        &w.db,
        &sa,
        NewNotification {
            user_id: None,
            kind: "call.missed".into(),
            title: "A".into(),
            body: String::new(),
            link: None,
            data: serde_json::json!({}),
        },
    )
    .await?;
    let page = notifications::list(
        &w.db,
        &sb,
        NotificationFilter {
            unread_only: false,
            page: 1,
            per_page: 30,
        },
    )
    .await?;
    assert_eq!((page.page.total, page.unread_count), (0, 0));

    let (ma, mb) = (sa.require::<Manager>()?, sb.require::<Manager>()?);
    let key = api_keys::create(&w.db, &ma, "n8n").await?;
    assert!(api_keys::list(&w.db, &mb).await?.is_empty());
    assert!(matches!(
        api_keys::revoke(&w.db, &mb, key.key.id).await,
        Err(TenantError::NotFound("api_key"))
    ));

    let sub = webhooks::create(
        &w.db,
        &ma,
        NewSubscription {
            url: "http://n8n:5678/webhook/x".into(),
            event_types: vec!["task.created".into()],
            description: String::new(),
        },
    )
    .await?;
    assert!(matches!(
        webhooks::get(&w.db, &mb, sub.subscription.id).await,
        Err(TenantError::NotFound("webhook"))
    ));
    assert!(webhooks::list(&w.db, &mb).await?.is_empty());
    tasks::create(&w.db, &sa, task("enqueues", None)).await?;
    assert!(
        webhooks::claim_due(&w.db, &sb, Duration::seconds(60), 10)
            .await?
            .is_empty()
    );
    assert_eq!(
        webhooks::claim_due(&w.db, &sa, Duration::seconds(60), 10)
            .await?
            .len(),
        1
    );

    let id = uuid::Uuid::new_v4();
    let ev = LoggedEvent {
        id,
        kind: "lead.created".into(),
        data: serde_json::json!({}),
        occurred_at: Utc::now(),
    };
    assert!(event_log::record(&w.db, &sa, ev.clone(), Duration::hours(1)).await?);
    assert!(
        !event_log::record(&w.db, &sa, ev, Duration::hours(1)).await?,
        "idempotent"
    );
    assert_eq!(event_log::after(&w.db, &sa, id, 10).await?, Some(vec![]));
    assert_eq!(
        event_log::after(&w.db, &sb, id, 10).await?,
        None,
        "B cannot anchor on A's event"
    );
    Ok(())
}

#[tokio::test]
async fn api_keys_open_only_their_business_until_revoked() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let ma = scope(&w.db, &a).await?.require::<Manager>()?;
    let issued = api_keys::create(&w.db, &ma, "n8n").await?;
    let key_scope = system::authenticate_api_key(&w.db, issued.expose()).await?;
    assert_eq!(key_scope.business_id(), a.id);
    assert_eq!(key_scope.actor_role(), Role::Agent, "member-level only");
    assert_eq!(key_scope.api_key_id(), Some(issued.key.id.as_uuid()));
    assert!(key_scope.member_user_id().is_none());
    assert!(key_scope.require::<Manager>().is_err(), "never a manager");
    for bad in ["", "psk_", "psk_wrong", "Bearer x"] {
        assert!(matches!(
            system::authenticate_api_key(&w.db, bad).await,
            Err(TenantError::Unauthenticated)
        ));
    }
    api_keys::revoke(&w.db, &ma, issued.key.id).await?;
    assert!(matches!(
        system::authenticate_api_key(&w.db, issued.expose()).await,
        Err(TenantError::Unauthenticated)
    ));
    Ok(())
}

#[tokio::test]
async fn outbox_rows_follow_subscriptions_and_the_change_transaction() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let (sa, sb) = (scope(&w.db, &a).await?, scope(&w.db, &b).await?);
    let sub = |types: &[&str]| NewSubscription {
        url: "http://n8n:5678/webhook/x".into(),
        event_types: types.iter().map(|t| t.to_string()).collect(),
        description: String::new(),
    };
    webhooks::create(&w.db, &sa.require::<Manager>()?, sub(&["lead.created"])).await?;
    webhooks::create(&w.db, &sa.require::<Manager>()?, sub(&["lead.deleted"])).await?;
    webhooks::create(&w.db, &sb.require::<Manager>()?, sub(&["lead.created"])).await?;
    let l = leads::create(&w.db, &sa, lead("Dana")).await?;
    let due = webhooks::claim_due(&w.db, &sa, Duration::seconds(60), 10).await?;
    assert_eq!(due.len(), 1, "one subscriber of lead.created in A");
    assert_eq!(
        (
            due[0].event_type.as_str(),
            due[0].payload["data"]["name"].as_str()
        ),
        ("lead.created", Some("Dana"))
    );
    assert_eq!(due[0].attempts, 1);
    assert!(
        webhooks::claim_due(&w.db, &sa, Duration::seconds(60), 10)
            .await?
            .is_empty(),
        "leased"
    );
    assert!(
        webhooks::claim_due(&w.db, &sb, Duration::seconds(60), 10)
            .await?
            .is_empty()
    );
    leads::delete(&w.db, &sa, l.id).await?;
    let due = webhooks::claim_due(&w.db, &sa, Duration::seconds(60), 10).await?;
    assert_eq!(
        due.iter()
            .map(|d| d.event_type.as_str())
            .collect::<Vec<_>>(),
        vec!["lead.deleted"]
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_sweeps_notify_each_due_task_once() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let agent = user(&w.db, Some(&a), "agent@a.test", Role::Agent).await?;
    let sa = scope(&w.db, &a).await?;
    for i in 0..20 {
        let mut t = task(&format!("due {i}"), Some(-1));
        t.assignee_user_id = Some(agent.id);
        tasks::create(&w.db, &sa, t).await?;
    }
    tasks::create(&w.db, &sa, task("later", Some(60))).await?;
    assert_eq!(
        system::businesses_with_due_tasks(&w.db, 10).await?,
        vec![a.id]
    );
    let (w1, w2) = (system::worker_scope(a.id), system::worker_scope(a.id));
    let (x, y) = tokio::join!(tasks::sweep_due(&w.db, &w1), tasks::sweep_due(&w.db, &w2));
    assert_eq!(x?.len() + y?.len(), 20);
    assert!(tasks::sweep_due(&w.db, &sa).await?.is_empty());
    assert!(
        system::businesses_with_due_tasks(&w.db, 10)
            .await?
            .is_empty()
    );
    let page = notifications::list(
        &w.db,
        &sa,
        NotificationFilter {
            unread_only: false,
            page: 1,
            per_page: 100,
        },
    )
    .await?;
    assert_eq!(
        page.page.total, 0,
        "personal notifications are not shown to the operator"
    );
    Ok(())
}
