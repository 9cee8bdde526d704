//! Businesses: system admins manage all; owners and admins edit their own.

use actix_web::{HttpResponse, web};
use prosaas_common::E164Phone;
use prosaas_http::{ApiError, Authenticated, TenantScope};
use prosaas_tenant::domain::{BusinessChanges, NewBusiness};
use prosaas_tenant::repo::{audit, businesses};
use prosaas_tenant::{BusinessId, Db, Manager, system};
use serde::Deserialize;

use super::double_option;

#[derive(Deserialize)]
pub struct CreateBusinessRequest {
    name: String,
    slug: Option<String>,
    twilio_phone_number: Option<String>,
    whatsapp_phone: Option<String>,
    timezone: Option<String>,
    locale: Option<String>,
}

#[derive(Deserialize)]
pub struct UpdateBusinessRequest {
    name: Option<String>,
    slug: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    twilio_phone_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    whatsapp_phone: Option<Option<String>>,
    timezone: Option<String>,
    locale: Option<String>,
    ai_prompt: Option<String>,
    ai_greeting: Option<String>,
    ai_voice: Option<String>,
    ai_language: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    fallback_phone: Option<Option<String>>,
    record_calls: Option<bool>,
    whatsapp_auto_reply: Option<bool>,
    vat_rate_bp: Option<i32>,
}

/// Parses an optional phone field; blank means none.
pub(crate) fn phone(field: &str, value: Option<String>) -> Result<Option<E164Phone>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => E164Phone::parse(v)
            .map(Some)
            .map_err(|e| ApiError::unprocessable("invalid_phone", format!("{field}: {e}"))),
    }
}

fn limit(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::unprocessable(
            "too_long",
            format!("{field} must be at most {max} characters"),
        )),
        other => Ok(other),
    }
}

fn changes(body: UpdateBusinessRequest) -> Result<BusinessChanges, ApiError> {
    Ok(BusinessChanges {
        name: limit("name", body.name, 200)?,
        slug: body.slug,
        twilio_phone_number: body
            .twilio_phone_number
            .map(|p| phone("twilio_phone_number", p))
            .transpose()?,
        whatsapp_phone: body
            .whatsapp_phone
            .map(|p| phone("whatsapp_phone", p))
            .transpose()?,
        timezone: body.timezone,
        locale: body.locale,
        ai_prompt: limit("ai_prompt", body.ai_prompt, 20_000)?,
        ai_greeting: limit("ai_greeting", body.ai_greeting, 2_000)?,
        ai_voice: limit("ai_voice", body.ai_voice, 50)?,
        ai_language: limit("ai_language", body.ai_language, 20)?,
        fallback_phone: body
            .fallback_phone
            .map(|p| phone("fallback_phone", p))
            .transpose()?,
        record_calls: body.record_calls,
        whatsapp_auto_reply: body.whatsapp_auto_reply,
        vat_rate_bp: body.vat_rate_bp,
    })
}

pub async fn list(user: Authenticated, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let cross = system::admin_cross_tenant(&db, &user, "GET /api/businesses").await?;
    Ok(HttpResponse::Ok().json(businesses::list_all(&db, &cross).await?))
}

pub async fn get(
    user: Authenticated,
    db: web::Data<Db>,
    id: web::Path<BusinessId>,
) -> Result<HttpResponse, ApiError> {
    let cross = system::admin_cross_tenant(&db, &user, "GET /api/businesses/:id").await?;
    Ok(HttpResponse::Ok().json(businesses::get_any(&db, &cross, id.into_inner()).await?))
}

pub async fn create(
    user: Authenticated,
    db: web::Data<Db>,
    body: web::Json<CreateBusinessRequest>,
) -> Result<HttpResponse, ApiError> {
    let cross = system::admin_cross_tenant(&db, &user, "POST /api/businesses").await?;
    let body = body.into_inner();
    let new = NewBusiness {
        name: limit("name", Some(body.name), 200)?.unwrap_or_default(),
        slug: body.slug,
        twilio_phone_number: phone("twilio_phone_number", body.twilio_phone_number)?,
        whatsapp_phone: phone("whatsapp_phone", body.whatsapp_phone)?,
        timezone: body.timezone,
        locale: body.locale,
    };
    Ok(HttpResponse::Created().json(businesses::create(&db, &cross, new).await?))
}

pub async fn update(
    user: Authenticated,
    db: web::Data<Db>,
    id: web::Path<BusinessId>,
    body: web::Json<UpdateBusinessRequest>,
) -> Result<HttpResponse, ApiError> {
    let cross = system::admin_cross_tenant(&db, &user, "PATCH /api/businesses/:id").await?;
    Ok(HttpResponse::Ok().json(
        businesses::update_any(&db, &cross, id.into_inner(), changes(body.into_inner())?).await?,
    ))
}

pub async fn get_own(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(businesses::get_own(&db, &scope).await?))
}

pub async fn update_own(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<UpdateBusinessRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    Ok(HttpResponse::Ok()
        .json(businesses::update_own(&db, &scope, changes(body.into_inner())?).await?))
}

/// `GET /api/audit`: the business's recent audit entries (owners and admins).
pub async fn audit(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    scope.require::<Manager>()?;
    Ok(HttpResponse::Ok().json(audit::recent(&db, &scope, 100).await?))
}
