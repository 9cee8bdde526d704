//! The ProSaaS CRM API (actix-web). Routes are listed in `routes::configure`;
//! the contract is docs/api.md.

pub mod rate_limit;
pub mod routes;
pub mod startup;
pub mod workers;
