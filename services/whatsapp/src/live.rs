//! The shapes the browser sees live (SSE) and on Redis: `whatsapp.status`,
//! `whatsapp.qr` and `whatsapp.message` envelopes. Message text and phone numbers
//! never travel in events: the page refetches the thread.

use chrono::{DateTime, Utc};
use prosaas_events::{Envelope, EventKind};
use prosaas_tenant::BusinessId;
use prosaas_tenant::repo::whatsapp::{SessionStatus, WhatsAppMessage};
use serde::Serialize;

use crate::qr;

/// API `WhatsAppStatus`.
#[derive(Debug, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    status: SessionStatus,
    qr_available: bool,
}

impl From<SessionStatus> for StatusView {
    fn from(status: SessionStatus) -> Self {
        Self {
            qr_available: status.qr_available(),
            status,
        }
    }
}

/// API `WhatsAppQr`.
#[derive(Debug, Serialize)]
pub struct QrView {
    /// Raw QR payload.
    pub qr: String,
    /// PNG as a data URL.
    pub data_url: String,
    /// Rotation count.
    pub rotation: i32,
    /// When the code arrived.
    pub updated_at: DateTime<Utc>,
}

impl QrView {
    /// The pending QR of a status, rendered; `None` when there is none.
    pub fn of(status: &SessionStatus) -> Option<Result<Self, qr::QrError>> {
        if !status.qr_available() {
            return None;
        }
        let payload = status.qr.clone()?;
        Some(qr::png(&payload).map(|png| Self {
            data_url: qr::data_url(&png),
            qr: payload,
            rotation: status.qr_rotation,
            updated_at: status.qr_updated_at.unwrap_or_else(Utc::now),
        }))
    }
}

/// `whatsapp.status` with the current status.
pub fn status_event(business: BusinessId, status: SessionStatus) -> Envelope {
    let data = serde_json::to_value(StatusView::from(status)).unwrap_or_default();
    Envelope::new(business.as_uuid(), EventKind::WhatsAppStatus, data)
}

/// `whatsapp.qr` with the rendered code.
pub fn qr_event(business: BusinessId, qr: &QrView) -> Envelope {
    let data = serde_json::to_value(qr).unwrap_or_default();
    Envelope::new(business.as_uuid(), EventKind::WhatsAppQr, data)
}

/// `whatsapp.message`: ids and states only.
pub fn message_event(business: BusinessId, m: &WhatsAppMessage) -> Envelope {
    Envelope::new(
        business.as_uuid(),
        EventKind::WhatsAppMessage,
        serde_json::json!({
            "conversation_id": m.conversation_id,
            "message_id": m.id,
            "direction": m.direction,
            "status": m.status,
        }),
    )
}
