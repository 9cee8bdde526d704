//! The event bus. Every event travels in one [`Envelope`]
//! `{id, business_id, kind, at, data}` on the channel of its business
//! (`events:{business_id}`, built only by [`Channel`]). Pub/sub is for live
//! fan-out: the database stays the source of truth, and anything that must not
//! be lost is written to Postgres before it is published.

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod handle;
pub use handle::BusHandle;

/// What happened. Serialized as the dotted names of architecture.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// A lead was created.
    #[serde(rename = "lead.created")]
    LeadCreated,
    /// A lead changed.
    #[serde(rename = "lead.updated")]
    LeadUpdated,
    /// A lead was deleted.
    #[serde(rename = "lead.deleted")]
    LeadDeleted,
    /// A call was answered by the AI agent.
    #[serde(rename = "call.started")]
    CallStarted,
    /// Twilio reported a call status.
    #[serde(rename = "call.status")]
    CallStatus,
    /// A call ended.
    #[serde(rename = "call.ended")]
    CallEnded,
    /// A WhatsApp message came in or went out.
    #[serde(rename = "whatsapp.message")]
    WhatsAppMessage,
    /// The linking QR code changed.
    #[serde(rename = "whatsapp.qr")]
    WhatsAppQr,
    /// The WhatsApp session changed state.
    #[serde(rename = "whatsapp.status")]
    WhatsAppStatus,
    /// A task became due.
    #[serde(rename = "task.due")]
    TaskDue,
    /// A notification was created.
    #[serde(rename = "notification.created")]
    NotificationCreated,
}

/// One event on the bus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Unique id (SSE `id:` and de-duplication).
    pub id: Uuid,
    /// The business the event belongs to; consumers scope by it.
    pub business_id: Uuid,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Kind-specific payload (ids and states; never message text or phone numbers
    /// beyond what the business's own UI shows).
    pub data: serde_json::Value,
}

impl Envelope {
    /// A new envelope stamped now.
    pub fn new(business_id: Uuid, kind: EventKind, data: serde_json::Value) -> Self {
        Self {
            id: Uuid::new_v4(),
            business_id,
            kind,
            at: Utc::now(),
            data,
        }
    }
}

/// Channel names; no service formats one by hand.
pub struct Channel;

impl Channel {
    /// The channel of one business.
    pub fn business(business_id: Uuid) -> String {
        format!("events:{business_id}")
    }
    /// Pattern matching every business channel (internal consumers).
    pub const ALL_BUSINESSES: &'static str = "events:*";
}

/// Bus failures. Callers log them; a lost live event never fails a request.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// Redis refused or is unreachable.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// A payload did not (de)serialize.
    #[error("event encoding: {0}")]
    Encoding(#[from] serde_json::Error),
}

/// Publisher/subscriber over one Redis.
#[derive(Clone)]
pub struct EventBus {
    client: redis::Client,
    publisher: ConnectionManager,
}

impl EventBus {
    /// Connects (the connection manager reconnects by itself afterwards).
    pub async fn connect(url: &SecretString) -> Result<Self, BusError> {
        let client = redis::Client::open(url.expose_secret())?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(std::time::Duration::from_secs(2)))
            .set_response_timeout(Some(std::time::Duration::from_secs(2)))
            .set_number_of_retries(2);
        let publisher = ConnectionManager::new_with_config(client.clone(), config).await?;
        Ok(Self { client, publisher })
    }

    /// A command connection to the same Redis (rate limits, caches).
    pub fn connection(&self) -> ConnectionManager {
        self.publisher.clone()
    }

    /// Publishes on the envelope's business channel; returns the receiver count.
    pub async fn publish(&self, envelope: &Envelope) -> Result<u64, BusError> {
        let payload = serde_json::to_string(envelope)?;
        let mut conn = self.publisher.clone();
        Ok(conn
            .publish(Channel::business(envelope.business_id), payload)
            .await?)
    }

    /// Publishes and logs a failure instead of returning it (the DB already holds the change).
    pub async fn publish_or_log(&self, envelope: &Envelope) {
        if let Err(e) = self.publish(envelope).await {
            tracing::warn!(event.kind = ?envelope.kind, business.id = %envelope.business_id, error = %e, "event not published");
        }
    }

    /// `PING`, for health checks.
    pub async fn ping(&self) -> Result<(), BusError> {
        let mut conn = self.publisher.clone();
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }

    /// Envelopes of one business, as they are published. Malformed payloads are
    /// skipped with a warning.
    pub async fn subscribe(
        &self,
        business_id: Uuid,
    ) -> Result<impl Stream<Item = Envelope> + use<>, BusError> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(Channel::business(business_id)).await?;
        Ok(pubsub.into_on_message().filter_map(|msg| async move {
            let payload: String = msg.get_payload().ok()?;
            match serde_json::from_str::<Envelope>(&payload) {
                Ok(env) => Some(env),
                Err(e) => {
                    tracing::warn!(error = %e, "malformed event skipped");
                    None
                }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_wire_shape() {
        let env = Envelope::new(
            Uuid::nil(),
            EventKind::LeadCreated,
            serde_json::json!({"lead_id": "x"}),
        );
        let v = serde_json::to_value(&env).unwrap_or_default();
        assert_eq!(v["kind"], "lead.created");
        assert_eq!(v["business_id"], Uuid::nil().to_string());
        assert!(v["at"].is_string() && v["id"].is_string());
        assert_eq!(
            Channel::business(Uuid::nil()),
            format!("events:{}", Uuid::nil())
        );
    }
}
