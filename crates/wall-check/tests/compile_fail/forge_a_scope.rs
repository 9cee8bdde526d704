// A service tries to build a scope for any business by hand.
use prosaas_tenant::{BusinessId, BusinessScope};

fn main() {
    let id: BusinessId = "00000000-0000-0000-0000-000000000001".parse().unwrap();
    let _scope: BusinessScope = BusinessScope { business_id: id, actor: todo!(), _level: std::marker::PhantomData };
}
