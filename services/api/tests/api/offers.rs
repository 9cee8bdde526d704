//! Price offers over HTTP: server-side totals, the status machine, and the
//! cross-tenant matrix over every offer endpoint.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A two-line draft: 1 × 1,500.00 ₪ at 10% off, 2.5 × 49.90 ₪.
pub fn sample_offer() -> Value {
    json!({
        "title": "התקנת מזגן",
        "customer_name": "דנה כהן",
        "customer_phone": "050-1234567",
        "customer_email": "dana@example.com",
        "valid_until": "2026-12-31",
        "items": [
            {"description": "מזגן 1.5 כ\"ס", "quantity": 1, "unit_price_agorot": 150_000, "discount_bp": 1000},
            {"description": "שעת עבודה", "quantity": 2.5, "unit_price_agorot": 4_990}
        ],
        // clients cannot set totals or status
        "total_agorot": 1, "status": "signed"
    })
}

pub fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

/// Creates a draft as `s` and returns its id.
pub async fn draft(app: &TestApp, s: &Session) -> AnyResult<String> {
    let (st, offer) = app.post(s, "/api/offers", sample_offer()).await?;
    assert_eq!(st, StatusCode::CREATED, "{offer}");
    Ok(id_of(&offer))
}

/// Creates and sends a draft; returns (offer id, token).
pub async fn sent(app: &TestApp, s: &Session) -> AnyResult<(String, String)> {
    let id = draft(app, s).await?;
    let (st, body) = app
        .post(s, &format!("/api/offers/{id}/send"), json!({}))
        .await?;
    assert_eq!(st, StatusCode::OK, "{body}");
    Ok((id, body["token"].as_str().unwrap_or_default().to_string()))
}

#[tokio::test]
async fn totals_are_computed_on_the_server_from_lines_and_business_vat() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let s = app.login("agent@a.test").await?;
    let (st, offer) = app.post(&s, "/api/offers", sample_offer()).await?;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(offer["status"], "draft");
    assert_eq!(offer["business_id"], json!(t.a.id));
    assert_eq!(offer["customer_phone"], "+972501234567");
    assert_eq!(offer["valid_until"], "2026-12-31");
    // 1350.00 + 124.75 = 1474.75; 18% VAT = 265.455 -> 265.46; total 1740.21
    let totals = [
        "vat_rate_bp",
        "gross_agorot",
        "discount_agorot",
        "subtotal_agorot",
        "vat_agorot",
        "total_agorot",
    ]
    .map(|k| offer[k].as_i64());
    assert_eq!(
        totals,
        [1800, 162_475, 15_000, 147_475, 26_546, 174_021].map(Some)
    );
    assert_eq!(offer["items"][1]["quantity"], 2.5);
    assert_eq!(offer["items"][1]["total_agorot"], 12_475);
    assert_eq!(offer["items"][0]["discount_agorot"], 15_000);
    // the business changes its VAT rate; a draft is re-priced on its next edit
    let owner = app.login("owner@a.test").await?;
    let (st, _) = app
        .patch(&owner, "/api/business", json!({"vat_rate_bp": 1700}))
        .await?;
    assert_eq!(st, StatusCode::OK);
    let id = id_of(&offer);
    let (st, patched) = app
        .patch(
            &s,
            &format!("/api/offers/{id}"),
            json!({"items": [{"description": "x", "quantity": 3, "unit_price_agorot": 333}], "customer_email": null}),
        )
        .await?;
    assert_eq!(st, StatusCode::OK, "{patched}");
    assert_eq!(
        [
            "vat_rate_bp",
            "subtotal_agorot",
            "vat_agorot",
            "total_agorot"
        ]
        .map(|k| patched[k].as_i64()),
        // 9.99 ₪ at 17% = 1.6983 -> 1.70
        [1700, 999, 170, 1169].map(Some)
    );
    assert!(patched["customer_email"].is_null());
    assert_eq!(patched["title"], "התקנת מזגן", "absent fields are kept");
    let (st, got) = app.get(&s, &format!("/api/offers/{id}")).await?;
    assert_eq!(
        (st, got["total_agorot"].as_i64()),
        (StatusCode::OK, Some(1169))
    );
    Ok(())
}

