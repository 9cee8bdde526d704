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

/// Runs a service to completion: settings, telemetry, database with the boot
/// check, then an HTTP server on `port(settings)` with request ids, JSON error
/// defaults, `/health`, the routes of `configure`, and a JSON 404.
pub async fn run<P, C>(service: &'static str, port: P, configure: C) -> std::process::ExitCode
where
    P: FnOnce(&Settings) -> u16,
    C: Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
{
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpServer, web};
    use std::process::ExitCode;

    let settings = match settings_and_telemetry(service) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let db = match database(&settings).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{service} failed to start: {e}");
            return ExitCode::from(1);
        }
    };
    let port = port(&settings);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(crate::request_id))
            .app_data(web::Data::new(db.clone()))
            .configure(crate::configure_defaults)
            .route("/health", web::get().to(crate::health(service)))
            .configure(configure.clone())
            .default_service(web::to(crate::not_found))
    })
    .bind((settings.bind_host.as_str(), port));
    let server = match server {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{service}: cannot bind {}:{port}: {e}", settings.bind_host);
            return ExitCode::from(1);
        }
    };
    tracing::info!(port, "{service} listening");
    match server.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "{service} stopped");
            ExitCode::from(1)
        }
    }
}
