//! Settings, read once in `main` and passed down (no global). Sources, later
//! ones winning: an optional file named by `CONFIG_FILE` (TOML, keys in lower
//! case), then environment variables with the names of the brief
//! (`DATABASE_URL`, `TWILIO_AUTH_TOKEN`, ...). A missing or malformed value stops
//! start-up with one line naming the variable. Tests build [`Settings`] from a map.

use std::collections::HashMap;
use std::fmt;

use secrecy::SecretString;
use url::Url;

/// Deployment flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    /// Local development: pretty logs by default.
    Development,
    /// Production: JSON logs by default.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// OpenAI settings.
#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    /// `OPENAI_API_KEY`.
    pub api_key: Option<SecretString>,
    /// `OPENAI_BASE_URL` (REST, e.g. chat completions).
    pub base_url: Url,
    /// `OPENAI_REALTIME_URL` (websocket).
    pub realtime_url: Url,
    /// `OPENAI_REALTIME_MODEL`.
    pub realtime_model: String,
    /// `OPENAI_CHAT_MODEL`.
    pub chat_model: String,
}

/// Twilio settings.
#[derive(Debug, Clone)]
pub struct TwilioSettings {
    /// `TWILIO_ACCOUNT_SID`.
    pub account_sid: Option<String>,
    /// `TWILIO_AUTH_TOKEN`.
    pub auth_token: Option<SecretString>,
    /// `TWILIO_PHONE_NUMBER`: caller id for outbound calls of a business that has
    /// no number of its own. Never used to identify a business.
    pub fallback_phone_number: Option<crate::E164Phone>,
    /// `TWILIO_API_BASE`.
    pub api_base: Url,
    /// `VALIDATE_TWILIO_SIGNATURE` (default true).
    pub validate_signature: bool,
    /// `VOICE_STREAM_SECRET`: signs the short-lived media-stream tokens (falls
    /// back to the auth token, then to a random per-process key).
    pub stream_secret: Option<SecretString>,
}

/// WhatsApp (Baileys worker) settings.
#[derive(Debug, Clone)]
pub struct WhatsAppSettings {
    /// `WHATSAPP_WORKER_URL`.
    pub worker_url: Url,
    /// `WHATSAPP_WORKER_SECRET`.
    pub worker_secret: Option<SecretString>,
    /// `WHATSAPP_AUTH_KEY`: 32 bytes (base64 or 64 hex digits) encrypting the
    /// stored Baileys auth state (AES-256-GCM). The whatsapp service refuses to
    /// start without it.
    pub auth_key: Option<SecretString>,
    /// `WHATSAPP_WORKER_TIMEOUT_MS` (default 10000): per call to the worker.
    pub worker_timeout_ms: u64,
    /// `WHATSAPP_CHAT_COOLDOWN_MS` (default 3000): minimum gap between two
    /// outbound messages to one chat (ban protection).
    pub chat_cooldown_ms: u64,
    /// `WHATSAPP_DAILY_SEND_CAP` (default 1000): outbound messages per business per day.
    pub daily_send_cap: u32,
    /// `WHATSAPP_AI_REPLY_DELAY_MS` (default 1500): pause before an AI reply
    /// (jittered up to 2x), so answers do not look machine-fast.
    pub ai_reply_delay_ms: u64,
    /// `WHATSAPP_AI_HISTORY` (default 20): recent messages the AI sees.
    pub ai_history_messages: u32,
}

/// Everything a ProSaaS service reads at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `APP_ENV`.
    pub app_env: AppEnv,
    /// `LOG_FORMAT` (default: pretty in development, json in production).
    pub log_format: LogFormat,
    /// `DATABASE_URL`: the owner role; used by `prosaas migrate`.
    pub database_url: SecretString,
    /// `APP_DATABASE_URL`: the `prosaas_app` role the services use (falls back to
    /// `DATABASE_URL`; the boot check then refuses an owner or superuser role).
    pub app_database_url: SecretString,
    /// `DB_POOL_SIZE`.
    pub db_pool_size: usize,
    /// `REDIS_URL`.
    pub redis_url: SecretString,
    /// `PUBLIC_BASE_URL`, e.g. `https://prosaas.pro`.
    pub public_base_url: Url,
    /// `BIND_HOST`.
    pub bind_host: String,
    /// `API_PORT`.
    pub api_port: u16,
    /// `VOICE_PORT`.
    pub voice_port: u16,
    /// `WHATSAPP_PORT`.
    pub whatsapp_port: u16,
    /// `SESSION_TTL_HOURS`.
    pub session_ttl_hours: u32,
    /// `LOGIN_MAX_ATTEMPTS_PER_EMAIL` within `LOGIN_WINDOW_SECONDS`.
    pub login_max_per_email: u32,
    /// `LOGIN_MAX_ATTEMPTS_PER_IP` within `LOGIN_WINDOW_SECONDS`.
    pub login_max_per_ip: u32,
    /// `LOGIN_WINDOW_SECONDS`.
    pub login_window_seconds: u32,
    /// OpenAI.
    pub openai: OpenAiSettings,
    /// Twilio.
    pub twilio: TwilioSettings,
    /// WhatsApp worker.
    pub whatsapp: WhatsAppSettings,
}

