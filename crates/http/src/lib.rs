//! HTTP pieces every ProSaaS service shares, so that a user signed in through
//! `api` is recognised by `voice` and `whatsapp` too, and every error looks like
//! `{"error":{"code","message"}}`.

pub mod boot;
mod error;
mod extract;
mod request_id;
mod text_guard;

pub use error::{ApiError, json_config, method_not_allowed, not_found, path_config, query_config};
pub use extract::{Authenticated, SESSION_COOKIE, TenantScope, client_ip};
pub use request_id::{RequestId, request_id};

use actix_web::{HttpResponse, web};

/// `GET /health` of a service: 200 when the process serves requests.
pub fn health(service: &'static str) -> impl Fn() -> std::future::Ready<HttpResponse> + Clone {
    move || {
        std::future::ready(
            HttpResponse::Ok().json(serde_json::json!({"status": "ok", "service": service})),
        )
    }
}

/// The defaults every service installs: JSON errors for bad JSON, query and
/// path input.
pub fn configure_defaults(cfg: &mut web::ServiceConfig) {
    cfg.app_data(json_config())
        .app_data(query_config())
        .app_data(path_config());
}
