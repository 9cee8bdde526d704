//! Events from the worker (`POST /internal/whatsapp/events`): QR codes,
//! connection states, messages and delivery receipts. Each is stored first,
//! then published; an inbound message may then get an AI reply in the background.

use std::sync::Arc;

use prosaas_common::E164Phone;
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::repo::whatsapp::{
    Author, ConversationId, InboundMessage, MAX_TEXT_CHARS, MessageStatus, SessionState,
};
use prosaas_tenant::repo::{whatsapp_conversations, whatsapp_inbound, whatsapp_session};
use prosaas_tenant::{BusinessScope, Db, TenantError};
use rand::Rng;
use serde::Deserialize;

use crate::live::{self, QrView};
use crate::outbound::{self, SendError};
use crate::startup::WhatsAppState;

/// `connection` event data.
#[derive(Debug, Deserialize)]
pub struct ConnectionData {
    /// New state.
    pub state: String,
    /// Linked number, E.164.
    pub phone: Option<String>,
    /// Machine word for why.
    pub reason: Option<String>,
}

/// `message` event data.
#[derive(Debug, Deserialize)]
pub struct MessageData {
    /// WhatsApp's id.
    pub wa_message_id: String,
    /// Chat id as received.
    pub jid: String,
    /// Alternate id (phone form of a @lid, or the reverse).
    pub alt_jid: Option<String>,
    /// Sent by the business's own phone.
    #[serde(default)]
    pub from_me: bool,
    /// WhatsApp display name.
    pub push_name: Option<String>,
    /// Text.
    pub text: String,
}

/// `message_status` event data.
#[derive(Debug, Deserialize)]
pub struct StatusData {
    /// WhatsApp's id.
    pub wa_message_id: String,
    /// sent | delivered | read | failed.
    pub status: String,
}

/// A worker event that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// Unknown type or malformed data.
    #[error("{0}")]
    Invalid(String),
    /// Storage failed.
    #[error(transparent)]
    Tenant(#[from] TenantError),
}

/// Stores and publishes a new QR code.
pub async fn on_qr(
    state: &WhatsAppState,
    db: &Db,
    scope: &BusinessScope,
    qr: &str,
) -> Result<(), EventError> {
    if qr.is_empty() || qr.len() > 2048 {
        return Err(EventError::Invalid("qr must be 1..2048 bytes".into()));
    }
    let status = whatsapp_session::record_qr(db, scope, qr).await?;
    let business = scope.business_id();
    if let Some(Ok(view)) = QrView::of(&status) {
        state.bus.publish(live::qr_event(business, &view)).await;
    }
    state
        .bus
        .publish(live::status_event(business, status))
        .await;
    Ok(())
}

