//! The escape hatches: every way to act *before* a scope exists, or across
//! businesses. Each function names its one allowed caller. Adding one here is a
//! review event.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Bytea, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use prosaas_db::schema::businesses;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::repo::audit::{self, AuditEntry};
use crate::repo::{Tenancy, unit_of_work};
use crate::scope::{Actor, user_actor};
use crate::{
    BusinessId, BusinessScope, CrossTenant, Db, Principal, Role, TenantError, UserId, password,
};

/// A freshly issued session token. Only its SHA-256 is stored.
pub struct SessionToken {
    token: String,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
}

impl SessionToken {
    /// The secret value for the cookie. Never log it.
    pub fn expose(&self) -> &str {
        &self.token
    }
}

/// Where a login came from (stored with the session).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Client IP as seen through nginx.
    pub ip: Option<String>,
    /// User-Agent header.
    pub user_agent: Option<String>,
}

#[derive(QueryableByName)]
struct LoginRow {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    business_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    password_hash: String,
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = Bool)]
    active: bool,
}

#[derive(QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = SqlUuid)]
    user_id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    business_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    role: String,
}

#[derive(QueryableByName)]
struct Expiry {
    #[diesel(sql_type = Timestamptz)]
    expires_at: DateTime<Utc>,
}

fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn principal_from(
    user_id: Uuid,
    business_id: Option<Uuid>,
    role: &str,
    email: String,
    name: String,
) -> Result<Principal, TenantError> {
    Ok(Principal {
        user_id: UserId::from_uuid(user_id),
        business_id: business_id.map(BusinessId::from_uuid),
        role: role
            .parse::<Role>()
            .map_err(|e| TenantError::Internal(e.to_string()))?,
        email,
        name,
    })
}

/// A hash to verify against when the e-mail is unknown, so both failures take
/// the same time and answer the same way.
async fn dummy_hash() -> &'static str {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            match crate::Password::parse("not-a-real-password") {
                Ok(p) => p.hash().await.unwrap_or_default(),
                Err(_) => String::new(),
            }
        })
        .await
}

/// Caller: `POST /api/auth/login` only. Verifies the password and opens a session.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    client: ClientInfo,
    ttl_seconds: i32,
) -> Result<(SessionToken, Principal), TenantError> {
    let email = email.trim().to_lowercase();
    let mut conn = db.conn().await?;
    let found: Option<LoginRow> = diesel::sql_query("SELECT * FROM app_login_lookup($1)")
        .bind::<Text, _>(&email)
        .get_result(&mut conn)
        .await
        .optional()?;
    drop(conn);
    let Some(row) = found else {
        password::verify(password.to_string(), dummy_hash().await.to_string()).await;
        return Err(TenantError::InvalidCredentials);
    };
    if !password::verify(password.to_string(), row.password_hash.clone()).await || !row.active {
        return Err(TenantError::InvalidCredentials);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let mut conn = db.conn().await?;
    let expiry: Expiry =
        diesel::sql_query("SELECT app_session_create($1, $2, $3, $4, $5) AS expires_at")
            .bind::<SqlUuid, _>(row.user_id)
            .bind::<Bytea, _>(hash_token(&token))
            .bind::<Integer, _>(ttl_seconds)
            .bind::<Nullable<Text>, _>(client.ip)
            .bind::<Nullable<Text>, _>(client.user_agent)
            .get_result(&mut conn)
            .await?;
    let principal = principal_from(
        row.user_id,
        row.business_id,
        &row.role,
        email,
        String::new(),
    )?;
    // the name is not part of the login lookup; reload through the session path
    let principal = authenticate_session(db, &token).await.unwrap_or(principal);
    Ok((
        SessionToken {
            token,
            expires_at: expiry.expires_at,
        },
        principal,
    ))
}

/// Caller: the session extractor of prosaas-http. Expired sessions and inactive
/// or deleted users answer `Unauthenticated`.
pub async fn authenticate_session(db: &Db, token: &str) -> Result<Principal, TenantError> {
    if token.is_empty() || token.len() > 128 {
        return Err(TenantError::Unauthenticated);
    }
    let mut conn = db.conn().await?;
    let row: Option<SessionRow> = diesel::sql_query("SELECT * FROM app_session_lookup($1)")
        .bind::<Bytea, _>(hash_token(token))
        .get_result(&mut conn)
        .await
        .optional()?;
    let row = row.ok_or(TenantError::Unauthenticated)?;
    principal_from(row.user_id, row.business_id, &row.role, row.email, row.name)
}

/// Caller: `POST /api/auth/logout`.
pub async fn logout(db: &Db, token: &str) -> Result<(), TenantError> {
    let mut conn = db.conn().await?;
    diesel::sql_query("SELECT app_session_delete($1)")
        .bind::<Bytea, _>(hash_token(token))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// Caller: [`crate::authorize`] when a system admin names a business. Checks the
/// business exists and writes the crossing to `audit_log`.
pub(crate) async fn admin_enter_business(
    db: &Db,
    principal: &Principal,
    business: BusinessId,
    purpose: &str,
) -> Result<BusinessScope, TenantError> {
    if principal.role != Role::SystemAdmin {
        return Err(TenantError::NotFound("business"));
    }
    let actor = user_actor(principal);
    enter(db, actor, business, purpose).await
}

/// Caller: the `prosaas` operator CLI (seed-demo, create-user), never a request.
pub async fn operator_scope(
    db: &Db,
    business: BusinessId,
    purpose: &str,
) -> Result<BusinessScope, TenantError> {
    enter(db, Actor::Operator, business, purpose).await
}

async fn enter(
    db: &Db,
    actor: Actor,
    business: BusinessId,
    purpose: &str,
) -> Result<BusinessScope, TenantError> {
    let purpose = purpose.chars().take(200).collect::<String>();
    let audit_actor = actor.clone();
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        let exists: bool = diesel::select(diesel::dsl::exists(
            businesses::table.find(business.as_uuid()),
        ))
        .get_result(conn)
        .await?;
        if !exists {
            return Err(TenantError::NotFound("business"));
        }
        audit::record(
            conn,
            AuditEntry {
                business_id: Some(business),
                actor: &audit_actor,
                action: "system.enter_business",
                target_type: Some("business"),
                target_id: Some(business.to_string()),
                detail: serde_json::json!({ "purpose": purpose }),
            },
        )
        .await
    })?;
    Ok(BusinessScope::new(business, actor))
}