/// A setting that stops start-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("configuration error: {name} is required ({hint})")]
    Missing {
        /// Variable name.
        name: &'static str,
        /// What a good value looks like.
        hint: &'static str,
    },
    /// A variable is set but unusable.
    #[error("configuration error: {name} is invalid: {reason}")]
    Invalid {
        /// Variable name.
        name: &'static str,
        /// Why, without echoing secrets.
        reason: String,
    },
    /// The config file could not be read.
    #[error("configuration error: CONFIG_FILE could not be read: {0}")]
    File(String),
}

impl Settings {
    /// Reads `CONFIG_FILE` (optional) and the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut builder = config::Config::builder();
        if let Ok(path) = std::env::var("CONFIG_FILE") {
            builder = builder.add_source(config::File::with_name(&path).required(true));
        }
        let cfg = builder
            .add_source(config::Environment::default())
            .build()
            .map_err(|e| ConfigError::File(e.to_string()))?;
        let map: HashMap<String, config::Value> = cfg.try_deserialize().unwrap_or_default();
        let vars = map
            .into_iter()
            .filter_map(|(k, v)| v.into_string().ok().map(|v| (k.to_uppercase(), v)))
            .collect();
        Self::from_map(&vars)
    }

    /// Builds settings from `NAME -> value` pairs (the environment's names).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let vars = Vars(vars);
        let app_env = match vars.get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => {
                return Err(invalid(
                    "APP_ENV",
                    format!("'{other}' is not development or production"),
                ));
            }
        };
        let log_format = match vars.get("LOG_FORMAT").as_deref() {
            None if app_env == AppEnv::Production => LogFormat::Json,
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "LOG_FORMAT",
                    format!("'{other}' is not pretty or json"),
                ));
            }
        };
        let database_url = vars
            .postgres_url("DATABASE_URL")?
            .ok_or(ConfigError::Missing {
                name: "DATABASE_URL",
                hint: "postgres://user:password@host:5432/db",
            })?;
        let app_database_url = vars
            .postgres_url("APP_DATABASE_URL")?
            .unwrap_or_else(|| database_url.clone());
        let redis_url = match vars.get("REDIS_URL") {
            None => {
                return Err(ConfigError::Missing {
                    name: "REDIS_URL",
                    hint: "redis://host:6379",
                });
            }
            Some(v) if v.starts_with("redis://") || v.starts_with("rediss://") => {
                SecretString::from(v)
            }
            Some(_) => {
                return Err(invalid(
                    "REDIS_URL",
                    "must start with redis:// or rediss://".into(),
                ));
            }
        };
        let public_base_url = vars.url("PUBLIC_BASE_URL", "http://localhost")?;
        Ok(Self {
            app_env,
            log_format,
            database_url,
            app_database_url,
            db_pool_size: vars.number("DB_POOL_SIZE", 10)?,
            redis_url,
            public_base_url,
            bind_host: vars.get("BIND_HOST").unwrap_or_else(|| "0.0.0.0".into()),
            api_port: vars.number("API_PORT", 5000)?,
            voice_port: vars.number("VOICE_PORT", 5001)?,
            whatsapp_port: vars.number("WHATSAPP_PORT", 5002)?,
            session_ttl_hours: vars.number("SESSION_TTL_HOURS", 168)?,
            login_max_per_email: vars.number("LOGIN_MAX_ATTEMPTS_PER_EMAIL", 10)?,
            login_max_per_ip: vars.number("LOGIN_MAX_ATTEMPTS_PER_IP", 50)?,
            login_window_seconds: vars.number("LOGIN_WINDOW_SECONDS", 900)?,
            openai: OpenAiSettings {
                api_key: vars.get("OPENAI_API_KEY").map(SecretString::from),
                base_url: vars.url("OPENAI_BASE_URL", "https://api.openai.com/v1")?,
                realtime_url: vars
                    .url("OPENAI_REALTIME_URL", "wss://api.openai.com/v1/realtime")?,
                realtime_model: vars
                    .get("OPENAI_REALTIME_MODEL")
                    .unwrap_or_else(|| "gpt-realtime".into()),
                chat_model: vars
                    .get("OPENAI_CHAT_MODEL")
                    .unwrap_or_else(|| "gpt-4o-mini".into()),
            },
            twilio: TwilioSettings {
                account_sid: vars.get("TWILIO_ACCOUNT_SID"),
                auth_token: vars.get("TWILIO_AUTH_TOKEN").map(SecretString::from),
                fallback_phone_number: match vars.get("TWILIO_PHONE_NUMBER") {
                    None => None,
                    Some(v) => Some(
                        crate::E164Phone::parse(&v)
                            .map_err(|e| invalid("TWILIO_PHONE_NUMBER", e.to_string()))?,
                    ),
                },
                api_base: vars.url("TWILIO_API_BASE", "https://api.twilio.com")?,
                validate_signature: vars.boolean("VALIDATE_TWILIO_SIGNATURE", true)?,
                stream_secret: vars.get("VOICE_STREAM_SECRET").map(SecretString::from),
            },
            whatsapp: WhatsAppSettings {
                worker_url: vars.url("WHATSAPP_WORKER_URL", "http://127.0.0.1:3300")?,
                worker_secret: vars.get("WHATSAPP_WORKER_SECRET").map(SecretString::from),
                auth_key: vars.get("WHATSAPP_AUTH_KEY").map(SecretString::from),
                worker_timeout_ms: vars.number("WHATSAPP_WORKER_TIMEOUT_MS", 10_000)?,
                chat_cooldown_ms: vars.number("WHATSAPP_CHAT_COOLDOWN_MS", 3_000)?,
                daily_send_cap: vars.number("WHATSAPP_DAILY_SEND_CAP", 1_000)?,
                ai_reply_delay_ms: vars.number("WHATSAPP_AI_REPLY_DELAY_MS", 1_500)?,
                ai_history_messages: vars.number("WHATSAPP_AI_HISTORY", 20)?,
            },
        })
    }

    /// True when cookies must carry `Secure` (the public URL is https).
    pub fn cookies_secure(&self) -> bool {
        self.public_base_url.scheme() == "https"
    }
}

