//! Users against the database: brief 5.2 rules end to end, sessions, audit.

use prosaas_tenant::domain::UserChanges;
use prosaas_tenant::repo::{audit, users};
use prosaas_tenant::{Role, TenantError, authorize, system};

use crate::helpers::*;

fn code(e: &TenantError) -> String {
    match e {
        TenantError::Forbidden { code, .. }
        | TenantError::Invalid { code, .. }
        | TenantError::Conflict { code, .. } => code.to_string(),
        TenantError::NotFound(what) => format!("{what}_not_found"),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn owner_deletes_within_business_never_self_or_last_owner() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let owner = user(&w.db, Some(&a), "owner@a.test", Role::Owner).await?;
    let agent = user(&w.db, Some(&a), "agent@a.test", Role::Agent).await?;
    let other = user(&w.db, Some(&b), "agent@b.test", Role::Agent).await?;
    let p = principal(&w.db, "owner@a.test").await?;
    let scope = authorize(&w.db, &p, None, "test").await?;

    let e = users::delete(&w.db, &scope, other.id).await.err();
    assert_eq!(
        e.as_ref().map(code).as_deref(),
        Some("user_not_found"),
        "other tenant is invisible"
    );
    let e = users::delete(&w.db, &scope, owner.id).await.err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("cannot_delete_self"));
    users::delete(&w.db, &scope, agent.id).await?;
    assert!(users::get(&w.db, &scope, agent.id).await.is_err());
    // B's user survived
    let b_scope = scope_for(&w, &b).await?;
    assert_eq!(users::list(&w.db, &b_scope).await?.len(), 1);
    let log = audit::recent(&w.db, &scope, 10).await?;
    assert!(log.iter().any(
        |e| e.action == "user.deleted" && e.target_id.as_deref() == Some(&agent.id.to_string())
    ));
    Ok(())
}

async fn scope_for(
    w: &World,
    b: &prosaas_tenant::domain::Business,
) -> Result<prosaas_tenant::BusinessScope, TenantError> {
    scope(&w.db, b).await
}

#[tokio::test]
async fn system_admin_deletes_anyone_but_the_only_owner_and_themself() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let owner1 = user(&w.db, Some(&a), "o1@a.test", Role::Owner).await?;
    let owner2 = user(&w.db, Some(&a), "o2@a.test", Role::Owner).await?;
    let root = user(&w.db, None, "root@p.test", Role::SystemAdmin).await?;
    let p = principal(&w.db, "root@p.test").await?;
    let cross = system::admin_cross_tenant(&w.db, &p, "test").await?;
    users::delete_any(&w.db, &cross, owner2.id).await?;
    let e = users::delete_any(&w.db, &cross, owner1.id).await.err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("last_owner"));
    let e = users::delete_any(&w.db, &cross, root.id).await.err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("cannot_delete_self"));
    // an agent cannot open a cross-tenant scope at all
    let _agent = user(&w.db, Some(&a), "agent@a.test", Role::Agent).await?;
    let ap = principal(&w.db, "agent@a.test").await?;
    assert!(
        system::admin_cross_tenant(&w.db, &ap, "test")
            .await
            .is_err()
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_owners_deleting_each_other_leave_one_owner() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let o1 = user(&w.db, Some(&a), "o1@a.test", Role::Owner).await?;
    let o2 = user(&w.db, Some(&a), "o2@a.test", Role::Owner).await?;
    let s1 = authorize(&w.db, &principal(&w.db, "o1@a.test").await?, None, "t").await?;
    let s2 = authorize(&w.db, &principal(&w.db, "o2@a.test").await?, None, "t").await?;
    let (r1, r2) = tokio::join!(
        users::delete(&w.db, &s1, o2.id),
        users::delete(&w.db, &s2, o1.id)
    );
    assert!(
        r1.is_ok() ^ r2.is_ok(),
        "exactly one delete wins: {r1:?} {r2:?}"
    );
    let cross = system::operator_cross_tenant(&w.db, "t").await?;
    let owners = users::list_any(&w.db, &cross, Some(a.id)).await?;
    assert_eq!(owners.iter().filter(|u| u.role == Role::Owner).count(), 1);
    Ok(())
}

