//! Linking: start, status, QR, log out.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CACHE_CONTROL};
use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::whatsapp::SessionState;
use prosaas_tenant::repo::whatsapp_session;
use prosaas_tenant::{Db, Manager};

use crate::live::{self, QrView, StatusView};
use crate::startup::WhatsAppState;

/// `POST /api/whatsapp/session` (owner/admin): asks the worker to start linking.
pub async fn start(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
) -> Result<HttpResponse, ApiError> {
    scope.require::<Manager>()?;
    let status = whatsapp_session::begin_linking(&db, &scope).await?;
    if let Err(e) = state.worker.start(scope.business_id()).await {
        tracing::warn!(business.id = %scope.business_id(), error = %e, "worker did not start the session");
        let status = whatsapp_session::record_state(
            &db,
            &scope,
            SessionState::Disconnected,
            None,
            Some("worker_unreachable".into()),
        )
        .await?;
        state
            .bus
            .publish(live::status_event(scope.business_id(), status))
            .await;
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "worker_unreachable",
            "the WhatsApp worker is not reachable, try again shortly",
        ));
    }
    state
        .bus
        .publish(live::status_event(scope.business_id(), status.clone()))
        .await;
    Ok(HttpResponse::Accepted().json(StatusView::from(status)))
}

/// `GET /api/whatsapp/status`.
pub async fn status(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let status = whatsapp_session::status(&db, &scope).await?;
    Ok(HttpResponse::Ok().json(StatusView::from(status)))
}

async fn current_qr(scope: &TenantScope, db: &Db) -> Result<QrView, ApiError> {
    let status = whatsapp_session::status(db, scope).await?;
    match QrView::of(&status) {
        Some(Ok(view)) => Ok(view),
        Some(Err(e)) => Err(ApiError::internal(e.to_string())),
        None => Err(ApiError::not_found("qr")),
    }
}

/// `GET /api/whatsapp/qr`: JSON with a data URL, or the PNG for `Accept: image/png`.
pub async fn qr(
    req: HttpRequest,
    scope: TenantScope,
    db: web::Data<Db>,
) -> Result<HttpResponse, ApiError> {
    let wants_png = req
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("image/png") && !v.contains("application/json"));
    if wants_png {
        return qr_png(scope, db).await;
    }
    let view = current_qr(&scope, &db).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(view))
}

/// `GET /api/whatsapp/qr.png`.
pub async fn qr_png(scope: TenantScope, db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let view = current_qr(&scope, &db).await?;
    let png = crate::qr::png(&view.qr).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(png))
}

/// `DELETE /api/whatsapp/session` (owner/admin): logs out and forgets the auth state.
pub async fn logout(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
) -> Result<HttpResponse, ApiError> {
    scope.require::<Manager>()?;
    if let Err(e) = state.worker.logout(scope.business_id()).await {
        // forget locally anyway: the worker will not resume without stored creds
        tracing::warn!(business.id = %scope.business_id(), error = %e, "worker did not log out");
    }
    whatsapp_session::clear_auth(&db, &scope).await?;
    let status = whatsapp_session::record_state(
        &db,
        &scope,
        SessionState::LoggedOut,
        None,
        Some("logged_out".into()),
    )
    .await?;
    state
        .bus
        .publish(live::status_event(scope.business_id(), status))
        .await;
    Ok(HttpResponse::NoContent().finish())
}
