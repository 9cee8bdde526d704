//! `prosaas-voice`: Twilio webhooks and media streams (issue 3). For now it
//! serves `/health`, reads the shared settings and runs the tenant-wall boot check.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    prosaas_http::boot::run("voice", |s| s.voice_port, |_cfg| {}).await
}
