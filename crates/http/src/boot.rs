//! Start-up steps every service shares.

use prosaas_common::Settings;
use prosaas_tenant::{Db, TenantError};

/// Builds the pool as the application role and runs the tenant-wall boot check.
/// A database that is down at boot is logged (health reports it; requests get
/// 503s until it is back); a role or schema that weakens the wall stops start-up.
pub async fn database(settings: &Settings) -> Result<Db, String> {
    let db = Db::connect(&settings.app_database_url, settings.db_pool_size)
        .map_err(|e| e.to_string())?;
    match db.verify_tenant_wall().await {
        Ok(()) => Ok(db),
        Err(TenantError::Unavailable(e)) => {
            tracing::error!(error = %e, "database unreachable at start-up");
            Ok(db)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Reads settings and installs telemetry, or prints the one-line reason and
/// returns the exit code.
pub fn settings_and_telemetry(service: &'static str) -> Result<Settings, std::process::ExitCode> {
    match Settings::from_env() {
        Ok(s) => {
            prosaas_common::telemetry::init(service, s.log_format, std::io::stdout);
            Ok(s)
        }
        Err(e) => {
            eprintln!("{e}");
            Err(std::process::ExitCode::from(2))
        }
    }
}

/// A bound, not yet running, service: what every `Application::build` returns,
/// so tests and benches can bind port 0 and read the port back.
pub struct BoundServer {
    port: u16,
    server: actix_web::dev::Server,
}

impl BoundServer {
    /// Serves on an already bound listener: request ids on every request, the
    /// service's `configure`, and a JSON 404 for anything it does not route.
    pub fn serve<C>(listener: std::net::TcpListener, configure: C) -> std::io::Result<Self>
    where
        C: Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
    {
        use actix_web::middleware::from_fn;
        use actix_web::{App, HttpServer, web};

        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(crate::request_id))
                .configure(configure.clone())
                .default_service(web::to(crate::not_found))
        })
        .listen(listener)?
        .run();
        Ok(Self { port, server })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until SIGINT/SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Binds `BIND_HOST:port`, naming the address when it fails.
pub fn bind(settings: &Settings, port: u16) -> Result<std::net::TcpListener, String> {
    std::net::TcpListener::bind((settings.bind_host.as_str(), port))
        .map_err(|e| format!("binding {}:{port}: {e}", settings.bind_host))
}

/// A service's `main`: settings and telemetry, `build`, then serve until stopped.
/// Every failure is one line on stderr and a non-zero exit code.
pub async fn main<F, Fut, E>(service: &'static str, build: F) -> std::process::ExitCode
where
    F: FnOnce(Settings) -> Fut,
    Fut: std::future::Future<Output = Result<BoundServer, E>>,
    E: std::fmt::Display,
{
    use std::process::ExitCode;

    let settings = match settings_and_telemetry(service) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let app = match build(settings).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "{service} failed to start");
            eprintln!("{service} failed to start: {e}");
            return ExitCode::from(1);
        }
    };
    tracing::info!(port = app.port(), "{service} listening");
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "{service} stopped with an error");
            ExitCode::from(1)
        }
    }
}
