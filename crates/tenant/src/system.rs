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

// ---- voice (issue 3) --------------------------------------------------------

/// The business that owns a Twilio number, as a scope for the voice service.
///
/// Caller: voice's `POST /webhook/incoming_call` only, after the Twilio signature
/// was verified (or validation is switched off in development). `number` is the
/// normalized `To` of the call.
pub async fn resolve_business_for_twilio_number(
    db: &Db,
    number: &prosaas_common::E164Phone,
) -> Result<Option<BusinessScope>, TenantError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Nullable<SqlUuid>)]
        id: Option<Uuid>,
    }
    let mut conn = db.conn().await?;
    let found: Found = diesel::sql_query("SELECT app_business_for_twilio_number($1) AS id")
        .bind::<Text, _>(number.as_str())
        .get_result(&mut conn)
        .await?;
    Ok(found
        .id
        .map(|id| BusinessScope::new(BusinessId::from_uuid(id), Actor::Service("voice"))))
}

/// The business and call of a Twilio CallSid, as a scope for the voice service.
///
/// Caller: voice's `POST /webhook/call_status` and `/webhook/handle_recording`
/// only, after the Twilio signature was verified.
pub async fn resolve_twilio_call(
    db: &Db,
    call_sid: &str,
) -> Result<Option<(BusinessScope, crate::repo::calls::CallId)>, TenantError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = SqlUuid)]
        business_id: Uuid,
        #[diesel(sql_type = SqlUuid)]
        call_id: Uuid,
    }
    let mut conn = db.conn().await?;
    let found: Option<Found> = diesel::sql_query("SELECT * FROM app_call_for_twilio_sid($1)")
        .bind::<Text, _>(call_sid)
        .get_result(&mut conn)
        .await
        .optional()?;
    Ok(found.map(|f| {
        (
            BusinessScope::new(
                BusinessId::from_uuid(f.business_id),
                Actor::Service("voice"),
            ),
            crate::repo::calls::CallId::from_uuid(f.call_id),
        )
    }))
}

/// Signs a media-stream token for one call of `scope`'s business, valid for
/// `ttl_seconds`: `base64url(business:call:expiry)` `.` `base64url(HMAC-SHA256)`.
///
/// Caller: voice's incoming-call webhook and outbound answer webhook, which put
/// it into the `<Stream>` `<Parameter>`s.
pub fn issue_stream_token(
    secret: &[u8],
    scope: &BusinessScope,
    call: crate::repo::calls::CallId,
    ttl_seconds: i64,
) -> String {
    let expiry = Utc::now().timestamp().saturating_add(ttl_seconds);
    let payload = format!("{}:{}:{expiry}", scope.business_id(), call);
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload.as_bytes()),
        URL_SAFE_NO_PAD.encode(stream_mac(secret, payload.as_bytes()))
    )
}

fn stream_mac(secret: &[u8], payload: &[u8]) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    match hmac::Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(payload);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; an empty tag never verifies
        Err(_) => Vec::new(),
    }
}

/// Verifies a media-stream token and opens the scope of its call (returned as
/// read). Expired, forged or unknown-call tokens answer `Unauthenticated`.
///
/// Caller: voice's `/ws/media` on the Twilio `start` frame, only.
pub async fn scope_from_stream_token(
    db: &Db,
    secret: &[u8],
    token: &str,
) -> Result<(BusinessScope, crate::repo::calls::Call), TenantError> {
    use hmac::{KeyInit, Mac};
    let (payload_b64, mac_b64) = token.split_once('.').ok_or(TenantError::Unauthenticated)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| TenantError::Unauthenticated)?;
    let tag = URL_SAFE_NO_PAD
        .decode(mac_b64)
        .map_err(|_| TenantError::Unauthenticated)?;
    let mut mac =
        hmac::Hmac::<Sha256>::new_from_slice(secret).map_err(|_| TenantError::Unauthenticated)?;
    mac.update(&payload);
    mac.verify_slice(&tag)
        .map_err(|_| TenantError::Unauthenticated)?;
    let text = String::from_utf8(payload).map_err(|_| TenantError::Unauthenticated)?;
    let mut parts = text.split(':');
    let (Some(business), Some(call), Some(expiry), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TenantError::Unauthenticated);
    };
    let business: BusinessId = business.parse().map_err(|_| TenantError::Unauthenticated)?;
    let call: crate::repo::calls::CallId =
        call.parse().map_err(|_| TenantError::Unauthenticated)?;
    let expiry: i64 = expiry.parse().map_err(|_| TenantError::Unauthenticated)?;
    if expiry < Utc::now().timestamp() {
        return Err(TenantError::Unauthenticated);
    }
    let scope = BusinessScope::new(business, Actor::Service("voice"));
    // the call must exist in that business (RLS-scoped read)
    let call = crate::repo::calls::get(db, &scope, call)
        .await
        .map_err(|e| match e {
            TenantError::NotFound(_) => TenantError::Unauthenticated,
            other => other,
        })?;
    Ok((scope, call))
}

