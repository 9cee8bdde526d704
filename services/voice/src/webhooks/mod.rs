//! Twilio's HTTP callbacks: `POST /webhook/incoming_call`, `/webhook/call_status`,
//! `/webhook/handle_recording`. Every other method answers 405 with `Allow: POST`.
//! With `VALIDATE_TWILIO_SIGNATURE` on, a request is accepted only with a valid
//! `X-Twilio-Signature` over the public URL Twilio called.

mod incoming;
mod status;

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use prosaas_twilio::signature;
use secrecy::ExposeSecret;

use crate::state::VoiceState;

pub use incoming::answer_twiml;

/// Form parameters of a verified Twilio request.
pub struct TwilioParams(pub Vec<(String, String)>);

impl TwilioParams {
    /// The first value of `name`, if present and non-empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Installs the webhook routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for (path, handler) in [
        ("/webhook/incoming_call", Handler::Incoming),
        ("/webhook/call_status", Handler::Status),
        ("/webhook/handle_recording", Handler::Recording),
    ] {
        let route = match handler {
            Handler::Incoming => web::post().to(incoming::incoming_call),
            Handler::Status => web::post().to(status::call_status),
            Handler::Recording => web::post().to(status::handle_recording),
        };
        cfg.service(
            web::resource(path)
                .route(route)
                .default_service(web::to(post_only)),
        );
    }
}

enum Handler {
    Incoming,
    Status,
    Recording,
}

async fn post_only(req: HttpRequest) -> HttpResponse {
    HttpResponse::build(StatusCode::METHOD_NOT_ALLOWED)
        .insert_header((ALLOW, "POST"))
        .json(serde_json::json!({"error": {
            "code": "method_not_allowed",
            "message": format!("{} is not allowed on {}; Twilio webhooks use POST", req.method(), req.path()),
        }}))
}

/// The URLs Twilio may have signed: `PUBLIC_BASE_URL` + path and query, and the
/// one rebuilt from nginx's `X-Forwarded-Proto` + `Host`.
fn signed_url_candidates(req: &HttpRequest, state: &VoiceState) -> Vec<String> {
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.path().to_string());
    let mut out = vec![state.public_url(&path_and_query)];
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("x-forwarded-host").or_else(|| header("host"));
    if let (Some(proto), Some(host)) = (header("x-forwarded-proto"), host) {
        let candidate = format!("{proto}://{host}{path_and_query}");
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// Parses the form body and checks the signature; a refusal is logged with the
/// reason and answers 403.
pub fn verify(req: &HttpRequest, body: &[u8], state: &VoiceState) -> Result<TwilioParams, Refused> {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !state.validate_signature {
        return Ok(TwilioParams(params));
    }
    let Some(token) = state.auth_token.as_ref() else {
        tracing::warn!(
            http.path = req.path(),
            "twilio webhook refused: VALIDATE_TWILIO_SIGNATURE is on but TWILIO_AUTH_TOKEN is not set"
        );
        return Err(Refused);
    };
    let header = req
        .headers()
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    let mut last = signature::Rejection::MissingSignature;
    for url in signed_url_candidates(req, state) {
        match signature::validate(token.expose_secret(), &url, &params, header) {
            Ok(()) => return Ok(TwilioParams(params)),
            Err(e) => last = e,
        }
    }
    tracing::warn!(http.path = req.path(), reason = %last, "twilio webhook refused");
    Err(Refused)
}

/// A webhook refused for its signature (already logged).
pub struct Refused;

impl Refused {
    /// 403 with the JSON error body.
    pub fn response(&self) -> HttpResponse {
        forbidden()
    }
}

fn forbidden() -> HttpResponse {
    HttpResponse::Forbidden().json(serde_json::json!({"error": {
        "code": "invalid_twilio_signature",
        "message": "missing or invalid X-Twilio-Signature",
    }}))
}

/// A TwiML reply.
pub fn twiml(xml: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/xml; charset=utf-8"))
        .body(xml)
}
