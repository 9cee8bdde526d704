//! Offers, signatures and invoices: two tenants, one database, no crossing; the
//! public signing grant opens exactly one offer.

use prosaas_tenant::billing::{
    LineInput, NewInvoice, NewOffer, OfferChanges, OfferFilter, OfferStatus, SignatureSubmission,
};
use prosaas_tenant::repo::{invoices, offers, signatures};
use prosaas_tenant::{TenantError, system};

use crate::helpers::*;

fn lines() -> Vec<LineInput> {
    vec![LineInput {
        description: "ייעוץ".into(),
        quantity_milli: 1500,
        unit_price_agorot: 33_333,
        discount_bp: 0,
    }]
}

fn offer() -> NewOffer {
    NewOffer {
        lead_id: None,
        title: "הצעה".into(),
        customer_name: "דנה".into(),
        customer_email: None,
        customer_phone: None,
        notes: String::new(),
        valid_until: None,
        items: lines(),
    }
}

fn filter() -> OfferFilter {
    OfferFilter {
        status: None,
        lead_id: None,
        page: 1,
        per_page: 50,
    }
}

#[tokio::test]
async fn offers_and_invoices_written_as_a_are_invisible_as_b() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let b = business(&w.db, "Beta", None).await?;
    let (sa, sb) = (scope(&w.db, &a).await?, scope(&w.db, &b).await?);
    let oa = offers::create(&w.db, &sa, offer()).await?;
    assert_eq!((oa.business_id, oa.totals.total_agorot), (a.id, 59_000));
    assert!(matches!(
        offers::get(&w.db, &sb, oa.id).await,
        Err(TenantError::NotFound("offer"))
    ));
    assert!(matches!(
        offers::update(&w.db, &sb, oa.id, OfferChanges::default()).await,
        Err(TenantError::NotFound("offer"))
    ));
    assert!(matches!(
        offers::delete(&w.db, &sb, oa.id).await,
        Err(TenantError::NotFound("offer"))
    ));
    assert!(matches!(
        signatures::issue_link(&w.db, &sb, oa.id, chrono::Duration::days(1)).await,
        Err(TenantError::NotFound("offer"))
    ));
    assert_eq!(offers::list(&w.db, &sb, filter()).await?.total, 0);
    let ia = invoices::create(
        &w.db,
        &sa,
        NewInvoice {
            lead_id: None,
            customer_name: "דנה".into(),
            customer_email: None,
            customer_phone: None,
            notes: String::new(),
            items: lines(),
        },
    )
    .await?;
    assert_eq!(ia.number, 1);
    assert!(matches!(
        invoices::get(&w.db, &sb, ia.id).await,
        Err(TenantError::NotFound("invoice"))
    ));
    assert_eq!(invoices::list(&w.db, &sb, 1, 50).await?.total, 0);
    Ok(())
}

#[tokio::test]
async fn a_signing_grant_opens_one_offer_once() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "Alpha", None).await?;
    let sa = scope(&w.db, &a).await?;
    let o = offers::create(&w.db, &sa, offer()).await?;
    let link = signatures::issue_link(&w.db, &sa, o.id, chrono::Duration::days(1)).await?;
    assert_eq!(link.offer.status, OfferStatus::Sent);
    let grant = system::resolve_signing_token(&w.db, link.expose_token()).await?;
    let view = signatures::public_view(&w.db, &grant).await?;
    assert_eq!(
        (view.offer.id, view.business.name.as_str()),
        (o.id, "Alpha")
    );
    let signed = signatures::sign(
        &w.db,
        &grant,
        SignatureSubmission {
            signer_name: "דנה".into(),
            png: b"\x89PNG\r\n\x1a\n".to_vec(),
            ip: "203.0.113.1".into(),
            user_agent: "test".into(),
        },
    )
    .await?;
    assert_eq!(signed.document_sha256, view.document_sha256);
    assert!(matches!(
        system::resolve_signing_token(&w.db, link.expose_token()).await,
        Err(TenantError::Conflict {
            code: "signing_link_used",
            ..
        })
    ));
    assert!(matches!(
        system::resolve_signing_token(&w.db, "not-a-token").await,
        Err(TenantError::NotFound("signing_link"))
    ));
    Ok(())
}
