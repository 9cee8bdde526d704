//! Domain types: what repositories return and accept. They serialize to the API
//! shapes of docs/api.md; rows (prosaas-db) never do.

use chrono::{DateTime, Utc};
use prosaas_common::{E164Phone, Email};
use serde::{Deserialize, Serialize};

use crate::{BusinessId, LeadId, Password, Role, UserId};

/// A tenant.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Business {
    pub id: BusinessId,
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
    /// Where transfer_to_human sends a live call (E.164).
    pub fallback_phone: Option<String>,
    /// Record calls (Twilio recording) when true.
    pub record_calls: bool,
    /// The AI answers WhatsApp messages when true.
    pub whatsapp_auto_reply: bool,
    /// VAT in basis points (1800 = 18%).
    pub vat_rate_bp: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new business.
#[derive(Debug, Clone)]
pub struct NewBusiness {
    pub name: String,
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub twilio_phone_number: Option<E164Phone>,
    pub whatsapp_phone: Option<E164Phone>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
}

/// Changes to a business; `None` keeps a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct BusinessChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub twilio_phone_number: Option<Option<E164Phone>>,
    pub whatsapp_phone: Option<Option<E164Phone>>,
    pub timezone: Option<String>,
    pub locale: Option<String>,
    pub ai_prompt: Option<String>,
    pub ai_greeting: Option<String>,
    pub ai_voice: Option<String>,
    pub ai_language: Option<String>,
    pub fallback_phone: Option<Option<E164Phone>>,
    pub record_calls: Option<bool>,
    pub whatsapp_auto_reply: Option<bool>,
    pub vat_rate_bp: Option<i32>,
}

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub business_id: Option<BusinessId>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new user.
#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub password: Password,
    pub name: String,
    pub role: Role,
}

/// Changes to a user.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password: Option<Password>,
}

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LeadSource {
    Call,
    Whatsapp,
    Manual,
    Api,
}

/// Where a lead stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Won,
    Lost,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            /// The database spelling.
            pub fn as_str(&self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
            /// Parses the database / API spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}
text_enum!(LeadSource { Call => "call", Whatsapp => "whatsapp", Manual => "manual", Api => "api" });
text_enum!(LeadStatus { New => "new", Contacted => "contacted", Qualified => "qualified", Won => "won", Lost => "lost" });

/// A prospect of one business.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: LeadId,
    pub business_id: BusinessId,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: LeadSource,
    pub status: LeadStatus,
    pub notes: String,
    pub assigned_user_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new lead. There is no business field: the scope decides.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub name: String,
    pub phone: Option<E164Phone>,
    pub email: Option<Email>,
    pub source: LeadSource,
    pub status: LeadStatus,
    pub notes: String,
    pub assigned_user_id: Option<UserId>,
}

/// Changes to a lead.
#[derive(Debug, Clone, Default)]
pub struct LeadChanges {
    pub name: Option<String>,
    pub phone: Option<Option<E164Phone>>,
    pub email: Option<Option<Email>>,
    pub source: Option<LeadSource>,
    pub status: Option<LeadStatus>,
    pub notes: Option<String>,
    pub assigned_user_id: Option<Option<UserId>>,
}

/// Sort orders of the leads list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeadSort {
    CreatedAsc,
    #[default]
    CreatedDesc,
    UpdatedAsc,
    UpdatedDesc,
    NameAsc,
    NameDesc,
}

impl LeadSort {
    /// Parses `created_at`, `-created_at`, `updated_at`, `-updated_at`, `name`, `-name`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "created_at" => Self::CreatedAsc,
            "-created_at" => Self::CreatedDesc,
            "updated_at" => Self::UpdatedAsc,
            "-updated_at" => Self::UpdatedDesc,
            "name" => Self::NameAsc,
            "-name" => Self::NameDesc,
            _ => return None,
        })
    }
}

/// Filters and paging of the leads list.
#[derive(Debug, Clone)]
pub struct LeadFilter {
    pub status: Option<LeadStatus>,
    pub source: Option<LeadSource>,
    pub assigned_user_id: Option<UserId>,
    /// Free text over name, phone and e-mail.
    pub q: Option<String>,
    pub sort: LeadSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Default for LeadFilter {
    fn default() -> Self {
        Self {
            status: None,
            source: None,
            assigned_user_id: None,
            q: None,
            sort: LeadSort::default(),
            page: 1,
            per_page: 50,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}
