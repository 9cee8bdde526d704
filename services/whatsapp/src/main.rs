//! `prosaas-whatsapp`: the Baileys bridge, QR proxy and conversations (issue 4).
//! For now it serves `/health`, reads the shared settings and runs the
//! tenant-wall boot check.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    prosaas_http::boot::run("whatsapp", |s| s.whatsapp_port, |_cfg| {}).await
}
