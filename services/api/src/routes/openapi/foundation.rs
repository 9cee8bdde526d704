//! OpenAPI entries of the foundation routes (health, auth, businesses, users,
//! leads, audit). Their handlers predate the document and live in files other
//! branches edit, so they are described here by documentation-only functions:
//! each `#[utoipa::path]` below names the handler it stands for. The route-match
//! test (tests/api/openapi.rs) fails if a path or method here drifts from the
//! route table. New routes should instead annotate their handler directly, as
//! routes/offers.rs does.

use prosaas_tenant::domain::{Business, Lead, Page, User};
use prosaas_tenant::repo::audit::AuditEvent;
use prosaas_tenant::{BusinessId, LeadId, Role, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ErrorBody;

/// `GET /health` of a service.
#[derive(Serialize, ToSchema)]
pub struct ServiceHealth {
    pub status: String,
    pub service: String,
}

/// `GET /api/health`.
#[derive(Serialize, ToSchema)]
pub struct ApiHealth {
    /// `ok` or `degraded`.
    pub status: String,
    /// `ok` or `down`.
    pub db: String,
    /// `ok` or `down`.
    pub redis: String,
}

/// `POST /api/auth/login` body.
#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

/// The signed-in user as login and `me` show it.
#[derive(Serialize, ToSchema)]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub business_id: Option<String>,
    pub active: bool,
}

/// `POST /api/auth/login` answer.
#[derive(Serialize, ToSchema)]
pub struct LoginAnswer {
    pub user: SessionUser,
}

/// `GET /api/auth/me` answer.
#[derive(Serialize, ToSchema)]
pub struct MeAnswer {
    pub user: SessionUser,
    pub business: Option<Business>,
}

/// `POST /api/businesses` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateBusinessBody {
    pub name: String,
    pub slug: Option<String>,
    pub twilio_phone_number: Option<String>,
    pub whatsapp_phone: Option<String>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
}

/// `PATCH /api/businesses/{id}` and `/api/business` body (all optional).
#[derive(Deserialize, ToSchema)]
pub struct UpdateBusinessBody {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub twilio_phone_number: Option<String>,
    pub whatsapp_phone: Option<String>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
    pub ai_prompt: Option<String>,
    pub ai_greeting: Option<String>,
    pub ai_voice: Option<String>,
    pub ai_language: Option<String>,
    pub fallback_phone: Option<String>,
    pub record_calls: Option<bool>,
    pub whatsapp_auto_reply: Option<bool>,
    pub vat_rate_bp: Option<i32>,
}

/// `POST /api/users` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateUserBody {
    pub email: String,
    /// At least 8 characters.
    pub password: String,
    pub name: Option<String>,
    pub role: Role,
    pub business_id: Option<BusinessId>,
}

/// `PATCH /api/users/{id}` body.
#[derive(Deserialize, ToSchema)]
pub struct UpdateUserBody {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

/// `POST /api/leads` body (`PATCH` takes the same fields, all optional).
#[derive(Deserialize, ToSchema)]
pub struct LeadBody {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: Option<prosaas_tenant::domain::LeadSource>,
    pub status: Option<prosaas_tenant::domain::LeadStatus>,
    pub notes: Option<String>,
    pub assigned_user_id: Option<UserId>,
}

/// `GET /api/leads` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadsQuery {
    pub status: Option<prosaas_tenant::domain::LeadStatus>,
    pub source: Option<prosaas_tenant::domain::LeadSource>,
    /// Searches name, phone, e-mail.
    pub q: Option<String>,
    /// `created_at`, `updated_at` or `name`, optionally prefixed with `-`.
    pub sort: Option<String>,
    #[param(minimum = 1)]
    pub page: Option<u32>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
    pub assigned_user_id: Option<UserId>,
    /// System admins only: the business to act in.
    pub business_id: Option<BusinessId>,
}

/// `?business_id=` of tenant endpoints (system admins only).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BusinessQuery {
    /// System admins only: the business to act in.
    pub business_id: Option<BusinessId>,
}

/// Stands for `prosaas_http::health("api")`.
#[utoipa::path(get, path = "/health", tag = "health", security(()),
    responses((status = 200, body = ServiceHealth)))]
pub fn service_health() {}

