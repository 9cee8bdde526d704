//! The OpenAPI 3.1 document of the public API, served at `GET /api/openapi.json`.
//!
//! To document a new route: put `#[utoipa::path(...)]` on its handler (see
//! routes/offers.rs) and add the handler to `paths(...)` below, one line per
//! path. tests/api/openapi.rs fails when the document and the route table
//! (routes/mod.rs) disagree in either direction.

pub mod foundation;
pub mod whatsapp;

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{api_keys, calls, events, invoices, notifications, offers, signing, tasks, webhooks};

/// Every error: `{"error":{"code","message"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

/// The inside of [`ErrorBody`].
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `offer_not_found`.
    code: String,
    /// Human-readable reason.
    message: String,
}

/// A binary body (a recording, an image).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(pub Vec<u8>);

/// Adds the two security schemes of non-public routes: the session cookie and
/// a Bearer API key (`psk_...`, POST /api/api-keys); either one is enough.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                prosaas_http::SESSION_COOKIE,
                "opaque session token set by POST /api/auth/login",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("psk_...")
                    .description(Some(
                        "API key of a business (acts with role api_key; wins over the cookie)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ProSaaS API",
        version = "1",
        description = "Multi-tenant AI CRM. Errors are always {\"error\":{\"code\",\"message\"}}; \
            another business's ids answer 404. Money is integer agorot. Contract: docs/api.md."
    ),
    paths(
        foundation::service_health,
        foundation::api_health,
        foundation::login,
        foundation::logout,
        foundation::me,
        foundation::businesses_list,
        foundation::businesses_create,
        foundation::businesses_get,
        foundation::businesses_update,
        foundation::business_get_own,
        foundation::business_update_own,
        foundation::audit,
        foundation::users_list,
        foundation::users_create,
        foundation::users_get,
        foundation::users_update,
        foundation::users_delete,
        foundation::leads_list,
        foundation::leads_create,
        foundation::leads_get,
        foundation::leads_update,
        foundation::leads_delete,
        offers::list,
        offers::create,
        offers::get,
        offers::update,
        offers::delete,
        offers::send,
        offers::decline,
        offers::invoice,
        offers::signature,
        offers::print,
        invoices::list,
        invoices::create,
        invoices::get,
        invoices::print,
        signing::view,
        signing::sign,
        signing::decline,
        calls::list,
        calls::create,
        calls::get,
        calls::recording,
        notifications::list,
        notifications::read_all,
        notifications::read,
        events::stream,
        tasks::list,
        tasks::create,
        tasks::get,
        tasks::update,
        tasks::delete,
        api_keys::list,
        api_keys::create,
        api_keys::revoke,
        webhooks::list,
        webhooks::create,
        webhooks::get,
        webhooks::update,
        webhooks::delete,
        webhooks::deliveries,
        whatsapp::whatsapp_session_start,
        whatsapp::whatsapp_session_logout,
        whatsapp::whatsapp_status,
        whatsapp::whatsapp_qr,
        whatsapp::whatsapp_qr_png,
        whatsapp::whatsapp_events,
        whatsapp::whatsapp_conversations_list,
        whatsapp::whatsapp_conversation_open,
        whatsapp::whatsapp_conversation_get,
        whatsapp::whatsapp_conversation_update,
        whatsapp::whatsapp_conversation_read,
        whatsapp::whatsapp_messages_list,
        whatsapp::whatsapp_message_send,
        serve,
    ),
    components(schemas(ErrorBody)),
    modifiers(&SessionCookie),
    security(("session" = []), ("api_key" = [])),
    tags(
        (name = "health"), (name = "auth"), (name = "businesses"), (name = "users"),
        (name = "leads"), (name = "offers"), (name = "invoices"),
        (name = "signing", description = "public: the token in the path is the credential"),
        (name = "calls"), (name = "notifications"),
        (name = "events", description = "Server-Sent Events (text/event-stream)"),
        (name = "tasks"), (name = "api-keys"), (name = "webhooks"),
        (name = "whatsapp", description = "served by the whatsapp service (nginx /api/whatsapp/)"),
        (name = "meta"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "this document", content_type = "application/json")))]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
