//! Postgres `text` cannot hold the NUL character, so a `"\u0000"` in any JSON
//! string (or `%00` in a query string) used to reach the database and answer
//! 500. Every service refuses it here, before any handler runs: JSON bodies
//! with 422 `invalid_text`, query strings with 400 `invalid_text` (query errors
//! are 400 everywhere). The tenant error mapping (error.rs) is the backstop for
//! any other path a NUL might take.

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::ApiError;

/// Largest body scanned; every JSON limit of the services is below it.
const MAX_SCANNED_BODY: usize = 1024 * 1024;

const MESSAGE: &str = "text must not contain the NUL character (\\u0000)";

/// Whether the JSON text has a `\u0000` escape (an escaped backslash followed by
/// `u0000` is ordinary text and does not count).
pub fn json_has_nul_escape(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json.get(i + 1) == Some(&b'u') && json.get(i + 2..i + 6) == Some(b"0000") {
                return true;
            }
            i += 2; // skip the escaped character
        } else {
            i += 1;
        }
    }
    false
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
}

/// Passes the request on (its body restored) or the error to answer instead.
pub async fn reject_nul(
    mut req: ServiceRequest,
) -> Result<ServiceRequest, (ServiceRequest, ApiError)> {
    if req.query_string().contains("%00") {
        return Err((req, ApiError::bad_request("invalid_text", MESSAGE)));
    }
    if !is_json(&req) {
        return Ok(req);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            // a broken body: let the JSON extractor report it
            return Ok(req);
        };
        body.extend_from_slice(&chunk);
        if body.len() > MAX_SCANNED_BODY {
            let too_large = ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is too large",
            );
            return Err((req, too_large));
        }
    }
    let body: Bytes = body.freeze();
    if json_has_nul_escape(&body) {
        return Err((req, ApiError::unprocessable("invalid_text", MESSAGE)));
    }
    req.set_payload(Payload::from(body));
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::json_has_nul_escape;

    #[test]
    fn finds_the_nul_escape_and_only_it() {
        assert!(json_has_nul_escape(br#"{"name":"a\u0000b"}"#));
        assert!(json_has_nul_escape(br#"{"a":"\"\u0000"}"#));
        assert!(!json_has_nul_escape(br#"{"name":"a\\u0000b"}"#));
        assert!(!json_has_nul_escape(br#"{"name":"\u00e9\u0001"}"#));
        assert!(!json_has_nul_escape(br#"{"name":"plain"}"#));
        assert!(json_has_nul_escape(br#"{"n":"\\\u0000"}"#));
    }
}