/// Stands for `routes::health::api_health`.
#[utoipa::path(get, path = "/api/health", tag = "health", security(()),
    responses((status = 200, body = ApiHealth), (status = 503, body = ApiHealth)))]
pub fn api_health() {}

/// Stands for `routes::auth::login`.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", security(()), request_body = LoginBody,
    responses((status = 200, body = LoginAnswer, description = "sets the prosaas_session cookie"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub fn login() {}

/// Stands for `routes::auth::logout`.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(()),
    responses((status = 204, description = "session ended, cookie cleared")))]
pub fn logout() {}

/// Stands for `routes::auth::me`.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = MeAnswer), (status = 401, body = ErrorBody)))]
pub fn me() {}

/// Stands for `routes::businesses::list` (system admins).
#[utoipa::path(get, path = "/api/businesses", tag = "businesses",
    responses((status = 200, body = Vec<Business>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub fn businesses_list() {}

/// Stands for `routes::businesses::create` (system admins).
#[utoipa::path(post, path = "/api/businesses", tag = "businesses", request_body = CreateBusinessBody,
    responses((status = 201, body = Business), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub fn businesses_create() {}

/// Stands for `routes::businesses::get` (system admins).
#[utoipa::path(get, path = "/api/businesses/{id}", tag = "businesses", params(("id" = BusinessId, Path)),
    responses((status = 200, body = Business), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn businesses_get() {}

/// Stands for `routes::businesses::update` (system admins).
#[utoipa::path(patch, path = "/api/businesses/{id}", tag = "businesses", params(("id" = BusinessId, Path)),
    request_body = UpdateBusinessBody,
    responses((status = 200, body = Business), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub fn businesses_update() {}

/// Stands for `routes::businesses::get_own`.
#[utoipa::path(get, path = "/api/business", tag = "businesses", params(BusinessQuery),
    responses((status = 200, body = Business), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn business_get_own() {}

/// Stands for `routes::businesses::update_own` (owner, admin).
#[utoipa::path(patch, path = "/api/business", tag = "businesses", params(BusinessQuery),
    request_body = UpdateBusinessBody,
    responses((status = 200, body = Business), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub fn business_update_own() {}

/// Stands for `routes::businesses::audit`.
#[utoipa::path(get, path = "/api/audit", tag = "businesses", params(BusinessQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn audit() {}

/// Stands for `routes::users::list`.
#[utoipa::path(get, path = "/api/users", tag = "users", params(BusinessQuery),
    responses((status = 200, body = Vec<User>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn users_list() {}

/// Stands for `routes::users::create`.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = CreateUserBody,
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub fn users_create() {}

/// Stands for `routes::users::get`.
#[utoipa::path(get, path = "/api/users/{id}", tag = "users", params(("id" = UserId, Path)),
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub fn users_get() {}

/// Stands for `routes::users::update`.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "users", params(("id" = UserId, Path)),
    request_body = UpdateUserBody,
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub fn users_update() {}

/// Stands for `routes::users::delete`.
#[utoipa::path(delete, path = "/api/users/{id}", tag = "users", params(("id" = UserId, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn users_delete() {}

/// Stands for `routes::leads::list`.
#[utoipa::path(get, path = "/api/leads", tag = "leads", params(LeadsQuery),
    responses((status = 200, body = Page<Lead>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn leads_list() {}

/// Stands for `routes::leads::create`.
#[utoipa::path(post, path = "/api/leads", tag = "leads", params(BusinessQuery), request_body = LeadBody,
    responses((status = 201, body = Lead), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub fn leads_create() {}

/// Stands for `routes::leads::get`.
#[utoipa::path(get, path = "/api/leads/{id}", tag = "leads", params(("id" = LeadId, Path), BusinessQuery),
    responses((status = 200, body = Lead), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn leads_get() {}

/// Stands for `routes::leads::update`.
#[utoipa::path(patch, path = "/api/leads/{id}", tag = "leads", params(("id" = LeadId, Path), BusinessQuery),
    request_body = LeadBody,
    responses((status = 200, body = Lead), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub fn leads_update() {}

/// Stands for `routes::leads::delete`.
#[utoipa::path(delete, path = "/api/leads/{id}", tag = "leads", params(("id" = LeadId, Path), BusinessQuery),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub fn leads_delete() {}
