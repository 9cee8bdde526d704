//! API keys of the caller's business (owners and admins).

use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::api_keys;
use prosaas_tenant::{ApiKeyId, Db, Manager};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CreateApiKeyRequest {
    #[serde(default)]
    name: String,
}

pub async fn list(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    Ok(HttpResponse::Ok().json(api_keys::list(&db, &scope).await?))
}

pub async fn create(
    scope: TenantScope,
    db: web::Data<Db>,
    body: web::Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let scope = scope.require::<Manager>()?;
    let issued = api_keys::create(&db, &scope, &body.name).await?;
    let mut json =
        serde_json::to_value(&issued.key).map_err(|e| ApiError::internal(e.to_string()))?;
    json["key"] = serde_json::Value::String(issued.expose().to_string());
    tracing::info!(business.id = %scope.business_id(), api_key.id = %issued.key.id, "api key {} created", issued.key.id);
    Ok(HttpResponse::Created().json(json))
}

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
