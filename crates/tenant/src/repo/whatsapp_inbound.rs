//! A message a contact sent (or the business's own phone sent from another
//! device), as the worker reported it. One transaction stores it once per
//! WhatsApp id, learns the @lid <-> phone pair, finds or creates the lead by
//! phone (source whatsapp), bumps the conversation, and writes the notification.

use chrono::Utc;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{
    LeadInsertRow, WhatsAppConversationInsertRow, WhatsAppConversationRow,
    WhatsAppMessageInsertRow, WhatsAppMessageRow,
};
use prosaas_db::schema::{
    leads, notifications, whatsapp_conversations as wc, whatsapp_lid_map as lid_map,
    whatsapp_messages as wm, whatsapp_sessions as ws,
};
use uuid::Uuid;

use super::Tenancy;
use super::whatsapp::{
    Author, Conversation, Direction, InboundMessage, MessageStatus, StoredInbound, preview,
};
use super::whatsapp_conversations::{conversation_from, message_from};
use crate::domain::{LeadSource, LeadStatus};
use crate::{BusinessId, BusinessScope, Db, LeadId, TenantError};

/// Notification kind of an inbound WhatsApp message.
pub const NOTIFICATION_KIND: &str = "whatsapp.message";

/// Stores an inbound message (see the module doc). A redelivered WhatsApp id
/// returns the stored message with `is_new: false` and changes nothing.
pub async fn store(
    db: &Db,
    scope: &BusinessScope,
    msg: InboundMessage,
) -> Result<StoredInbound, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        if let Some(existing) = existing_message(conn, business, &msg.wa_message_id).await? {
            let conversation =
                super::whatsapp_conversations::find(conn, business, existing.conversation_id)
                    .await?;
            return Ok(StoredInbound {
                conversation,
                message: existing,
                is_new: false,
                created_lead: None,
                notification_id: None,
            });
        }
        let phone = resolve_phone(conn, business, &msg).await?;
        let conversation =
            find_or_create_conversation(conn, business, &msg, phone.as_deref()).await?;
        let (direction, author, status) = if msg.from_me {
            (Direction::Outbound, Author::User, MessageStatus::Sent)
        } else {
            (Direction::Inbound, Author::Contact, MessageStatus::Received)
        };
        let inserted: Option<WhatsAppMessageRow> = diesel::insert_into(wm::table)
            .values(WhatsAppMessageInsertRow {
                business_id: business.as_uuid(),
                conversation_id: conversation.id,
                direction: direction.as_str().into(),
                author: author.as_str().into(),
                sent_by_user_id: None,
                text: msg.text.clone(),
                status: status.as_str().into(),
                wa_message_id: Some(msg.wa_message_id.clone()),
            })
            .on_conflict_do_nothing()
            .returning(WhatsAppMessageRow::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        let Some(message) = inserted.map(message_from) else {
            // a concurrent delivery of the same id won the race
            let existing = existing_message(conn, business, &msg.wa_message_id)
                .await?
                .ok_or(TenantError::NotFound("message"))?;
            let conversation = conversation_from(conversation);
            return Ok(StoredInbound {
                conversation,
                message: existing,
                is_new: false,
                created_lead: None,
                notification_id: None,
            });
        };
        let (lead_id, created_lead) = match conversation.lead_id {
            Some(id) => (id, None),
            None if msg.from_me => (Uuid::nil(), None),
            None => {
                let (id, created) =
                    find_or_create_lead(conn, business, phone.as_deref(), msg.push_name.as_deref())
                        .await?;
                (id, created.then_some(LeadId::from_uuid(id)))
            }
        };
        let lead_id = (!lead_id.is_nil()).then_some(lead_id);
        let unread = if msg.from_me { 0 } else { 1 };
        let updated: WhatsAppConversationRow = diesel::update(
            wc::table
                .filter(wc::business_id.eq(business.as_uuid()))
                .filter(wc::id.eq(conversation.id)),
        )
        .set((
            wc::unread_count.eq(wc::unread_count + unread),
            wc::last_message_at.eq(Some(message.created_at)),
            wc::last_message_preview.eq(Some(preview(&msg.text))),
            wc::lead_id.eq(lead_id.or(conversation.lead_id)),
            wc::contact_name.eq(msg.push_name.clone().or(conversation.contact_name.clone())),
        ))
        .returning(WhatsAppConversationRow::as_returning())
        .get_result(conn)
        .await?;
        let conversation = conversation_from(updated);
        let notification_id = if msg.from_me {
            None
        } else {
            touch_session(conn, business).await?;
            Some(
                notify(
                    conn,
                    business,
                    &conversation,
                    &message.id.as_uuid(),
                    &msg.text,
                )
                .await?,
            )
        };
        Ok(StoredInbound {
            conversation,
            message,
            is_new: true,
            created_lead,
            notification_id,
        })
    })
}

