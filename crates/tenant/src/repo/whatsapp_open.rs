//! Opening a WhatsApp chat with a lead who has not written yet (the CRM's
//! "message on WhatsApp" button, an n8n welcome message). The chat is keyed by
//! the lead's E.164 phone, so a later inbound message from that number lands in
//! the same conversation instead of a duplicate.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use prosaas_db::models::{WhatsAppConversationInsertRow, WhatsAppConversationRow};
use prosaas_db::schema::{leads, whatsapp_conversations as wc};

use super::Tenancy;
use super::whatsapp::Conversation;
use super::whatsapp_conversations::conversation_from;
use crate::{BusinessScope, Db, LeadId, TenantError};

/// The lead's conversation, and whether it was created now.
pub async fn open_for_lead(
    db: &Db,
    scope: &BusinessScope,
    lead: LeadId,
) -> Result<(Conversation, bool), TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let phone: Option<Option<String>> = leads::table
            .filter(leads::business_id.eq(business.as_uuid()))
            .filter(leads::id.eq(lead.as_uuid()))
            .select(leads::phone)
            .first(conn)
            .await
            .optional()?;
        let phone = phone.ok_or(TenantError::NotFound("lead"))?.ok_or_else(|| {
            TenantError::invalid("lead_has_no_phone", "the lead has no phone number")
        })?;
        let mine = || wc::table.filter(wc::business_id.eq(business.as_uuid()));
        let existing: Option<WhatsAppConversationRow> = mine()
            .filter(
                wc::contact_phone
                    .eq(&phone)
                    .or(wc::lead_id.eq(lead.as_uuid())),
            )
            .order(wc::contact_phone.eq(&phone).desc())
            .select(WhatsAppConversationRow::as_select())
            .first(conn)
            .await
            .optional()?;
        if let Some(c) = existing {
            let c = if c.lead_id.is_none() {
                diesel::update(mine().filter(wc::id.eq(c.id)))
                    .set(wc::lead_id.eq(Some(lead.as_uuid())))
                    .returning(WhatsAppConversationRow::as_returning())
                    .get_result(conn)
                    .await?
            } else {
                c
            };
            return Ok((conversation_from(c), false));
        }
        let row: WhatsAppConversationRow = diesel::insert_into(wc::table)
            .values(WhatsAppConversationInsertRow {
                business_id: business.as_uuid(),
                jid: format!("{}@s.whatsapp.net", phone.trim_start_matches('+')),
                contact_phone: Some(phone.clone()),
                contact_name: None,
                lead_id: Some(lead.as_uuid()),
            })
            .returning(WhatsAppConversationRow::as_returning())
            .get_result(conn)
            .await?;
        Ok((conversation_from(row), true))
    })
}