fn invalid(name: &'static str, reason: String) -> ConfigError {
    ConfigError::Invalid { name, reason }
}

struct Vars<'a>(&'a HashMap<String, String>);

impl Vars<'_> {
    /// A set, non-blank value.
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn number<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: T,
    ) -> Result<T, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| invalid(name, format!("'{v}' is not a valid number"))),
        }
    }

    fn boolean(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name).map(|v| v.to_lowercase()).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(other) => Err(invalid(name, format!("'{other}' is not true or false"))),
        }
    }

    fn url(&self, name: &'static str, default: &str) -> Result<Url, ConfigError> {
        let raw = self.get(name).unwrap_or_else(|| default.to_string());
        Url::parse(&raw).map_err(|e| invalid(name, format!("not a URL ({e})")))
    }

    /// Postgres URLs are secrets: the error never echoes the value.
    fn postgres_url(&self, name: &'static str) -> Result<Option<SecretString>, ConfigError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.starts_with("postgres://") || v.starts_with("postgresql://") => {
                Url::parse(&v).map_err(|e| invalid(name, format!("not a URL ({e})")))?;
                Ok(Some(SecretString::from(v)))
            }
            Some(_) => Err(invalid(
                name,
                "must start with postgres:// or postgresql://".into(),
            )),
        }
    }
}

impl fmt::Display for AppEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AppEnv::Development => "development",
            AppEnv::Production => "production",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const BASE: [(&str, &str); 2] = [
        ("DATABASE_URL", "postgres://owner:pw@db:5432/prosaas"),
        ("REDIS_URL", "redis://redis:6379"),
    ];

    #[test]
    fn defaults_fill_everything_but_the_two_required_urls() {
        let s = Settings::from_map(&vars(&BASE)).map_err(|e| e.to_string());
        let s = match s {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(s.api_port, 5000);
        assert!(s.twilio.validate_signature);
        assert_eq!(
            s.app_database_url.expose_secret(),
            s.database_url.expose_secret()
        );
        assert_eq!(s.log_format, LogFormat::Pretty);
    }

    #[test]
    fn missing_required_value_names_it() {
        let err = Settings::from_map(&vars(&[("REDIS_URL", "redis://x")]))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "configuration error: DATABASE_URL is required (postgres://user:password@host:5432/db)"
            )
        );
    }

    #[test]
    fn malformed_values_name_the_variable_and_never_echo_secrets() {
        let mut v = vars(&BASE);
        v.insert("VALIDATE_TWILIO_SIGNATURE".into(), "maybe".into());
        let err = Settings::from_map(&v)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("VALIDATE_TWILIO_SIGNATURE"), "{err}");

        let mut v = vars(&BASE);
        v.insert("DATABASE_URL".into(), "mysql://root:hunter2@x".into());
        let err = Settings::from_map(&v)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("DATABASE_URL") && !err.contains("hunter2"),
            "{err}"
        );

        let mut v = vars(&BASE);
        v.insert("API_PORT".into(), "eighty".into());
        let err = Settings::from_map(&v)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("API_PORT"), "{err}");
    }

    #[test]
    fn validation_switch_reads_false_and_production_defaults_to_json() {
        let mut v = vars(&BASE);
        v.insert("VALIDATE_TWILIO_SIGNATURE".into(), "False".into());
        v.insert("APP_ENV".into(), "production".into());
        v.insert("PUBLIC_BASE_URL".into(), "https://prosaas.pro".into());
        let s = Settings::from_map(&v).ok();
        assert_eq!(s.as_ref().map(|s| s.twilio.validate_signature), Some(false));
        assert_eq!(s.as_ref().map(|s| s.log_format), Some(LogFormat::Json));
        assert_eq!(s.as_ref().map(Settings::cookies_secure), Some(true));
    }
}
