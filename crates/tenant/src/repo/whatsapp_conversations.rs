//! WhatsApp conversations and messages of one business: lists for the CRM, the
//! "human took over" switch, outbound messages and their delivery status, and
//! the context the AI answers from.

use diesel::dsl::{count_star, sum};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{WhatsAppConversationRow, WhatsAppMessageInsertRow, WhatsAppMessageRow};
use prosaas_db::schema::{businesses, whatsapp_conversations as wc, whatsapp_messages as wm};

use super::Tenancy;
use super::whatsapp::{
    AiContext, Author, Conversation, ConversationFilter, ConversationId, Direction, MessageStatus,
    WhatsAppMessage, WhatsAppMessageId, preview,
};
use crate::domain::Page;
use crate::{BusinessId, BusinessScope, Db, LeadId, TenantError, UserId};

/// Largest page of conversations.
pub const MAX_CONVERSATIONS_PER_PAGE: u32 = 100;
/// Largest page of messages.
pub const MAX_MESSAGES_PER_PAGE: u32 = 200;

/// One page of conversations (latest activity first) and the unread total.
pub async fn list(
    db: &Db,
    scope: &BusinessScope,
    filter: ConversationFilter,
) -> Result<(Page<Conversation>, i64), TenantError> {
    let business = scope.business_id();
    let per_page = filter.per_page.clamp(1, MAX_CONVERSATIONS_PER_PAGE);
    let page = filter.page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let base = || {
            let q = wc::table
                .filter(wc::business_id.eq(business.as_uuid()))
                .into_boxed();
            if filter.unread_only {
                q.filter(wc::unread_count.gt(0))
            } else {
                q
            }
        };
        let total: i64 = base().select(count_star()).first(conn).await?;
        let rows: Vec<WhatsAppConversationRow> = base()
            .order((wc::last_message_at.desc().nulls_last(), wc::id.asc()))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(WhatsAppConversationRow::as_select())
            .load(conn)
            .await?;
        let total_unread: Option<i64> = wc::table
            .filter(wc::business_id.eq(business.as_uuid()))
            .select(sum(wc::unread_count))
            .first(conn)
            .await?;
        Ok((
            Page {
                items: rows.into_iter().map(conversation_from).collect(),
                page,
                per_page,
                total,
            },
            total_unread.unwrap_or(0),
        ))
    })
}

/// One conversation of the scope's business.
pub async fn get(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
) -> Result<Conversation, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await
    })
}

/// Sets the "a human took over" switch (true stops the AI in this chat).
pub async fn set_human_took_over(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
    took_over: bool,
) -> Result<Conversation, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        update_one(conn, business, id, wc::human_took_over.eq(took_over)).await
    })
}

/// Marks every message of the conversation read (unread count 0).
pub async fn mark_read(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
) -> Result<Conversation, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        update_one(conn, business, id, wc::unread_count.eq(0)).await
    })
}

/// One page of a conversation's messages, newest first.
pub async fn messages(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
    page: u32,
    per_page: u32,
) -> Result<Page<WhatsAppMessage>, TenantError> {
    let business = scope.business_id();
    let per_page = per_page.clamp(1, MAX_MESSAGES_PER_PAGE);
    let page = page.max(1);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        find(conn, business, id).await?;
        let thread = || {
            wm::table
                .filter(wm::business_id.eq(business.as_uuid()))
                .filter(wm::conversation_id.eq(id.as_uuid()))
        };
        let total: i64 = thread().select(count_star()).first(conn).await?;
        let rows: Vec<WhatsAppMessageRow> = thread()
            .order((wm::created_at.desc(), wm::id.desc()))
            .limit(i64::from(per_page))
            .offset(i64::from(page - 1) * i64::from(per_page))
            .select(WhatsAppMessageRow::as_select())
            .load(conn)
            .await?;
        Ok(Page {
            items: rows.into_iter().map(message_from).collect(),
            page,
            per_page,
            total,
        })
    })
}

