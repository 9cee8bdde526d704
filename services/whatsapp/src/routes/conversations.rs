//! Conversations and messages for the CRM.

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::Db;
use prosaas_tenant::LeadId;
use prosaas_tenant::repo::whatsapp::{
    Author, Conversation, ConversationFilter, ConversationId, parse_text,
};
use prosaas_tenant::repo::{whatsapp_conversations, whatsapp_open};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::outbound;
use crate::startup::WhatsAppState;

/// `?page=&per_page=&unread=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<u32>,
    per_page: Option<u32>,
    unread: Option<bool>,
}

#[derive(Serialize)]
struct ConversationPage {
    items: Vec<Conversation>,
    page: u32,
    per_page: u32,
    total: i64,
    total_unread: i64,
}

/// `GET /api/whatsapp/conversations`.
pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (page, total_unread) = whatsapp_conversations::list(
        &db,
        &scope,
        ConversationFilter {
            page: q.page.unwrap_or(1),
            per_page: q.per_page.unwrap_or(30),
            unread_only: q.unread.unwrap_or(false),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ConversationPage {
        items: page.items,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        total_unread,
    }))
}

/// POST body of `/api/whatsapp/conversations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    lead_id: Uuid,
}

/// `POST /api/whatsapp/conversations`: the lead's chat, opened when it has none
/// yet (201) or the existing one (200), so the CRM or n8n can write first.
pub async fn open(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<OpenBody>,
) -> Result<HttpResponse, ApiError> {
    let (c, created) =
        whatsapp_open::open_for_lead(&db, &scope, LeadId::from_uuid(body.lead_id)).await?;
    Ok(if created {
        HttpResponse::Created().json(c)
    } else {
        HttpResponse::Ok().json(c)
    })
}

/// `GET /api/whatsapp/conversations/{id}`.
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = whatsapp_conversations::get(&db, &scope, ConversationId::from_uuid(*id)).await?;
    Ok(HttpResponse::Ok().json(c))
}

/// PATCH body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    human_took_over: bool,
}

/// `PATCH /api/whatsapp/conversations/{id}`: the "a human took over" switch.
pub async fn update(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<Uuid>,
    body: web::Json<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let c = whatsapp_conversations::set_human_took_over(
        &db,
        &scope,
        ConversationId::from_uuid(*id),
        body.human_took_over,
    )
    .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// `POST /api/whatsapp/conversations/{id}/read`.
pub async fn read(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = whatsapp_conversations::mark_read(&db, &scope, ConversationId::from_uuid(*id)).await?;
    Ok(HttpResponse::Ok().json(c))
}

/// `?page=&per_page=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

/// `GET /api/whatsapp/conversations/{id}/messages`: newest first.
pub async fn messages(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<Uuid>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = whatsapp_conversations::messages(
        &db,
        &scope,
        ConversationId::from_uuid(*id),
        q.page.unwrap_or(1),
        q.per_page.unwrap_or(50),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// POST body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    text: String,
}

/// `POST /api/whatsapp/conversations/{id}/messages`: a user writes.
pub async fn send(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    id: web::Path<Uuid>,
    body: web::Json<SendBody>,
) -> Result<HttpResponse, ApiError> {
    let text = parse_text(&body.text)?;
    match outbound::send_text(
        &state,
        &db,
        &scope,
        ConversationId::from_uuid(*id),
        text,
        Author::User,
    )
    .await
    {
        Ok(m) => Ok(HttpResponse::Created().json(m)),
        Err(e) => super::send_error(e),
    }
}
