//! Wall 3: row-level security, proven with raw SQL as the application role.

use prosaas_tenant::{Db, system};
use prosaas_test_support::raw_connect;
use secrecy::SecretString;

use crate::helpers::*;

#[tokio::test]
async fn every_tenant_table_has_forced_rls_and_a_full_policy() -> TestResult {
    let w = world().await?;
    let owner = raw_connect(&w.tdb.owner_url()).await?;
    let uncovered = owner
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind = 'r'
               AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'business_id')
               AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (
                   SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname
                     AND p.qual IS NOT NULL AND p.with_check IS NOT NULL))",
            &[],
        )
        .await?;
    let names: Vec<String> = uncovered.iter().map(|r| r.get(0)).collect();
    assert!(names.is_empty(), "tables without RLS: {names:?}");
    let tenant_tables: i64 = owner
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'business_id'",
            &[],
        )
        .await?
        .get(0);
    assert!(
        tenant_tables >= 3,
        "expected users, leads, audit_log at least"
    );
    Ok(())
}

#[tokio::test]
async fn raw_app_connection_sees_only_the_business_it_names_and_nothing_unset() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let owner = raw_connect(&w.tdb.owner_url()).await?;
    for (biz, name) in [(a.id, "lead of A"), (b.id, "lead of B")] {
        owner
            .execute(
                "INSERT INTO leads (business_id, name) VALUES ($1::text::uuid, $2)",
                &[&biz.to_string(), &name],
            )
            .await?;
    }
    let app = raw_connect(&w.tdb.app_url()).await?;
    // Unfiltered query inside A's transaction: only A's rows.
    app.batch_execute("BEGIN").await?;
    app.execute(
        "SELECT set_config('app.business_id', $1, true)",
        &[&a.id.to_string()],
    )
    .await?;
    let rows = app
        .query("SELECT name, business_id FROM leads", &[])
        .await?;
    let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(names, vec!["lead of A".to_string()]);
    let biz_rows = app.query("SELECT id FROM businesses", &[]).await?;
    assert_eq!(biz_rows.len(), 1);
    // Writing into B from A's transaction is refused by WITH CHECK.
    let err = app
        .execute(
            "INSERT INTO leads (business_id, name) VALUES ($1::text::uuid, 'sneaky')",
            &[&b.id.to_string()],
        )
        .await;
    assert!(err.is_err(), "insert into another tenant must fail");
    app.batch_execute("ROLLBACK").await?;
    // The GUC was transaction-local: nothing set now, nothing visible.
    for table in ["leads", "businesses", "users", "audit_log"] {
        let n: i64 = app
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await?
            .get(0);
        assert_eq!(n, 0, "{table} visible without a scope");
    }
    // Sessions are reachable only through the functions.
    assert!(app.query("SELECT * FROM user_sessions", &[]).await.is_err());
    assert_eq!(system::visible_businesses_without_scope(&w.db).await?, 0);
    Ok(())
}

#[tokio::test]
async fn boot_check_accepts_the_app_role_and_refuses_an_owner() -> TestResult {
    let w = world().await?;
    w.db.verify_tenant_wall().await?;
    let as_owner = Db::connect(&SecretString::from(w.tdb.owner_url()), 2)?;
    let err = as_owner
        .verify_tenant_wall()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("bypasses row-level security"), "{err}");
    Ok(())
}

#[tokio::test]
async fn boot_check_refuses_a_tenant_table_without_rls() -> TestResult {
    let w = world().await?;
    let owner = raw_connect(&w.tdb.owner_url()).await?;
    owner
        .batch_execute("CREATE TABLE careless (id int, business_id uuid); GRANT SELECT ON careless TO prosaas_app")
        .await?;
    let err =
        w.db.verify_tenant_wall()
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
    assert!(err.contains("careless"), "{err}");
    Ok(())
}
