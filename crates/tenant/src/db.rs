//! The database handle services hold. It exposes no connection: only the
//! repositories in `repo/` and `system.rs` get one.

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::RunQueryDsl;
use secrecy::SecretString;

use crate::TenantError;

/// A pool of connections as the application role.
#[derive(Clone)]
pub struct Db {
    pool: prosaas_db::PgPool,
}

#[derive(QueryableByName)]
struct RoleFacts {
    #[diesel(sql_type = Text)]
    rolname: String,
    #[diesel(sql_type = Bool)]
    rolsuper: bool,
    #[diesel(sql_type = Bool)]
    rolbypassrls: bool,
    #[diesel(sql_type = Bool)]
    owns_tables: bool,
}

#[derive(QueryableByName)]
struct UncoveredTable {
    #[diesel(sql_type = Text)]
    relname: String,
}

/// Every public table with a `business_id` column (and `businesses` itself)
/// must have ENABLE + FORCE RLS and a policy with both USING and WITH CHECK.
pub(crate) const UNCOVERED_TABLES_SQL: &str = "
    SELECT c.relname::text AS relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND (c.relname = 'businesses' OR EXISTS (
            SELECT 1 FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attname = 'business_id' AND NOT a.attisdropped))
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (
            SELECT 1 FROM pg_policies p
            WHERE p.schemaname = 'public' AND p.tablename = c.relname
              AND p.qual IS NOT NULL AND p.with_check IS NOT NULL
              AND p.roles = '{public}'))
    ORDER BY 1";

impl Db {
    /// Builds the pool (lazily connected).
    pub fn connect(url: &SecretString, max_size: usize) -> Result<Self, TenantError> {
        Ok(Self {
            pool: prosaas_db::build_pool(url, max_size)?,
        })
    }

    pub(crate) async fn conn(&self) -> Result<prosaas_db::Connection, TenantError> {
        self.pool
            .get()
            .await
            .map_err(|e| TenantError::Unavailable(e.to_string()))
    }

    /// `SELECT 1`, for health checks.
    pub async fn ping(&self) -> Result<(), TenantError> {
        let mut conn = self.conn().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }

    /// Boot check: refuses a role that could bypass RLS (superuser, BYPASSRLS, or
    /// the owner of the tables) and a schema where a tenant table lacks RLS.
    pub async fn verify_tenant_wall(&self) -> Result<(), TenantError> {
        let mut conn = self.conn().await?;
        let facts: RoleFacts = diesel::sql_query(
            "SELECT r.rolname::text AS rolname, r.rolsuper, r.rolbypassrls,
                    COALESCE((SELECT pg_has_role(current_user, c.relowner, 'USAGE')
                              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'public' AND c.relname = 'businesses'), false) AS owns_tables
             FROM pg_roles r WHERE r.rolname = current_user",
        )
        .get_result(&mut conn)
        .await?;
        if facts.rolsuper || facts.rolbypassrls || facts.owns_tables {
            return Err(TenantError::Internal(format!(
                "refusing to start: database role '{}' bypasses row-level security \
                 (superuser, BYPASSRLS or table owner); set APP_DATABASE_URL to the prosaas_app role",
                facts.rolname
            )));
        }
        let uncovered: Vec<UncoveredTable> = diesel::sql_query(UNCOVERED_TABLES_SQL)
            .load(&mut conn)
            .await?;
        if !uncovered.is_empty() {
            let names: Vec<String> = uncovered.into_iter().map(|t| t.relname).collect();
            return Err(TenantError::Internal(format!(
                "refusing to start: tables without row-level security: {}",
                names.join(", ")
            )));
        }
        Ok(())
    }
}
