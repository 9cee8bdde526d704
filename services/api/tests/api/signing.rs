//! The public signing link: no login, single use, expiring, and every token
//! problem a clear JSON 4xx.

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::offers::{draft, sent};

pub fn png_data_url() -> String {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-signature";
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

pub fn signature(name: &str) -> Value {
    json!({"signer_name": name, "signature_png_data_url": png_data_url()})
}

/// POSTs a signature the way a browser behind nginx does.
pub async fn sign(app: &TestApp, token: &str, body: Value) -> AnyResult<(StatusCode, Value)> {
    let res = app
        .http
        .post(format!("{}/api/public/sign/{token}", app.base))
        .header("x-real-ip", "203.0.113.9")
        .header("user-agent", "Mozilla/5.0 (iPhone) test")
        .json(&body)
        .send()
        .await?;
    let st = res.status();
    Ok((st, res.json().await.unwrap_or(Value::Null)))
}

async fn public_get(app: &TestApp, token: &str) -> AnyResult<(StatusCode, Value)> {
    app.call(
        None,
        Method::GET,
        &format!("/api/public/sign/{token}"),
        None,
    )
    .await
}

#[tokio::test]
async fn a_customer_signs_once_and_the_evidence_is_kept() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("agent@a.test").await?;
    let (id, token) = sent(&app, &s).await?;
    let (st, view) = public_get(&app, &token).await?;
    assert_eq!(st, StatusCode::OK, "{view}");
    assert_eq!(view["business"]["name"], "Alpha");
    assert_eq!(view["offer"]["total_agorot"], 174_021);
    assert_eq!(view["offer"]["items"][0]["description"], "מזגן 1.5 כ\"ס");
    assert!(
        view["offer"].get("business_id").is_none(),
        "no internal ids: {view}"
    );
    let hash = view["document_sha256"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(hash.len(), 64);
    let (st, signed) = sign(&app, &token, signature("דנה כהן")).await?;
    assert_eq!(st, StatusCode::OK, "{signed}");
    assert_eq!(signed["status"], "signed");
    assert_eq!(
        signed["document_sha256"],
        json!(hash),
        "what was shown is what was signed"
    );
    let (_, offer) = app.get(&s, &format!("/api/offers/{id}")).await?;
    assert_eq!(offer["status"], "signed");
    assert_eq!(offer["signature"]["signer_name"], "דנה כהן");
    assert_eq!(offer["signature"]["ip"], "203.0.113.9");
    assert_eq!(
        offer["signature"]["user_agent"],
        "Mozilla/5.0 (iPhone) test"
    );
    let (st, ev) = app.get(&s, &format!("/api/offers/{id}/signature")).await?;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ev["signature_png_data_url"], json!(png_data_url()));
    assert_eq!(ev["document"]["offer_id"], json!(id));
    assert_eq!(ev["document"]["totals"]["total_agorot"], 174_021);
    assert_eq!(ev["document_sha256"], json!(hash));
    // single use: the same link again answers 409 on both methods
    let (st, body) = sign(&app, &token, signature("someone else")).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "signing_link_used")
    );
    let (st, body) = public_get(&app, &token).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "signing_link_used")
    );
    Ok(())
}

#[tokio::test]
async fn unknown_expired_and_replaced_links_answer_clear_4xx() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    for bad in [
        "nope",
        &"x".repeat(300),
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let (st, body) = public_get(&app, bad).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "signing_link_not_found"),
            "{bad}"
        );
        let (st, body) = sign(&app, bad, signature("x")).await?;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "signing_link_not_found")
        );
    }
    // sending again replaces the link
    let (id, first) = sent(&app, &s).await?;
    let (st, again) = app
        .post(
            &s,
            &format!("/api/offers/{id}/send"),
            json!({"expires_in_days": 1}),
        )
        .await?;
    assert_eq!(st, StatusCode::OK);
    let second = again["token"].as_str().unwrap_or_default().to_string();
    assert_ne!(first, second);
    let (st, body) = public_get(&app, &first).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "signing_link_used")
    );
    // the clock runs out on the new one
    let owner = prosaas_test_support::raw_connect(&app._tdb.owner_url()).await?;
    owner
        .execute("UPDATE offer_signing_links SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL", &[])
        .await?;
    let (st, body) = public_get(&app, &second).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::GONE, "signing_link_expired")
    );
    let (st, body) = sign(&app, &second, signature("late")).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::GONE, "signing_link_expired")
    );
    let (_, offer) = app.get(&s, &format!("/api/offers/{id}")).await?;
    assert_eq!(offer["status"], "sent", "nothing was signed");
    // only the hash of a token is stored
    let stored = owner
        .query_one(
            "SELECT count(*) FROM offer_signing_links WHERE token_hash = sha256($1::text::bytea)",
            &[&second],
        )
        .await?;
    assert_eq!(stored.get::<_, i64>(0), 1);
    let plain = owner
        .query_one("SELECT count(*) FROM offer_signing_links WHERE position($1::text::bytea IN token_hash) > 0", &[&second])
        .await?;
    assert_eq!(plain.get::<_, i64>(0), 0);
    Ok(())
}

