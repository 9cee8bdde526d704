//! Integration tests of the whatsapp service: the real app on port 0, a fresh
//! database per test, real Redis, a fake worker speaking the worker protocol,
//! a fake chat-completions server, and one test with the real Node worker.

mod conversations;
mod helpers;
mod internal;
mod openapi;
mod real_worker;
mod session;