/// Stores an outbound message as `pending` before it goes to WhatsApp. A message
/// written by a user also sets `human_took_over` (the AI steps back).
pub async fn begin_outbound(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
    text: String,
    author: Author,
) -> Result<(Conversation, WhatsAppMessage), TenantError> {
    let business = scope.business_id();
    let user = scope.actor_user_id().filter(|_| author == Author::User);
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let conversation = find(conn, business, id).await?;
        let message = insert_message(
            conn,
            WhatsAppMessageInsertRow {
                business_id: business.as_uuid(),
                conversation_id: id.as_uuid(),
                direction: Direction::Outbound.as_str().into(),
                author: author.as_str().into(),
                sent_by_user_id: user.map(|u| u.as_uuid()),
                text: text.clone(),
                status: MessageStatus::Pending.as_str().into(),
                // chosen here, not by the worker: a receipt or our own echo that
                // arrives before the worker answers still finds this row
                wa_message_id: Some(new_wa_message_id()),
            },
        )
        .await?;
        let took_over = conversation.human_took_over || author == Author::User;
        let conversation = update_one(
            conn,
            business,
            id,
            (
                wc::human_took_over.eq(took_over),
                wc::last_message_at.eq(Some(message.created_at)),
                wc::last_message_preview.eq(Some(preview(&text))),
            ),
        )
        .await?;
        Ok((conversation, message))
    })
}

/// Records the worker's answer for an outbound message: status `sent` (unless a
/// receipt already moved it further) with WhatsApp's id, or `failed`.
pub async fn finish_outbound(
    db: &Db,
    scope: &BusinessScope,
    id: WhatsAppMessageId,
    outcome: Result<Option<String>, String>,
) -> Result<WhatsAppMessage, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let target = wm::table
            .filter(wm::business_id.eq(business.as_uuid()))
            .filter(wm::id.eq(id.as_uuid()));
        let current: WhatsAppMessageRow = target
            .select(WhatsAppMessageRow::as_select())
            .first(conn)
            .await?;
        let (status, wa_id, error) = match outcome {
            Ok(wa_id) => {
                let status = match MessageStatus::parse(&current.status) {
                    Some(s) if s.rank() > MessageStatus::Sent.rank() => s,
                    _ => MessageStatus::Sent,
                };
                (status, wa_id.or(current.wa_message_id), None)
            }
            Err(error) => (MessageStatus::Failed, current.wa_message_id, Some(error)),
        };
        let row: WhatsAppMessageRow = diesel::update(target)
            .set((
                wm::status.eq(status.as_str()),
                wm::wa_message_id.eq(wa_id),
                wm::error.eq(error),
            ))
            .returning(WhatsAppMessageRow::as_returning())
            .get_result(conn)
            .await?;
        Ok(message_from(row))
    })
}

/// A WhatsApp-style message id (`3EB0` + 18 hex digits, like Baileys' own).
fn new_wa_message_id() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("3EB0{}", hex.get(..18).unwrap_or(&hex))
}

/// A delivery receipt from WhatsApp. Only moves forward (a late "sent" never
/// overwrites "read"); `None` when the message is not ours.
pub async fn record_status(
    db: &Db,
    scope: &BusinessScope,
    wa_message_id: &str,
    status: MessageStatus,
) -> Result<Option<WhatsAppMessage>, TenantError> {
    let business = scope.business_id();
    let wa_message_id = wa_message_id.to_string();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let row: Option<WhatsAppMessageRow> = wm::table
            .filter(wm::business_id.eq(business.as_uuid()))
            .filter(wm::wa_message_id.eq(&wa_message_id))
            .select(WhatsAppMessageRow::as_select())
            .first(conn)
            .await
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        let current = MessageStatus::parse(&row.status).unwrap_or(MessageStatus::Pending);
        if row.direction != Direction::Outbound.as_str() || status.rank() <= current.rank() {
            return Ok(Some(message_from(row)));
        }
        let row: WhatsAppMessageRow = diesel::update(
            wm::table
                .filter(wm::business_id.eq(business.as_uuid()))
                .filter(wm::id.eq(row.id)),
        )
        .set(wm::status.eq(status.as_str()))
        .returning(WhatsAppMessageRow::as_returning())
        .get_result(conn)
        .await?;
        Ok(Some(message_from(row)))
    })
}

