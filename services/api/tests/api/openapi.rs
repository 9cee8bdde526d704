//! The OpenAPI document matches the route table both ways: every documented
//! path + method is served (not a router 404/405), and every route registered
//! in services/api/src/routes/mod.rs is documented.
//!
//! The registered list is read from the route table's source itself (actix-web
//! offers no way to enumerate a built App's routes): each `resource("…")` with
//! the `web::get()`/`post()`/… calls that follow it, prefixed with `/api` when
//! it comes after `web::scope("/api")`. A route added without `resource(…)` would
//! escape this test, so routes/mod.rs keeps to that one helper.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const ROUTE_TABLE: &str = include_str!("../../src/routes/mod.rs");
const METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// (METHOD, path) of every route in the route table.
fn registered_routes() -> BTreeSet<(String, String)> {
    let api_scope = ROUTE_TABLE
        .find("web::scope(\"/api\")")
        .unwrap_or(usize::MAX);
    let mut out = BTreeSet::new();
    let mut current: Option<String> = None;
    let mut rest = ROUTE_TABLE;
    let mut offset = 0;
    loop {
        let next_resource = rest.find("resource(\"");
        let next_method = METHODS
            .iter()
            .filter_map(|m| rest.find(&format!("web::{m}()")).map(|i| (i, *m)))
            .min();
        match (next_resource, next_method) {
            (Some(r), m) if m.is_none_or(|(i, _)| r < i) => {
                let start = r + "resource(\"".len();
                let end = rest[start..].find('"').map_or(start, |e| start + e);
                let path = &rest[start..end];
                let prefix = if offset + r > api_scope { "/api" } else { "" };
                current = Some(format!("{prefix}{path}"));
                offset += end;
                rest = &rest[end..];
            }
            (_, Some((i, m))) => {
                if let Some(path) = &current {
                    out.insert((m.to_uppercase(), path.clone()));
                }
                let skip = i + m.len() + 7;
                offset += skip;
                rest = &rest[skip..];
            }
            _ => break,
        }
    }
    out
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
    let documented = documented_routes(&doc);
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
    for (method, path) in documented_routes(&doc) {
        let url = path
            .replace("{id}", &any_id)
            .replace("{token}", "no-such-token");
        let m = Method::from_bytes(method.as_bytes())?;
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
