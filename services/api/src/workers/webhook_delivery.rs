//! Delivers the webhook outbox: claims due rows (leased, so a crash re-queues
//! them), POSTs each signed with HMAC-SHA256, and records the attempt: delivered,
//! retried with exponential backoff, or failed after the last attempt. Nothing
//! here depends on Redis; rows wait in Postgres while a receiver is down.

use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use hmac::{Hmac, KeyInit, Mac};
use prosaas_tenant::repo::webhooks::{self, AttemptOutcome, DueDelivery};
use prosaas_tenant::{BusinessScope, Db, TenantError, system};
use sha2::Sha256;

use super::WorkerSettings;

/// Header carrying `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "x-prosaas-signature";
/// Header carrying the unix seconds that were signed.
pub const TIMESTAMP_HEADER: &str = "x-prosaas-timestamp";
/// Header carrying the event type.
pub const EVENT_HEADER: &str = "x-prosaas-event";
/// Header carrying the delivery id (receivers de-duplicate by it).
pub const DELIVERY_HEADER: &str = "x-prosaas-delivery";

const BUSINESSES_PER_TICK: i32 = 100;
const DELIVERIES_PER_CLAIM: i64 = 20;
/// Parallel requests per tick, so one slow receiver does not hold up the rest.
const IN_FLIGHT: usize = 8;
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// `sha256=` + hex HMAC-SHA256 of `"<timestamp>.<body>"` under the subscription secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before retry number `attempts` (1-based): base * 2^(attempts-1), capped at 1 h.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    base.saturating_mul(2u32.saturating_pow(exp))
        .min(MAX_BACKOFF)
}

/// The HTTP client deliveries use: bounded time, no redirects (a receiver may not
/// bounce our signed payload elsewhere).
pub fn client(settings: &WorkerSettings) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(settings.webhook_timeout)
        .connect_timeout(settings.webhook_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("ProSaaS-Webhooks/1")
        .build()
}

/// Polls forever, every `webhook_poll_every`.
pub async fn run(db: Db, settings: WorkerSettings) {
    let http = match client(&settings) {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(error = %e, "webhook delivery disabled: HTTP client could not be built");
            return;
        }
    };
    let mut tick = tokio::time::interval(settings.webhook_poll_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_once(&db, &http, &settings).await {
            tracing::warn!(error = %e, "webhook delivery tick failed; retrying next tick");
        }
    }
}

/// One pass over the due outbox; returns the number of attempts made.
pub async fn deliver_once(
    db: &Db,
    http: &reqwest::Client,
    settings: &WorkerSettings,
) -> Result<usize, TenantError> {
    let lease = chrono::Duration::from_std(settings.webhook_timeout * 3)
        .unwrap_or_else(|_| chrono::Duration::seconds(60));
    let mut work: Vec<(BusinessScope, DueDelivery)> = Vec::new();
    for business in system::businesses_with_due_webhooks(db, BUSINESSES_PER_TICK).await? {
        let scope = system::worker_scope(business);
        match webhooks::claim_due(db, &scope, lease, DELIVERIES_PER_CLAIM).await {
            Ok(due) => work.extend(due.into_iter().map(|d| (scope.clone(), d))),
            Err(e) => {
                tracing::warn!(business.id = %business, error = %e, "claiming webhook deliveries failed")
            }
        }
    }
    let attempts = work.len();
    futures_util::stream::iter(work)
        .for_each_concurrent(IN_FLIGHT, |(scope, delivery)| async move {
            attempt(db, http, settings, &scope, delivery).await;
        })
        .await;
    Ok(attempts)
}

async fn attempt(
    db: &Db,
    http: &reqwest::Client,
    settings: &WorkerSettings,
    scope: &BusinessScope,
    d: DueDelivery,
) {
    let body = serde_json::to_vec(&d.payload).unwrap_or_default();
    let timestamp = Utc::now().timestamp();
    let result = http
        .post(&d.url)
        .header("content-type", "application/json")
        .header(EVENT_HEADER, &d.event_type)
        .header(DELIVERY_HEADER, d.id.to_string())
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(SIGNATURE_HEADER, signature(&d.secret, timestamp, &body))
        .body(body)
        .send()
        .await;
    let outcome = match result {
        Ok(res) if res.status().is_success() => AttemptOutcome::Delivered {
            status_code: res.status().as_u16(),
        },
        Ok(res) => AttemptOutcome::Failed {
            status_code: Some(res.status().as_u16()),
            error: format!("receiver answered {}", res.status()),
        },
        // the error names the host, never the payload
        Err(e) => AttemptOutcome::Failed {
            status_code: None,
            error: if e.is_timeout() {
                "timed out".to_string()
            } else {
                format!("request failed: {e}")
            },
        },
    };
    let retry_at = match outcome {
        AttemptOutcome::Delivered { .. } => None,
        AttemptOutcome::Failed { .. } if d.attempts >= settings.webhook_max_attempts => None,
        AttemptOutcome::Failed { .. } => {
            let wait = backoff(settings.webhook_retry_base, d.attempts);
            Some(Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default())
        }
    };
    tracing::info!(
        business.id = %scope.business_id(), webhook.delivery_id = %d.id, webhook.event = %d.event_type,
        webhook.attempt = d.attempts, webhook.delivered = matches!(outcome, AttemptOutcome::Delivered { .. }),
        "webhook delivery attempt {}", d.id
    );
    if let Err(e) = webhooks::record_attempt(db, scope, d.id, outcome, retry_at).await {
        // the lease runs out and the row is attempted again: at-least-once
        tracing::warn!(webhook.delivery_id = %d.id, error = %e, "recording a webhook attempt failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps_at_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 30), MAX_BACKOFF);
    }

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231-style check against an independent computation
        let sig = signature("key", 1, b"{}");
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(b"key") else {
            panic!("hmac key")
        };
        mac.update(b"1.{}");
        assert_eq!(
            sig,
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        );
        assert_ne!(sig, signature("other", 1, b"{}"));
    }
}
