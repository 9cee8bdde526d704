//! Sign in, sign out, who am I.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_http::{ApiError, Authenticated, SESSION_COOKIE, client_ip};
use prosaas_tenant::repo::businesses;
use prosaas_tenant::{Db, Principal, TenantError, authorize, system};
use serde::{Deserialize, Serialize};

use crate::startup::ApiState;

#[derive(Deserialize)]
pub struct LoginRequest {
    email: String,
    password: String,
}

/// The signed-in user as `/auth/login` and `/auth/me` show it.
#[derive(Serialize)]
pub struct SessionUser {
    id: String,
    email: String,
    name: String,
    role: prosaas_tenant::Role,
    business_id: Option<String>,
    active: bool,
}

impl From<&Principal> for SessionUser {
    fn from(p: &Principal) -> Self {
        Self {
            id: p.user_id().to_string(),
            email: p.email().to_string(),
            name: p.name().to_string(),
            role: p.role(),
            business_id: p.business_id().map(|b| b.to_string()),
            active: true,
        }
    }
}

fn session_cookie(value: String, max_age_seconds: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(max_age_seconds))
        .finish()
}

pub async fn login(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    if email.trim().is_empty() || password.is_empty() {
        return Err(ApiError::unprocessable(
            "missing_credentials",
            "e-mail and password are required",
        ));
    }
    let ip = client_ip(&req);
    if let Some(wait) = state.limiter.blocked(&ip, &email).await {
        tracing::warn!(client.ip = %ip, retry_after_s = wait, "login rate limited");
        return Ok(HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
            .insert_header(("Retry-After", wait.to_string()))
            .json(serde_json::json!({"error": {"code": "rate_limited", "message": format!("too many attempts; try again in {wait} seconds")}})));
    }
    let client = system::ClientInfo {
        ip: Some(ip.clone()),
        user_agent: req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    match system::login(&db, &email, &password, client, state.session_ttl_seconds).await {
        Ok((token, principal)) => {
            state.limiter.clear_email(&email).await;
            tracing::info!(user.id = %principal.user_id(), "signed in");
            Ok(HttpResponse::Ok()
                .cookie(session_cookie(
                    token.expose().to_string(),
                    i64::from(state.session_ttl_seconds),
                    state.cookie_secure,
                ))
                .json(serde_json::json!({"user": SessionUser::from(&principal)})))
        }
        Err(TenantError::InvalidCredentials) => {
            state.limiter.record_failure(&ip, &email).await;
            Err(TenantError::InvalidCredentials.into())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
) -> Result<HttpResponse, ApiError> {
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        system::logout(&db, c.value()).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(String::new(), 0, state.cookie_secure))
        .finish())
}

pub async fn me(user: Authenticated, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let business = match user.business_id() {
        Some(_) => {
            let scope = authorize(&db, &user, None, "GET /api/auth/me").await?;
            Some(businesses::get_own(&db, &scope).await?)
        }
        None => None,
    };
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({"user": SessionUser::from(&user.0), "business": business})))
}
