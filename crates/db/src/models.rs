//! Row types (what a SELECT returns) and insert/update forms. Rows never derive
//! `Serialize`: the API shapes live in prosaas-tenant's domain types.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::{audit_log, businesses, leads, users};

/// A row of `businesses`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = businesses, check_for_backend(diesel::pg::Pg))]
pub struct BusinessRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub twilio_phone_number: Option<String>,
    pub whatsapp_phone: Option<String>,
    pub timezone: String,
    pub locale: String,
    pub ai_prompt: String,
    pub ai_greeting: String,
    pub ai_voice: String,
    pub ai_language: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fallback_phone: Option<String>,
    pub record_calls: bool,
    pub whatsapp_auto_reply: bool,
    pub vat_rate_bp: i32,
}

/// Insert form for `businesses`.
#[derive(Debug, Insertable)]
#[diesel(table_name = businesses)]
pub struct BusinessInsertForm {
    pub name: String,
    pub slug: String,
    pub twilio_phone_number: Option<String>,
    pub whatsapp_phone: Option<String>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
}

/// Update form for `businesses`; `None` leaves a column alone, `Some(None)` clears it.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = businesses)]
pub struct BusinessUpdateForm {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub twilio_phone_number: Option<Option<String>>,
    pub whatsapp_phone: Option<Option<String>>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
    pub ai_prompt: Option<String>,
    pub ai_greeting: Option<String>,
    pub ai_voice: Option<String>,
    pub ai_language: Option<String>,
    pub fallback_phone: Option<Option<String>>,
    pub record_calls: Option<bool>,
    pub whatsapp_auto_reply: Option<bool>,
    pub vat_rate_bp: Option<i32>,
}

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub business_id: Option<Uuid>,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `users`.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct UserInsertForm {
    pub business_id: Option<Uuid>,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub role: String,
}

/// Update form for `users`.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserUpdateForm {
    pub name: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

/// Insert form for `audit_log`.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditInsertForm {
    pub business_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_kind: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
}

/// A row of `audit_log`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditRow {
    pub id: i64,
    pub business_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_kind: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// A row of `leads`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leads, check_for_backend(diesel::pg::Pg))]
pub struct LeadRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub status: String,
    pub notes: String,
    pub assigned_user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `leads`. `business_id` is filled in by the repository from the
/// scope; callers have no way to choose it.
#[derive(Debug, Insertable)]
#[diesel(table_name = leads)]
pub struct LeadInsertRow {
    pub business_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: String,
    pub status: String,
    pub notes: String,
    pub assigned_user_id: Option<Uuid>,
}

/// Update form for `leads`.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = leads)]
pub struct LeadUpdateForm {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub source: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
    pub assigned_user_id: Option<Option<Uuid>>,
}

use crate::schema::calls;

/// A row of `calls`, without the transcript (lists never need it).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calls, check_for_backend(diesel::pg::Pg))]
pub struct CallRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub direction: String,
    pub call_sid: Option<String>,
    pub from_phone: String,
    pub to_phone: String,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: Option<i32>,
    pub recording_sid: Option<String>,
    pub recording_url: Option<String>,
    pub recording_duration_seconds: Option<i32>,
    pub summary: Option<String>,
    pub first_response_ms: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `calls`; `business_id` comes from the scope.
#[derive(Debug, Insertable)]
#[diesel(table_name = calls)]
pub struct CallInsertRow {
    pub business_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub direction: String,
    pub call_sid: Option<String>,
    pub from_phone: String,
    pub to_phone: String,
    pub status: String,
}

// --- WhatsApp ------------------------------------------------------------------

/// A row of `whatsapp_sessions` (without the encrypted creds, read separately).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::whatsapp_sessions, check_for_backend(diesel::pg::Pg))]
pub struct WhatsAppSessionRow {
    pub business_id: Uuid,
    pub state: String,
    pub phone: Option<String>,
    pub qr: Option<String>,
    pub qr_rotation: i32,
    pub qr_updated_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A row of `whatsapp_conversations`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::whatsapp_conversations, check_for_backend(diesel::pg::Pg))]
pub struct WhatsAppConversationRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub jid: String,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub lead_id: Option<Uuid>,
    pub human_took_over: bool,
    pub unread_count: i32,
    pub last_message_at: Option<DateTime<Utc>>,
    pub last_message_preview: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `whatsapp_conversations`; `business_id` comes from the scope.
#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::whatsapp_conversations)]
pub struct WhatsAppConversationInsertRow {
    pub business_id: Uuid,
    pub jid: String,
    pub contact_phone: Option<String>,
    pub contact_name: Option<String>,
    pub lead_id: Option<Uuid>,
}

/// A row of `whatsapp_messages`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::whatsapp_messages, check_for_backend(diesel::pg::Pg))]
pub struct WhatsAppMessageRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub conversation_id: Uuid,
    pub direction: String,
    pub author: String,
    pub sent_by_user_id: Option<Uuid>,
    pub text: String,
    pub status: String,
    pub wa_message_id: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `whatsapp_messages`; `business_id` comes from the scope.