// --- WhatsApp worker (issue 4) ---------------------------------------------------

#[derive(QueryableByName)]
struct ResumableSession {
    #[diesel(sql_type = SqlUuid)]
    business_id: Uuid,
}

/// Caller: the whatsapp service's `/internal/whatsapp/*` routes, **only after** the
/// request's `x-worker-secret` matched `WHATSAPP_WORKER_SECRET` (the Baileys worker
/// is the one trusted origin that names a business by id). Checks the business
/// exists; the scope acts as the operator (the service itself, no user).
pub async fn whatsapp_worker_scope(
    db: &Db,
    business: BusinessId,
) -> Result<BusinessScope, TenantError> {
    let exists = unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(diesel::select(diesel::dsl::exists(
            businesses::table.find(business.as_uuid()),
        ))
        .get_result::<bool>(conn)
        .await?)
    })?;
    if !exists {
        return Err(TenantError::NotFound("business"));
    }
    Ok(BusinessScope::new(business, Actor::Operator))
}

/// Caller: the whatsapp service's `GET /internal/whatsapp/sessions` (worker secret
/// checked first), so the worker resumes every linked business after a restart.
/// Returns ids only, through the SECURITY DEFINER `app_whatsapp_resumable_sessions()`.
pub async fn whatsapp_resumable_sessions(db: &Db) -> Result<Vec<BusinessId>, TenantError> {
    let mut conn = db.conn().await?;
    let rows: Vec<ResumableSession> =
        diesel::sql_query("SELECT business_id FROM app_whatsapp_resumable_sessions()")
            .load(&mut conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| BusinessId::from_uuid(r.business_id))
        .collect())
}

// --- API keys and background workers (migration 2026-11-25-000006_crm) ---

#[derive(QueryableByName)]
struct ApiKeyMatch {
    #[diesel(sql_type = SqlUuid)]
    api_key_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    business_id: Uuid,
}

#[derive(QueryableByName)]
struct DueBusiness {
    #[diesel(sql_type = SqlUuid)]
    business_id: Uuid,
}

/// Caller: the scope extractor of prosaas-http, for `Authorization: Bearer`.
/// A live key opens its own business with the `api_key` actor (member-level,
/// never management); unknown or revoked keys answer `Unauthenticated`.
pub async fn authenticate_api_key(db: &Db, key: &str) -> Result<BusinessScope, TenantError> {
    if !key.starts_with(crate::repo::api_keys::KEY_PREFIX) || key.len() > 128 {
        return Err(TenantError::Unauthenticated);
    }
    let mut conn = db.conn().await?;
    let found: Option<ApiKeyMatch> = diesel::sql_query("SELECT * FROM app_api_key_lookup($1)")
        .bind::<Bytea, _>(crate::repo::api_keys::hash_key(key))
        .get_result(&mut conn)
        .await
        .optional()?;
    let found = found.ok_or(TenantError::Unauthenticated)?;
    Ok(BusinessScope::new(
        BusinessId::from_uuid(found.business_id),
        Actor::ApiKey {
            key_id: found.api_key_id,
        },
    ))
}

/// Caller: the api's background workers only (due-task sweep, webhook delivery,
/// bus recorder), for a business id that came from [`businesses_with_due_tasks`],
/// [`businesses_with_due_webhooks`] or an envelope on our own Redis bus.
pub fn worker_scope(business: BusinessId) -> BusinessScope {
    BusinessScope::new(business, Actor::Worker)
}

async fn due_businesses(
    db: &Db,
    function: &'static str,
    limit: i32,
) -> Result<Vec<BusinessId>, TenantError> {
    let mut conn = db.conn().await?;
    let rows: Vec<DueBusiness> = diesel::sql_query(format!("SELECT * FROM {function}($1)"))
        .bind::<Integer, _>(limit)
        .load(&mut conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| BusinessId::from_uuid(r.business_id))
        .collect())
}

/// Caller: the due-task sweep. Businesses with an open task past its due date
/// that has not been notified yet (ids only; the sweep itself runs scoped).
pub async fn businesses_with_due_tasks(
    db: &Db,
    limit: i32,
) -> Result<Vec<BusinessId>, TenantError> {
    due_businesses(db, "app_tasks_due_businesses", limit).await
}

/// Caller: the webhook delivery worker. Businesses with a pending delivery whose
/// attempt time has come (ids only; claiming and sending run scoped).
pub async fn businesses_with_due_webhooks(
    db: &Db,
    limit: i32,
) -> Result<Vec<BusinessId>, TenantError> {
    due_businesses(db, "app_webhook_due_businesses", limit).await
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