#[tokio::test]
async fn bad_offers_are_refused_with_clear_codes() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (_, lead_b) = {
        let b = app.login("owner@b.test").await?;
        app.post(&b, "/api/leads", json!({"name": "B lead"}))
            .await?
    };
    let line = json!({"description": "x", "quantity": 1, "unit_price_agorot": 100});
    let cases = [
        (
            json!({"customer_name": "c", "items": [line]}),
            "missing_field",
        ),
        (json!({"title": "t", "items": [line]}), "missing_field"),
        (
            json!({"title": "t", "customer_name": "c", "items": []}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "", "quantity": 1, "unit_price_agorot": 1}]}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "x", "quantity": 0, "unit_price_agorot": 1}]}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "x", "quantity": 1.0005, "unit_price_agorot": 1}]}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "x", "quantity": 1, "unit_price_agorot": -5}]}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "x", "quantity": 1, "unit_price_agorot": 1, "discount_bp": 10001}]}),
            "invalid_item",
        ),
        (
            json!({"title": "t", "customer_name": "c", "customer_phone": "nope", "items": [line]}),
            "invalid_phone",
        ),
        (
            json!({"title": "t", "customer_name": "c", "customer_email": "nope", "items": [line]}),
            "invalid_email",
        ),
        (
            json!({"title": "t", "customer_name": "c", "lead_id": lead_b["id"], "items": [line]}),
            "invalid_lead",
        ),
        (
            json!({"title": "t".repeat(201), "customer_name": "c", "items": [line]}),
            "too_long",
        ),
        // Postgres text cannot hold NUL: a clean 422, not a 500
        (
            json!({"title": "a\u{0}b", "customer_name": "c", "items": [line]}),
            "invalid_text",
        ),
        (
            json!({"title": "t", "customer_name": "c", "notes": "\u{0}", "items": [line]}),
            "invalid_text",
        ),
        (
            json!({"title": "t", "customer_name": "c", "items": [{"description": "x\u{0}", "quantity": 1, "unit_price_agorot": 1}]}),
            "invalid_text",
        ),
    ];
    for (body, want) in cases {
        let (st, res) = app.post(&s, "/api/offers", body.clone()).await?;
        assert_eq!(
            (st, code(&res)),
            (StatusCode::UNPROCESSABLE_ENTITY, want),
            "{body}"
        );
    }
    let (st, res) = app
        .post(
            &s,
            "/api/offers",
            json!({"title": "t", "customer_name": "c", "items": [{"quantity": "one"}]}),
        )
        .await?;
    assert_eq!((st, code(&res)), (StatusCode::BAD_REQUEST, "invalid_json"));
    for bad in ["status=maybe", "per_page=0", "per_page=201", "lead_id=nope"] {
        let (st, res) = app.get(&s, &format!("/api/offers?{bad}")).await?;
        assert_eq!(
            (st, code(&res)),
            (StatusCode::BAD_REQUEST, "invalid_query"),
            "{bad}"
        );
    }
    let (_, page) = app.get(&s, "/api/offers").await?;
    assert_eq!(page["total"], 0, "nothing was created: {page}");
    let _ = t;
    Ok(())
}

#[tokio::test]
async fn only_draft_sent_signed_or_declined_transitions_exist() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("admin@a.test").await?;
    let id = draft(&app, &s).await?;
    let (st, body) = app
        .post(&s, &format!("/api/offers/{id}/decline"), json!({}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "invalid_transition"),
        "draft -> declined"
    );
    let (st, body) = app
        .post(&s, &format!("/api/offers/{id}/invoice"), json!({}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "offer_not_signed")
    );
    let (st, body) = app
        .post(
            &s,
            &format!("/api/offers/{id}/send"),
            json!({"expires_in_days": 91}),
        )
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_expiry")
    );
    let (st, body) = app
        .post(&s, &format!("/api/offers/{id}/send"), json!({}))
        .await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body["offer"]["status"], "sent");
    assert!(
        body["signing_url"].as_str().is_some_and(
            |u| u.ends_with(&format!("/sign/{}", body["token"].as_str().unwrap_or("?")))
        )
    );
    assert!(body["token"].as_str().is_some_and(|t| t.len() >= 43));
    for (method, path, b) in [
        (
            "PATCH",
            format!("/api/offers/{id}"),
            json!({"title": "changed"}),
        ),
        ("DELETE", format!("/api/offers/{id}"), Value::Null),
    ] {
        let (st, body) = if method == "PATCH" {
            app.patch(&s, &path, b).await?
        } else {
            app.delete(&s, &path).await?
        };
        assert_eq!(
            (st, code(&body)),
            (StatusCode::CONFLICT, "offer_not_editable"),
            "{method}"
        );
    }
    let (st, body) = app
        .post(&s, &format!("/api/offers/{id}/decline"), json!({}))
        .await?;
    assert_eq!(
        (st, body["status"].as_str()),
        (StatusCode::OK, Some("declined"))
    );
    assert!(body["declined_at"].is_string());
    for action in ["decline", "send", "invoice"] {
        let (st, _) = app
            .post(&s, &format!("/api/offers/{id}/{action}"), json!({}))
            .await?;
        assert_eq!(st, StatusCode::CONFLICT, "declined -> {action}");
    }
    let (_, page) = app.get(&s, "/api/offers?status=declined").await?;
    assert_eq!(page["total"], 1);
    let (_, page) = app.get(&s, "/api/offers?status=draft").await?;
    assert_eq!(page["total"], 0);
    // a draft can be deleted
    let other = draft(&app, &s).await?;
    let (st, _) = app.delete(&s, &format!("/api/offers/{other}")).await?;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = app.get(&s, &format!("/api/offers/{other}")).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "offer_not_found")
    );
    Ok(())
}