#[tokio::test]
async fn sessions_end_on_logout_deactivation_and_deletion() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let _owner = user(&w.db, Some(&a), "owner@a.test", Role::Owner).await?;
    let agent = user(&w.db, Some(&a), "Agent@A.test", Role::Agent).await?;
    // e-mail is case-insensitive, wrong password and unknown e-mail look the same
    let (token, p) = system::login(
        &w.db,
        "AGENT@a.test",
        "correct horse battery",
        Default::default(),
        60,
    )
    .await?;
    assert_eq!(p.role(), Role::Agent);
    assert_eq!(p.business_id(), Some(a.id));
    let wrong = system::login(
        &w.db,
        "agent@a.test",
        "nope-nope-nope",
        Default::default(),
        60,
    )
    .await
    .err();
    let unknown = system::login(
        &w.db,
        "ghost@a.test",
        "nope-nope-nope",
        Default::default(),
        60,
    )
    .await
    .err();
    assert_eq!(wrong.map(|e| e.to_string()), unknown.map(|e| e.to_string()));
    assert!(
        system::authenticate_session(&w.db, token.expose())
            .await
            .is_ok()
    );
    system::logout(&w.db, token.expose()).await?;
    assert!(
        system::authenticate_session(&w.db, token.expose())
            .await
            .is_err()
    );

    let (token, _) = system::login(
        &w.db,
        "agent@a.test",
        "correct horse battery",
        Default::default(),
        60,
    )
    .await?;
    let owner_scope = authorize(&w.db, &principal(&w.db, "owner@a.test").await?, None, "t").await?;
    users::update(
        &w.db,
        &owner_scope,
        agent.id,
        UserChanges {
            active: Some(false),
            ..Default::default()
        },
    )
    .await?;
    assert!(
        system::authenticate_session(&w.db, token.expose())
            .await
            .is_err(),
        "deactivated user is signed out"
    );
    let again = system::login(
        &w.db,
        "agent@a.test",
        "correct horse battery",
        Default::default(),
        60,
    )
    .await
    .err();
    assert!(matches!(again, Some(TenantError::InvalidCredentials)));
    Ok(())
}

#[tokio::test]
async fn business_users_cannot_name_another_business_and_admins_are_audited() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    user(&w.db, Some(&a), "owner@a.test", Role::Owner).await?;
    user(&w.db, None, "root@p.test", Role::SystemAdmin).await?;
    let p = principal(&w.db, "owner@a.test").await?;
    assert!(matches!(
        authorize(&w.db, &p, Some(b.id), "t").await,
        Err(TenantError::NotFound("business"))
    ));
    let root = principal(&w.db, "root@p.test").await?;
    assert!(matches!(
        authorize(&w.db, &root, None, "t").await,
        Err(TenantError::BusinessRequired)
    ));
    let s = authorize(&w.db, &root, Some(b.id), "GET /api/leads").await?;
    assert_eq!(s.business_id(), b.id);
    let log = audit::recent(&w.db, &s, 5).await?;
    assert!(
        log.iter()
            .any(|e| e.action == "system.enter_business" && e.actor_kind == "system_admin")
    );
    Ok(())
}

#[tokio::test]
async fn role_rules_on_create_and_update() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    user(&w.db, Some(&a), "owner@a.test", Role::Owner).await?;
    let admin = user(&w.db, Some(&a), "admin@a.test", Role::Admin).await?;
    let admin_scope = authorize(&w.db, &principal(&w.db, "admin@a.test").await?, None, "t").await?;
    let new_owner = prosaas_tenant::domain::NewUser {
        email: prosaas_common::Email::parse("x@a.test")?,
        password: prosaas_tenant::Password::parse("long enough pw")?,
        name: "X".into(),
        role: Role::Owner,
    };
    let e = users::create(&w.db, &admin_scope, new_owner).await.err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("role_not_allowed"));
    let dup = prosaas_tenant::domain::NewUser {
        email: prosaas_common::Email::parse("OWNER@a.test")?,
        password: prosaas_tenant::Password::parse("long enough pw")?,
        name: "dup".into(),
        role: Role::Agent,
    };
    let e = users::create(&w.db, &admin_scope, dup).await.err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("email_taken"));
    let e = users::update(
        &w.db,
        &admin_scope,
        admin.id,
        UserChanges {
            role: Some(Role::Agent),
            ..Default::default()
        },
    )
    .await
    .err();
    assert_eq!(e.as_ref().map(code).as_deref(), Some("cannot_delete_self"));
    Ok(())
}
