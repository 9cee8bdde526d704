//! The WhatsApp link of one business: state and pending QR as the worker
//! reports them, and the Baileys auth state (stored encrypted; this module only
//! moves the ciphertext, the whatsapp service holds the key).

use chrono::Utc;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::WhatsAppSessionRow;
use prosaas_db::schema::{businesses, whatsapp_auth_keys as keys, whatsapp_sessions as ws};

use super::Tenancy;
use super::whatsapp::{SessionState, SessionStatus};
use crate::{BusinessId, BusinessScope, Db, TenantError};

/// The link of the scope's business (`disconnected` when it never linked).
pub async fn status(db: &Db, scope: &BusinessScope) -> Result<SessionStatus, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        load_status(conn, business).await
    })
}

/// The owner asked to link (POST /api/whatsapp/session): linking starts over.
pub async fn begin_linking(db: &Db, scope: &BusinessScope) -> Result<SessionStatus, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let current = load_status(conn, business).await?;
        if current.state == SessionState::Connected {
            return Ok(current);
        }
        diesel::insert_into(ws::table)
            .values((
                ws::business_id.eq(business.as_uuid()),
                ws::state.eq(SessionState::Connecting.as_str()),
            ))
            .on_conflict(ws::business_id)
            .do_update()
            .set((
                ws::state.eq(SessionState::Connecting.as_str()),
                ws::qr.eq(None::<String>),
                ws::qr_rotation.eq(0),
                ws::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        load_status(conn, business).await
    })
}

/// The worker reported a connection state. Leaving `waiting_for_qr` drops the QR;
/// `connected` also resets the rotation count and the last error.
pub async fn record_state(
    db: &Db,
    scope: &BusinessScope,
    state: SessionState,
    phone: Option<String>,
    reason: Option<String>,
) -> Result<SessionStatus, TenantError> {
    let business = scope.business_id();
    let keep_qr = state == SessionState::WaitingForQr;
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        ensure_row(conn, business).await?;
        let target = ws::table.filter(ws::business_id.eq(business.as_uuid()));
        if state == SessionState::Connected {
            diesel::update(target)
                .set((
                    ws::state.eq(state.as_str()),
                    ws::phone.eq(phone),
                    ws::qr.eq(None::<String>),
                    ws::qr_rotation.eq(0),
                    ws::last_error.eq(None::<String>),
                ))
                .execute(conn)
                .await?;
        } else if keep_qr {
            diesel::update(target)
                .set((ws::state.eq(state.as_str()), ws::last_error.eq(reason)))
                .execute(conn)
                .await?;
        } else {
            let phone = if state == SessionState::LoggedOut {
                None
            } else {
                phone
            };
            diesel::update(target)
                .set((
                    ws::state.eq(state.as_str()),
                    ws::phone.eq(phone),
                    ws::qr.eq(None::<String>),
                    ws::last_error.eq(reason),
                ))
                .execute(conn)
                .await?;
        }
        load_status(conn, business).await
    })
}

/// The worker reported a new QR code: store it and count the rotation.
pub async fn record_qr(
    db: &Db,
    scope: &BusinessScope,
    qr: &str,
) -> Result<SessionStatus, TenantError> {
    let business = scope.business_id();
    let qr = qr.to_string();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        ensure_row(conn, business).await?;
        diesel::update(ws::table.filter(ws::business_id.eq(business.as_uuid())))
            .set((
                ws::state.eq(SessionState::WaitingForQr.as_str()),
                ws::qr.eq(Some(qr)),
                ws::qr_rotation.eq(ws::qr_rotation + 1),
                ws::qr_updated_at.eq(Some(Utc::now())),
                ws::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        load_status(conn, business).await
    })
}

/// The stored (encrypted) Baileys creds, if the business has linked.
pub async fn load_creds(db: &Db, scope: &BusinessScope) -> Result<Option<Vec<u8>>, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(ws::table
            .filter(ws::business_id.eq(business.as_uuid()))
            .select(ws::creds_enc)
            .first::<Option<Vec<u8>>>(conn)
            .await
            .optional()?
            .flatten())
    })
}

