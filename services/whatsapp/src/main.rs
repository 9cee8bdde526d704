//! `prosaas-whatsapp`: reads settings, starts the HTTP server.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // `{:#}` keeps the whole anyhow cause chain on the one line
    prosaas_http::boot::main("whatsapp", |settings| async move {
        prosaas_whatsapp::startup::Application::build(settings)
            .await
            .map_err(|e| format!("{e:#}"))
    })
    .await
}
