//! Invoices: gapless numbers under concurrency, signed offer -> invoice, the
//! printable page, and the cross-tenant matrix.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::offers::{id_of, sent};
use crate::signing::{sign, signature};

fn direct_invoice(name: &str) -> Value {
    json!({
        "customer_name": name,
        "customer_phone": "03-7654321",
        "items": [{"description": "ייעוץ", "quantity": 1.5, "unit_price_agorot": 33_333}]
    })
}

#[tokio::test]
async fn twenty_concurrent_invoices_are_numbered_1_to_20_without_gaps() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let calls = (0..20).map(|i| {
        let app = &app;
        let s = &s;
        async move {
            app.post(s, "/api/invoices", direct_invoice(&format!("לקוח {i}")))
                .await
        }
    });
    let results = futures_util::future::join_all(calls).await;
    let mut numbers = Vec::new();
    for r in results {
        let (st, inv) = r?;
        assert_eq!(st, StatusCode::CREATED, "{inv}");
        numbers.push(inv["number"].as_i64().unwrap_or(-1));
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=20).collect::<Vec<i64>>());
    // another business counts on its own
    let b = app.login("owner@b.test").await?;
    let (_, first_b) = app.post(&b, "/api/invoices", direct_invoice("B")).await?;
    assert_eq!(first_b["number"], 1);
    let (_, page) = app.get(&s, "/api/invoices?per_page=5").await?;
    assert_eq!(
        (page["total"].as_i64(), page["items"][0]["number"].as_i64()),
        (Some(20), Some(20))
    );
    Ok(())
}

#[tokio::test]
async fn a_failed_issue_does_not_burn_a_number() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (_, one) = app.post(&s, "/api/invoices", direct_invoice("א")).await?;
    assert_eq!(one["number"], 1);
    // rejected inside the issuing transaction (foreign lead) after the counter moved
    let b = app.login("owner@b.test").await?;
    let (_, lead_b) = app
        .post(&b, "/api/leads", json!({"name": "B lead"}))
        .await?;
    let mut bad = direct_invoice("ב");
    bad["lead_id"] = lead_b["id"].clone();
    let (st, body) = app.post(&s, "/api/invoices", bad).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_lead")
    );
    let (_, two) = app.post(&s, "/api/invoices", direct_invoice("ג")).await?;
    assert_eq!(two["number"], 2);
    // 1.5 × 333.33 = 499.995 -> 500.00; VAT 90.00
    assert_eq!(
        (
            two["subtotal_agorot"].as_i64(),
            two["vat_agorot"].as_i64(),
            two["total_agorot"].as_i64()
        ),
        (Some(50_000), Some(9_000), Some(59_000))
    );
    assert_eq!(two["customer_phone"], "+97237654321");
    Ok(())
}

#[tokio::test]
async fn a_signed_offer_becomes_one_invoice_with_the_signed_amounts() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("agent@a.test").await?;
    let (id, token) = sent(&app, &s).await?;
    let (st, _) = sign(&app, &token, signature("Dana")).await?;
    assert_eq!(st, StatusCode::OK);
    // a VAT change after signing does not change what was signed
    let owner = app.login("owner@a.test").await?;
    app.patch(&owner, "/api/business", json!({"vat_rate_bp": 1700}))
        .await?;
    let (st, inv) = app
        .post(&s, &format!("/api/offers/{id}/invoice"), json!({}))
        .await?;
    assert_eq!(st, StatusCode::CREATED, "{inv}");
    assert_eq!(inv["number"], 1);
    assert_eq!(inv["offer_id"], json!(id));
    assert_eq!(
        (inv["vat_rate_bp"].as_i64(), inv["total_agorot"].as_i64()),
        (Some(1800), Some(174_021))
    );
    assert_eq!(inv["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(inv["items"][1]["quantity"], 2.5);
    let (st, body) = app
        .post(&s, &format!("/api/offers/{id}/invoice"), json!({}))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "offer_already_invoiced")
    );
    let (_, offer) = app.get(&s, &format!("/api/offers/{id}")).await?;
    assert_eq!(offer["invoice_id"], inv["id"]);
    let (st, got) = app
        .get(&s, &format!("/api/invoices/{}", id_of(&inv)))
        .await?;
    assert_eq!((st, got["number"].as_i64()), (StatusCode::OK, Some(1)));
    Ok(())
}

#[tokio::test]
async fn the_printable_invoice_is_escaped_hebrew_rtl_html() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let mut body = direct_invoice("<script>alert('x')</script> & co");
    body["notes"] = json!("תודה!\n<b>bold</b>");
    let (_, inv) = app.post(&s, "/api/invoices", body).await?;
    // 22:30 UTC is already the next day in Jerusalem (UTC+2 in November)
    let owner = prosaas_test_support::raw_connect(&app._tdb.owner_url()).await?;
    owner
        .execute(
            "UPDATE invoices SET issued_at = '2026-11-25T22:30:00Z'",
            &[],
        )
        .await?;
    let (_, got) = app
        .get(&s, &format!("/api/invoices/{}", id_of(&inv)))
        .await?;
    assert_eq!(got["issued_on"], "2026-11-26");
    let res = app
        .http
        .get(format!("{}/api/invoices/{}/print", app.base, id_of(&inv)))
        .header("cookie", s.cookie.clone().unwrap_or_default())
        .send()
        .await?;
    assert_eq!(res.status(), StatusCode::OK);
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(res.headers().contains_key("content-security-policy"));
    let html = res.text().await?;
    assert!(html.contains(r#"<html lang="he" dir="rtl">"#));
    assert!(html.contains("חשבונית מס מספר 1"));
    assert!(
        html.contains("26/11/2026"),
        "the date in the business's time zone"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains("<script>") && !html.contains("<b>"));
    assert!(
        html.contains("590.00 ₪") && html.contains("מע״מ 18%"),
        "{html}"
    );
    Ok(())
}

#[tokio::test]
async fn another_business_invoice_is_404_everywhere_and_never_listed() -> TestResult {
    let app = spawn_app().await?;
    let t = two_tenants(&app).await?;
    let b = app.login("owner@b.test").await?;
    let (_, inv_b) = app
        .post(&b, "/api/invoices", direct_invoice("B customer"))
        .await?;
    let id = id_of(&inv_b);
    for who in ["owner@a.test", "admin@a.test", "agent@a.test"] {
        let s = app.login(who).await?;
        for path in [
            format!("/api/invoices/{id}"),
            format!("/api/invoices/{id}/print"),
        ] {
            let (st, body) = app.get(&s, &path).await?;
            assert_eq!(
                (st, code(&body)),
                (StatusCode::NOT_FOUND, "invoice_not_found"),
                "{who} {path}"
            );
        }
        let (_, page) = app.get(&s, "/api/invoices").await?;
        assert_eq!(page["total"], 0, "{who} list");
        let (st, _) = app
            .get(&s, &format!("/api/invoices?business_id={}", t.b.id))
            .await?;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} cannot name B");
    }
    let a = app.login("owner@a.test").await?;
    let (_, first_a) = app.post(&a, "/api/invoices", direct_invoice("A")).await?;
    assert_eq!(first_a["number"], 1, "A's numbering ignores B's invoices");
    let root = app.login("root@prosaas.test").await?;
    let (_, page) = app
        .get(&root, &format!("/api/invoices?business_id={}", t.b.id))
        .await?;
    assert_eq!(
        (
            page["total"].as_i64(),
            page["items"][0]["customer_name"].as_str()
        ),
        (Some(1), Some("B customer"))
    );
    Ok(())
}