/// Caller: API handlers that list or manage across businesses (system admins only).
/// Refuses everyone else; writes the crossing to `audit_log`.
pub async fn admin_cross_tenant(
    db: &Db,
    principal: &Principal,
    purpose: &str,
) -> Result<CrossTenant, TenantError> {
    if principal.role != Role::SystemAdmin {
        return Err(TenantError::forbidden(
            "role_not_allowed",
            "only system administrators may do this",
        ));
    }
    cross(db, user_actor(principal), purpose).await
}

/// Caller: the `prosaas` operator CLI.
pub async fn operator_cross_tenant(db: &Db, purpose: &str) -> Result<CrossTenant, TenantError> {
    cross(db, Actor::Operator, purpose).await
}

async fn cross(db: &Db, actor: Actor, purpose: &str) -> Result<CrossTenant, TenantError> {
    let purpose = purpose.chars().take(200).collect::<String>();
    let audit_actor = actor.clone();
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        audit::record(
            conn,
            AuditEntry {
                business_id: None,
                actor: &audit_actor,
                action: "system.cross_tenant",
                target_type: None,
                target_id: None,
                detail: serde_json::json!({ "purpose": purpose }),
            },
        )
        .await
    })?;
    Ok(CrossTenant { actor })
}

/// Caller: health checks and tests that prove the fail-closed default: with no
/// tenant GUC set, the application role sees no business at all.
pub async fn visible_businesses_without_scope(db: &Db) -> Result<i64, TenantError> {
    unit_of_work!(db, Tenancy::None, |conn| {
        Ok(businesses::table.count().get_result::<i64>(conn).await?)
    })
}

#[derive(QueryableByName)]
struct SigningLinkRow {
    #[diesel(sql_type = SqlUuid)]
    link_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    business_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    offer_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    expires_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    used_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    revoked_at: Option<DateTime<Utc>>,
}

/// Caller: the public signing endpoints `/api/public/sign/{token}` only (no login:
/// the token is the credential). Resolves the SHA-256 of the token through the
/// SECURITY DEFINER function `app_signing_link_lookup` (the app role sees no tenant
/// rows before a scope exists) and returns a grant for that one offer, never a
/// [`BusinessScope`]. Unknown -> `NotFound("signing_link")`; used or revoked ->
/// `Conflict signing_link_used`; expired -> `Conflict signing_link_expired`.
pub async fn resolve_signing_token(
    db: &Db,
    token: &str,
) -> Result<crate::repo::signatures::SigningGrant, TenantError> {
    use crate::repo::signatures::{SigningGrant, link_expired, link_used, token_hash};
    if token.is_empty() || token.len() > 128 {
        return Err(TenantError::NotFound("signing_link"));
    }
    let mut conn = db.conn().await?;
    let row: Option<SigningLinkRow> =
        diesel::sql_query("SELECT * FROM app_signing_link_lookup($1)")
            .bind::<Bytea, _>(token_hash(token))
            .get_result(&mut conn)
            .await
            .optional()?;
    let row = row.ok_or(TenantError::NotFound("signing_link"))?;
    if row.used_at.is_some() || row.revoked_at.is_some() {
        return Err(link_used());
    }
    if row.expires_at <= Utc::now() {
        return Err(link_expired());
    }
    Ok(SigningGrant::new(
        row.link_id,
        BusinessId::from_uuid(row.business_id),
        crate::OfferId::from_uuid(row.offer_id),
        row.expires_at,
    ))
}
