//! A request id on every request: taken from `x-request-id` (nginx forwards
//! it) or generated, recorded on the request's tracing span, echoed back.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;

/// The id of the current request, in request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const HEADER: &str = "x-request-id";

/// Middleware: `App::new().wrap(actix_web::middleware::from_fn(request_id))`.
pub async fn request_id<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 128
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("http", request.id = %id, http.method = %req.method(), http.path = %loggable_path(req.path()));
    let started = std::time::Instant::now();
    // NUL in JSON text / query strings: refused before any handler (text_guard.rs)
    let mut res = match crate::text_guard::reject_nul(req).await {
        Ok(req) => next
            .call(req)
            .instrument(span.clone())
            .await?
            .map_into_boxed_body(),
        Err((req, refused)) => req.error_response(refused),
    };
    let status = res.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            http.status = status,
            duration_ms = started.elapsed().as_millis() as u64,
            "request"
        );
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), v);
    }
    Ok(res)
}

/// Public signing links carry their secret token in the path: log the route,
/// never the token.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/api/public/sign/") {
        "/api/public/sign/{token}"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signing_tokens_never_reach_the_log() {
        assert_eq!(
            super::loggable_path("/api/public/sign/s3cr3t/decline"),
            "/api/public/sign/{token}"
        );
        assert_eq!(super::loggable_path("/api/leads/1"), "/api/leads/1");
    }
}
