//! Route table of the whatsapp service (docs/api.md, "WhatsApp").

mod conversations;
mod events;
mod internal;
mod session;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use prosaas_http::{ApiError, method_not_allowed};

use crate::outbound::SendError;

fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Installs every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/health").route(web::get().to(prosaas_http::health("whatsapp"))))
        .service(
            web::scope("/api/whatsapp")
                .service(
                    resource("/session")
                        .route(web::post().to(session::start))
                        .route(web::delete().to(session::logout)),
                )
                .service(resource("/status").route(web::get().to(session::status)))
                .service(resource("/qr").route(web::get().to(session::qr)))
                .service(resource("/qr.png").route(web::get().to(session::qr_png)))
                .service(resource("/events").route(web::get().to(events::stream)))
                .service(
                    resource("/conversations")
                        .route(web::get().to(conversations::list))
                        .route(web::post().to(conversations::open)),
                )
                .service(
                    resource("/conversations/{id}")
                        .route(web::get().to(conversations::get))
                        .route(web::patch().to(conversations::update)),
                )
                .service(
                    resource("/conversations/{id}/read").route(web::post().to(conversations::read)),
                )
                .service(
                    resource("/conversations/{id}/messages")
                        .route(web::get().to(conversations::messages))
                        .route(web::post().to(conversations::send)),
                )
                .default_service(web::to(prosaas_http::not_found)),
        )
        .service(
            web::scope("/internal/whatsapp")
                .service(resource("/events").route(web::post().to(internal::event)))
                .service(resource("/sessions").route(web::get().to(internal::sessions)))
                .service(
                    resource("/auth/{business_id}")
                        .route(web::get().to(internal::load_creds))
                        .route(web::put().to(internal::write_auth))
                        .route(web::delete().to(internal::clear_auth)),
                )
                .service(
                    resource("/auth/{business_id}/keys").route(web::post().to(internal::load_keys)),
                )
                .default_service(web::to(prosaas_http::not_found)),
        );
}

/// The one mapping of outbound failures to HTTP (429 carries `Retry-After`).
pub(crate) fn send_error(e: SendError) -> Result<HttpResponse, ApiError> {
    match e {
        SendError::NotConnected => Err(ApiError::new(
            StatusCode::CONFLICT,
            "whatsapp_not_connected",
            "WhatsApp is not connected for this business",
        )),
        SendError::RateLimited(wait) => {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            Ok(HttpResponse::TooManyRequests()
                .insert_header(("Retry-After", secs.max(1).to_string()))
                .json(serde_json::json!({"error": {
                    "code": "rate_limited",
                    "message": "too soon after the previous message to this chat"
                }})))
        }
        SendError::DailyCap => Ok(HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", "3600"))
            .json(serde_json::json!({"error": {
                "code": "daily_limit",
                "message": "the daily WhatsApp sending limit of this business is reached"
            }}))),
        SendError::Tenant(e) => Err(e.into()),
    }
}
