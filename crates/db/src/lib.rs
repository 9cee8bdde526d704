//! Postgres layer of ProSaaS: the Diesel schema, row types, embedded migrations
//! and the diesel-async connection pool (pure Rust, TLS through rustls, no libpq).
//!
//! Invariant: only `prosaas-tenant` depends on this crate. Services never see the
//! table DSL; they reach tenant data through `prosaas_tenant` repositories, which
//! demand a `BusinessScope`. CI checks the dependency direction
//! (`scripts/check-walls.sh`) and `crates/wall-check` proves it with compile-fail tests.

pub mod error;
pub mod migrate;
pub mod models;
pub mod pool;
pub mod schema;

pub use diesel;
pub use diesel_async;
pub use error::DbError;
pub use pool::{Connection, PgPool, build_pool, establish};
