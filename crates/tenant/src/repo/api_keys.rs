//! Per-business API keys (n8n and other integrations). The key is shown once;
//! only its SHA-256 is stored. Authentication is in [`crate::system`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use prosaas_db::schema::api_keys;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Tenancy;
use crate::{ApiKeyId, BusinessScope, Db, Manager, TenantError, UserId};

/// What every key starts with, so leaked keys are easy to grep for.
pub const KEY_PREFIX: &str = "psk_";
/// Characters of the key kept in clear for lists.
const SHOWN_CHARS: usize = 12;

/// An API key as lists show it (never the key itself).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub created_by_user_id: Option<UserId>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A key just created: the only time the secret is available.
pub struct IssuedApiKey {
    pub key: ApiKey,
    secret: String,
}

impl IssuedApiKey {
    /// The bearer token. Never log it.
    pub fn expose(&self) -> &str {
        &self.secret
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_keys, check_for_backend(Pg))]
struct ApiKeyRow {
    id: Uuid,
    name: String,
    prefix: String,
    created_by_user_id: Option<Uuid>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(r: ApiKeyRow) -> Self {
        ApiKey {
            id: ApiKeyId::from_uuid(r.id),
            name: r.name,
            prefix: r.prefix,
            created_by_user_id: r.created_by_user_id.map(UserId::from_uuid),
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
            created_at: r.created_at,
        }
    }
}

/// SHA-256 of a presented key (what the table stores).
pub(crate) fn hash_key(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

/// The business's keys, newest first (revoked ones too).
pub async fn list(db: &Db, scope: &BusinessScope<Manager>) -> Result<Vec<ApiKey>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let rows: Vec<ApiKeyRow> = api_keys::table
            .filter(api_keys::business_id.eq(business.as_uuid()))
            .order((api_keys::created_at.desc(), api_keys::id.desc()))
            .select(ApiKeyRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(ApiKey::from).collect())
    })
}

/// Issues a new key for the scope's business.
pub async fn create(
    db: &Db,
    scope: &BusinessScope<Manager>,
    name: &str,
) -> Result<IssuedApiKey, TenantError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(TenantError::invalid(
            "invalid_name",
            "name must be 1 to 100 characters",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix: String = secret.chars().take(SHOWN_CHARS).collect();
    let business = scope.business_id();
    let creator = scope.member_user_id().map(|u| u.as_uuid());
    let hash = hash_key(&secret);
    let name = name.to_string();
    let row = unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: ApiKeyRow = diesel::insert_into(api_keys::table)
            .values((
                api_keys::business_id.eq(business.as_uuid()),
                api_keys::name.eq(name),
                api_keys::prefix.eq(prefix),
                api_keys::key_hash.eq(hash),
                api_keys::created_by_user_id.eq(creator),
            ))
            .returning(ApiKeyRow::as_returning())
            .get_result(conn)
            .await?;
        Ok(row)
    })?;
    Ok(IssuedApiKey {
        key: ApiKey::from(row),
        secret,
    })
}

/// Revokes a key (idempotent); it stops authenticating at once.
pub async fn revoke(
    db: &Db,
    scope: &BusinessScope<Manager>,
    id: ApiKeyId,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let n = diesel::update(
            api_keys::table
                .filter(api_keys::business_id.eq(business.as_uuid()))
                .filter(api_keys::id.eq(id.as_uuid())),
        )
        .set(api_keys::revoked_at.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("COALESCE(revoked_at, now())")))
        .execute(conn)
        .await?;
        if n == 0 {
            Err(TenantError::NotFound("api_key"))
        } else {
            Ok(())
        }
    })
}
