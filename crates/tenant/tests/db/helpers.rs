use prosaas_common::{E164Phone, Email};
use prosaas_tenant::domain::{Business, NewBusiness, NewUser, User};
use prosaas_tenant::{BusinessScope, Db, Password, Role, system};
use prosaas_test_support::TestDatabase;
use secrecy::SecretString;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub struct World {
    pub tdb: TestDatabase,
    pub db: Db,
}

pub async fn world() -> Result<World, Box<dyn std::error::Error + Send + Sync>> {
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 4)?;
    Ok(World { tdb, db })
}

pub async fn business(
    db: &Db,
    name: &str,
    twilio: Option<&str>,
) -> Result<Business, prosaas_tenant::TenantError> {
    let cross = system::operator_cross_tenant(db, "test").await?;
    prosaas_tenant::repo::businesses::create(
        db,
        &cross,
        NewBusiness {
            name: name.into(),
            slug: None,
            twilio_phone_number: twilio.and_then(|t| E164Phone::parse(t).ok()),
            whatsapp_phone: None,
            timezone: None,
            locale: None,
        },
    )
    .await
}

pub async fn user(
    db: &Db,
    business: Option<&Business>,
    email: &str,
    role: Role,
) -> Result<User, prosaas_tenant::TenantError> {
    let cross = system::operator_cross_tenant(db, "test").await?;
    prosaas_tenant::repo::users::create_any(
        db,
        &cross,
        business.map(|b| b.id),
        NewUser {
            email: Email::parse(email).map_err(|e| {
                prosaas_tenant::TenantError::invalid("invalid_email", e.to_string())
            })?,
            password: Password::parse("correct horse battery")?,
            name: email.into(),
            role,
        },
    )
    .await
}

pub async fn scope(
    db: &Db,
    business: &Business,
) -> Result<BusinessScope, prosaas_tenant::TenantError> {
    system::operator_scope(db, business.id, "test").await
}

/// Logs in and returns the principal (the only way a test gets one).
pub async fn principal(
    db: &Db,
    email: &str,
) -> Result<prosaas_tenant::Principal, prosaas_tenant::TenantError> {
    let (_, p) = system::login(
        db,
        email,
        "correct horse battery",
        system::ClientInfo::default(),
        3600,
    )
    .await?;
    Ok(p)
}