/// Stores and publishes a connection state.
pub async fn on_connection(
    state: &WhatsAppState,
    db: &Db,
    scope: &BusinessScope,
    data: ConnectionData,
) -> Result<(), EventError> {
    let new_state = SessionState::parse(&data.state)
        .ok_or_else(|| EventError::Invalid(format!("unknown state {}", data.state)))?;
    let phone = match data.phone.as_deref() {
        Some(p) => Some(
            E164Phone::parse(p)
                .map_err(|_| EventError::Invalid("phone is not E.164".into()))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let reason = data.reason.map(|r| r.chars().take(64).collect());
    let status = whatsapp_session::record_state(db, scope, new_state, phone, reason).await?;
    tracing::info!(business.id = %scope.business_id(), whatsapp.state = new_state.as_str(), "whatsapp state");
    state
        .bus
        .publish(live::status_event(scope.business_id(), status))
        .await;
    Ok(())
}

/// Stores an inbound message once, publishes it, and starts the AI reply.
pub async fn on_message(
    state: &Arc<WhatsAppState>,
    db: &Db,
    scope: &BusinessScope,
    data: MessageData,
) -> Result<(), EventError> {
    let msg = parse_message(data)?;
    let from_me = msg.from_me;
    let stored = whatsapp_inbound::store(db, scope, msg).await?;
    if !stored.is_new {
        return Ok(());
    }
    let business = scope.business_id();
    state
        .bus
        .publish(live::message_event(business, &stored.message))
        .await;
    if let Some(lead) = stored.created_lead {
        state
            .bus
            .publish(Envelope::new(
                business.as_uuid(),
                EventKind::LeadCreated,
                serde_json::json!({"lead_id": lead, "source": "whatsapp"}),
            ))
            .await;
    }
    if let Some(notification) = stored.notification_id {
        state
            .bus
            .publish(Envelope::new(
                business.as_uuid(),
                EventKind::NotificationCreated,
                serde_json::json!({"notification_id": notification, "kind": whatsapp_inbound::NOTIFICATION_KIND}),
            ))
            .await;
    }
    if !from_me && state.ai.is_some() && !stored.conversation.human_took_over {
        let (state, db, scope) = (state.clone(), db.clone(), scope.clone());
        let conversation = stored.conversation.id;
        tokio::spawn(async move { auto_reply(&state, &db, &scope, conversation).await });
    }
    Ok(())
}

/// Records a delivery receipt and publishes the new status.
pub async fn on_status(
    state: &WhatsAppState,
    db: &Db,
    scope: &BusinessScope,
    data: StatusData,
) -> Result<(), EventError> {
    let status = match MessageStatus::parse(&data.status) {
        Some(
            s @ (MessageStatus::Sent
            | MessageStatus::Delivered
            | MessageStatus::Read
            | MessageStatus::Failed),
        ) => s,
        _ => {
            return Err(EventError::Invalid(format!(
                "unknown status {}",
                data.status
            )));
        }
    };
    if let Some(m) =
        whatsapp_conversations::record_status(db, scope, &data.wa_message_id, status).await?
    {
        state
            .bus
            .publish(live::message_event(scope.business_id(), &m))
            .await;
    }
    Ok(())
}

/// The AI answers unless the business switched auto-replies off or a human took
/// over the chat (checked again after the model answered).
pub async fn auto_reply(
    state: &WhatsAppState,
    db: &Db,
    scope: &BusinessScope,
    conversation: ConversationId,
) {
    let business = scope.business_id();
    let Some(ai) = state.ai.as_ref() else { return };
    let ctx = match whatsapp_conversations::ai_context(db, scope, conversation, state.ai_history)
        .await
    {
        Ok(ctx) => ctx,
        Err(e) => {
            tracing::warn!(business.id = %business, error = %e, "ai reply skipped: context unavailable");
            return;
        }
    };
    if !ctx.auto_reply || ctx.conversation.human_took_over {
        return;
    }
    if let Err(e) = state.worker.typing(business, &ctx.conversation.jid).await {
        tracing::debug!(business.id = %business, error = %e, "typing indicator not shown");
    }
    let delay = state.ai_reply_delay;
    if !delay.is_zero() {
        let jitter =
            rand::rng().random_range(0..=delay.as_millis().min(u128::from(u32::MAX)) as u64);
        tokio::time::sleep(delay + std::time::Duration::from_millis(jitter)).await;
    }
    let reply = match crate::ai::reply(ai, &ctx).await {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!(business.id = %business, error = %e, "ai reply failed");
            return;
        }
    };
    match whatsapp_conversations::get(db, scope, conversation).await {
        Ok(c) if !c.human_took_over => {}
        _ => return,
    }
    match outbound::send_text(state, db, scope, conversation, reply, Author::Ai).await {
        Ok(_) => tracing::info!(business.id = %business, "ai reply sent"),
        Err(SendError::NotConnected) => {
            tracing::warn!(business.id = %business, "ai reply not sent: not connected")
        }
        Err(e) => tracing::warn!(business.id = %business, error = %e, "ai reply not sent"),
    }
}

fn parse_message(data: MessageData) -> Result<InboundMessage, EventError> {
    if data.wa_message_id.is_empty() || data.wa_message_id.len() > 128 {
        return Err(EventError::Invalid(
            "wa_message_id must be 1..128 bytes".into(),
        ));
    }
    if !is_person(&data.jid) {
        return Err(EventError::Invalid("jid must be a person's chat".into()));
    }
    let alt = data.alt_jid.filter(|j| is_person(j));
    let ids = [Some(data.jid.as_str()), alt.as_deref()];
    let phone = ids.iter().flatten().find_map(|j| phone_of(j));
    let lid = ids
        .iter()
        .flatten()
        .find(|j| j.ends_with("@lid"))
        .map(|j| j.to_string());
    let text: String = data.text.chars().take(MAX_TEXT_CHARS).collect();
    if text.trim().is_empty() {
        return Err(EventError::Invalid("text is empty".into()));
    }
    Ok(InboundMessage {
        wa_message_id: data.wa_message_id,
        jid: data.jid,
        phone,
        lid,
        push_name: data.push_name.map(|n| n.chars().take(200).collect()),
        text,
        from_me: data.from_me,
    })
}

fn is_person(jid: &str) -> bool {
    (jid.ends_with("@s.whatsapp.net") || jid.ends_with("@lid")) && jid.len() <= 128
}

/// `<digits>:<device>@s.whatsapp.net` -> `+<digits>`.
fn phone_of(jid: &str) -> Option<E164Phone> {
    let user = jid.strip_suffix("@s.whatsapp.net")?;
    let digits = user.split(':').next()?;
    E164Phone::parse(&format!("+{digits}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_and_lid_from_jids() -> Result<(), EventError> {
        let m = parse_message(MessageData {
            wa_message_id: "A".into(),
            jid: "123456789012345@lid".into(),
            alt_jid: Some("15005550006:4@s.whatsapp.net".into()),
            from_me: false,
            push_name: None,
            text: "hi".into(),
        })?;
        assert_eq!(
            m.phone.map(|p| p.as_str().to_string()).as_deref(),
            Some("+15005550006")
        );
        assert_eq!(m.lid.as_deref(), Some("123456789012345@lid"));
        let group = parse_message(MessageData {
            wa_message_id: "B".into(),
            jid: "1203@g.us".into(),
            alt_jid: None,
            from_me: false,
            push_name: None,
            text: "x".into(),
        });
        assert!(group.is_err());
        Ok(())
    }
}
