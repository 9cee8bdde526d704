//! Migrations are additive: fill the database at each step with that step's
//! fixture, apply the next migration, and check that every row of every table
//! that existed before is still there with the same values.

use std::collections::BTreeMap;
use std::path::Path;

use prosaas_test_support::{TestDatabase, raw_connect};
use tokio_postgres::Client;

use crate::helpers::TestResult;

async fn tables(c: &Client) -> Result<BTreeMap<String, Vec<String>>, tokio_postgres::Error> {
    let rows = c
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_%'
             ORDER BY table_name, ordinal_position",
            &[],
        )
        .await?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        out.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(out)
}

/// (row count, md5 over the given columns of all rows, order-independent)
async fn fingerprint(
    c: &Client,
    table: &str,
    columns: &[String],
) -> Result<(i64, String), tokio_postgres::Error> {
    let cols = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let row = c
        .query_one(
            &format!("SELECT count(*), COALESCE(md5(string_agg(x, '|' ORDER BY x)), '') FROM (SELECT ROW({cols})::text AS x FROM \"{table}\") s"),
            &[],
        )
        .await?;
    Ok((row.get(0), row.get(1)))
}

#[tokio::test]
async fn every_migration_keeps_every_row_of_the_previous_schema() -> TestResult {
    let tdb = TestDatabase::empty().await?;
    let owner = raw_connect(&tdb.owner_url()).await?;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../db/tests/fixtures");
    let names = prosaas_db_migration_names();
    assert!(names.len() >= 2);
    let mut before: BTreeMap<String, (Vec<String>, (i64, String))> = BTreeMap::new();
    for name in &names {
        // apply the next migration on top of the data of the previous ones
        prosaas_test_support_run_next(&tdb.owner_url()).await?;
        for (table, (cols, print)) in &before {
            let now = fingerprint(&owner, table, cols).await?;
            assert_eq!(&now, print, "migration {name} changed rows of {table}");
        }
        let fixture = fixtures.join(format!("{name}.sql"));
        let sql = std::fs::read_to_string(&fixture).map_err(|e| {
            format!(
                "every migration needs a fixture: {}: {e}",
                fixture.display()
            )
        })?;
        owner.batch_execute(&sql).await?;
        before.clear();
        for (table, cols) in tables(&owner).await? {
            let print = fingerprint(&owner, &table, &cols).await?;
            before.insert(table, (cols, print));
        }
    }
    assert!(
        before.values().all(|(_, (n, _))| *n > 0),
        "fixtures fill every table: {before:?}"
    );
    Ok(())
}

fn prosaas_db_migration_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../db/migrations");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

async fn prosaas_test_support_run_next(
    url: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    prosaas_test_support::run_next_migration(url).await?;
    Ok(())
}
