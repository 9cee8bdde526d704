//! `prosaas-voice`: Twilio webhooks, the AI phone agent on Twilio Media Streams
//! (relayed to OpenAI Realtime), call logs.

use std::process::ExitCode;

use prosaas_voice::startup::Application;

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match prosaas_http::boot::settings_and_telemetry("voice") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("voice failed to start: {e:#}");
            return ExitCode::from(1);
        }
    };
    tracing::info!(port = app.port(), "voice listening");
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "voice stopped");
            ExitCode::from(1)
        }
    }
}