#[tokio::test]
async fn bad_signatures_are_422_and_leave_the_link_usable() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (_, token) = sent(&app, &s).await?;
    let gif = format!(
        "data:image/gif;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(b"GIF89a")
    );
    for (body, want) in [
        (
            json!({"signer_name": "", "signature_png_data_url": png_data_url()}),
            "invalid_signer_name",
        ),
        (
            json!({"signer_name": "x".repeat(201), "signature_png_data_url": png_data_url()}),
            "invalid_signer_name",
        ),
        (
            json!({"signer_name": "Dana", "signature_png_data_url": gif}),
            "invalid_signature",
        ),
        (
            json!({"signer_name": "Dana", "signature_png_data_url": "data:image/png;base64,@@@"}),
            "invalid_signature",
        ),
        (json!({"signer_name": "Dana"}), "invalid_signature"),
    ] {
        let (st, res) = sign(&app, &token, body.clone()).await?;
        assert_eq!(
            (st, code(&res)),
            (StatusCode::UNPROCESSABLE_ENTITY, want),
            "{body}"
        );
    }
    let (st, _) = sign(&app, &token, signature("Dana")).await?;
    assert_eq!(st, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn two_tabs_signing_at_once_sign_exactly_once() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (_, token) = sent(&app, &s).await?;
    let (a, b) = tokio::join!(
        sign(&app, &token, signature("first")),
        sign(&app, &token, signature("second"))
    );
    let mut statuses = vec![a?.0, b?.0];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
    Ok(())
}

#[tokio::test]
async fn a_customer_can_decline_through_the_link() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let s = app.login("owner@a.test").await?;
    let (id, token) = sent(&app, &s).await?;
    let (st, body) = app
        .call(
            None,
            Method::POST,
            &format!("/api/public/sign/{token}/decline"),
            Some(json!({"reason": "too expensive"})),
        )
        .await?;
    assert_eq!(
        (st, body["status"].as_str()),
        (StatusCode::OK, Some("declined"))
    );
    let (_, offer) = app.get(&s, &format!("/api/offers/{id}")).await?;
    assert_eq!(offer["status"], "declined");
    let (st, body) = sign(&app, &token, signature("Dana")).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::CONFLICT, "signing_link_used")
    );
    let (st, body) = app.get(&s, &format!("/api/offers/{id}/signature")).await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "signature_not_found")
    );
    Ok(())
}

#[tokio::test]
async fn a_link_opens_only_its_own_offer_and_business() -> TestResult {
    let app = spawn_app().await?;
    two_tenants(&app).await?;
    let a = app.login("owner@a.test").await?;
    let b = app.login("owner@b.test").await?;
    let (id_a, token_a) = sent(&app, &a).await?;
    let draft_b = draft(&app, &b).await?;
    let (_, view) = public_get(&app, &token_a).await?;
    assert_eq!(view["offer"]["id"], json!(id_a));
    let (st, _) = sign(&app, &token_a, signature("Dana")).await?;
    assert_eq!(st, StatusCode::OK);
    // B's owner cannot read A's signature; B's draft is untouched
    let (st, body) = app
        .get(&b, &format!("/api/offers/{id_a}/signature"))
        .await?;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::NOT_FOUND, "signature_not_found")
    );
    let (_, offer_b) = app.get(&b, &format!("/api/offers/{draft_b}")).await?;
    assert_eq!(offer_b["status"], "draft");
    Ok(())
}
