//! Outgoing webhooks of one business: subscriptions (URL + event types +
//! signing secret) and the outbox of deliveries, which is also the delivery log.
//! Outbox rows are written by table triggers in the transaction of the change
//! (migration 2026-11-25-000006_crm); the api's worker claims and sends them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use diesel::dsl::count_star;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::schema::{webhook_deliveries, webhook_subscriptions};
use rand::RngCore;
use serde::Serialize;
use uuid::Uuid;

use super::Tenancy;
use crate::domain::Page;
use crate::{BusinessId, BusinessScope, Db, Manager, TenantError, WebhookId};

/// Event types a subscription may ask for (each written by a table trigger).
pub const EVENT_TYPES: [&str; 9] = [
    "lead.created",
    "lead.updated",
    "lead.deleted",
    "task.created",
    "task.updated",
    "task.deleted",
    "task.due",
    "call.ended",
    "notification.created",
];

/// Largest page of the delivery log.
pub const MAX_PER_PAGE: u32 = 100;

/// A subscription as the API shows it (never the secret).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: WebhookId,
    pub url: String,
    pub event_types: Vec<String>,
    pub description: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A subscription just created, with its signing secret (shown once).
pub struct CreatedSubscription {
    pub subscription: Subscription,
    secret: String,
}

impl CreatedSubscription {
    /// The HMAC key. Never log it.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }
}

/// A new subscription; `url` and `event_types` already validated by the caller.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub url: String,
    pub event_types: Vec<String>,
    pub description: String,
}

/// Changes to a subscription.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionChanges {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub description: Option<String>,
    pub active: Option<bool>,
}

/// One row of the delivery log.
#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(Pg))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: Uuid,
    pub subscription_id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A delivery claimed by the worker: everything needed to send it.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: Uuid,
    pub url: String,
    pub secret: String,
    pub event_type: String,
    pub payload: serde_json::Value,
    /// Including the attempt now being made.
    pub attempts: i32,
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub enum AttemptOutcome {
    /// The receiver answered 2xx.
    Delivered { status_code: u16 },
    /// Non-2xx, timeout or connection error.
    Failed {
        status_code: Option<u16>,
        error: String,
    },
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhook_subscriptions, check_for_backend(Pg))]
struct SubscriptionRow {
    id: Uuid,
    url: String,
    event_types: Vec<String>,
    description: String,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<SubscriptionRow> for Subscription {
    fn from(r: SubscriptionRow) -> Self {
        Subscription {
            id: WebhookId::from_uuid(r.id),
            url: r.url,
            event_types: r.event_types,
            description: r.description,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The business's subscriptions, newest first.
pub async fn list(
    db: &Db,
    scope: &BusinessScope<Manager>,
) -> Result<Vec<Subscription>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let rows: Vec<SubscriptionRow> = webhook_subscriptions::table
            .filter(webhook_subscriptions::business_id.eq(business.as_uuid()))
            .order((
                webhook_subscriptions::created_at.desc(),
                webhook_subscriptions::id.desc(),
            ))
            .select(SubscriptionRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Subscription::from).collect())
    })
}

async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: WebhookId,
) -> Result<Subscription, TenantError> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::business_id.eq(business.as_uuid()))
        .filter(webhook_subscriptions::id.eq(id.as_uuid()))
        .select(SubscriptionRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(Subscription::from)
        .ok_or(TenantError::NotFound("webhook"))
}

/// One subscription of the scope's business.
pub async fn get(
    db: &Db,
    scope: &BusinessScope<Manager>,
    id: WebhookId,
) -> Result<Subscription, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await
    })
}

/// Creates a subscription with a fresh signing secret.
pub async fn create(
    db: &Db,
    scope: &BusinessScope<Manager>,
    new: NewSubscription,
) -> Result<CreatedSubscription, TenantError> {
    let business = scope.business_id();
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes));
    let stored = secret.clone();
    let row = unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: SubscriptionRow = diesel::insert_into(webhook_subscriptions::table)
            .values((
                webhook_subscriptions::business_id.eq(business.as_uuid()),
                webhook_subscriptions::url.eq(new.url),
                webhook_subscriptions::event_types.eq(new.event_types),
                webhook_subscriptions::description.eq(new.description),
                webhook_subscriptions::secret.eq(stored),
            ))
            .returning(SubscriptionRow::as_returning())
            .get_result(conn)
            .await?;
        Ok(row)
    })?;
    Ok(CreatedSubscription {
        subscription: Subscription::from(row),
        secret,
    })
}

/// Applies changes to a subscription.
pub async fn update(
    db: &Db,
    scope: &BusinessScope<Manager>,
    id: WebhookId,
    changes: SubscriptionChanges,
) -> Result<Subscription, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let nothing = changes.url.is_none()
            && changes.event_types.is_none()
            && changes.description.is_none()
            && changes.active.is_none();
        if nothing {
            return find(conn, business, id).await;
        }
        diesel::update(
            webhook_subscriptions::table
                .filter(webhook_subscriptions::business_id.eq(business.as_uuid()))
                .filter(webhook_subscriptions::id.eq(id.as_uuid())),
        )
        .set(changes)
        .returning(SubscriptionRow::as_returning())
        .get_result(conn)
        .await
        .optional()?
        .map(Subscription::from)
        .ok_or(TenantError::NotFound("webhook"))
    })
}

/// Deletes a subscription and its delivery log.
pub async fn delete(
    db: &Db,
    scope: &BusinessScope<Manager>,
    id: WebhookId,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let n = diesel::delete(
            webhook_subscriptions::table
                .filter(webhook_subscriptions::business_id.eq(business.as_uuid()))
                .filter(webhook_subscriptions::id.eq(id.as_uuid())),
        )
        .execute(conn)
        .await?;
        if n == 0 {
            Err(TenantError::NotFound("webhook"))
        } else {
            Ok(())
        }
    })
}

