//! Builds the app from settings: a server bound to a port, so tests and the
//! bench can bind port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use anyhow::Context;
use prosaas_common::Settings;
use prosaas_http::boot::BoundServer;
use prosaas_tenant::Db;
use secrecy::{ExposeSecret, SecretString};

use crate::ai::ChatClient;
use crate::crypto::AuthCipher;
use crate::outbound::SendLimits;
use crate::routes;
use crate::worker::WorkerClient;
use prosaas_events::BusHandle;

/// Shortest acceptable worker secret.
pub const MIN_SECRET_LEN: usize = 16;

/// What handlers share besides the database.
pub struct WhatsAppState {
    /// The event bus.
    pub bus: BusHandle,
    /// The Baileys worker.
    pub worker: WorkerClient,
    /// The secret the worker must present on `/internal/*`.
    pub worker_secret: SecretString,
    /// Encrypts the stored auth state.
    pub cipher: AuthCipher,
    /// Chat completions; `None` without `OPENAI_API_KEY` (no auto-replies).
    pub ai: Option<ChatClient>,
    /// Outbound rate limits.
    pub limits: SendLimits,
    /// Pause before an AI reply (jittered up to 2x).
    pub ai_reply_delay: Duration,
    /// Messages of history the AI sees.
    pub ai_history: u32,
}

impl WhatsAppState {
    /// State from settings; refuses a missing/short worker secret or a bad auth key.
    pub fn from_settings(settings: &Settings, bus: BusHandle) -> anyhow::Result<Self> {
        let wa = &settings.whatsapp;
        let worker_secret = wa
            .worker_secret
            .clone()
            .filter(|s| s.expose_secret().len() >= MIN_SECRET_LEN)
            .context("WHATSAPP_WORKER_SECRET is required (at least 16 characters, shared with the worker)")?;
        let auth_key = wa
            .auth_key
            .as_ref()
            .context("WHATSAPP_AUTH_KEY is required (32 bytes, base64 or 64 hex digits: openssl rand -base64 32)")?;
        let cipher = AuthCipher::from_secret(auth_key)?;
        let worker = WorkerClient::new(
            wa.worker_url.clone(),
            worker_secret.clone(),
            Duration::from_millis(wa.worker_timeout_ms),
        )?;
        let ai = match &settings.openai.api_key {
            Some(key) => Some(ChatClient::new(
                &settings.openai.base_url,
                key.clone(),
                settings.openai.chat_model.clone(),
                Duration::from_secs(30),
            )?),
            None => {
                tracing::warn!("OPENAI_API_KEY not set: WhatsApp AI auto-replies are off");
                None
            }
        };
        Ok(Self {
            limits: SendLimits::new(
                bus.clone(),
                Duration::from_millis(wa.chat_cooldown_ms),
                wa.daily_send_cap,
            ),
            bus,
            worker,
            worker_secret,
            cipher,
            ai,
            ai_reply_delay: Duration::from_millis(wa.ai_reply_delay_ms),
            ai_history: wa.ai_history_messages,
        })
    }
}

/// Everything a worker's `App` needs; cheap to clone.
#[derive(Clone)]
pub struct AppParts {
    /// Database handle.
    pub db: Db,
    /// Shared state.
    pub state: Arc<WhatsAppState>,
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
            state: Arc::new(WhatsAppState::from_settings(&settings, bus)?),
        };
        let listener = prosaas_http::boot::bind(&settings, settings.whatsapp_port)
            .map_err(anyhow::Error::msg)?;
        Self::serve(listener, parts)
    }

    /// Serves `parts` on an already bound listener (tests, benches).
    pub fn serve(listener: TcpListener, parts: AppParts) -> anyhow::Result<BoundServer> {
        Ok(BoundServer::serve(listener, move |cfg| {
            parts.configure(cfg)
        })?)
    }
}
