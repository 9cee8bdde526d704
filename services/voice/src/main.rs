//! `prosaas-voice`: Twilio webhooks, the AI phone agent on Twilio Media Streams
//! (relayed to OpenAI Realtime), call logs.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // `{:#}` keeps the whole anyhow cause chain on the one line
    prosaas_http::boot::main("voice", |settings| async move {
        prosaas_voice::startup::Application::build(settings)
            .await
            .map_err(|e| format!("{e:#}"))
    })
    .await
}
