// A service tries to list leads by passing a business id instead of a scope.
use prosaas_tenant::{BusinessId, Db};
use prosaas_tenant::domain::LeadFilter;

async fn list(db: &Db, business: BusinessId) {
    let _ = prosaas_tenant::repo::leads::list(db, &business, LeadFilter::default()).await;
}

fn main() {
    let _ = list;
}
