//! Leads: two tenants, one database, no crossing.

use prosaas_common::E164Phone;
use prosaas_tenant::domain::{LeadChanges, LeadFilter, LeadSort, LeadSource, LeadStatus, NewLead};
use prosaas_tenant::repo::leads;
use prosaas_tenant::{Role, TenantError};

use crate::helpers::*;

fn lead(name: &str, phone: &str) -> NewLead {
    NewLead {
        name: name.into(),
        phone: E164Phone::parse(phone).ok(),
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
    let la = leads::create(&w.db, &sa, lead("Dana", "050-1234567")).await?;
    assert_eq!(la.business_id, a.id);
    assert_eq!(la.phone.as_deref(), Some("+972501234567"));
    assert!(matches!(
        leads::get(&w.db, &sb, la.id).await,
        Err(TenantError::NotFound("lead"))
    ));
    assert!(matches!(
        leads::update(
            &w.db,
            &sb,
            la.id,
            LeadChanges {
                name: Some("x".into()),
                ..Default::default()
            }
        )
        .await,
        Err(TenantError::NotFound("lead"))
    ));
    assert!(matches!(
        leads::delete(&w.db, &sb, la.id).await,
        Err(TenantError::NotFound("lead"))
    ));
    assert_eq!(
        leads::list(&w.db, &sb, LeadFilter::default()).await?.total,
        0
    );
    assert_eq!(
        leads::get(&w.db, &sa, la.id).await?.name,
        "Dana",
        "unchanged by B's attempts"
    );
    Ok(())
}

#[tokio::test]
async fn filters_search_sort_and_pages() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let s = scope(&w.db, &a).await?;
    for i in 0..25 {
        let mut l = lead(&format!("Lead {i:02}"), &format!("052-00000{i:02}"));
        if i % 5 == 0 {
            l.status = LeadStatus::Won;
        }
        leads::create(&w.db, &s, l).await?;
    }
    let won = leads::list(
        &w.db,
        &s,
        LeadFilter {
            status: Some(LeadStatus::Won),
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(won.total, 5);
    let page = leads::list(
        &w.db,
        &s,
        LeadFilter {
            sort: LeadSort::NameAsc,
            page: 2,
            per_page: 10,
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(page.items.first().map(|l| l.name.as_str()), Some("Lead 10"));
    assert_eq!((page.total, page.items.len()), (25, 10));
    let found = leads::list(
        &w.db,
        &s,
        LeadFilter {
            q: Some("052-0000017".into()),
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(
        found
            .items
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>(),
        vec!["Lead 17".to_string()]
    );
    let found = leads::list(
        &w.db,
        &s,
        LeadFilter {
            q: Some("lead 2".into()),
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(found.total, 5, "Lead 2x: 20..24");
    let none = leads::list(
        &w.db,
        &s,
        LeadFilter {
            q: Some("%".into()),
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(none.total, 0, "LIKE wildcards are escaped");
    Ok(())
}

#[tokio::test]
async fn assignee_must_belong_to_the_same_business() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let agent_b = user(&w.db, Some(&b), "agent@b.test", Role::Agent).await?;
    let agent_a = user(&w.db, Some(&a), "agent@a.test", Role::Agent).await?;
    let s = scope(&w.db, &a).await?;
    let mut l = lead("Dana", "03-1234567");
    l.assigned_user_id = Some(agent_b.id);
    let e = leads::create(&w.db, &s, l.clone()).await.err();
    assert!(
        matches!(
            e,
            Some(TenantError::Invalid {
                code: "invalid_assignee",
                ..
            })
        ),
        "{e:?}"
    );
    l.assigned_user_id = Some(agent_a.id);
    let created = leads::create(&w.db, &s, l).await?;
    // deleting the assignee unassigns the lead, it does not delete it
    let cross = prosaas_tenant::system::operator_cross_tenant(&w.db, "t").await?;
    prosaas_tenant::repo::users::delete_any(&w.db, &cross, agent_a.id).await?;
    assert_eq!(
        leads::get(&w.db, &s, created.id).await?.assigned_user_id,
        None
    );
    Ok(())
}
