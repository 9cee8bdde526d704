//! Businesses: a business user sees only its own; system admins list and
//! create them through a [`CrossTenant`].

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use prosaas_db::models::{BusinessInsertForm, BusinessRow, BusinessUpdateForm};
use prosaas_db::schema::businesses;

use crate::domain::{Business, BusinessChanges, NewBusiness};
use crate::error::violated_constraint;
use crate::{BusinessId, BusinessScope, CrossTenant, Db, Manager, TenantError};

use super::{Tenancy, audit};

/// The scope's own business.
pub async fn get_own(db: &Db, scope: &BusinessScope) -> Result<Business, TenantError> {
    let id = scope.business_id();
    unit_of_work!(db, Tenancy::Business(id), |conn| { find(conn, id).await })
}

/// Updates the scope's own business (owner or admin).
pub async fn update_own(
    db: &Db,
    scope: &BusinessScope<Manager>,
    changes: BusinessChanges,
) -> Result<Business, TenantError> {
    let id = scope.business_id();
    let actor = scope.actor().clone();
    unit_of_work!(db, Tenancy::Business(id), |conn| {
        let updated = apply(conn, id, changes).await?;
        audit::record(
            conn,
            audit::AuditEntry {
                business_id: Some(id),
                actor: &actor,
                action: "business.updated",
                target_type: Some("business"),
                target_id: Some(id.to_string()),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        Ok(updated)
    })
}

/// Every business (system admins).
pub async fn list_all(db: &Db, _cross: &CrossTenant) -> Result<Vec<Business>, TenantError> {
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        let rows: Vec<BusinessRow> = businesses::table
            .order(businesses::created_at.asc())
            .select(BusinessRow::as_select())
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Business::from).collect())
    })
}

/// One business by id (system admins).
pub async fn get_any(
    db: &Db,
    _cross: &CrossTenant,
    id: BusinessId,
) -> Result<Business, TenantError> {
    unit_of_work!(db, Tenancy::CrossTenant, |conn| { find(conn, id).await })
}

/// Creates a business (system admins, the operator CLI).
pub async fn create(
    db: &Db,
    cross: &CrossTenant,
    new: NewBusiness,
) -> Result<Business, TenantError> {
    let name = new.name.trim().to_string();
    if name.is_empty() {
        return Err(TenantError::invalid(
            "invalid_name",
            "business name must not be empty",
        ));
    }
    let slug = match new.slug {
        Some(s) => validate_slug(&s)?,
        None => slug_from_name(&name),
    };
    let form = BusinessInsertForm {
        name,
        slug,
        twilio_phone_number: new.twilio_phone_number.map(String::from),
        whatsapp_phone: new.whatsapp_phone.map(String::from),
        timezone: new.timezone.map(|t| validate_timezone(&t)).transpose()?,
        locale: new.locale.map(|l| validate_locale(&l)).transpose()?,
    };
    let actor = cross.actor.clone();
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        let row: BusinessRow = diesel::insert_into(businesses::table)
            .values(form)
            .returning(BusinessRow::as_returning())
            .get_result(conn)
            .await
            .map_err(|e| constraint_error(e.into()))?;
        let id = BusinessId::from_uuid(row.id);
        audit::record(
            conn,
            audit::AuditEntry {
                business_id: Some(id),
                actor: &actor,
                action: "business.created",
                target_type: Some("business"),
                target_id: Some(id.to_string()),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        Ok(Business::from(row))
    })
}

