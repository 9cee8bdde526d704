// The one way in: a scope from `authorize`, then a repository function.
use prosaas_tenant::domain::LeadFilter;
use prosaas_tenant::{Db, Manager, Principal, authorize};

#[allow(dead_code)]
async fn list(db: &Db, principal: &Principal) -> Result<(), prosaas_tenant::TenantError> {
    let scope = authorize(db, principal, None, "example").await?;
    let _page = prosaas_tenant::repo::leads::list(db, &scope, LeadFilter::default()).await?;
    let manager = scope.require::<Manager>()?;
    let _ = prosaas_tenant::repo::businesses::get_own(db, &scope).await?;
    let _ = manager.business_id();
    Ok(())
}

fn main() {}
