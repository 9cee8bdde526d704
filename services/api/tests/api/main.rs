//! The api service end to end: a real server on port 0, a fresh database per
//! test (as prosaas_app, so RLS applies), the real Redis.

mod auth;
mod businesses;
mod calls;
mod helpers;
mod leads;
mod routing;
mod users;
