//! Leads of the caller's business.

use actix_web::{HttpResponse, web};
use prosaas_common::Email;
use prosaas_events::{Envelope, EventKind};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::domain::{
    Lead, LeadChanges, LeadFilter, LeadSort, LeadSource, LeadStatus, NewLead,
};
use prosaas_tenant::repo::leads::{self, MAX_PER_PAGE};
use prosaas_tenant::{Db, LeadId, UserId};
use serde::Deserialize;

use super::businesses::phone;
use super::double_option;
use crate::startup::ApiState;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    source: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
    assigned_user_id: Option<UserId>,
    #[serde(rename = "business_id")]
    _business_id: Option<String>,
}

#[derive(Deserialize)]
pub struct CreateLeadRequest {
    #[serde(default)]
    name: String,
    phone: Option<String>,
    email: Option<String>,
    source: Option<LeadSource>,
    status: Option<LeadStatus>,
    #[serde(default)]
    notes: String,
    assigned_user_id: Option<UserId>,
}

#[derive(Deserialize)]
pub struct UpdateLeadRequest {
    name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    email: Option<Option<String>>,
    source: Option<LeadSource>,
    status: Option<LeadStatus>,
    notes: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    assigned_user_id: Option<Option<UserId>>,
}

fn bad(msg: &str) -> ApiError {
    ApiError::bad_request("invalid_query", msg)
}

fn filter(q: ListQuery) -> Result<LeadFilter, ApiError> {
    let per_page = q.per_page.unwrap_or(50);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(bad(&format!(
            "per_page must be between 1 and {MAX_PER_PAGE}"
        )));
    }
    Ok(LeadFilter {
        status: q
            .status
            .as_deref()
            .map(|s| {
                LeadStatus::parse(s)
                    .ok_or_else(|| bad("status must be new, contacted, qualified, won or lost"))
            })
            .transpose()?,
        source: q
            .source
            .as_deref()
            .map(|s| {
                LeadSource::parse(s)
                    .ok_or_else(|| bad("source must be call, whatsapp, manual or api"))
            })
            .transpose()?,
        assigned_user_id: q.assigned_user_id,
        q: q.q.map(|t| t.chars().take(100).collect()),
        sort: q
            .sort
            .as_deref()
            .map(|s| {
                LeadSort::parse(s).ok_or_else(|| {
                    bad("sort must be created_at, updated_at or name, optionally prefixed with -")
                })
            })
            .transpose()?
            .unwrap_or_default(),
        page: q.page.unwrap_or(1).max(1),
        per_page,
    })
}

fn email(value: Option<String>) -> Result<Option<Email>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => Email::parse(v)
            .map(Some)
            .map_err(|e| ApiError::unprocessable("invalid_email", e.to_string())),
    }
}

fn text(field: &str, value: String, max: usize) -> Result<String, ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::unprocessable(
            "too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(value)
}

async fn publish(state: &ApiState, kind: EventKind, lead: &Lead) {
    let data =
        serde_json::json!({"lead_id": lead.id, "status": lead.status, "source": lead.source});
    state
        .bus
        .publish(Envelope::new(lead.business_id.as_uuid(), kind, data))
        .await;
}

pub async fn list(
    scope: TenantScope,
    db: web::Data<Db>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(leads::list(&db, &scope, filter(query.into_inner())?).await?))
}

pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<LeadId>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(leads::get(&db, &scope, id.into_inner()).await?))
}

pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    body: web::Json<CreateLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new = NewLead {
        name: text("name", body.name, 200)?,
        phone: phone("phone", body.phone)?,
        email: email(body.email)?,
        source: body.source.unwrap_or(LeadSource::Manual),
        status: body.status.unwrap_or(LeadStatus::New),
        notes: text("notes", body.notes, 10_000)?,
        assigned_user_id: body.assigned_user_id,
    };
    if new.name.trim().is_empty() && new.phone.is_none() && new.email.is_none() {
        return Err(ApiError::unprocessable(
            "invalid_lead",
            "a lead needs a name, a phone number or an e-mail",
        ));
    }
    let lead = leads::create(&db, &scope, new).await?;
    publish(&state, EventKind::LeadCreated, &lead).await;
    Ok(HttpResponse::Created().json(lead))
}

pub async fn update(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    id: web::Path<LeadId>,
    body: web::Json<UpdateLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let changes = LeadChanges {
        name: body.name.map(|n| text("name", n, 200)).transpose()?,
        phone: body.phone.map(|p| phone("phone", p)).transpose()?,
        email: body.email.map(email).transpose()?,
        source: body.source,
        status: body.status,
        notes: body.notes.map(|n| text("notes", n, 10_000)).transpose()?,
        assigned_user_id: body.assigned_user_id,
    };
    let lead = leads::update(&db, &scope, id.into_inner(), changes).await?;
    publish(&state, EventKind::LeadUpdated, &lead).await;
    Ok(HttpResponse::Ok().json(lead))
}

pub async fn delete(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    id: web::Path<LeadId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    leads::delete(&db, &scope, id).await?;
    let data = serde_json::json!({"lead_id": id});
    state
        .bus
        .publish(Envelope::new(
            scope.business_id().as_uuid(),
            EventKind::LeadDeleted,
            data,
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}
