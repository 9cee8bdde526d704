//! What every handler and call session shares, built once from [`Settings`].

use std::time::Duration;

use prosaas_common::Settings;
use prosaas_tenant::Db;
use prosaas_twilio::TwilioClient;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use prosaas_events::BusHandle;

/// OpenAI endpoints and credentials.
#[derive(Clone)]
pub struct OpenAiConfig {
    /// Realtime websocket URL (`OPENAI_REALTIME_URL`), model added as `?model=`.
    pub realtime_url: Url,
    /// `OPENAI_REALTIME_MODEL`.
    pub realtime_model: String,
    /// `OPENAI_API_KEY`.
    pub api_key: Option<SecretString>,
    /// How long to wait for the realtime socket before apologising.
    pub connect_timeout: Duration,
}

/// Shared state of the voice service.
pub struct VoiceState {
    /// Database (as prosaas_app).
    pub db: Db,
    /// Event bus.
    pub bus: BusHandle,
    /// `PUBLIC_BASE_URL`: signed webhook URLs and the `wss://` stream URL.
    pub public_base_url: Url,
    /// `VALIDATE_TWILIO_SIGNATURE`.
    pub validate_signature: bool,
    /// `TWILIO_AUTH_TOKEN`.
    pub auth_token: Option<SecretString>,
    /// REST client, when the account is configured.
    pub twilio: Option<TwilioClient>,
    /// Key of the media-stream tokens.
    pub stream_secret: Vec<u8>,
    /// OpenAI.
    pub openai: OpenAiConfig,
    /// Chat completions for call summaries (none without `OPENAI_API_KEY`).
    pub chat: Option<prosaas_ai::ChatClient>,
}

impl VoiceState {
    /// State from settings (no I/O besides building clients).
    pub fn from_settings(settings: &Settings, db: Db, bus: BusHandle) -> anyhow::Result<Self> {
        let twilio = match (&settings.twilio.account_sid, &settings.twilio.auth_token) {
            (Some(sid), Some(token)) => Some(TwilioClient::new(
                settings.twilio.api_base.clone(),
                sid.clone(),
                token.clone(),
            )?),
            _ => None,
        };
        let stream_secret = match (&settings.twilio.stream_secret, &settings.twilio.auth_token) {
            (Some(s), _) | (None, Some(s)) => s.expose_secret().as_bytes().to_vec(),
            (None, None) => {
                let mut key = vec![0u8; 32];
                rand::rng().fill_bytes(&mut key);
                key
            }
        };
        Ok(Self {
            db,
            bus,
            public_base_url: settings.public_base_url.clone(),
            validate_signature: settings.twilio.validate_signature,
            auth_token: settings.twilio.auth_token.clone(),
            twilio,
            stream_secret,
            openai: OpenAiConfig {
                realtime_url: settings.openai.realtime_url.clone(),
                realtime_model: settings.openai.realtime_model.clone(),
                api_key: settings.openai.api_key.clone(),
                connect_timeout: Duration::from_secs(5),
            },
            chat: settings
                .openai
                .api_key
                .clone()
                .map(|key| {
                    prosaas_ai::ChatClient::new(
                        &settings.openai.base_url,
                        key,
                        settings.openai.chat_model.clone(),
                        Duration::from_secs(30),
                    )
                })
                .transpose()?,
        })
    }

    /// A public URL of ours (`PUBLIC_BASE_URL` + path), for Twilio callbacks.
    pub fn public_url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.public_base_url.as_str().trim_end_matches('/')
        )
    }

    /// The `wss://` (or `ws://` for a plain-http dev base) media-stream URL.
    pub fn media_stream_url(&self) -> String {
        let base = self.public_url("/ws/media");
        if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            base
        }
    }
}
