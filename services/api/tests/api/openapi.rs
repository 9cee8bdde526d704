//! The OpenAPI document matches the route tables both ways: every documented
//! path + method is served (not a router 404/405), and every route registered
//! in services/api/src/routes/mod.rs, plus every public `/api/whatsapp/*` route
//! of services/whatsapp/src/routes/mod.rs, is documented. `/internal/*` never is.
//!
//! The registered lists are read from the route tables' source
//! (prosaas_test_support::route_table; actix-web offers no way to enumerate a
//! built App's routes). A route added without `resource(…)` would escape this
//! test, so the route tables keep to that one helper. The whatsapp routes are
//! exercised against the whatsapp app in services/whatsapp/tests/api/openapi.rs.

use std::collections::BTreeSet;

use prosaas_test_support::route_table::routes_in_table;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const ROUTE_TABLE: &str = include_str!("../../src/routes/mod.rs");
const WHATSAPP_ROUTE_TABLE: &str = include_str!("../../../whatsapp/src/routes/mod.rs");
const METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];
/// The whatsapp service's public prefix (nginx sends it to that service).
const WHATSAPP_PREFIX: &str = "/api/whatsapp/";

/// (METHOD, path) of every route in the api's route table.
fn registered_routes() -> BTreeSet<(String, String)> {
    routes_in_table(ROUTE_TABLE)
}

/// (METHOD, path) of the whatsapp service's public routes.
fn whatsapp_public_routes() -> BTreeSet<(String, String)> {
    routes_in_table(WHATSAPP_ROUTE_TABLE)
        .into_iter()
        .filter(|(_, p)| p.starts_with(WHATSAPP_PREFIX))
        .collect()
}

fn documented_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for m in METHODS {
                if item.get(m).is_some() {
                    out.insert((m.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn the_document_and_the_route_table_list_the_same_routes() -> TestResult {
    let app = spawn_app().await?;
    let (st, doc) = app
        .call(None, Method::GET, "/api/openapi.json", None)
        .await?;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')));
    let registered = registered_routes();
    assert!(
        registered.len() >= 30,
        "the route-table reader found too little: {registered:?}"
    );
    assert!(registered.contains(&("GET".into(), "/health".into())));
    assert!(registered.contains(&("POST".into(), "/api/public/sign/{token}".into())));
    let whatsapp = whatsapp_public_routes();
    assert!(
        whatsapp.len() >= 10,
        "the whatsapp route-table reader found too little: {whatsapp:?}"
    );
    let registered: BTreeSet<_> = registered.union(&whatsapp).cloned().collect();
    let documented = documented_routes(&doc);
    assert!(
        documented.iter().all(|(_, p)| !p.starts_with("/internal")),
        "internal routes must stay out of the public document: {documented:?}"
    );
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the OpenAPI document: {undocumented:?}"
    );
    assert!(
        unserved.is_empty(),
        "documented but not in the route table: {unserved:?}"
    );
    Ok(())
}

#[tokio::test]
async fn every_documented_operation_is_served() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (_, doc) = app
        .call(None, Method::GET, "/api/openapi.json", None)
        .await?;
    let any_id = uuid::Uuid::new_v4().to_string();
    // /api/whatsapp/* is served by the whatsapp service: checked in its tests
    for (method, path) in documented_routes(&doc)
        .into_iter()
        .filter(|(_, p)| !p.starts_with(WHATSAPP_PREFIX))
    {
        let url = path
            .replace("{id}", &any_id)
            .replace("{token}", "no-such-token");
        let m = Method::from_bytes(method.as_bytes())?;
        if path == "/api/events" {
            // a live stream never ends: the status line is enough
            let mut req = app.http.request(m, format!("{}{url}", app.base));
            if let Some(c) = &s.cookie {
                req = req.header("cookie", c);
            }
            let st = req.send().await?.status();
            assert_eq!(st, StatusCode::OK, "{method} {path}");
            continue;
        }
        let body = matches!(method.as_str(), "POST" | "PATCH" | "PUT").then(|| json!({}));
        // logging out would end the session the other calls use
        let session = (path != "/api/auth/logout").then_some(&s);
        let (st, res) = app.call(session, m, &url, body).await?;
        assert_ne!(st, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {res}");
        assert!(
            !(st == StatusCode::NOT_FOUND && code(&res) == "not_found"),
            "{method} {path} is not routed: {res}"
        );
        assert!(!st.is_server_error(), "{method} {path}: {st} {res}");
    }
    Ok(())
}

#[test]
fn the_route_table_reader_understands_scopes_and_methods() {
    let routes = registered_routes();
    for (m, p) in [
        ("GET", "/health"),
        ("GET", "/api/health"),
        ("POST", "/api/auth/login"),
        ("DELETE", "/api/users/{id}"),
        ("PATCH", "/api/offers/{id}"),
        ("GET", "/api/openapi.json"),
    ] {
        assert!(
            routes.contains(&(m.to_string(), p.to_string())),
            "{m} {p}: {routes:?}"
        );
    }
    assert!(!routes.contains(&("GET".to_string(), "/api/auth/login".to_string())));
}

#[test]
fn the_route_table_reader_sees_the_whatsapp_scopes() {
    let all = routes_in_table(WHATSAPP_ROUTE_TABLE);
    for (m, p) in [
        ("GET", "/health"),
        ("POST", "/api/whatsapp/session"),
        ("DELETE", "/api/whatsapp/session"),
        ("POST", "/api/whatsapp/conversations/{id}/messages"),
        ("POST", "/internal/whatsapp/events"),
        ("PUT", "/internal/whatsapp/auth/{business_id}"),
    ] {
        assert!(
            all.contains(&(m.to_string(), p.to_string())),
            "{m} {p}: {all:?}"
        );
    }
    assert!(
        whatsapp_public_routes()
            .iter()
            .all(|(_, p)| p.starts_with(WHATSAPP_PREFIX))
    );
}
