//! `GET /api/whatsapp/events`: Server-Sent Events of the caller's business
//! (`whatsapp.status`, `whatsapp.qr`, `whatsapp.message`), read from the
//! business's Redis channel. The first event is the current status.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use futures_util::{StreamExt, stream};
use prosaas_events::{Envelope, EventKind};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::Db;
use prosaas_tenant::repo::whatsapp_session;

use crate::live;
use crate::startup::WhatsAppState;

/// Keep-alive comment interval (proxies close idle streams).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

fn frame(env: &Envelope) -> Option<Bytes> {
    let name = match env.kind {
        EventKind::WhatsAppStatus => "whatsapp.status",
        EventKind::WhatsAppQr => "whatsapp.qr",
        EventKind::WhatsAppMessage => "whatsapp.message",
        _ => return None,
    };
    let data = serde_json::to_string(env).ok()?;
    Some(Bytes::from(format!(
        "id: {}\nevent: {name}\ndata: {data}\n\n",
        env.id
    )))
}

/// The live stream.
pub async fn stream(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<WhatsAppState>,
) -> Result<HttpResponse, ApiError> {
    let business = scope.business_id();
    let bus = state.bus.get().await.ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "events_unavailable",
            "live events are unavailable, try again shortly",
        )
    })?;
    // subscribe before reading the status, so no change falls in between
    let events = bus
        .subscribe(business.as_uuid())
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let status = whatsapp_session::status(&db, &scope).await?;
    let first = frame(&live::status_event(business, status));
    let live = events.filter_map(|env| async move { frame(&env) });
    let keep_alive = stream::unfold((), |()| async {
        tokio::time::sleep(KEEP_ALIVE).await;
        Some((Bytes::from_static(b": keep-alive\n\n"), ()))
    });
    let body = stream::iter(first)
        .chain(stream::select(live, keep_alive))
        .map(Ok::<_, actix_web::Error>);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}
