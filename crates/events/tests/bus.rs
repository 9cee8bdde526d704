//! Against the real Redis: a subscriber of business A gets A's events only.

use futures_util::StreamExt;
use prosaas_events::{Envelope, EventBus, EventKind};
use secrecy::SecretString;
use uuid::Uuid;

#[tokio::test]
async fn subscribers_get_only_their_business() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let bus = EventBus::connect(&SecretString::from(url)).await?;
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let mut stream = Box::pin(bus.subscribe(a).await?);
    let for_b = Envelope::new(b, EventKind::LeadCreated, serde_json::json!({}));
    let for_a = Envelope::new(
        a,
        EventKind::CallStatus,
        serde_json::json!({"status": "ringing"}),
    );
    bus.publish(&for_b).await?;
    bus.publish(&for_a).await?;
    let got = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await?;
    assert_eq!(got, Some(for_a));
    Ok(())
}
