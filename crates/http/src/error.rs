//! The one HTTP error type: every failure becomes `{"error":{"code","message"}}`
//! with a fitting status. 5xx causes are logged once, here; clients get a
//! generic message.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, error, web};
use prosaas_tenant::{TenantError, Violation};

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    /// Logged, never sent.
    cause: Option<String>,
}

impl ApiError {
    /// Any status, code and message.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            cause: None,
        }
    }
    /// 400 with a code.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    /// 422 with a code.
    pub fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    /// 404 `{what}_not_found`.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!("{what}_not_found"),
            format!("{what} not found"),
        )
    }
    /// 500; the cause is logged, not sent.
    pub fn internal(cause: impl Into<String>) -> Self {
        Self {
            cause: Some(cause.into()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "something went wrong on our side",
            )
        }
    }
    /// The machine-readable code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            tracing::error!(http.status = self.status.as_u16(), error.code = %self.code, error.cause = self.cause.as_deref().unwrap_or(""), "request failed");
        }
        HttpResponse::build(self.status)
            .json(serde_json::json!({"error": {"code": self.code, "message": self.message}}))
    }
}

impl From<TenantError> for ApiError {
    fn from(e: TenantError) -> Self {
        match e {
            TenantError::NotFound(what) => ApiError::not_found(what),
            TenantError::Forbidden { code, message } => {
                ApiError::new(StatusCode::FORBIDDEN, code, message)
            }
            TenantError::Invalid { code, message } => ApiError::unprocessable(code, message),
            TenantError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            TenantError::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "please sign in",
            ),
            TenantError::InvalidCredentials => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "invalid e-mail or password",
            ),
            TenantError::BusinessRequired => {
                ApiError::bad_request("business_required", e.to_string())
            }
            TenantError::Unavailable(cause) => ApiError {
                cause: Some(cause),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "the database is unavailable, try again shortly",
                )
            },
            TenantError::Db(_) => match e.violation() {
                Some(Violation::Unique) => ApiError::new(
                    StatusCode::CONFLICT,
                    "already_exists",
                    "a record with these values already exists",
                ),
                Some(Violation::Check) => {
                    ApiError::unprocessable("invalid_input", "a value is not acceptable")
                }
                Some(Violation::ForeignKey) => ApiError::unprocessable(
                    "invalid_reference",
                    "a referenced record does not exist",
                ),
                Some(Violation::InvalidText) => ApiError::unprocessable(
                    "invalid_text",
                    "text must not contain the NUL character (\\u0000)",
                ),
                None => ApiError::internal(e.to_string()),
            },
            TenantError::Internal(cause) => ApiError::internal(cause),
        }
    }
}

/// JSON body errors: 400 `invalid_json` (or 415 for a wrong content type).
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(256 * 1024)
        .error_handler(|err, _req| {
            let api = match &err {
                error::JsonPayloadError::ContentType => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send application/json",
                ),
                error::JsonPayloadError::Deserialize(e) => {
                    ApiError::bad_request("invalid_json", e.to_string())
                }
                error::JsonPayloadError::Overflow { .. }
                | error::JsonPayloadError::OverflowKnownLength { .. } => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is too large",
                ),
                other => ApiError::bad_request("invalid_json", other.to_string()),
            };
            api.into()
        })
}

/// Query string errors: 400 `invalid_query`.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::bad_request("invalid_query", err.to_string()).into())
}

/// Path errors (e.g. a malformed uuid): 404, as if the record did not exist.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such resource").into()
    })
}

/// Default service: JSON 404.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {} {}", req.method(), req.path()),
    )
    .error_response()
}

/// Per-resource default: JSON 405.
pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), req.path()),
    )
    .error_response()
}