/// Updates any business (system admins).
pub async fn update_any(
    db: &Db,
    cross: &CrossTenant,
    id: BusinessId,
    changes: BusinessChanges,
) -> Result<Business, TenantError> {
    let actor = cross.actor.clone();
    unit_of_work!(db, Tenancy::CrossTenant, |conn| {
        let updated = apply(conn, id, changes).await?;
        audit::record(
            conn,
            audit::AuditEntry {
                business_id: Some(id),
                actor: &actor,
                action: "business.updated",
                target_type: Some("business"),
                target_id: Some(id.to_string()),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        Ok(updated)
    })
}

async fn find(conn: &mut AsyncPgConnection, id: BusinessId) -> Result<Business, TenantError> {
    businesses::table
        .find(id.as_uuid())
        .select(BusinessRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(Business::from)
        .ok_or(TenantError::NotFound("business"))
}

async fn apply(
    conn: &mut AsyncPgConnection,
    id: BusinessId,
    c: BusinessChanges,
) -> Result<Business, TenantError> {
    let form = BusinessUpdateForm {
        name: c
            .name
            .map(|n| n.trim().to_string())
            .map(|n| {
                if n.is_empty() {
                    Err(TenantError::invalid(
                        "invalid_name",
                        "business name must not be empty",
                    ))
                } else {
                    Ok(n)
                }
            })
            .transpose()?,
        slug: c.slug.map(|s| validate_slug(&s)).transpose()?,
        twilio_phone_number: c.twilio_phone_number.map(|p| p.map(String::from)),
        whatsapp_phone: c.whatsapp_phone.map(|p| p.map(String::from)),
        timezone: c.timezone.map(|t| validate_timezone(&t)).transpose()?,
        locale: c.locale.map(|l| validate_locale(&l)).transpose()?,
        ai_prompt: c.ai_prompt,
        ai_greeting: c.ai_greeting,
        ai_voice: c.ai_voice,
        ai_language: c.ai_language,
        fallback_phone: c.fallback_phone.map(|p| p.map(String::from)),
        record_calls: c.record_calls,
        whatsapp_auto_reply: c.whatsapp_auto_reply,
        vat_rate_bp: c
            .vat_rate_bp
            .map(|v| {
                if (0..=10_000).contains(&v) {
                    Ok(v)
                } else {
                    Err(TenantError::invalid(
                        "invalid_vat_rate",
                        "vat_rate_bp must be between 0 and 10000 (basis points)",
                    ))
                }
            })
            .transpose()?,
    };
    let is_empty = form.name.is_none()
        && form.slug.is_none()
        && form.twilio_phone_number.is_none()
        && form.whatsapp_phone.is_none()
        && form.timezone.is_none()
        && form.locale.is_none()
        && form.ai_prompt.is_none()
        && form.ai_greeting.is_none()
        && form.ai_voice.is_none()
        && form.ai_language.is_none()
        && form.fallback_phone.is_none()
        && form.record_calls.is_none()
        && form.whatsapp_auto_reply.is_none()
        && form.vat_rate_bp.is_none();
    if is_empty {
        return find(conn, id).await;
    }
    diesel::update(businesses::table.find(id.as_uuid()))
        .set(form)
        .returning(BusinessRow::as_returning())
        .get_result(conn)
        .await
        .optional()
        .map_err(|e| constraint_error(e.into()))?
        .map(Business::from)
        .ok_or(TenantError::NotFound("business"))
}

fn constraint_error(e: TenantError) -> TenantError {
    match violated_constraint(&e) {
        Some("businesses_slug_key") => TenantError::Conflict {
            code: "slug_taken",
            message: "another business already uses this slug".into(),
        },
        Some("businesses_twilio_phone_number_key") => TenantError::Conflict {
            code: "twilio_number_taken",
            message: "another business already uses this Twilio number".into(),
        },
        Some("businesses_slug_check") => {
            TenantError::invalid("invalid_slug", "slug may contain a-z, 0-9 and dashes")
        }
        _ => e,
    }
}

fn validate_slug(s: &str) -> Result<String, TenantError> {
    let s = s.trim().to_lowercase();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-');
    if ok {
        Ok(s)
    } else {
        Err(TenantError::invalid(
            "invalid_slug",
            "slug may contain a-z, 0-9 and dashes",
        ))
    }
}

/// ASCII slug from the name; Hebrew names get a random suffix-only slug.
fn slug_from_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let base = slug
        .trim_end_matches('-')
        .chars()
        .take(40)
        .collect::<String>();
    let suffix: String = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .take(6)
        .collect();
    if base.is_empty() {
        format!("biz-{suffix}")
    } else {
        format!("{base}-{suffix}")
    }
}

fn validate_timezone(tz: &str) -> Result<String, TenantError> {
    let tz = tz.trim();
    let ok = !tz.is_empty()
        && tz.len() <= 64
        && tz
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
    if ok {
        Ok(tz.to_string())
    } else {
        Err(TenantError::invalid(
            "invalid_timezone",
            "timezone must be an IANA name like Asia/Jerusalem",
        ))
    }
}

fn validate_locale(l: &str) -> Result<String, TenantError> {
    match l.trim() {
        "he" | "en" => Ok(l.trim().to_string()),
        _ => Err(TenantError::invalid(
            "invalid_locale",
            "locale must be he or en",
        )),
    }
}

impl From<BusinessRow> for Business {
    fn from(r: BusinessRow) -> Self {
        Business {
            id: BusinessId::from_uuid(r.id),
            name: r.name,
            slug: r.slug,
            twilio_phone_number: r.twilio_phone_number,
            whatsapp_phone: r.whatsapp_phone,
            timezone: r.timezone,
            locale: r.locale,
            ai_prompt: r.ai_prompt,
            ai_greeting: r.ai_greeting,
            ai_voice: r.ai_voice,
            ai_language: r.ai_language,
            fallback_phone: r.fallback_phone,
            record_calls: r.record_calls,
            whatsapp_auto_reply: r.whatsapp_auto_reply,
            vat_rate_bp: r.vat_rate_bp,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(slug_from_name("Dana's Salon").starts_with("dana-s-salon-"));
        assert!(slug_from_name("מספרת דנה").starts_with("biz-"));
        assert!(validate_slug("ok-slug-1").is_ok());
        assert!(validate_slug("Bad Slug").is_err());
        assert!(validate_timezone("Asia/Jerusalem").is_ok());
        assert!(validate_timezone("'; drop").is_err());
    }
}
