//! The tenant wall of ProSaaS. Three walls keep one business's data away from another:
//!
//! 1. **The crate graph.** The Diesel schema lives in `prosaas-db`, and only this
//!    crate depends on it. Services depend on `prosaas-tenant` and get repository
//!    functions, never the table DSL or a raw connection (`crates/wall-check`
//!    proves it with compile-fail tests; `scripts/check-walls.sh` checks the graph).
//! 2. **Types.** Every repository function of tenant data takes a [`BusinessScope`].
//!    A scope has private fields and no public constructor: it is made only from an
//!    authenticated [`Principal`] by [`authorize`], or by a named, audited function
//!    in [`system`]. Repositories add `business_id = scope` to every read and write
//!    and take the business id of inserts from the scope, never from a request.
//! 3. **Postgres row-level security.** Each unit of work runs in one transaction that
//!    first calls `set_config('app.business_id', <scope>, true)` (transaction-local,
//!    safe behind Neon's pooler). Every tenant table has ENABLE + FORCE RLS and a
//!    policy on `app_current_business()`, so a forgotten filter returns nothing.
//!    Services log in as `prosaas_app` (NOBYPASSRLS); [`Db::verify_tenant_wall`]
//!    refuses to start on a superuser, a BYPASSRLS role or the tables' owner.
//!
//! System administrators cross businesses only through [`system`], which writes an
//! `audit_log` row for every crossing.

mod db;
mod error;
mod ids;
mod password;
mod principal;
pub mod role;
mod scope;

pub mod domain;
pub mod ops;
pub mod policy;
pub mod repo;
pub mod system;

pub use db::Db;
pub use error::{TenantError, Violation};
pub use ids::{ApiKeyId, NotificationId, TaskId, WebhookId};
pub use ids::{BusinessId, LeadId, UserId};
pub use password::Password;
pub use principal::Principal;
pub use role::{Manager, Member, Role, RoleLevel};
pub use scope::{BusinessScope, CrossTenant, authorize};

// offers, invoices, e-signatures (issue 5)
pub mod billing;
pub use ids::{InvoiceId, OfferId};
