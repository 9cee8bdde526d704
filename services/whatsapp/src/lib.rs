//! `prosaas-whatsapp`: the only part of ProSaaS that talks to the Baileys
//! worker. Browser API under `/api/whatsapp/*` (session, status, QR, live
//! events, conversations, messages) and the worker's callbacks under
//! `/internal/whatsapp/*` (events, encrypted auth state), both in docs/api.md.

pub mod ai;
pub mod crypto;
pub mod inbound;
pub mod live;
pub mod outbound;
pub mod qr;
pub mod routes;
pub mod startup;
pub mod worker;
