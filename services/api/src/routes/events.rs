//! `GET /api/events`: Server-Sent Events for the caller's business. Replays
//! from the event log after `Last-Event-ID`, then streams live bus events.

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_http::{ApiError, TenantScope};
use prosaas_tenant::repo::event_log;
use prosaas_tenant::{Db, UserId};
use serde::Deserialize;
use utoipa::IntoParams;

use super::openapi::ErrorBody;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use crate::startup::ApiState;
use crate::workers::recorder::LiveEvent;

/// Most events replayed on one reconnect; more means "refetch" anyway.
const MAX_REPLAY: i64 = 1000;
/// Comment line interval: keeps nginx and browsers from timing the stream out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /api/events` query.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Replay after this event id (like the `Last-Event-ID` header).
    last_event_id: Option<String>,
    /// System admins only: the business to act in.
    #[serde(rename = "business_id")]
    #[param(value_type = Option<prosaas_tenant::BusinessId>)]
    _business_id: Option<String>,
}

/// Whether a viewer may see the event: personal notifications only reach
/// their user (keys and visiting system admins get business-wide ones only).
fn visible(event: &LiveEvent, me: Option<UserId>) -> bool {
    if event.kind != "notification.created" {
        return true;
    }
    match event.data.get("user_id").and_then(|v| v.as_str()) {
        None => true,
        Some(owner) => me.is_some_and(|me| me.to_string() == owner),
    }
}

/// One SSE frame (the JSON has no newlines, so one `data:` line).
fn frame(event: &LiveEvent) -> Bytes {
    let json = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        event.id, event.kind, json
    ))
}

fn last_event_id(req: &HttpRequest, query: &EventsQuery) -> Option<String> {
    req.headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| query.last_event_id.clone())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `GET /api/events`: Server-Sent Events of the caller's business.
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventsQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "resume after this event id")),
    responses((status = 200, body = String, content_type = "text/event-stream",
            description = "frames `id:` / `event:` / `data: <envelope JSON>`; `: keep-alive` every 15 s"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn stream(
    scope: TenantScope,
    db: web::Data<Db>,
    state: web::Data<ApiState>,
    req: HttpRequest,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let business = scope.business_id().as_uuid();
    let me = scope.member_user_id();
    // subscribe before reading the log: nothing falls between the two
    let mut live = state.live.subscribe(&db);
    let mut reset = false;
    let mut replay = Vec::new();
    if let Some(last) = last_event_id(&req, &query) {
        match last.parse::<Uuid>() {
            Ok(id) => match event_log::after(&db, &scope, id, MAX_REPLAY).await? {
                Some(events) => {
                    replay = events
                        .into_iter()
                        .map(|e| LiveEvent::from_log(business, e))
                        .collect()
                }
                None => reset = true,
            },
            Err(_) => reset = true,
        }
    }
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut seen: HashSet<Uuid> = HashSet::new();
        let mut head = String::from("retry: 3000\n\n");
        if reset {
            head.push_str("event: reset\ndata: {}\n\n");
        }
        if tx.send(Bytes::from(head)).await.is_err() {
            return;
        }
        for event in replay {
            seen.insert(event.id);
            if visible(&event, me) && tx.send(frame(&event)).await.is_err() {
                return;
            }
        }
        let mut keep_alive =
            tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
        loop {
            let out = tokio::select! {
                got = live.recv() => match got {
                    Ok(event) if event.business_id == business && !seen.remove(&event.id) => {
                        if visible(&event, me) { frame(&event) } else { continue }
                    }
                    Ok(_) => continue,
                    // this client fell behind: it must refetch
                    Err(broadcast::error::RecvError::Lagged(_)) => Bytes::from_static(b"event: reset\ndata: {}\n\n"),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = keep_alive.tick() => Bytes::from_static(b": keep-alive\n\n"),
            };
            if tx.send(out).await.is_err() {
                return; // the browser went away
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, data: serde_json::Value) -> LiveEvent {
        LiveEvent {
            id: Uuid::nil(),
            business_id: Uuid::nil(),
            kind: kind.into(),
            at: chrono::Utc::now(),
            data,
        }
    }

    #[test]
    fn personal_notifications_reach_only_their_user() {
        let me = UserId::from_uuid(Uuid::from_u128(1));
        let other = Uuid::from_u128(2);
        let mine = event("notification.created", serde_json::json!({"user_id": me}));
        let theirs = event(
            "notification.created",
            serde_json::json!({"user_id": other}),
        );
        let everyone = event("notification.created", serde_json::json!({"user_id": null}));
        assert!(visible(&mine, Some(me)));
        assert!(!visible(&theirs, Some(me)));
        assert!(visible(&everyone, Some(me)) && visible(&everyone, None));
        assert!(!visible(&mine, None));
        assert!(visible(&event("lead.created", serde_json::json!({})), None));
    }

    #[test]
    fn frame_is_one_sse_event() {
        let f = frame(&event("lead.created", serde_json::json!({"a": "b\nc"})));
        let text = String::from_utf8_lossy(&f);
        assert!(
            text.starts_with(
                "id: 00000000-0000-0000-0000-000000000000\nevent: lead.created\ndata: {"
            )
        );
        assert_eq!(text.matches('\n').count(), 4, "{text}");
    }
}
