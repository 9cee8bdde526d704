//! The public OpenAPI document (built by the api, served at
//! `GET /api/openapi.json`) and this service's route table agree: every
//! documented `/api/whatsapp/*` path + method is served here (not a router
//! 404/405), every public route here is documented, and no `/internal/*` route
//! is in the document.

use std::collections::BTreeSet;

use prosaas_api::routes::openapi::ApiDoc;
use prosaas_test_support::route_table::routes_in_table;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use utoipa::OpenApi;

use crate::helpers::{Options, TestResult, code, spawn_app};

const ROUTE_TABLE: &str = include_str!("../../src/routes/mod.rs");
const PREFIX: &str = "/api/whatsapp/";

fn document() -> Result<Value, serde_json::Error> {
    serde_json::to_value(ApiDoc::openapi())
}

/// (METHOD, path) of the document's operations.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in ["get", "post", "put", "patch", "delete", "head"] {
            if item.get(m).is_some() {
                out.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_public_whatsapp_route_is_documented_and_no_internal_one() -> TestResult {
    let doc = document()?;
    let all = documented(&doc);
    let documented: BTreeSet<_> = all
        .iter()
        .filter(|(_, p)| p.starts_with(PREFIX))
        .cloned()
        .collect();
    let table = routes_in_table(ROUTE_TABLE);
    assert!(table.contains(&("POST".into(), "/internal/whatsapp/events".into())));
    let public: BTreeSet<_> = table
        .iter()
        .filter(|(_, p)| p.starts_with(PREFIX))
        .cloned()
        .collect();
    assert!(public.len() >= 10, "reader found too little: {table:?}");
    let undocumented: Vec<_> = public.difference(&documented).collect();
    let unserved: Vec<_> = documented.difference(&public).collect();
    assert!(
        undocumented.is_empty(),
        "not in the document: {undocumented:?}"
    );
    assert!(unserved.is_empty(), "documented, not routed: {unserved:?}");
    let internal: Vec<_> = all.iter().filter(|(_, p)| p.contains("internal")).collect();
    assert!(
        internal.is_empty(),
        "internal routes documented: {internal:?}"
    );
    Ok(())
}

#[tokio::test]
async fn every_documented_whatsapp_operation_is_served() -> TestResult {
    let app = spawn_app(Options::default()).await?;
    let t = app.two_tenants().await?;
    let doc = document()?;
    let any_id = uuid::Uuid::new_v4().to_string();
    let ops: Vec<_> = documented(&doc)
        .into_iter()
        .filter(|(_, p)| p.starts_with(PREFIX))
        .collect();
    assert!(ops.len() >= 10, "{ops:?}");
    for (method, path) in ops {
        let url = format!("{}{}", app.base, path.replace("{id}", &any_id));
        let mut req = app
            .http
            .request(Method::from_bytes(method.as_bytes())?, url)
            .header("cookie", &t.owner_a.cookie);
        if matches!(method.as_str(), "POST" | "PATCH" | "PUT") {
            req = req.json(&json!({}));
        }
        let res = req.send().await?;
        let status = res.status();
        if path.ends_with("/events") {
            // a live stream: the status line is enough
            assert_eq!(status, StatusCode::OK, "{method} {path}");
            continue;
        }
        let text = res.text().await?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {body}"
        );
        assert!(
            !(status == StatusCode::NOT_FOUND && code(&body) == "not_found"),
            "{method} {path} is not routed: {body}"
        );
    }
    Ok(())
}

#[test]
fn the_documented_whatsapp_enums_use_the_wire_spelling() -> TestResult {
    use prosaas_tenant::repo::whatsapp::{Author, Direction, MessageStatus, SessionState};
    let doc = document()?;
    type Parses = fn(&str) -> bool;
    let parsers: [(&str, Parses); 4] = [
        ("SessionState", |s| SessionState::parse(s).is_some()),
        ("Direction", |s| Direction::parse(s).is_some()),
        ("Author", |s| Author::parse(s).is_some()),
        ("MessageStatus", |s| MessageStatus::parse(s).is_some()),
    ];
    for (name, parses) in parsers {
        let values = doc["components"]["schemas"][name]["enum"]
            .as_array()
            .ok_or(format!("{name} is not a documented enum"))?;
        assert!(!values.is_empty());
        for v in values {
            let v = v.as_str().ok_or("enum value")?;
            assert!(parses(v), "{name}: {v} is not a wire spelling");
        }
    }
    Ok(())
}
