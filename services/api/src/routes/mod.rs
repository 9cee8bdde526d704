//! Route table of the API (docs/api.md).

mod auth;
mod businesses;
mod health;
mod leads;
mod users;
// offers, invoices, e-signatures (issue 5)
mod invoices;
mod offers;
pub mod openapi;
mod print;
mod signing;

use actix_web::web;
use prosaas_http::method_not_allowed;

fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Installs every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/health").route(web::get().to(prosaas_http::health("api"))))
        .service(
            web::scope("/api")
                .service(resource("/health").route(web::get().to(health::api_health)))
                .service(resource("/auth/login").route(web::post().to(auth::login)))
                .service(resource("/auth/logout").route(web::post().to(auth::logout)))
                .service(resource("/auth/me").route(web::get().to(auth::me)))
                .service(
                    resource("/businesses")
                        .route(web::get().to(businesses::list))
                        .route(web::post().to(businesses::create)),
                )
                .service(
                    resource("/businesses/{id}")
                        .route(web::get().to(businesses::get))
                        .route(web::patch().to(businesses::update)),
                )
                .service(
                    resource("/business")
                        .route(web::get().to(businesses::get_own))
                        .route(web::patch().to(businesses::update_own)),
                )
                .service(resource("/audit").route(web::get().to(businesses::audit)))
                .service(
                    resource("/users")
                        .route(web::get().to(users::list))
                        .route(web::post().to(users::create)),
                )
                .service(
                    resource("/users/{id}")
                        .route(web::get().to(users::get))
                        .route(web::patch().to(users::update))
                        .route(web::delete().to(users::delete)),
                )
                .service(
                    resource("/leads")
                        .route(web::get().to(leads::list))
                        .route(web::post().to(leads::create)),
                )
                .service(
                    resource("/leads/{id}")
                        .route(web::get().to(leads::get))
                        .route(web::patch().to(leads::update))
                        .route(web::delete().to(leads::delete)),
                )
                // calls (voice, issue 3)
                .service(
                    resource("/calls")
                        .route(web::get().to(calls::list))
                        .route(web::post().to(calls::create)),
                )
                .service(resource("/calls/{id}").route(web::get().to(calls::get)))
                .service(resource("/calls/{id}/recording").route(web::get().to(calls::recording)))
                .configure(crm_routes)
                .configure(offers_routes)
                .default_service(web::to(prosaas_http::not_found)),
        );
}

/// Deserializes a present field (even `null`) as `Some(..)`, so PATCH bodies
/// can tell "clear this" (`null`) from "leave it" (absent).
pub(crate) fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}

/// Calls (voice, issue 3).
pub mod calls;
// --- CRM: notifications, live events, tasks, API keys, webhooks (docs/api.md) ---

mod api_keys;
mod events;
mod notifications;
mod tasks;
mod webhooks;

/// Routes of notifications, `/events` (SSE), tasks, API keys and webhooks,
/// inside the `/api` scope.
fn crm_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/notifications").route(web::get().to(notifications::list)))
        .service(resource("/notifications/read-all").route(web::post().to(notifications::read_all)))
        .service(resource("/notifications/{id}/read").route(web::post().to(notifications::read)))
        .service(resource("/events").route(web::get().to(events::stream)))
        .service(
            resource("/tasks")
                .route(web::get().to(tasks::list))
                .route(web::post().to(tasks::create)),
        )
        .service(
            resource("/tasks/{id}")
                .route(web::get().to(tasks::get))
                .route(web::patch().to(tasks::update))
                .route(web::delete().to(tasks::delete)),
        )
        .service(
            resource("/api-keys")
                .route(web::get().to(api_keys::list))
                .route(web::post().to(api_keys::create)),
        )
        .service(resource("/api-keys/{id}").route(web::delete().to(api_keys::revoke)))
        .service(
            resource("/webhooks")
                .route(web::get().to(webhooks::list))
                .route(web::post().to(webhooks::create)),
        )
        .service(
            resource("/webhooks/{id}")
                .route(web::get().to(webhooks::get))
                .route(web::patch().to(webhooks::update))
                .route(web::delete().to(webhooks::delete)),
        )
        .service(resource("/webhooks/{id}/deliveries").route(web::get().to(webhooks::deliveries)));
}

/// Offers, invoices, the public signing link and the OpenAPI document (issue 5), inside `/api`.
fn offers_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/offers")
            .route(web::get().to(offers::list))
            .route(web::post().to(offers::create)),
    )
    .service(
        resource("/offers/{id}")
            .route(web::get().to(offers::get))
            .route(web::patch().to(offers::update))
            .route(web::delete().to(offers::delete)),
    )
    .service(resource("/offers/{id}/send").route(web::post().to(offers::send)))
    .service(resource("/offers/{id}/decline").route(web::post().to(offers::decline)))
    .service(resource("/offers/{id}/invoice").route(web::post().to(offers::invoice)))
    .service(resource("/offers/{id}/signature").route(web::get().to(offers::signature)))
    .service(resource("/offers/{id}/print").route(web::get().to(offers::print)))
    .service(
        resource("/invoices")
            .route(web::get().to(invoices::list))
            .route(web::post().to(invoices::create)),
    )
    .service(resource("/invoices/{id}").route(web::get().to(invoices::get)))
    .service(resource("/invoices/{id}/print").route(web::get().to(invoices::print)))
    .service(
        resource("/public/sign/{token}")
            .app_data(prosaas_http::json_config().limit(signing::SIGN_BODY_LIMIT))
            .route(web::get().to(signing::view))
            .route(web::post().to(signing::sign)),
    )
    .service(resource("/public/sign/{token}/decline").route(web::post().to(signing::decline)))
    // the OpenAPI document of every route above and in `configure`
    .service(resource("/openapi.json").route(web::get().to(openapi::serve)));
}
