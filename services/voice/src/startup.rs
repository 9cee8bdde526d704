//! Builds the voice app from settings: a server bound to a port, so tests and the
//! bench can bind port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::web;
use prosaas_common::Settings;
use prosaas_http::boot::BoundServer;

use crate::state::VoiceState;
use crate::{media, webhooks};
use prosaas_events::BusHandle;

/// Installs the voice routes and their data on an `App`.
pub fn configure(state: Arc<VoiceState>) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(web::Data::new(state.db.clone()))
            .app_data(web::Data::from(state.clone()))
            .configure(prosaas_http::configure_defaults)
            .route("/health", web::get().to(prosaas_http::health("voice")))
            .configure(webhooks::configure)
            .configure(media::configure);
    }
}

/// Builds the service; what it returns is a [`BoundServer`].
pub struct Application;

impl Application {
    /// Connects to Postgres (with the tenant-wall boot check) and Redis, then binds.
    pub async fn build(settings: Settings) -> anyhow::Result<BoundServer> {
        // one process-wide TLS provider for reqwest and the realtime websocket
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let db = prosaas_http::boot::database(&settings)
            .await
            .map_err(anyhow::Error::msg)?;
        let bus = BusHandle::connect(settings.redis_url.clone()).await;
        let state = Arc::new(VoiceState::from_settings(&settings, db, bus)?);
        let listener =
            prosaas_http::boot::bind(&settings, settings.voice_port).map_err(anyhow::Error::msg)?;
        Self::serve(listener, state)
    }

    /// Serves on an already bound listener (tests, bench).
    pub fn serve(listener: TcpListener, state: Arc<VoiceState>) -> anyhow::Result<BoundServer> {
        Ok(BoundServer::serve(listener, configure(state))?)
    }
}
