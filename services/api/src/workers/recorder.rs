//! Live events for SSE: one Redis pattern subscription per api process
//! (`events:*`) feeds an in-process broadcast that every `/api/events` stream
//! filters by business, and writes each event to `event_log` first, so a client
//! that reconnects with `Last-Event-ID` can replay what it missed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use prosaas_events::Channel;
use prosaas_tenant::repo::event_log::{self, LoggedEvent};
use prosaas_tenant::{BusinessId, Db, system};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events buffered per slow SSE client before it is told to `reset`.
const BROADCAST_CAPACITY: usize = 1024;

/// A bus envelope, read loosely: a kind this binary does not know yet (a newer
/// voice or whatsapp service) still reaches the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: Uuid,
    pub business_id: Uuid,
    pub kind: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub data: serde_json::Value,
}

impl LiveEvent {
    /// From a replayed `event_log` row.
    pub fn from_log(business_id: Uuid, e: LoggedEvent) -> Self {
        Self {
            id: e.id,
            business_id,
            kind: e.kind,
            at: e.occurred_at,
            data: e.data,
        }
    }
}

/// The process-wide hub (in `ApiState`).
pub struct LiveEvents {
    redis_url: SecretString,
    retention: chrono::Duration,
    sender: broadcast::Sender<LiveEvent>,
    started: Arc<AtomicBool>,
}

impl LiveEvents {
    /// A hub that records into the event log for `retention`.
    pub fn new(redis_url: SecretString, retention: Duration) -> Self {
        Self {
            redis_url,
            retention: chrono::Duration::from_std(retention)
                .unwrap_or_else(|_| chrono::Duration::hours(1)),
            sender: broadcast::channel(BROADCAST_CAPACITY).0,
            started: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts the recorder once (idempotent).
    pub fn start(&self, db: &Db) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        tokio::spawn(record_forever(
            db.clone(),
            self.redis_url.clone(),
            self.retention,
            self.sender.clone(),
        ));
    }

    /// Live events of every business from now on (the caller filters by its own).
    pub fn subscribe(&self, db: &Db) -> broadcast::Receiver<LiveEvent> {
        self.start(db);
        self.sender.subscribe()
    }
}

async fn record_forever(
    db: Db,
    url: SecretString,
    retention: chrono::Duration,
    sender: broadcast::Sender<LiveEvent>,
) {
    // back off while Redis is down so the log is not flooded; reset once connected
    let mut wait = Duration::from_secs(1);
    loop {
        let started = tokio::time::Instant::now();
        match listen(&db, &url, retention, &sender).await {
            Ok(()) => tracing::warn!("event subscription ended; resubscribing"),
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = wait.as_secs(), "event subscription failed")
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            wait = Duration::from_secs(1);
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

async fn listen(
    db: &Db,
    url: &SecretString,
    retention: chrono::Duration,
    sender: &broadcast::Sender<LiveEvent>,
) -> Result<(), redis::RedisError> {
    let client = redis::Client::open(url.expose_secret())?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.psubscribe(Channel::ALL_BUSINESSES).await?;
    tracing::info!("recording bus events for SSE");
    let mut messages = pubsub.into_on_message();
    while let Some(msg) = messages.next().await {
        let Ok(payload) = msg.get_payload::<String>() else {
            continue;
        };
        let event: LiveEvent = match serde_json::from_str(&payload) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "malformed event skipped");
                continue;
            }
        };
        // an envelope only counts on its own business's channel
        if msg.get_channel_name() != Channel::business(event.business_id) {
            tracing::warn!(business.id = %event.business_id, "event on a foreign channel skipped");
            continue;
        }
        let scope = system::worker_scope(BusinessId::from_uuid(event.business_id));
        let logged = LoggedEvent {
            id: event.id,
            kind: event.kind.clone(),
            data: event.data.clone(),
            occurred_at: event.at,
        };
        if let Err(e) = event_log::record(db, &scope, logged, retention).await {
            tracing::warn!(business.id = %event.business_id, error = %e, "event not logged for replay");
        }
        // no receivers is fine: nobody is watching right now
        let _ = sender.send(event);
    }
    Ok(())
}
