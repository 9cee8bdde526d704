//! Extractors: [`Authenticated`] (a verified session) and [`TenantScope`] (the
//! business a request acts in). A handler that takes neither cannot reach
//! tenant data.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use prosaas_tenant::{BusinessId, BusinessScope, Db, Principal, TenantError, authorize, system};

use crate::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "prosaas_session";

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl Deref for Authenticated {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.0
    }
}

fn db_of(req: &HttpRequest) -> Result<Db, ApiError> {
    req.app_data::<web::Data<Db>>()
        .map(|d| d.get_ref().clone())
        .ok_or_else(|| ApiError::internal("Db missing from app data"))
}

async fn authenticate(req: HttpRequest) -> Result<Principal, ApiError> {
    if let Some(p) = req.extensions().get::<Principal>() {
        return Ok(p.clone());
    }
    if bearer_key(&req).is_some() {
        // API keys act as a business, never as a person (docs/api.md)
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "api_key_not_allowed",
            "API keys cannot use user, business or session endpoints",
        ));
    }
    let db = db_of(&req)?;
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or(TenantError::Unauthenticated)?;
    let principal = system::authenticate_session(&db, &token).await?;
    req.extensions_mut().insert(principal.clone());
    Ok(principal)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(Authenticated) })
    }
}

/// The business scope of this request: the user's own business, or for a
/// system admin the one named by `?business_id=` (audited).
#[derive(Debug, Clone)]
pub struct TenantScope(pub BusinessScope);

impl Deref for TenantScope {
    type Target = BusinessScope;
    fn deref(&self) -> &BusinessScope {
        &self.0
    }
}

fn requested_business(req: &HttpRequest) -> Result<Option<BusinessId>, ApiError> {
    let query = req.query_string();
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("business_id=") {
            return value
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request("invalid_query", "business_id must be a uuid"));
        }
    }
    Ok(None)
}

impl FromRequest for TenantScope {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(key) = bearer_key(&req) {
                return api_key_scope(&req, &key).await.map(TenantScope);
            }
            let principal = authenticate(req.clone()).await?;
            let db = db_of(&req)?;
            let requested = requested_business(&req)?;
            let purpose = format!("{} {}", req.method(), req.path());
            Ok(TenantScope(
                authorize(&db, &principal, requested, &purpose).await?,
            ))
        })
    }
}

/// The token of `Authorization: Bearer <token>`, if the request carries one.
fn bearer_key(req: &HttpRequest) -> Option<String> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The scope of an API key: its own business only (`?business_id=` of another
/// one answers 404, as for business users).
async fn api_key_scope(req: &HttpRequest, key: &str) -> Result<BusinessScope, ApiError> {
    let db = db_of(req)?;
    let scope = system::authenticate_api_key(&db, key)
        .await
        .map_err(|e| match e {
            TenantError::Unauthenticated => ApiError::new(
                actix_web::http::StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "the API key is unknown or revoked",
            ),
            other => other.into(),
        })?;
    match requested_business(req)? {
        Some(asked) if asked != scope.business_id() => {
            Err(TenantError::NotFound("business").into())
        }
        _ => Ok(scope),
    }
}

/// The client address: `X-Real-IP` as set by our nginx (which overwrites any
/// client-sent value), else the TCP peer. `X-Forwarded-For` is not trusted: a
/// client can prepend to it.
pub fn client_ip(req: &HttpRequest) -> String {
    req.headers()
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_string)
        .or_else(|| req.peer_addr().map(|a| a.ip().to_string()))
        .unwrap_or_else(|| "unknown".into())
}
