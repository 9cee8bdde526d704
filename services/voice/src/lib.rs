//! The voice service as a library, so integration tests and the relay bench run
//! the real application on port 0.
//!
//! * [`webhooks`]: Twilio's HTTP callbacks (signature-checked).
//! * [`media`]: the `/ws/media` relay between Twilio and OpenAI Realtime, with
//!   barge-in, tools, transcript and the fallback to voicemail.
//! * [`agent`]: what the AI agent is told (instructions, tools) and the call summary.

pub mod agent;
pub mod media;
pub mod startup;
pub mod state;
pub mod webhooks;
