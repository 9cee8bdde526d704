//! A handle on the event bus that survives Redis being down at start-up: it
//! keeps trying in the background, and publishing meanwhile is a logged no-op
//! (the database already holds every change).

use std::sync::Arc;
use std::time::Duration;

use crate::{Envelope, EventBus};
use secrecy::SecretString;
use tokio::sync::RwLock;

/// Shared, lazily connected bus.
#[derive(Clone, Default)]
pub struct BusHandle {
    inner: Arc<RwLock<Option<EventBus>>>,
}

impl BusHandle {
    /// Connects now if possible, else keeps retrying every few seconds.
    pub async fn connect(url: SecretString) -> Self {
        let handle = Self::default();
        if let Ok(bus) = EventBus::connect(&url).await {
            *handle.inner.write().await = Some(bus);
            return handle;
        }
        tracing::warn!("redis unreachable at start-up; retrying in the background");
        let retry = handle.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(3)).await;
                if let Ok(bus) = EventBus::connect(&url).await {
                    *retry.inner.write().await = Some(bus);
                    tracing::info!("redis connected");
                    break;
                }
            }
        });
        handle
    }

    /// The bus, when connected.
    pub async fn get(&self) -> Option<EventBus> {
        self.inner.read().await.clone()
    }

    /// Publishes if connected; failures are logged.
    pub async fn publish(&self, envelope: Envelope) {
        match self.get().await {
            Some(bus) => bus.publish_or_log(&envelope).await,
            None => {
                tracing::warn!(event.kind = ?envelope.kind, "event not published: redis not connected")
            }
        }
    }
}
