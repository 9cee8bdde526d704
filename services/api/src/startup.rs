//! Builds the app from settings (zero2prod's `startup.rs`): a server bound to
//! a port, so tests and benches can bind port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use prosaas_common::Settings;
use prosaas_http::boot::BoundServer;
use prosaas_tenant::Db;

use crate::rate_limit::LoginLimiter;
use crate::routes;
use prosaas_events::BusHandle;

/// What handlers share besides the database.
pub struct ApiState {
    /// The event bus.
    pub bus: BusHandle,
    /// Login throttling.
    pub limiter: LoginLimiter,
    /// `Secure` on cookies (public URL is https).
    pub cookie_secure: bool,
    /// Session lifetime.
    pub session_ttl_seconds: i32,
    /// Outbound calls and the recordings proxy (Twilio).
    pub calls: crate::routes::calls::CallsConfig,
    /// Live events for SSE (bus recorder + broadcast).
    pub live: crate::workers::recorder::LiveEvents,
    /// `PUBLIC_BASE_URL`, for links sent to customers (offer signing).
    pub public_base_url: String,
}

impl ApiState {
    /// State from settings.
    pub fn from_settings(settings: &Settings, bus: BusHandle) -> Self {
        Self {
            limiter: LoginLimiter::new(
                bus.clone(),
                settings.login_max_per_ip,
                settings.login_max_per_email,
                Duration::from_secs(u64::from(settings.login_window_seconds)),
            ),
            bus,
            cookie_secure: settings.cookies_secure(),
            session_ttl_seconds: i32::try_from(settings.session_ttl_hours.saturating_mul(3600))
                .unwrap_or(i32::MAX),
            calls: crate::routes::calls::CallsConfig::from_settings(settings),
            live: crate::workers::recorder::LiveEvents::new(
                settings.redis_url.clone(),
                crate::workers::WorkerSettings::from_env().event_log_retention,
            ),
            public_base_url: settings.public_base_url.to_string(),
        }
    }
}

/// Everything a worker's `App` needs; cheap to clone.
#[derive(Clone)]
pub struct AppParts {
    /// Database handle.
    pub db: Db,
    /// Shared state.
    pub state: Arc<ApiState>,
}

impl AppParts {
    /// Installs data, defaults and routes on an `App`.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(web::Data::new(self.db.clone()))
            .app_data(web::Data::from(self.state.clone()))
            .configure(prosaas_http::configure_defaults)
            .configure(routes::configure);
    }
}

/// Builds the service; what it returns is a [`BoundServer`].
pub struct Application;

impl Application {
    /// Connects to Postgres and Redis, runs the tenant-wall boot check and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<BoundServer> {
        let db = prosaas_http::boot::database(&settings)
            .await
            .map_err(anyhow::Error::msg)?;
        let bus = BusHandle::connect(settings.redis_url.clone()).await;
        let parts = AppParts {
            db,
            state: Arc::new(ApiState::from_settings(&settings, bus.clone())),
        };
        parts.state.live.start(&parts.db);
        crate::workers::spawn(
            parts.db.clone(),
            bus,
            crate::workers::WorkerSettings::from_env(),
        );
        let listener =
            prosaas_http::boot::bind(&settings, settings.api_port).map_err(anyhow::Error::msg)?;
        Self::serve(listener, parts)
    }

    /// Serves `parts` on an already bound listener (tests, benches).
    pub fn serve(listener: TcpListener, parts: AppParts) -> anyhow::Result<BoundServer> {
        Ok(BoundServer::serve(listener, move |cfg| {
            parts.configure(cfg)
        })?)
    }
}
