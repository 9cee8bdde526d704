//! API keys of the caller's business (owners and admins).

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::api_keys::{self, ApiKey};
use prosaas_tenant::{ApiKeyId, Db, Manager};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::ErrorBody;
use super::openapi::foundation::BusinessQuery;

/// A key just created: the [`ApiKey`] plus the key itself, shown once.
#[derive(Serialize, ToSchema)]
pub struct NewApiKey {
    #[serde(flatten)]
    api_key: ApiKey,
    /// `psk_...`: the Bearer token. Stored only as SHA-256.
    key: String,
}

/// `POST /api/api-keys` body.
#[derive(Deserialize, ToSchema)]
pub struct CreateApiKeyRequest {
    #[serde(default)]
    name: String,
}

#[utoipa::path(get, path = "/api/api-keys", tag = "api-keys", params(BusinessQuery),
    responses((status = 200, body = Vec<ApiKey>, description = "newest first, revoked ones included"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    Ok(HttpResponse::Ok().json(api_keys::list(&db, &scope).await?))
}

#[utoipa::path(post, path = "/api/api-keys", tag = "api-keys", params(BusinessQuery), request_body = CreateApiKeyRequest,
    responses((status = 201, body = NewApiKey), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let issued = api_keys::create(&db, &scope, &body.name).await?;
    let json = NewApiKey {
        api_key: issued.key.clone(),
        key: issued.expose().to_string(),
    };
    tracing::info!(business.id = %scope.business_id(), api_key.id = %issued.key.id, "api key {} created", issued.key.id);
    Ok(HttpResponse::Created().json(json))
}

#[utoipa::path(delete, path = "/api/api-keys/{id}", tag = "api-keys", params(("id" = ApiKeyId, Path), BusinessQuery),
    responses((status = 204, description = "revoked at once"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    scope: TenantScope,
    db: web::Data<Db>,
    id: web::Path<ApiKeyId>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let id = id.into_inner();
    api_keys::revoke(&db, &scope, id).await?;
    tracing::info!(business.id = %scope.business_id(), api_key.id = %id, "api key {id} revoked");
    Ok(HttpResponse::NoContent().finish())
}
