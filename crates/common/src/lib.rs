//! Shared, dependency-light building blocks: [`config`] (every setting the
//! services read, with one clear line per missing or malformed value),
//! [`telemetry`] (tracing subscriber, pretty or JSON), [`phone`] (E.164
//! normalisation with Israeli local formats) and [`email`].

pub mod config;
pub mod email;
pub mod phone;
pub mod telemetry;

pub use config::{ConfigError, Settings};
pub use email::Email;
pub use phone::E164Phone;
