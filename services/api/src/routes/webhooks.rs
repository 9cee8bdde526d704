//! Outgoing webhook subscriptions and their delivery log (owners and admins).

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::domain::Page;
use prosaas_tenant::repo::webhooks::{
    self, Delivery, EVENT_TYPES, MAX_PER_PAGE, NewSubscription, Subscription, SubscriptionChanges,
};
use prosaas_tenant::{Db, Manager, WebhookId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::openapi::ErrorBody;
use super::openapi::foundation::BusinessQuery;

/// A subscription just created, with its signing secret (shown once).
#[derive(Serialize, ToSchema)]
pub struct NewWebhookSubscription {
    #[serde(flatten)]
    subscription: Subscription,
    /// `whsec_...`: the HMAC-SHA256 key of `X-ProSaaS-Signature`.
    secret: String,
}

/// `POST /api/webhooks` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateWebhookRequest {
    /// Absolute http(s) URL.
    #[serde(default)]
    url: String,
    /// At least one of the event types (`lead.created`, `task.due`, ...).
    #[serde(default)]
    event_types: Vec<String>,
    #[serde(default)]
    description: String,
}

/// `PATCH /api/webhooks/{id}` body (all optional).
#[derive(Deserialize, ToSchema)]
pub struct UpdateWebhookRequest {
    url: Option<String>,
    event_types: Option<Vec<String>>,
    description: Option<String>,
    active: Option<bool>,
}

/// `GET /api/webhooks/{id}/deliveries` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// `pending`, `delivered` or `failed`.
    status: Option<String>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u32>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<prosaas_tenant::BusinessId>)]
    _business_id: Option<String>,
}

fn target_url(value: &str) -> Result<String, ApiError> {
    let bad = || ApiError::unprocessable("invalid_url", "url must be an absolute http(s) URL");
    let value = value.trim();
    if value.len() > 2000 {
        return Err(bad());
    }
    let parsed = url::Url::parse(value).map_err(|_| bad())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad());
    }
    Ok(parsed.to_string())
}

fn event_types(values: Vec<String>) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !EVENT_TYPES.contains(&v.as_str()) {
            return Err(ApiError::unprocessable(
                "invalid_event_types",
                format!("unknown event type; one of {}", EVENT_TYPES.join(", ")),
            ));
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_event_types",
            "pick at least one event type",
        ));
    }
    Ok(out)
}

fn description(value: String) -> Result<String, ApiError> {
    if value.chars().count() > 500 {
        return Err(ApiError::unprocessable(
            "too_long",
            "description must be at most 500 characters",
        ));
    }
    Ok(value)
}

#[utoipa::path(get, path = "/api/webhooks", tag = "webhooks", params(BusinessQuery),
    responses((status = 200, body = Vec<Subscription>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    Ok(HttpResponse::Ok().json(webhooks::list(&db, &scope).await?))
}

#[utoipa::path(post, path = "/api/webhooks", tag = "webhooks", params(BusinessQuery), request_body = CreateWebhookRequest,
    responses((status = 201, body = NewWebhookSubscription), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let body = body.into_inner();
    let new = NewSubscription {
        url: target_url(&body.url)?,
        event_types: event_types(body.event_types)?,
        description: description(body.description)?,
    };
    let created = webhooks::create(&db, &scope, new).await?;
    let json = NewWebhookSubscription {
        secret: created.expose_secret().to_string(),
        subscription: created.subscription,
    };
    Ok(HttpResponse::Created().json(json))
}

#[utoipa::path(get, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = WebhookId, Path), BusinessQuery),
    responses((status = 200, body = Subscription), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    Ok(HttpResponse::Ok().json(webhooks::get(&db, &scope, id.into_inner()).await?))
}

#[utoipa::path(patch, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = WebhookId, Path), BusinessQuery),
    request_body = UpdateWebhookRequest,
    responses((status = 200, body = Subscription), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<WebhookId>,
    body: web::Json<UpdateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let body = body.into_inner();
    let changes = SubscriptionChanges {
        url: body.url.as_deref().map(target_url).transpose()?,
        event_types: body.event_types.map(event_types).transpose()?,
        description: body.description.map(description).transpose()?,
        active: body.active,
    };
    Ok(HttpResponse::Ok().json(webhooks::update(&db, &scope, id.into_inner(), changes).await?))
}

#[utoipa::path(delete, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = WebhookId, Path), BusinessQuery),
    responses((status = 204, description = "deleted with its delivery log"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    webhooks::delete(&db, &scope, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = WebhookId, Path), DeliveriesQuery),
    responses((status = 200, body = Page<Delivery>, description = "newest first"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<WebhookId>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let q = query.into_inner();
    let per_page = q.per_page.unwrap_or(50);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("per_page must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    if let Some(s) = q.status.as_deref()
        && !matches!(s, "pending" | "delivered" | "failed")
    {
        return Err(ApiError::bad_request(
            "invalid_query",
            "status must be pending, delivered or failed",
        ));
    }
    let page = webhooks::deliveries(
        &db,
        &scope,
        id.into_inner(),
        q.status,
        q.page.unwrap_or(1),
        per_page,
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
