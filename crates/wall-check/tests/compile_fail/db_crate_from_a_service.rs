// A service tries to reach the schema crate itself: it is not a dependency.
use prosaas_db::schema::leads::dsl::*;

fn main() {
    let _ = leads;
}
