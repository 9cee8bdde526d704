//! Route table of the API (docs/api.md).

mod auth;
mod businesses;
mod health;
mod leads;
mod users;

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
