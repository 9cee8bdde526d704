//! `prosaas seed-demo`: a demo business with an owner, an agent and a dozen
//! leads, plus a system admin. Idempotent: a second run changes nothing and
//! prints the logins again.

use prosaas_common::{E164Phone, Email};
use prosaas_tenant::domain::{LeadSource, LeadStatus, NewBusiness, NewLead, NewUser};
use prosaas_tenant::repo::{businesses, leads, users};
use prosaas_tenant::{Db, Password, Role, TenantError, system};

const DEMO_SLUG: &str = "demo";
const ADMIN_EMAIL: &str = "admin@prosaas.local";
const OWNER_EMAIL: &str = "owner@demo.prosaas.local";
const AGENT_EMAIL: &str = "agent@demo.prosaas.local";

/// A random password for generated accounts.
pub fn random_password() -> String {
    uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .take(16)
        .collect()
}

fn demo_password() -> Result<String, String> {
    match std::env::var("DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => Ok(p),
        _ if std::env::var("APP_ENV").is_ok_and(|e| e.starts_with("prod")) => {
            Err("refusing to seed demo logins with the default password in production; set DEMO_PASSWORD".into())
        }
        _ => Ok("demo-pass-2026".into()),
    }
}

async fn ensure_user(
    db: &Db,
    business: Option<prosaas_tenant::BusinessId>,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> Result<(), String> {
    let cross = system::operator_cross_tenant(db, "cli seed-demo")
        .await
        .map_err(|e| e.to_string())?;
    let new = NewUser {
        email: Email::parse(email).map_err(|e| e.to_string())?,
        password: Password::parse(password).map_err(|e| e.to_string())?,
        name: name.into(),
        role,
    };
    match users::create_any(db, &cross, business, new).await {
        Ok(_)
        | Err(TenantError::Conflict {
            code: "email_taken",
            ..
        }) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// Seeds the demo tenant.
pub async fn demo(db: &Db) -> Result<(), String> {
    let password = demo_password()?;
    let existing = crate::find_business(db, DEMO_SLUG).await.ok();
    let business = match existing {
        Some(b) => b,
        None => {
            let cross = system::operator_cross_tenant(db, "cli seed-demo")
                .await
                .map_err(|e| e.to_string())?;
            let b = businesses::create(
                db,
                &cross,
                NewBusiness {
                    name: "Demo Business".into(),
                    slug: Some(DEMO_SLUG.into()),
                    twilio_phone_number: None,
                    whatsapp_phone: None,
                    timezone: None,
                    locale: Some("he".into()),
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            seed_leads(db, &b).await?;
            b
        }
    };
    ensure_user(
        db,
        None,
        ADMIN_EMAIL,
        "System Admin",
        Role::SystemAdmin,
        &password,
    )
    .await?;
    ensure_user(
        db,
        Some(business.id),
        OWNER_EMAIL,
        "בעלת העסק",
        Role::Owner,
        &password,
    )
    .await?;
    ensure_user(
        db,
        Some(business.id),
        AGENT_EMAIL,
        "נציג מכירות",
        Role::Agent,
        &password,
    )
    .await?;
    println!("demo business: {} (id {})", business.name, business.id);
    println!("logins (password: {password}):");
    println!("  system admin  {ADMIN_EMAIL}");
    println!("  owner         {OWNER_EMAIL}");
    println!("  agent         {AGENT_EMAIL}");
    Ok(())
}

async fn seed_leads(db: &Db, business: &prosaas_tenant::domain::Business) -> Result<(), String> {
    let scope = system::operator_scope(db, business.id, "cli seed-demo")
        .await
        .map_err(|e| e.to_string())?;
    let names = [
        "דנה כהן",
        "יוסי לוי",
        "מיכל אברהם",
        "אבי מזרחי",
        "נועה פרץ",
        "רון ביטון",
        "Sarah Cohen",
        "David Levi",
        "שירה דהן",
        "עומר אזולאי",
        "תמר גבאי",
        "Eli Friedman",
    ];
    let statuses = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Won,
        LeadStatus::Lost,
    ];
    let sources = [
        LeadSource::Call,
        LeadSource::Whatsapp,
        LeadSource::Manual,
        LeadSource::Api,
    ];
    for (i, name) in names.iter().enumerate() {
        // fictional numbers built at run time: +972-50-000-00NN
        let phone = E164Phone::parse(&format!("+9725000000{i:02}")).ok();
        let lead = NewLead {
            name: (*name).into(),
            phone,
            email: None,
            status: statuses
                .get(i % statuses.len())
                .copied()
                .unwrap_or(LeadStatus::New),
            source: sources
                .get(i % sources.len())
                .copied()
                .unwrap_or(LeadSource::Manual),
            notes: String::new(),
            assigned_user_id: None,
        };
        leads::create(db, &scope, lead)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
