//! Tracing set-up (zero2prod's `get_subscriber` / `init_subscriber`).
//! Never log phone numbers, message text, transcripts, audio, tokens or keys.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::LogFormat;

/// Installs the global subscriber: `RUST_LOG` (default `info`), pretty or JSON.
/// Calling it twice is harmless (the second call is ignored), which tests rely on.
pub fn init<W>(service: &str, format: LogFormat, sink: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn,h2=warn,hyper=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink);
    let result = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    if result.is_ok() {
        tracing::info!(service, "telemetry initialised");
    }
}

/// For tests: logs only when `TEST_LOG` is set.
pub fn init_for_tests() {
    if std::env::var("TEST_LOG").is_ok() {
        init("test", LogFormat::Pretty, std::io::stdout);
    }
}
