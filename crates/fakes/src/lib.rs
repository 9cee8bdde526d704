//! Local fakes of the internet services ProSaaS talks to, speaking the real wire
//! formats so production clients run unchanged against them, plus a call
//! simulator that behaves like Twilio. Used by tests and the voice bench; kept
//! reusable for later services.
//!
//! * [`FakeRealtime`]: an OpenAI Realtime (GA) websocket server, scriptable per
//!   test ([`Step`]: speak, call a tool, wait for the caller, fail), or an echo
//!   mode for latency benches.
//! * [`FakeApis`]: one HTTP server with the Twilio REST API (create/update call,
//!   recordings, basic auth checked) and OpenAI chat completions.
//! * [`CallSimulator`]: signed Twilio webhooks, then a Media Stream with
//!   connected/start/media/mark/stop frames every 20 ms, emulating Twilio's
//!   playback queue (marks echoed when played, `clear` flushes).

pub mod apis;
pub mod clock;
pub mod realtime;
pub mod simulator;

pub use apis::{FakeApis, RestRequest};
pub use realtime::{FakeRealtime, RealtimeLog, Step};
pub use simulator::{CallSimulator, CallerScript, StreamReport};

/// Errors of the fakes: they fail tests loudly.
pub type FakeError = Box<dyn std::error::Error + Send + Sync>;
