//! `prosaas-api`: reads settings, starts the HTTP server.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // `{:#}` keeps the whole anyhow cause chain on the one line
    prosaas_http::boot::main("api", |settings| async move {
        prosaas_api::startup::Application::build(settings)
            .await
            .map_err(|e| format!("{e:#}"))
    })
    .await
}
