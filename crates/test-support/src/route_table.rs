//! Reads an actix route table from its source (actix-web offers no way to
//! enumerate a built App's routes): each `resource("…")` with the
//! `web::get()`/`post()`/… calls that follow it, prefixed with the path of the
//! latest `web::scope("…")` before it. Route tables keep to that one helper,
//! so the OpenAPI tests can compare the document with what is served.

use std::collections::BTreeSet;

const METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// (METHOD, full path) of every route in the route-table source `table`.
pub fn routes_in_table(table: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut scope = String::new();
    let mut current: Option<String> = None;
    let mut rest = table;
    loop {
        let next_scope = rest.find("web::scope(\"").map(|i| (i, 0u8));
        let next_resource = rest.find("resource(\"").map(|i| (i, 1u8));
        let next_method = METHODS
            .iter()
            .filter_map(|m| rest.find(&format!("web::{m}()")).map(|i| (i, *m)))
            .min();
        let first = [
            next_scope,
            next_resource,
            next_method.map(|(i, _)| (i, 2u8)),
        ]
        .into_iter()
        .flatten()
        .min();
        match first {
            Some((i, kind @ (0 | 1))) => {
                let opener = if kind == 0 {
                    "web::scope(\""
                } else {
                    "resource(\""
                };
                let start = i + opener.len();
                let end = rest[start..].find('"').map_or(start, |e| start + e);
                let path = &rest[start..end];
                if kind == 0 {
                    scope = path.to_string();
                    current = None;
                } else {
                    current = Some(format!("{scope}{path}"));
                }
                rest = &rest[end..];
            }
            Some((i, _)) => {
                if let (Some(path), Some((_, m))) = (&current, next_method) {
                    out.insert((m.to_uppercase(), path.clone()));
                }
                let len = next_method.map_or(0, |(_, m)| m.len());
                rest = &rest[i + len + 7..];
            }
            None => break,
        }
    }
    out
}
