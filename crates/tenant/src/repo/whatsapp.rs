//! WhatsApp data of one business, as the whatsapp service sees it. The tables
//! are reached through [`super::whatsapp_session`] (link state, QR, encrypted
//! auth state), [`super::whatsapp_conversations`] (chats, threads, outbound) and
//! [`super::whatsapp_inbound`] (a contact's message: stored once, lead,
//! notification). Everything takes a [`crate::BusinessScope`].

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{BusinessId, LeadId, TenantError, UserId};

macro_rules! wa_id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a raw uuid (from a URL path or a row).
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            /// The raw uuid.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

wa_id_type!(
    /// Identifies a WhatsApp conversation.
    ConversationId
);
wa_id_type!(
    /// Identifies a stored WhatsApp message (ours, not WhatsApp's id).
    WhatsAppMessageId
);

macro_rules! wa_text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // the per-variant renames below decide the wire spelling; utoipa does not
        // see them through the macro, so every spelling is also the variant in
        // snake_case (the OpenAPI document depends on it)
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                #[doc = $text]
                #[serde(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// The database and wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)+ }
            }
            /// Parses the wire spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

wa_text_enum!(
    /// Where the link of a business to WhatsApp stands.
    SessionState {
        Disconnected => "disconnected",
        WaitingForQr => "waiting_for_qr",
        Connecting => "connecting",
        Connected => "connected",
        LoggedOut => "logged_out",
    }
);
wa_text_enum!(
    /// Which way a message went.
    Direction { Inbound => "inbound", Outbound => "outbound" }
);
wa_text_enum!(
    /// Who wrote a message.
    Author { Contact => "contact", Ai => "ai", User => "user" }
);
wa_text_enum!(
    /// Delivery state of a message.
    MessageStatus {
        Received => "received",
        Pending => "pending",
        Sent => "sent",
        Delivered => "delivered",
        Read => "read",
        Failed => "failed",
    }
);

impl MessageStatus {
    /// Order of delivery progress: a late "sent" never overwrites "read".
    pub fn rank(self) -> u8 {
        match self {
            Self::Received | Self::Pending => 0,
            Self::Sent => 1,
            Self::Delivered => 2,
            Self::Read => 3,
            Self::Failed => 4,
        }
    }
}

/// The WhatsApp link of a business (API `WhatsAppStatus` plus the pending QR).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionStatus {
    /// Where the link stands.
    pub state: SessionState,
    /// Linked number (E.164) when connected.
    pub phone: Option<String>,
    /// The pending QR payload, if any (not serialized: served by GET /qr only).
    #[serde(skip)]
    pub qr: Option<String>,
    /// QR codes shown since linking started.
    #[serde(rename = "qr_rotations")]
    pub qr_rotation: i32,
    /// When the pending QR arrived.
    #[serde(skip)]
    pub qr_updated_at: Option<DateTime<Utc>>,
    /// Last failure, as a machine word.
    pub last_error: Option<String>,
    /// Last message from a contact.
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The business's AI auto-reply switch.
    pub auto_reply: bool,
    /// Last change.
    pub updated_at: Option<DateTime<Utc>>,
}

/// How long a stored QR is shown. WhatsApp rotates codes every ~20-60 s; an
/// older one is stale (e.g. the worker died while linking).
pub const QR_MAX_AGE_SECONDS: i64 = 120;

impl SessionStatus {
    /// True when GET /api/whatsapp/qr has a fresh code to show.
    pub fn qr_available(&self) -> bool {
        let fresh = self
            .qr_updated_at
            .is_some_and(|at| Utc::now() - at < chrono::Duration::seconds(QR_MAX_AGE_SECONDS));
        self.qr.is_some() && fresh && self.state == SessionState::WaitingForQr
    }
}

/// A chat of the business with one contact.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: ConversationId,
    pub business_id: BusinessId,
    /// The chat address replies go to (not shown in the UI).
    #[serde(skip)]
    pub jid: String,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub lead_id: Option<LeadId>,
    pub human_took_over: bool,
    pub unread_count: i32,
    pub last_message_at: Option<DateTime<Utc>>,
    pub last_message_preview: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One stored message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatsAppMessage {
    pub id: WhatsAppMessageId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub author: Author,
    pub sent_by_user_id: Option<UserId>,
    pub text: String,
    pub status: MessageStatus,
    pub wa_message_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A message the worker reported, already parsed by the service.
#[derive(Debug, Clone)]
pub struct InboundMessage {
    /// WhatsApp's message id.
    pub wa_message_id: String,
    /// The chat as WhatsApp addresses it.
    pub jid: String,
    /// The contact's phone, when known from the jid or its alternate.
    pub phone: Option<prosaas_common::E164Phone>,
    /// The contact's privacy id (`…@lid`), when known.
    pub lid: Option<String>,
    /// WhatsApp push name.
    pub push_name: Option<String>,
    /// Text (or a media placeholder).
    pub text: String,
    /// Sent by the business's own phone (another linked device).
    pub from_me: bool,
}

/// What storing an inbound message did.
#[derive(Debug, Clone)]
pub struct StoredInbound {
    /// The conversation after the message.
    pub conversation: Conversation,
    /// The message.
    pub message: WhatsAppMessage,
    /// False when WhatsApp redelivered a message we already had (nothing else happened).
    pub is_new: bool,
    /// The lead, when one was created by this message.
    pub created_lead: Option<LeadId>,
    /// The notification written for it.
    pub notification_id: Option<Uuid>,
}

/// Filter of the conversation list.
#[derive(Debug, Clone, Copy)]
pub struct ConversationFilter {
    pub page: u32,
    pub per_page: u32,
    pub unread_only: bool,
}

/// What the AI needs to answer in a conversation.
#[derive(Debug, Clone)]
pub struct AiContext {
    /// Business name.
    pub business_name: String,
    /// The business's instructions.
    pub prompt: String,
    /// The business's greeting.
    pub greeting: String,
    /// Language to answer in (e.g. `he`).
    pub language: String,
    /// The business's kill switch for AI replies.
    pub auto_reply: bool,
    /// The conversation (its `human_took_over` switch).
    pub conversation: Conversation,
    /// Recent messages, oldest first.
    pub history: Vec<WhatsAppMessage>,
}

/// Limits of message text.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Length of `last_message_preview`.
pub const PREVIEW_CHARS: usize = 120;

/// Text a user may send: 1..=4096 characters after trimming.
pub fn parse_text(text: &str) -> Result<String, TenantError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > MAX_TEXT_CHARS {
        return Err(TenantError::invalid(
            "invalid_text",
            "text must be 1 to 4096 characters",
        ));
    }
    Ok(t.to_string())
}

pub(crate) fn preview(text: &str) -> String {
    text.chars().take(PREVIEW_CHARS).collect()
}
