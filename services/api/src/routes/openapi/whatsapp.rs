//! OpenAPI entries of the whatsapp service's public routes (`/api/whatsapp/*`,
//! served by services/whatsapp behind nginx, same cookie / Bearer key as the
//! api). The api does not link the whatsapp service, so each route is a
//! documentation-only function naming the handler it stands for, and the
//! answer shapes the service builds itself are mirrored here. The test
//! services/whatsapp/tests/api/openapi.rs checks these paths against the
//! whatsapp route table both ways. `/internal/*` is never documented.

use chrono::{DateTime, Utc};
use prosaas_tenant::repo::whatsapp::{
    Conversation, ConversationId, SessionStatus, WhatsAppMessage,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Binary, ErrorBody};

/// `WhatsAppStatus`: the link of the business to WhatsApp.
#[derive(Serialize, ToSchema)]
pub struct WhatsAppStatus {
    #[serde(flatten)]
    pub status: SessionStatus,
    /// `GET /api/whatsapp/qr` would answer 200.
    pub qr_available: bool,
}

/// `WhatsAppQr`: the pending QR code.
#[derive(Serialize, ToSchema)]
pub struct WhatsAppQr {
    /// Raw QR payload.
    pub qr: String,
    /// `data:image/png;base64,...`, ready for `<img src>`.
    pub data_url: String,
    /// Increments each time WhatsApp rotates the code.
    pub rotation: i32,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/whatsapp/conversations` answer: a page plus the unread sum.
#[derive(Serialize, ToSchema)]
pub struct ConversationPage {
    pub items: Vec<Conversation>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    /// Unread messages over all conversations.
    pub total_unread: i64,
}

/// A page of a thread, newest first.
#[derive(Serialize, ToSchema)]
pub struct MessagePage {
    pub items: Vec<WhatsAppMessage>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// `PATCH /api/whatsapp/conversations/{id}` body.
#[derive(Deserialize, ToSchema)]
pub struct TakeOverBody {
    /// `true`: the AI stops answering this chat.
    pub human_took_over: bool,
}

/// `POST /api/whatsapp/conversations` body.
#[derive(Deserialize, ToSchema)]
pub struct OpenChatBody {
    /// The lead to write to (it needs a phone).
    pub lead_id: prosaas_tenant::LeadId,
}

/// `POST /api/whatsapp/conversations/{id}/messages` body.
#[derive(Deserialize, ToSchema)]
pub struct SendBody {
    /// 1 to 4096 characters.
    #[schema(min_length = 1, max_length = 4096)]
    pub text: String,
}

/// `?page=&per_page=&unread=` of the conversation list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConversationsQuery {
    #[param(minimum = 1)]
    pub page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
    /// `true`: only chats with unread messages.
    pub unread: Option<bool>,
}

/// `?page=&per_page=` of a thread.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    #[param(minimum = 1)]
    pub page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
}

/// Stands for whatsapp `routes::session::start` (owner, admin).
#[utoipa::path(post, path = "/api/whatsapp/session", tag = "whatsapp",
    responses((status = 202, body = WhatsAppStatus, description = "linking started (idempotent)"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 502, body = ErrorBody, description = "worker_unreachable")))]
pub fn whatsapp_session_start() {}

/// Stands for whatsapp `routes::session::logout` (owner, admin).
#[utoipa::path(delete, path = "/api/whatsapp/session", tag = "whatsapp",
    responses((status = 204, description = "logged out, auth state deleted"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 502, body = ErrorBody)))]
pub fn whatsapp_session_logout() {}

/// Stands for whatsapp `routes::session::status`.
#[utoipa::path(get, path = "/api/whatsapp/status", tag = "whatsapp",
    responses((status = 200, body = WhatsAppStatus), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_status() {}

/// Stands for whatsapp `routes::session::qr` (PNG with `Accept: image/png`).
#[utoipa::path(get, path = "/api/whatsapp/qr", tag = "whatsapp",
    responses((status = 200, body = WhatsAppQr), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "qr_not_found: no QR pending")))]
pub fn whatsapp_qr() {}

/// Stands for whatsapp `routes::session::qr_png`.
#[utoipa::path(get, path = "/api/whatsapp/qr.png", tag = "whatsapp",
    responses((status = 200, body = Binary, content_type = "image/png"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn whatsapp_qr_png() {}

/// Stands for whatsapp `routes::events::stream`.
#[utoipa::path(get, path = "/api/whatsapp/events", tag = "whatsapp",
    responses((status = 200, body = String, content_type = "text/event-stream",
            description = "events whatsapp.status (first), whatsapp.qr, whatsapp.message; `: keep-alive` every 15 s"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_events() {}

/// Stands for whatsapp `routes::conversations::list`.
#[utoipa::path(get, path = "/api/whatsapp/conversations", tag = "whatsapp", params(ConversationsQuery),
    responses((status = 200, body = ConversationPage), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_conversations_list() {}

/// Stands for whatsapp `routes::conversations::open`.
#[utoipa::path(post, path = "/api/whatsapp/conversations", tag = "whatsapp", request_body = OpenChatBody,
    responses((status = 201, body = Conversation, description = "opened now"),
        (status = 200, body = Conversation, description = "the lead's existing chat"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "lead_not_found"), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "lead_has_no_phone")))]
pub fn whatsapp_conversation_open() {}

/// Stands for whatsapp `routes::conversations::get`.
#[utoipa::path(get, path = "/api/whatsapp/conversations/{id}", tag = "whatsapp",
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_conversation_get() {}

/// Stands for whatsapp `routes::conversations::update`.
#[utoipa::path(patch, path = "/api/whatsapp/conversations/{id}", tag = "whatsapp",
    params(("id" = ConversationId, Path)), request_body = TakeOverBody,
    responses((status = 200, body = Conversation), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub fn whatsapp_conversation_update() {}

/// Stands for whatsapp `routes::conversations::read`.
#[utoipa::path(post, path = "/api/whatsapp/conversations/{id}/read", tag = "whatsapp",
    params(("id" = ConversationId, Path)),
    responses((status = 200, body = Conversation, description = "unread_count is 0"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_conversation_read() {}

/// Stands for whatsapp `routes::conversations::messages`.
#[utoipa::path(get, path = "/api/whatsapp/conversations/{id}/messages", tag = "whatsapp",
    params(("id" = ConversationId, Path), MessagesQuery),
    responses((status = 200, body = MessagePage, description = "newest first"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn whatsapp_messages_list() {}

/// Stands for whatsapp `routes::conversations::send`.
#[utoipa::path(post, path = "/api/whatsapp/conversations/{id}/messages", tag = "whatsapp",
    params(("id" = ConversationId, Path)), request_body = SendBody,
    responses((status = 201, body = WhatsAppMessage, description = "also sets human_took_over"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "whatsapp_not_connected"),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody, description = "invalid_text"),
        (status = 429, body = ErrorBody, description = "rate_limited / daily_limit, with Retry-After")))]
pub fn whatsapp_message_send() {}
