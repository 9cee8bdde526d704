// A service tries to take a raw connection out of the pool.
async fn sneak(db: &prosaas_tenant::Db) {
    let _conn = db.conn().await;
}

fn main() {
    let _ = sneak;
}
