// A service tries the Diesel table DSL directly: the schema is not exported.
use prosaas_tenant::schema::leads;

fn main() {
    let _ = leads::table;
}
