//! The api service end to end: a real server on port 0, a fresh database per
//! test (as prosaas_app, so RLS applies), the real Redis.

mod api_keys;
mod auth;
mod businesses;
mod calls;
mod crm_helpers;
mod events;
mod helpers;
mod leads;
mod n8n;
mod notifications;
mod routing;
mod tasks;
mod users;
mod webhooks;
// offers, invoices, e-signatures (issue 5)
mod invoices;
mod offers;
mod openapi;
mod signing;
// NUL characters in text (prosaas_http text_guard)
mod nul_text;