/// The business's AI settings and the conversation's recent messages (oldest first).
pub async fn ai_context(
    db: &Db,
    scope: &BusinessScope,
    id: ConversationId,
    history: u32,
) -> Result<AiContext, TenantError> {
    let business = scope.business_id();
    unit_of_work!(db, Tenancy::Business(business), |conn| {
        let (business_name, prompt, greeting, language, auto_reply): (
            String,
            String,
            String,
            String,
            bool,
        ) = businesses::table
            .find(business.as_uuid())
            .select((
                businesses::name,
                businesses::ai_prompt,
                businesses::ai_greeting,
                businesses::ai_language,
                businesses::whatsapp_auto_reply,
            ))
            .first(conn)
            .await?;
        let conversation = find(conn, business, id).await?;
        let mut rows: Vec<WhatsAppMessageRow> = wm::table
            .filter(wm::business_id.eq(business.as_uuid()))
            .filter(wm::conversation_id.eq(id.as_uuid()))
            .order((wm::created_at.desc(), wm::id.desc()))
            .limit(i64::from(history.max(1)))
            .select(WhatsAppMessageRow::as_select())
            .load(conn)
            .await?;
        rows.reverse();
        Ok(AiContext {
            business_name,
            prompt,
            greeting,
            language,
            auto_reply,
            conversation,
            history: rows.into_iter().map(message_from).collect(),
        })
    })
}

pub(crate) async fn find(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: ConversationId,
) -> Result<Conversation, TenantError> {
    wc::table
        .filter(wc::business_id.eq(business.as_uuid()))
        .filter(wc::id.eq(id.as_uuid()))
        .select(WhatsAppConversationRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(conversation_from)
        .ok_or(TenantError::NotFound("conversation"))
}

async fn update_one<V>(
    conn: &mut AsyncPgConnection,
    business: BusinessId,
    id: ConversationId,
    changes: V,
) -> Result<Conversation, TenantError>
where
    V: AsChangeset<Target = wc::table>,
    <V as AsChangeset>::Changeset: diesel::query_builder::QueryFragment<diesel::pg::Pg> + Send,
{
    diesel::update(
        wc::table
            .filter(wc::business_id.eq(business.as_uuid()))
            .filter(wc::id.eq(id.as_uuid())),
    )
    .set(changes)
    .returning(WhatsAppConversationRow::as_returning())
    .get_result(conn)
    .await
    .optional()?
    .map(conversation_from)
    .ok_or(TenantError::NotFound("conversation"))
}

pub(crate) async fn insert_message(
    conn: &mut AsyncPgConnection,
    row: WhatsAppMessageInsertRow,
) -> Result<WhatsAppMessage, TenantError> {
    let row: WhatsAppMessageRow = diesel::insert_into(wm::table)
        .values(row)
        .returning(WhatsAppMessageRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(message_from(row))
}

pub(crate) fn conversation_from(r: WhatsAppConversationRow) -> Conversation {
    Conversation {
        id: ConversationId::from_uuid(r.id),
        business_id: BusinessId::from_uuid(r.business_id),
        jid: r.jid,
        contact_phone: r.contact_phone,
        contact_name: r.contact_name,
        lead_id: r.lead_id.map(LeadId::from_uuid),
        human_took_over: r.human_took_over,
        unread_count: r.unread_count,
        last_message_at: r.last_message_at,
        last_message_preview: r.last_message_preview,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

pub(crate) fn message_from(r: WhatsAppMessageRow) -> WhatsAppMessage {
    // CHECK constraints keep these columns to the enum spellings
    WhatsAppMessage {
        id: WhatsAppMessageId::from_uuid(r.id),
        conversation_id: ConversationId::from_uuid(r.conversation_id),
        direction: Direction::parse(&r.direction).unwrap_or(Direction::Inbound),
        author: Author::parse(&r.author).unwrap_or(Author::Contact),
        sent_by_user_id: r.sent_by_user_id.map(UserId::from_uuid),
        text: r.text,
        status: MessageStatus::parse(&r.status).unwrap_or(MessageStatus::Pending),
        wa_message_id: r.wa_message_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
