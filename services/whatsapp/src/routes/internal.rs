//! `/internal/whatsapp/*`: the worker's side of the protocol. Never routed by
//! nginx; every request must carry `x-worker-secret`. The business named in
//! the request becomes a scope only after the secret matched
//! (`system::whatsapp_worker_scope`).

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_http::ApiError;
use prosaas_tenant::repo::whatsapp_session::{self, KeyChange};
use prosaas_tenant::{BusinessId, BusinessScope, Db, TenantError, system};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::crypto::{creds_slot, key_slot};
use crate::inbound::{self, EventError};
use crate::startup::WhatsAppState;
use crate::worker::SECRET_HEADER;

/// Longest key id / type the worker may name.
const MAX_KEY_FIELD: usize = 512;
/// Most keys in one read or write batch.
const MAX_BATCH: usize = 5000;

fn verify(req: &HttpRequest, state: &WhatsAppState) -> Result<(), ApiError> {
    let given = req
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let expected = state.worker_secret.expose_secret().as_bytes();
    // constant time over the expected length
    let mut diff = u8::from(given.len() != expected.len());
    for (i, e) in expected.iter().enumerate() {
        diff |= e ^ given.get(i).copied().unwrap_or(0);
    }
    if diff == 0 {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_worker_secret",
            "missing or wrong x-worker-secret",
        ))
    }
}

async fn worker_scope(
    req: &HttpRequest,
    state: &WhatsAppState,
    db: &Db,
    business: Uuid,
) -> Result<BusinessScope, ApiError> {
    verify(req, state)?;
    Ok(system::whatsapp_worker_scope(db, BusinessId::from_uuid(business)).await?)
}

/// An event from the worker.
#[derive(Debug, Deserialize)]
pub struct WorkerEvent {
    business_id: Uuid,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    data: serde_json::Value,
}

fn data<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(v).map_err(|e| ApiError::bad_request("invalid_event", e.to_string()))
}

/// `POST /internal/whatsapp/events`.
pub async fn event(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    body: web::Json<WorkerEvent>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let scope = worker_scope(&req, &state, &db, body.business_id).await?;
    let state: Arc<WhatsAppState> = state.into_inner();
    let result = match body.kind.as_str() {
        "qr" => {
            #[derive(Deserialize)]
            struct Qr {
                qr: String,
            }
            let qr: Qr = data(body.data)?;
            inbound::on_qr(&state, &db, &scope, &qr.qr).await
        }
        "connection" => inbound::on_connection(&state, &db, &scope, data(body.data)?).await,
        "message" => inbound::on_message(&state, &db, &scope, data(body.data)?).await,
        "message_status" => inbound::on_status(&state, &db, &scope, data(body.data)?).await,
        other => Err(EventError::Invalid(format!("unknown event type {other}"))),
    };
    match result {
        Ok(()) => Ok(HttpResponse::NoContent().finish()),
        Err(EventError::Invalid(m)) => Err(ApiError::bad_request("invalid_event", m)),
        Err(EventError::Tenant(e)) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Resumable {
    business_ids: Vec<BusinessId>,
}

/// `GET /internal/whatsapp/sessions`: businesses to resume after a restart.
pub async fn sessions(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
) -> Result<HttpResponse, ApiError> {
    verify(&req, &state)?;
    let ids = system::whatsapp_resumable_sessions(&db).await?;
    Ok(HttpResponse::Ok().json(Resumable { business_ids: ids }))
}

fn decrypt(state: &WhatsAppState, slot: &str, sealed: &[u8]) -> Result<String, ApiError> {
    let plain = state
        .cipher
        .open(slot, sealed)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    String::from_utf8(plain).map_err(|e| ApiError::internal(e.to_string()))
}

/// `GET /internal/whatsapp/auth/{business_id}` -> `{creds}`.
pub async fn load_creds(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    business: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = worker_scope(&req, &state, &db, *business).await?;
    let creds = match whatsapp_session::load_creds(&db, &scope).await? {
        Some(sealed) => Some(decrypt(&state, &creds_slot(&scope.business_id()), &sealed)?),
        None => None,
    };
    Ok(HttpResponse::Ok().json(serde_json::json!({ "creds": creds })))
}

/// Keys read request.
#[derive(Debug, Deserialize)]
pub struct KeysQuery {
    #[serde(rename = "type")]
    key_type: String,
    ids: Vec<String>,
}

fn check_field(name: &str, v: &str) -> Result<(), ApiError> {
    if v.is_empty() || v.len() > MAX_KEY_FIELD {
        Err(ApiError::bad_request(
            "invalid_auth_key",
            format!("{name} must be 1..512 bytes"),
        ))
    } else {
        Ok(())
    }
}

/// `POST /internal/whatsapp/auth/{business_id}/keys` -> `{values: {id: text}}`.
pub async fn load_keys(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    business: web::Path<Uuid>,
    body: web::Json<KeysQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = worker_scope(&req, &state, &db, *business).await?;
    check_field("type", &body.key_type)?;
    if body.ids.len() > MAX_BATCH {
        return Err(ApiError::bad_request("invalid_auth_key", "too many ids"));
    }
    let rows = whatsapp_session::load_keys(&db, &scope, &body.key_type, &body.ids).await?;
    let business = scope.business_id();
    let mut values = HashMap::with_capacity(rows.len());
    for (id, sealed) in rows {
        let text = decrypt(&state, &key_slot(&business, &body.key_type, &id), &sealed)?;
        values.insert(id, text);
    }
    Ok(HttpResponse::Ok().json(serde_json::json!({ "values": values })))
}

/// One key change.
#[derive(Debug, Deserialize)]
pub struct KeyWrite {
    #[serde(rename = "type")]
    key_type: String,
    id: String,
    value: Option<String>,
}

/// Auth write request.
#[derive(Debug, Deserialize)]
pub struct AuthWrite {
    creds: Option<String>,
    #[serde(default)]
    keys: Vec<KeyWrite>,
}

/// `PUT /internal/whatsapp/auth/{business_id}`: creds and key changes, one transaction.
pub async fn write_auth(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    business: web::Path<Uuid>,
    body: web::Json<AuthWrite>,
) -> Result<HttpResponse, ApiError> {
    let scope = worker_scope(&req, &state, &db, *business).await?;
    let body = body.into_inner();
    if body.keys.len() > MAX_BATCH {
        return Err(ApiError::bad_request("invalid_auth_key", "too many keys"));
    }
    let business = scope.business_id();
    let seal = |slot: &str, text: &str| {
        state
            .cipher
            .seal(slot, text.as_bytes())
            .map_err(|e| ApiError::internal(e.to_string()))
    };
    let creds = match &body.creds {
        Some(text) => Some(seal(&creds_slot(&business), text)?),
        None => None,
    };
    let mut changes = Vec::with_capacity(body.keys.len());
    for k in body.keys {
        check_field("type", &k.key_type)?;
        check_field("id", &k.id)?;
        let value = match &k.value {
            Some(text) => Some(seal(&key_slot(&business, &k.key_type, &k.id), text)?),
            None => None,
        };
        changes.push(KeyChange {
            key_type: k.key_type,
            key_id: k.id,
            value,
        });
    }
    whatsapp_session::write_auth(&db, &scope, creds, changes)
        .await
        .map_err(|e: TenantError| ApiError::from(e))?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /internal/whatsapp/auth/{business_id}`.
pub async fn clear_auth(
    req: HttpRequest,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
    business: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = worker_scope(&req, &state, &db, *business).await?;
    whatsapp_session::clear_auth(&db, &scope).await?;
    Ok(HttpResponse::NoContent().finish())
}