async fn existing_message(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    wa_message_id: &str,
) -> Result<Option<super::whatsapp::WhatsAppMessage>, TenantError> {
    Ok(wm::table
        .filter(wm::business_id.eq(business.as_uuid()))
        .filter(wm::wa_message_id.eq(wa_message_id))
        .select(WhatsAppMessageRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(message_from))
}

/// The contact's phone: given, or learnt earlier for this @lid. Learns the pair when both are known.
async fn resolve_phone(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    msg: &InboundMessage,
) -> Result<Option<String>, TenantError> {
    let phone = msg.phone.as_ref().map(|p| p.as_str().to_string());
    match (&msg.lid, &phone) {
        (Some(lid), Some(phone)) => {
            diesel::insert_into(lid_map::table)
                .values((
                    lid_map::business_id.eq(business.as_uuid()),
                    lid_map::lid.eq(lid),
                    lid_map::phone.eq(phone),
                ))
                .on_conflict((lid_map::business_id, lid_map::lid))
                .do_update()
                .set(lid_map::phone.eq(excluded(lid_map::phone)))
                .execute(conn)
                .await?;
            Ok(Some(phone.clone()))
        }
        (Some(lid), None) => Ok(lid_map::table
            .filter(lid_map::business_id.eq(business.as_uuid()))
            .filter(lid_map::lid.eq(lid))
            .select(lid_map::phone)
            .first::<String>(conn)
            .await
            .optional()?),
        (None, phone) => Ok(phone.clone()),
    }
}

/// By phone first (one conversation per number, whichever id WhatsApp used), then by chat id.
async fn find_or_create_conversation(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    msg: &InboundMessage,
    phone: Option<&str>,
) -> Result<WhatsAppConversationRow, TenantError> {
    let mine = || wc::table.filter(wc::business_id.eq(business.as_uuid()));
    if let Some(phone) = phone {
        let by_phone: Option<WhatsAppConversationRow> = mine()
            .filter(wc::contact_phone.eq(phone))
            .select(WhatsAppConversationRow::as_select())
            .first(conn)
            .await
            .optional()?;
        if let Some(c) = by_phone {
            return Ok(c);
        }
    }
    let by_jid: Option<WhatsAppConversationRow> = mine()
        .filter(wc::jid.eq(&msg.jid))
        .select(WhatsAppConversationRow::as_select())
        .first(conn)
        .await
        .optional()?;
    if let Some(c) = by_jid {
        if c.contact_phone.is_none() && phone.is_some() {
            // the number behind a privacy id became known
            return Ok(diesel::update(mine().filter(wc::id.eq(c.id)))
                .set(wc::contact_phone.eq(phone))
                .returning(WhatsAppConversationRow::as_returning())
                .get_result(conn)
                .await?);
        }
        return Ok(c);
    }
    Ok(diesel::insert_into(wc::table)
        .values(WhatsAppConversationInsertRow {
            business_id: business.as_uuid(),
            jid: msg.jid.clone(),
            contact_phone: phone.map(str::to_string),
            contact_name: msg.push_name.clone(),
            lead_id: None,
        })
        .returning(WhatsAppConversationRow::as_returning())
        .get_result(conn)
        .await?)
}

/// The oldest lead with this phone, or a new one (source whatsapp). Returns (id, created).
async fn find_or_create_lead(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    phone: Option<&str>,
    push_name: Option<&str>,
) -> Result<(Uuid, bool), TenantError> {
    if let Some(phone) = phone {
        let found: Option<Uuid> = leads::table
            .filter(leads::business_id.eq(business.as_uuid()))
            .filter(leads::phone.eq(phone))
            .order((leads::created_at.asc(), leads::id.asc()))
            .select(leads::id)
            .first(conn)
            .await
            .optional()?;
        if let Some(id) = found {
            return Ok((id, false));
        }
    }
    let name = push_name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(phone)
        .unwrap_or("WhatsApp contact")
        .chars()
        .take(200)
        .collect::<String>();
    let id: Uuid = diesel::insert_into(leads::table)
        .values(LeadInsertRow {
            business_id: business.as_uuid(),
            name,
            phone: phone.map(str::to_string),
            email: None,
            source: LeadSource::Whatsapp.as_str().into(),
            status: LeadStatus::New.as_str().into(),
            notes: String::new(),
            assigned_user_id: None,
        })
        .returning(leads::id)
        .get_result(conn)
        .await?;
    Ok((id, true))
}

async fn touch_session(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
) -> Result<(), TenantError> {
    diesel::update(ws::table.filter(ws::business_id.eq(business.as_uuid())))
        .set(ws::last_inbound_at.eq(Some(Utc::now())))
        .execute(conn)
        .await?;
    Ok(())
}

/// A business-wide notification linking to the conversation.
async fn notify(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    conversation: &Conversation,
    message_id: &Uuid,
    text: &str,
) -> Result<Uuid, TenantError> {
    let who = conversation
        .contact_name
        .clone()
        .or_else(|| conversation.contact_phone.clone())
        .unwrap_or_else(|| "WhatsApp".into());
    Ok(diesel::insert_into(notifications::table)
        .values((
            notifications::business_id.eq(business.as_uuid()),
            notifications::kind.eq(NOTIFICATION_KIND),
            notifications::title.eq(format!("WhatsApp: {who}")),
            notifications::body.eq(preview(text)),
            notifications::link.eq(Some(format!("/whatsapp?conversation={}", conversation.id))),
            notifications::data.eq(serde_json::json!({
                "conversation_id": conversation.id,
                "message_id": message_id,
                "lead_id": conversation.lead_id,
            })),
        ))
        .returning(notifications::id)
        .get_result(conn)
        .await?)
}
