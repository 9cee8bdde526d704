//! One local HTTP server standing in for the Twilio REST API (`/2010-04-01/...`)
//! and OpenAI chat completions (`/v1/chat/completions`). Every request is
//! recorded; Twilio endpoints check HTTP basic auth like the real one.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::FakeError;

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct RestRequest {
    /// HTTP method.
    pub method: String,
    /// Path (no query).
    pub path: String,
    /// Form (Twilio) fields, in order.
    pub form: Vec<(String, String)>,
    /// JSON body (chat completions).
    pub json: Option<Value>,
    /// Basic auth matched the account.
    pub authorized: bool,
}

impl RestRequest {
    /// First value of a form field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Inner {
    requests: Vec<RestRequest>,
    created: u32,
    summary: String,
    /// (status, code, message) for the next create.
    fail_create: Option<(u16, i64, String)>,
}

/// The running fake.
pub struct FakeApis {
    /// `http://127.0.0.1:port` (TWILIO_API_BASE).
    pub base_url: String,
    /// Account the fake accepts.
    pub account_sid: String,
    /// Token the fake accepts.
    pub auth_token: String,
    inner: Arc<Mutex<Inner>>,
}

/// Bytes served as every recording (an MP3 frame header is enough for tests).
pub const RECORDING_BYTES: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00fake-mp3-audio";

impl FakeApis {
    /// Starts the server for one account.
    pub async fn start(account_sid: &str, auth_token: &str) -> Result<Self, FakeError> {
        let inner = Arc::new(Mutex::new(Inner {
            summary: "המתקשר ביקש הצעת מחיר.".into(),
            ..Inner::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let state = web::Data::new(Shared {
            inner: inner.clone(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
        });
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(state.clone())
                .default_service(web::to(handle))
        })
        .workers(1)
        .listen(listener)?
        .run();
        tokio::spawn(server);
        Ok(Self {
            base_url,
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            inner,
        })
    }

    /// The OpenAI REST base (`OPENAI_BASE_URL`).
    pub fn openai_base(&self) -> String {
        format!("{}/v1", self.base_url)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<RestRequest> {
        self.inner
            .lock()
            .map(|i| i.requests.clone())
            .unwrap_or_default()
    }

    /// The summary chat completions answers with.
    pub fn set_summary(&self, text: &str) {
        if let Ok(mut i) = self.inner.lock() {
            i.summary = text.into();
        }
    }

    /// Makes the next create-call fail like Twilio does.
    pub fn fail_next_create(&self, status: u16, code: i64, message: &str) {
        if let Ok(mut i) = self.inner.lock() {
            i.fail_create = Some((status, code, message.into()));
        }
    }
}

struct Shared {
    inner: Arc<Mutex<Inner>>,
    account_sid: String,
    auth_token: String,
}

fn authorized(req: &HttpRequest, s: &Shared) -> bool {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", s.account_sid, s.auth_token))
    );
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str())
}

fn twilio_error(status: u16, code: i64, message: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .json(json!({"code": code, "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status}))
}

async fn handle(req: HttpRequest, body: web::Bytes, s: web::Data<Shared>) -> HttpResponse {
    let path = req.path().to_string();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let record = RestRequest {
        method: req.method().to_string(),
        path: path.clone(),
        json: serde_json::from_slice(&body).ok(),
        form: form.clone(),
        authorized: authorized(&req, &s),
    };
    let Ok(mut inner) = s.inner.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    inner.requests.push(record.clone());
    if path == "/v1/chat/completions" {
        return HttpResponse::Ok().json(json!({"id": "chatcmpl-fake", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": inner.summary},
                         "finish_reason": "stop"}]}));
    }
    let prefix = format!("/2010-04-01/Accounts/{}/", s.account_sid);
    let Some(rest) = path.strip_prefix(&prefix) else {
        return twilio_error(404, 20404, "The requested resource was not found");
    };
    if !record.authorized {
        return twilio_error(401, 20003, "Authenticate");
    }
    let field = |n: &str| record.field(n).unwrap_or("").to_string();
    match (req.method().as_str(), rest) {
        ("POST", "Calls.json") => {
            if let Some((status, code, message)) = inner.fail_create.take() {
                return twilio_error(status, code, &message);
            }
            inner.created += 1;
            let sid = format!("CA{:032x}", 0xfa4e_0000_u64 + u64::from(inner.created));
            HttpResponse::Created().json(json!({"sid": sid, "account_sid": s.account_sid,
                "to": field("To"), "from": field("From"), "status": "queued", "direction": "outbound-api",
                "duration": null, "api_version": "2010-04-01"}))
        }
        ("POST", r) if r.starts_with("Calls/") && r.ends_with(".json") => {
            let sid = r.trim_start_matches("Calls/").trim_end_matches(".json");
            let status = if field("Status") == "completed" {
                "completed"
            } else {
                "in-progress"
            };
            HttpResponse::Ok().json(json!({"sid": sid, "status": status}))
        }
        ("GET", r) if r.starts_with("Recordings/") && r.ends_with(".mp3") => HttpResponse::Ok()
            .content_type("audio/mpeg")
            .body(RECORDING_BYTES),
        _ => twilio_error(404, 20404, "The requested resource was not found"),
    }
}