/// Stored (encrypted) Signal keys of one type: `(id, ciphertext)` for the ids that exist.
pub async fn load_keys(
    db: &Db,
    scope: &BusinessScope,
    key_type: &str,
    ids: &[String],
) -> Result<Vec<(String, Vec<u8>)>, TenantError> {
    let business = scope.business_id();
    let key_type = key_type.to_string();
    let ids = ids.to_vec();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        Ok(keys::table
            .filter(keys::business_id.eq(business.as_uuid()))
            .filter(keys::key_type.eq(key_type))
            .filter(keys::key_id.eq_any(ids))
            .select((keys::key_id, keys::value_enc))
            .load(conn)
            .await?)
    })
}

/// One change of a Signal key: `None` deletes it.
#[derive(Debug, Clone)]
pub struct KeyChange {
    /// Baileys key type (`pre-key`, `session`, ...).
    pub key_type: String,
    /// Key id.
    pub key_id: String,
    /// New ciphertext, or `None` to delete.
    pub value: Option<Vec<u8>>,
}

/// Writes new creds and/or key changes in one transaction, so a batch of Baileys
/// key updates is stored entirely or not at all.
pub async fn write_auth(
    db: &Db,
    scope: &BusinessScope,
    creds: Option<Vec<u8>>,
    changes: Vec<KeyChange>,
) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        ensure_row(conn, business).await?;
        if let Some(creds) = creds {
            diesel::update(ws::table.filter(ws::business_id.eq(business.as_uuid())))
                .set(ws::creds_enc.eq(Some(creds)))
                .execute(conn)
                .await?;
        }
        let (upserts, deletes): (Vec<_>, Vec<_>) =
            changes.into_iter().partition(|c| c.value.is_some());
        for c in deletes {
            diesel::delete(
                keys::table
                    .filter(keys::business_id.eq(business.as_uuid()))
                    .filter(keys::key_type.eq(c.key_type))
                    .filter(keys::key_id.eq(c.key_id)),
            )
            .execute(conn)
            .await?;
        }
        let rows: Vec<_> = upserts
            .into_iter()
            .filter_map(|c| {
                c.value.map(|v| {
                    (
                        keys::business_id.eq(business.as_uuid()),
                        keys::key_type.eq(c.key_type),
                        keys::key_id.eq(c.key_id),
                        keys::value_enc.eq(v),
                    )
                })
            })
            .collect();
        // bounded statement size; Baileys batches are usually tens of keys
        for chunk in rows.chunks(500) {
            diesel::insert_into(keys::table)
                .values(chunk)
                .on_conflict((keys::business_id, keys::key_type, keys::key_id))
                .do_update()
                .set(keys::value_enc.eq(excluded(keys::value_enc)))
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

/// Forgets the auth state (after a log out): creds, keys and any QR.
pub async fn clear_auth(db: &Db, scope: &BusinessScope) -> Result<(), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        diesel::delete(keys::table.filter(keys::business_id.eq(business.as_uuid())))
            .execute(conn)
            .await?;
        diesel::update(ws::table.filter(ws::business_id.eq(business.as_uuid())))
            .set((
                ws::creds_enc.eq(None::<Vec<u8>>),
                ws::qr.eq(None::<String>),
                ws::phone.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

async fn ensure_row(conn: &mut AsyncPgConnection, business: BusinessId) -> Result<(), TenantError> {
    diesel::insert_into(ws::table)
        .values(ws::business_id.eq(business.as_uuid()))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn load_status(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
) -> Result<SessionStatus, TenantError> {
    let auto_reply: bool = businesses::table
        .find(business.as_uuid())
        .select(businesses::whatsapp_auto_reply)
        .first(conn)
        .await
        .optional()?
        .ok_or(TenantError::NotFound("business"))?;
    let row: Option<WhatsAppSessionRow> = ws::table
        .filter(ws::business_id.eq(business.as_uuid()))
        .select(WhatsAppSessionRow::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(match row {
        None => SessionStatus {
            state: SessionState::Disconnected,
            phone: None,
            qr: None,
            qr_rotation: 0,
            qr_updated_at: None,
            last_error: None,
            last_inbound_at: None,
            auto_reply,
            updated_at: None,
        },
        Some(r) => SessionStatus {
            // a CHECK constraint keeps the column to the enum spellings
            state: SessionState::parse(&r.state).unwrap_or(SessionState::Disconnected),
            phone: r.phone,
            qr: r.qr,
            qr_rotation: r.qr_rotation,
            qr_updated_at: r.qr_updated_at,
            last_error: r.last_error,
            last_inbound_at: r.last_inbound_at,
            auto_reply,
            updated_at: Some(r.updated_at),
        },
    })
}
