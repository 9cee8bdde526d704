//! Outbound messages (from the CRM or the AI): rate limits against WhatsApp
//! bans (a cooldown per chat, a daily cap per business, both in Redis), then
//! store as pending, send through the worker, record the outcome, publish.

use std::time::Duration;

use prosaas_tenant::repo::whatsapp::{Author, ConversationId, SessionState, WhatsAppMessage};
use prosaas_tenant::repo::{whatsapp_conversations, whatsapp_session};
use prosaas_tenant::{BusinessId, BusinessScope, Db, TenantError};
use redis::AsyncCommands;

use crate::live;
use crate::startup::WhatsAppState;
use crate::worker::WorkerError;
use prosaas_events::BusHandle;

/// Longest wait of an AI reply for a chat's cooldown.
const AI_MAX_COOLDOWN_WAIT: Duration = Duration::from_secs(30);

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The business's WhatsApp is not connected.
    #[error("whatsapp is not connected")]
    NotConnected,
    /// Too soon after the previous message to this chat.
    #[error("rate limited")]
    RateLimited(Duration),
    /// The business's daily cap is reached.
    #[error("daily limit reached")]
    DailyCap,
    /// Storage failed (or the conversation is not this business's).
    #[error(transparent)]
    Tenant(#[from] TenantError),
}

/// Per-chat cooldown and per-business daily cap.
pub struct SendLimits {
    bus: BusHandle,
    cooldown: Duration,
    daily_cap: u32,
    prefix: String,
}

impl SendLimits {
    /// Limits with the production key prefix.
    pub fn new(bus: BusHandle, cooldown: Duration, daily_cap: u32) -> Self {
        Self::with_prefix(bus, "wa", cooldown, daily_cap)
    }

    /// Limits under another key prefix (tests share one Redis).
    pub fn with_prefix(bus: BusHandle, prefix: &str, cooldown: Duration, daily_cap: u32) -> Self {
        Self {
            bus,
            cooldown,
            daily_cap,
            prefix: prefix.to_string(),
        }
    }

    /// Takes a send slot for the chat, or says how long to wait. Fails open
    /// (logged) when Redis is down: the database keeps working without it.
    pub async fn acquire(
        &self,
        business: BusinessId,
        conversation: ConversationId,
    ) -> Result<(), SendError> {
        let Some(bus) = self.bus.get().await else {
            tracing::warn!("outbound rate limit skipped: redis not connected");
            return Ok(());
        };
        let mut conn = bus.connection();
        let cooldown_key = format!("{}:cooldown:{business}:{conversation}", self.prefix);
        let cooldown_ms = u64::try_from(self.cooldown.as_millis()).unwrap_or(u64::MAX);
        if cooldown_ms > 0 {
            let opts = redis::SetOptions::default()
                .conditional_set(redis::ExistenceCheck::NX)
                .with_expiration(redis::SetExpiry::PX(cooldown_ms));
            let taken: Result<Option<String>, _> = conn.set_options(&cooldown_key, 1, opts).await;
            match taken {
                Ok(Some(_)) => {}
                Ok(None) => {
                    let left: i64 = conn.pttl(&cooldown_key).await.unwrap_or(0);
                    let left = u64::try_from(left.max(1)).unwrap_or(1);
                    return Err(SendError::RateLimited(Duration::from_millis(left)));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbound rate limit skipped");
                    return Ok(());
                }
            }
        }
        let day = chrono::Utc::now().format("%Y%m%d");
        let daily_key = format!("{}:daily:{business}:{day}", self.prefix);
        let count: Result<i64, _> = conn.incr(&daily_key, 1).await;
        match count {
            Ok(1) => {
                let _: Result<bool, _> = conn.expire(&daily_key, 90_000).await;
                Ok(())
            }
            Ok(n) if n > i64::from(self.daily_cap) => Err(SendError::DailyCap),
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "outbound daily cap skipped");
                Ok(())
            }
        }
    }
}

/// Sends `text` in a conversation of the scope's business. The message is
/// stored (pending) before the worker is called and updated after, outside any
/// transaction; an AI reply waits out a chat cooldown instead of failing.
pub async fn send_text(
    state: &WhatsAppState,
    db: &Db,
    scope: &BusinessScope,
    conversation: ConversationId,
    text: String,
    author: Author,
) -> Result<WhatsAppMessage, SendError> {
    let business = scope.business_id();
    // 404 for another tenant's conversation before anything else
    whatsapp_conversations::get(db, scope, conversation).await?;
    if whatsapp_session::status(db, scope).await?.state != SessionState::Connected {
        return Err(SendError::NotConnected);
    }
    match state.limits.acquire(business, conversation).await {
        Err(SendError::RateLimited(wait))
            if author == Author::Ai && wait <= AI_MAX_COOLDOWN_WAIT =>
        {
            tokio::time::sleep(wait).await;
            state.limits.acquire(business, conversation).await?;
        }
        other => other?,
    }
    let (conv, pending) =
        whatsapp_conversations::begin_outbound(db, scope, conversation, text.clone(), author)
            .await?;
    let wa_id = pending.wa_message_id.clone().unwrap_or_default();
    let outcome = state.worker.send(business, &conv.jid, &text, &wa_id).await;
    let recorded = match &outcome {
        Ok(id) => Ok(id.clone()),
        Err(e) => Err(e.to_string()),
    };
    let message = whatsapp_conversations::finish_outbound(db, scope, pending.id, recorded).await?;
    state
        .bus
        .publish(live::message_event(business, &message))
        .await;
    match outcome {
        Err(WorkerError::NotConnected) => Err(SendError::NotConnected),
        Err(e) => {
            tracing::warn!(business.id = %business, error = %e, "whatsapp message not sent");
            Ok(message)
        }
        Ok(_) => Ok(message),
    }
}
