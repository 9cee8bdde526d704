//! `prosaas-whatsapp`: reads settings, starts the HTTP server.

use prosaas_whatsapp::startup::Application;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match prosaas_http::boot::settings_and_telemetry("whatsapp") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "whatsapp failed to start");
            eprintln!("whatsapp failed to start: {e:#}");
            return std::process::ExitCode::from(1);
        }
    };
    tracing::info!(port = app.port(), "whatsapp listening");
    match app.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "whatsapp stopped with an error");
            std::process::ExitCode::from(1)
        }
    }
}