#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::whatsapp_messages)]
pub struct WhatsAppMessageInsertRow {
    pub business_id: Uuid,
    pub conversation_id: Uuid,
    pub direction: String,
    pub author: String,
    pub sent_by_user_id: Option<Uuid>,
    pub text: String,
    pub status: String,
    pub wa_message_id: Option<String>,
}

// offers, e-signatures and invoices ------------------------------------------------

use chrono::NaiveDate;

use crate::schema::{
    invoice_items, invoices, offer_items, offer_signatures, offer_signing_links, offers,
};

/// A row of `offers`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers, check_for_backend(diesel::pg::Pg))]
pub struct OfferRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub title: String,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub valid_until: Option<NaiveDate>,
    pub status: String,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub subtotal_agorot: i64,
    pub vat_agorot: i64,
    pub total_agorot: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `offers` (`business_id` comes from the scope).
#[derive(Debug, Insertable)]
#[diesel(table_name = offers)]
pub struct OfferInsertRow {
    pub business_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub title: String,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub valid_until: Option<NaiveDate>,
    pub vat_rate_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub subtotal_agorot: i64,
    pub vat_agorot: i64,
    pub total_agorot: i64,
}

/// Update form for a draft offer; totals are always rewritten together.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = offers)]
pub struct OfferUpdateForm {
    pub lead_id: Option<Option<Uuid>>,
    pub title: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<Option<String>>,
    pub customer_phone: Option<Option<String>>,
    pub notes: Option<String>,
    pub valid_until: Option<Option<NaiveDate>>,
    pub vat_rate_bp: Option<i32>,
    pub gross_agorot: Option<i64>,
    pub discount_agorot: Option<i64>,
    pub subtotal_agorot: Option<i64>,
    pub vat_agorot: Option<i64>,
    pub total_agorot: Option<i64>,
}

/// A row of `offer_items`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offer_items, check_for_backend(diesel::pg::Pg))]
pub struct OfferItemRow {
    pub offer_id: Uuid,
    pub position: i32,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_agorot: i64,
    pub discount_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub total_agorot: i64,
}

/// Insert form for `offer_items`.
#[derive(Debug, Insertable)]
#[diesel(table_name = offer_items)]
pub struct OfferItemInsertRow {
    pub business_id: Uuid,
    pub offer_id: Uuid,
    pub position: i32,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_agorot: i64,
    pub discount_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub total_agorot: i64,
}

/// Insert form for `offer_signing_links`.
#[derive(Debug, Insertable)]
#[diesel(table_name = offer_signing_links)]
pub struct SigningLinkInsertRow {
    pub business_id: Uuid,
    pub offer_id: Uuid,
    pub token_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
}

/// A row of `offer_signatures` without the PNG and the document.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offer_signatures, check_for_backend(diesel::pg::Pg))]
pub struct SignatureInfoRow {
    pub offer_id: Uuid,
    pub signer_name: String,
    pub signed_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
    pub document_sha256: String,
}

/// A full row of `offer_signatures` (evidence view).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offer_signatures, check_for_backend(diesel::pg::Pg))]
pub struct SignatureRow {
    pub offer_id: Uuid,
    pub signer_name: String,
    pub signed_at: DateTime<Utc>,
    pub ip: String,
    pub user_agent: String,
    pub document_sha256: String,
    pub document_canonical: String,
    pub signature_png: Vec<u8>,
}

/// Insert form for `offer_signatures`.
#[derive(Debug, Insertable)]
#[diesel(table_name = offer_signatures)]
pub struct SignatureInsertRow {
    pub business_id: Uuid,
    pub offer_id: Uuid,
    pub signing_link_id: Uuid,
    pub signer_name: String,
    pub ip: String,
    pub user_agent: String,
    pub document_canonical: String,
    pub document_sha256: String,
    pub signature_png: Vec<u8>,
}

/// A row of `invoices`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices, check_for_backend(diesel::pg::Pg))]
pub struct InvoiceRow {
    pub id: Uuid,
    pub business_id: Uuid,
    pub number: i64,
    pub offer_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub currency: String,
    pub vat_rate_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub subtotal_agorot: i64,
    pub vat_agorot: i64,
    pub total_agorot: i64,
    pub issued_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Insert form for `invoices`; `number` comes from `invoice_counters` in the same transaction.
#[derive(Debug, Insertable)]
#[diesel(table_name = invoices)]
pub struct InvoiceInsertRow {
    pub business_id: Uuid,
    pub number: i64,
    pub offer_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: String,
    pub vat_rate_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub subtotal_agorot: i64,
    pub vat_agorot: i64,
    pub total_agorot: i64,
}

/// A row of `invoice_items`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoice_items, check_for_backend(diesel::pg::Pg))]
pub struct InvoiceItemRow {
    pub invoice_id: Uuid,
    pub position: i32,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_agorot: i64,
    pub discount_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub total_agorot: i64,
}

/// Insert form for `invoice_items`.
#[derive(Debug, Insertable)]
#[diesel(table_name = invoice_items)]
pub struct InvoiceItemInsertRow {
    pub business_id: Uuid,
    pub invoice_id: Uuid,
    pub position: i32,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_agorot: i64,
    pub discount_bp: i32,
    pub gross_agorot: i64,
    pub discount_agorot: i64,
    pub total_agorot: i64,
}
