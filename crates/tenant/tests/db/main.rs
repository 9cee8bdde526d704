//! Integration tests of the tenant wall against a real Postgres, each on a
//! fresh database (prosaas-test-support).

mod billing;
mod calls;
mod crm;
mod helpers;
mod leads;
mod migrations;
mod rls;
mod users;
