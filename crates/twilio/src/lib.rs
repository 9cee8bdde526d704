//! Twilio for ProSaaS, without an SDK (see docs/adr/0005-twilio-without-sdk.md):
//!
//! * [`signature`]: `X-Twilio-Signature` validation exactly as Twilio's helper
//!   libraries do it (sorted params, HMAC-SHA1, URL tried with and without the
//!   default port, the `bodySHA256` JSON variant);
//! * [`twiml`]: a small, escaping TwiML builder (`<Connect><Stream>`, `<Say>`, ...);
//! * [`rest`]: a typed `reqwest` client for the few REST calls we make, with a
//!   configurable base URL so tests run it unchanged against a local fake.

pub mod rest;
pub mod signature;
pub mod twiml;

pub use rest::{CallResource, CallUpdate, NewCall, TwilioClient, TwilioError};
