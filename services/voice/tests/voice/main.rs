//! The voice service end to end: a real server on port 0, a fresh database per
//! test (as prosaas_app, so RLS applies), the real Redis, and the fakes of
//! prosaas-fakes for Twilio (simulator + REST) and OpenAI (Realtime + chat).

mod agent_calls;
mod faults;
mod helpers;
mod webhooks;