/// The delivery log of one subscription, newest first.
pub async fn deliveries(
    db: &Db,
    scope: &BusinessScope<Manager>,
    id: WebhookId,
    status: Option<String>,
    page: u32,
    per_page: u32,
) -> Result<Page<Delivery>, TenantError> {
    let business = scope.business_id();
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let page = page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await?;
        let base = || {
            let mut q = webhook_deliveries::table
                .filter(webhook_deliveries::business_id.eq(business.as_uuid()))
                .filter(webhook_deliveries::subscription_id.eq(id.as_uuid()))
                .into_boxed();
            if let Some(s) = status.clone() {
                q = q.filter(webhook_deliveries::status.eq(s));
            }
            q
        };
        let total: i64 = base().select(count_star()).first(conn).await?;
        let items: Vec<Delivery> = base()
            .order((
                webhook_deliveries::created_at.desc(),
                webhook_deliveries::id.desc(),
            ))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(Delivery::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items,
            page,
            per_page,
            total,
        })
    })
}

/// Claims up to `limit` due deliveries of the scope's business for one attempt:
/// counts the attempt and leases the row for `lease` (if the worker dies, the
/// row becomes due again then). Deliveries of a disabled subscription fail.
pub async fn claim_due(
    db: &Db,
    scope: &BusinessScope,
    lease: Duration,
    limit: i64,
) -> Result<Vec<DueDelivery>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let now = Utc::now();
        let claimed: Vec<(Uuid, Uuid)> = webhook_deliveries::table
            .filter(webhook_deliveries::business_id.eq(business.as_uuid()))
            .filter(webhook_deliveries::status.eq("pending"))
            .filter(webhook_deliveries::next_attempt_at.le(now))
            .order(webhook_deliveries::next_attempt_at.asc())
            .limit(limit)
            .select((webhook_deliveries::id, webhook_deliveries::subscription_id))
            .for_update()
            .skip_locked()
            .load(conn)
            .await?;
        let subscription_ids: Vec<Uuid> = claimed.iter().map(|(_, s)| *s).collect();
        let targets: Vec<(Uuid, String, String, bool)> = webhook_subscriptions::table
            .filter(webhook_subscriptions::business_id.eq(business.as_uuid()))
            .filter(webhook_subscriptions::id.eq_any(&subscription_ids))
            .select((
                webhook_subscriptions::id,
                webhook_subscriptions::url,
                webhook_subscriptions::secret,
                webhook_subscriptions::active,
            ))
            .load(conn)
            .await?;
        let due = claimed.into_iter().filter_map(|(id, sub)| {
            targets
                .iter()
                .find(|t| t.0 == sub)
                .map(|(_, url, secret, active)| (id, url.clone(), secret.clone(), *active))
        });
        let due: Vec<(Uuid, String, String, bool)> = due.collect();
        let mut out = Vec::with_capacity(due.len());
        for (id, url, secret, active) in due {
            let target = webhook_deliveries::table
                .filter(webhook_deliveries::business_id.eq(business.as_uuid()))
                .filter(webhook_deliveries::id.eq(id));
            if !active {
                diesel::update(target)
                    .set((
                        webhook_deliveries::status.eq("failed"),
                        webhook_deliveries::next_attempt_at.eq(None::<DateTime<Utc>>),
                        webhook_deliveries::last_error.eq("subscription disabled"),
                    ))
                    .execute(conn)
                    .await?;
                continue;
            }
            let (event_type, payload, attempts): (String, serde_json::Value, i32) =
                diesel::update(target)
                    .set((
                        webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                        webhook_deliveries::next_attempt_at.eq(now + lease),
                    ))
                    .returning((
                        webhook_deliveries::event_type,
                        webhook_deliveries::payload,
                        webhook_deliveries::attempts,
                    ))
                    .get_result(conn)
                    .await?;
            out.push(DueDelivery {
                id,
                url,
                secret,
                event_type,
                payload,
                attempts,
            });
        }
        Ok(out)
    })
}

/// Records an attempt: delivered, retry at `retry_at`, or (no `retry_at`) failed for good.
pub async fn record_attempt(
    db: &Db,
    scope: &BusinessScope,
    id: Uuid,
    outcome: AttemptOutcome,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let target = webhook_deliveries::table
            .filter(webhook_deliveries::business_id.eq(business.as_uuid()))
            .filter(webhook_deliveries::id.eq(id));
        match outcome {
            AttemptOutcome::Delivered { status_code } => {
                diesel::update(target)
                    .set((
                        webhook_deliveries::status.eq("delivered"),
                        webhook_deliveries::delivered_at.eq(Some(Utc::now())),
                        webhook_deliveries::next_attempt_at.eq(None::<DateTime<Utc>>),
                        webhook_deliveries::last_status_code.eq(Some(i32::from(status_code))),
                        webhook_deliveries::last_error.eq(None::<String>),
                    ))
                    .execute(conn)
                    .await?;
            }
            AttemptOutcome::Failed { status_code, error } => {
                let status = if retry_at.is_some() {
                    "pending"
                } else {
                    "failed"
                };
                diesel::update(target)
                    .set((
                        webhook_deliveries::status.eq(status),
                        webhook_deliveries::next_attempt_at.eq(retry_at),
                        webhook_deliveries::last_status_code.eq(status_code.map(i32::from)),
                        webhook_deliveries::last_error
                            .eq(Some(error.chars().take(500).collect::<String>())),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
        Ok(())
    })
}
