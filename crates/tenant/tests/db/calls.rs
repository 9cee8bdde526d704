//! Calls repository: two tenants, Twilio lookups, monotonic statuses, stream tokens.

use prosaas_common::E164Phone;
use prosaas_tenant::TenantError;
use prosaas_tenant::repo::calls::{
    self, CallDirection, CallFilter, CallStatus, CallerDetails, NewCall, StatusReport,
};
use prosaas_tenant::system;

use crate::helpers::*;

fn inbound(sid: &str) -> NewCall {
    NewCall {
        direction: CallDirection::Inbound,
        call_sid: Some(sid.into()),
        from_phone: "+15005550100".into(),
        to_phone: "+15005550001".into(),
        status: CallStatus::Ringing,
        lead_id: None,
    }
}

#[tokio::test]
async fn calls_of_one_business_are_invisible_to_another() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "A", Some("+15005550001")).await?;
    let b = business(&w.db, "B", Some("+15005550002")).await?;
    let (sa, sb) = (scope(&w.db, &a).await?, scope(&w.db, &b).await?);
    let call = calls::create(&w.db, &sa, inbound("CA1")).await?;
    // a repeated webhook returns the same row
    let again = calls::create(&w.db, &sa, inbound("CA1")).await?;
    assert_eq!(call.id, again.id);
    // the same SID cannot be claimed by another business
    assert!(matches!(
        calls::create(&w.db, &sb, inbound("CA1")).await,
        Err(TenantError::Conflict { .. })
    ));
    assert!(matches!(
        calls::get(&w.db, &sb, call.id).await,
        Err(TenantError::NotFound("call"))
    ));
    let list_b = calls::list(&w.db, &sb, CallFilter::default()).await?;
    assert_eq!(list_b.total, 0);
    let list_a = calls::list(&w.db, &sa, CallFilter::default()).await?;
    assert_eq!(list_a.items.len(), 1);
    assert!(matches!(
        calls::apply_status(
            &w.db,
            &sb,
            call.id,
            StatusReport {
                status: CallStatus::Completed,
                duration_seconds: Some(3)
            }
        )
        .await,
        Err(TenantError::NotFound("call"))
    ));

    // lookups by number and by SID find the right business
    let found =
        system::resolve_business_for_twilio_number(&w.db, &E164Phone::parse("+15005550002")?)
            .await?;
    assert_eq!(found.map(|s| s.business_id()), Some(b.id));
    let unknown =
        system::resolve_business_for_twilio_number(&w.db, &E164Phone::parse("+15005550009")?)
            .await?;
    assert!(unknown.is_none());
    let (s, id) = system::resolve_twilio_call(&w.db, "CA1")
        .await?
        .ok_or("call not found by sid")?;
    assert_eq!((s.business_id(), id), (a.id, call.id));
    Ok(())
}

#[tokio::test]
async fn statuses_never_move_backwards_and_caller_lead_is_reused() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "A", Some("+15005550001")).await?;
    let sa = scope(&w.db, &a).await?;
    let call = calls::create(&w.db, &sa, inbound("CA2")).await?;
    let report = |status, d| StatusReport {
        status,
        duration_seconds: d,
    };
    let o = calls::apply_status(&w.db, &sa, call.id, report(CallStatus::InProgress, None)).await?;
    assert!(o.changed && o.call.answered_at.is_some());
    let o =
        calls::apply_status(&w.db, &sa, call.id, report(CallStatus::Completed, Some(42))).await?;
    assert!(o.changed);
    assert_eq!(
        (o.call.status, o.call.duration_seconds),
        (CallStatus::Completed, Some(42))
    );
    // late "ringing" and a repeated "completed" change nothing
    for r in [
        report(CallStatus::Ringing, None),
        report(CallStatus::Completed, Some(50)),
        report(CallStatus::NoAnswer, None),
    ] {
        let o = calls::apply_status(&w.db, &sa, call.id, r).await?;
        assert!(!o.changed);
        assert_eq!(
            (o.call.status, o.call.duration_seconds),
            (CallStatus::Completed, Some(42))
        );
    }
    let details = CallerDetails {
        phone: Some("+15005550100".into()),
        name: Some("Dana".into()),
        need: Some("a quote".into()),
        callback_time: None,
    };
    let (lead, created) = calls::record_caller(&w.db, &sa, call.id, details.clone()).await?;
    assert!(created);
    let second = calls::create(&w.db, &sa, inbound("CA3")).await?;
    let (again, created) = calls::record_caller(&w.db, &sa, second.id, details).await?;
    assert!(!created);
    assert_eq!(again.id, lead.id);
    assert_eq!(
        calls::get(&w.db, &sa, second.id).await?.lead_id,
        Some(lead.id)
    );
    Ok(())
}

#[tokio::test]
async fn stream_tokens_open_only_their_own_call() -> TestResult {
    let w = world().await?;
    let a = business(&w.db, "A", Some("+15005550001")).await?;
    let b = business(&w.db, "B", Some("+15005550002")).await?;
    let (sa, sb) = (scope(&w.db, &a).await?, scope(&w.db, &b).await?);
    let call = calls::create(&w.db, &sa, inbound("CA4")).await?;
    let secret = b"stream-secret";
    let token = system::issue_stream_token(secret, &sa, call.id, 60);
    let (s, opened) = system::scope_from_stream_token(&w.db, secret, &token).await?;
    assert_eq!((s.business_id(), opened.id), (a.id, call.id));
    // wrong secret, expired, and a token naming another business's call all fail
    assert!(
        system::scope_from_stream_token(&w.db, b"other", &token)
            .await
            .is_err()
    );
    let expired = system::issue_stream_token(secret, &sa, call.id, -1);
    assert!(
        system::scope_from_stream_token(&w.db, secret, &expired)
            .await
            .is_err()
    );
    let forged = system::issue_stream_token(secret, &sb, call.id, 60);
    assert!(matches!(
        system::scope_from_stream_token(&w.db, secret, &forged).await,
        Err(TenantError::Unauthenticated)
    ));
    Ok(())
}
