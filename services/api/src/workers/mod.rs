//! Background work of the api service: the bus recorder (feeds SSE and its
//! replay log), the due-task sweep and the webhook outbox delivery. Each loop
//! survives Redis, Postgres or a receiver being down: it logs and tries again on
//! the next tick; the database is the source of truth.

pub mod due_tasks;
pub mod recorder;
pub mod webhook_delivery;

use std::time::Duration;

use prosaas_tenant::Db;

use prosaas_events::BusHandle;

/// Knobs of the workers (env vars; defaults in parentheses).
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// `TASK_DUE_SWEEP_SECONDS` (30): how often due tasks are looked for.
    pub task_sweep_every: Duration,
    /// `WEBHOOK_POLL_SECONDS` (2): how often the outbox is polled.
    pub webhook_poll_every: Duration,
    /// `WEBHOOK_TIMEOUT_SECONDS` (10): per delivery attempt.
    pub webhook_timeout: Duration,
    /// `WEBHOOK_RETRY_BASE_SECONDS` (30): first retry delay, doubled each attempt, capped at 1 h.
    pub webhook_retry_base: Duration,
    /// `WEBHOOK_MAX_ATTEMPTS` (8): then the delivery is `failed`.
    pub webhook_max_attempts: i32,
    /// `EVENT_LOG_RETENTION_MINUTES` (60): how far back SSE clients can replay.
    pub event_log_retention: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            task_sweep_every: Duration::from_secs(30),
            webhook_poll_every: Duration::from_secs(2),
            webhook_timeout: Duration::from_secs(10),
            webhook_retry_base: Duration::from_secs(30),
            webhook_max_attempts: 8,
            event_log_retention: Duration::from_secs(60 * 60),
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

impl WorkerSettings {
    /// Defaults overridden by the env vars named on the fields (bad values keep the default).
    pub fn from_env() -> Self {
        let d = Self::default();
        let secs = |name: &str, default: Duration| {
            env_u64(name)
                .filter(|v| *v > 0)
                .map_or(default, Duration::from_secs)
        };
        Self {
            task_sweep_every: secs("TASK_DUE_SWEEP_SECONDS", d.task_sweep_every),
            webhook_poll_every: secs("WEBHOOK_POLL_SECONDS", d.webhook_poll_every),
            webhook_timeout: secs("WEBHOOK_TIMEOUT_SECONDS", d.webhook_timeout),
            webhook_retry_base: secs("WEBHOOK_RETRY_BASE_SECONDS", d.webhook_retry_base),
            webhook_max_attempts: env_u64("WEBHOOK_MAX_ATTEMPTS")
                .and_then(|v| i32::try_from(v).ok())
                .filter(|v| *v > 0)
                .unwrap_or(d.webhook_max_attempts),
            event_log_retention: env_u64("EVENT_LOG_RETENTION_MINUTES")
                .filter(|v| *v > 0)
                .map_or(d.event_log_retention, |m| {
                    Duration::from_secs(m.saturating_mul(60))
                }),
        }
    }
}

/// Starts the due-task sweep and the webhook delivery loops (the recorder starts
/// with the first SSE client, or here through `live.start`).
pub fn spawn(db: Db, bus: BusHandle, settings: WorkerSettings) {
    tokio::spawn(due_tasks::run(db.clone(), bus, settings.clone()));
    tokio::spawn(webhook_delivery::run(db, settings));
}