#[tokio::test]
async fn another_business_offer_is_404_everywhere_and_never_listed() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    let (id, _) = sent(&app, &b).await?;
    let draft_b = draft(&app, &b).await?;
    for who in ["owner@a.test", "admin@a.test", "agent@a.test"] {
        let s = app.login(who).await?;
        for target in [&id, &draft_b] {
            let (st, body) = app.get(&s, &format!("/api/offers/{target}")).await?;
            assert_eq!(
                (st, code(&body)),
                (StatusCode::NOT_FOUND, "offer_not_found"),
                "{who} GET"
            );
            let (st, _) = app
                .patch(
                    &s,
                    &format!("/api/offers/{target}"),
                    json!({"title": "pwned"}),
                )
                .await?;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} PATCH");
            let (st, _) = app.delete(&s, &format!("/api/offers/{target}")).await?;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} DELETE");
            for action in ["send", "decline", "invoice"] {
                let (st, _) = app
                    .post(&s, &format!("/api/offers/{target}/{action}"), json!({}))
                    .await?;
                assert_eq!(st, StatusCode::NOT_FOUND, "{who} {action}");
            }
            let (st, _) = app
                .get(&s, &format!("/api/offers/{target}/signature"))
                .await?;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} signature");
            let (st, _) = app.get(&s, &format!("/api/offers/{target}/print")).await?;
            assert_eq!(st, StatusCode::NOT_FOUND, "{who} print");
        }
        let (_, page) = app.get(&s, "/api/offers").await?;
        assert_eq!(page["total"], 0, "{who} list");
        let (st, _) = app
            .get(&s, &format!("/api/offers?business_id={}", t.b.id))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} cannot name B");
    }
    let (_, still) = app.get(&b, &format!("/api/offers/{draft_b}")).await?;
    assert_eq!(still["title"], "התקנת מזגן");
    let (_, still) = app.get(&b, &format!("/api/offers/{id}")).await?;
    assert_eq!(still["status"], "sent");
    // a system admin must name the business, and then sees exactly its offers
    let root = app.login("root@prosaas.test").await?;
    let (st, body) = app.get(&root, "/api/offers").await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::BAD_REQUEST, "business_required")
    );
    let (_, page) = app
        .get(&root, &format!("/api/offers?business_id={}", t.b.id))
        .await?;
    assert_eq!(page["total"], 2);
    let (_, page) = app
        .get(&root, &format!("/api/offers?business_id={}", t.a.id))
        .await?;
    assert_eq!(page["total"], 0);
    Ok(())
}

#[tokio::test]
async fn the_printable_offer_is_escaped_hebrew_rtl_html() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let mut body = sample_offer();
    body["title"] = json!("<script>alert('x')</script>");
    body["notes"] = json!("תודה!\n<b>bold</b>");
    let (_, offer) = app.post(&s, "/api/offers", body).await?;
    let res = app
        .http
        .get(format!("{}/api/offers/{}/print", app.base, id_of(&offer)))
        .header("cookie", s.cookie.clone().unwrap_or_default())
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("content-security-policy"));
    let html = res.text().await?;
    assert!(html.contains(r#"<html lang="he" dir="rtl">"#));
    assert!(html.contains("הצעת מחיר: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("בתוקף עד: <bdi>31/12/2026</bdi>"), "{html}");
    assert!(html.contains("דנה כהן") && html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains("<script>") && !html.contains("<b>"));
    assert!(html.contains("מע״מ 18%"), "{html}");
    Ok(())
}
