// A member-level scope cannot call a manager-only repository function
// without narrowing it through `require::<Manager>()` (which checks the role).
use prosaas_tenant::domain::BusinessChanges;
use prosaas_tenant::{BusinessScope, Db};

async fn rename(db: &Db, scope: &BusinessScope) {
    let _ = prosaas_tenant::repo::businesses::update_own(db, scope, BusinessChanges::default()).await;
}

fn main() {
    let _ = rename;
}
