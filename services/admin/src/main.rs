//! `prosaas`: the operator command line.
//!
//! ```text
//! prosaas migrate [--status]
//! prosaas create-business --name NAME [--slug SLUG] [--twilio-number E164] [--timezone TZ] [--locale he|en]
//! prosaas create-user --email EMAIL --role ROLE [--business SLUG|ID] [--name NAME] [--password PW]
//! prosaas seed-demo
//! ```
//! `migrate` uses DATABASE_URL (the owner role). Everything else acts as the
//! application role (APP_DATABASE_URL, else DATABASE_URL) through the audited
//! operator path of prosaas_tenant::system, so RLS applies to the CLI too.

mod args;
mod seed;

use std::process::ExitCode;

use args::Args;
use prosaas_common::Email;
use prosaas_tenant::domain::{NewBusiness, NewUser};
use prosaas_tenant::repo::{businesses, users};
use prosaas_tenant::{Db, Password, Role, ops, system};
use secrecy::SecretString;

type CliResult = Result<(), String>;

const USAGE: &str = "usage: prosaas <migrate [--status] | create-business --name NAME [--slug S] [--twilio-number N] | \
create-user --email E --role R [--business SLUG|ID] [--name N] [--password P] | seed-demo>";

fn env(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("{name} is required"))
}

fn app_db() -> Result<Db, String> {
    let url = env("APP_DATABASE_URL").or_else(|_| env("DATABASE_URL"))?;
    Db::connect(&SecretString::from(url), 2).map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1);
    let command = raw.next().unwrap_or_default();
    let args = match Args::parse(raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "migrate" => migrate(&args).await,
        "create-business" => create_business(&args).await,
        "create-user" => create_user(&args).await,
        "seed-demo" => match app_db() {
            Ok(db) => seed::demo(&db).await,
            Err(e) => Err(e),
        },
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("prosaas {command}: {e}");
            ExitCode::from(1)
        }
    }
}

async fn migrate(args: &Args) -> CliResult {
    let owner = env("DATABASE_URL")?;
    if args.flag("status") {
        let pending = ops::pending_migrations(&owner)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "{} known, {} pending",
            ops::known_migrations().len(),
            pending.len()
        );
        for p in pending {
            println!("pending: {p}");
        }
        return Ok(());
    }
    let applied = ops::migrate(&owner).await.map_err(|e| e.to_string())?;
    if applied.is_empty() {
        println!(
            "schema up to date ({} migrations)",
            ops::known_migrations().len()
        );
    }
    for v in &applied {
        println!("applied {v}");
    }
    if let Ok(app_url) = env("APP_DATABASE_URL") {
        let parsed =
            url::Url::parse(&app_url).map_err(|_| "APP_DATABASE_URL is not a URL".to_string())?;
        match (parsed.username(), parsed.password()) {
            ("prosaas_app", Some(pw)) => {
                let pw = url::form_urlencoded::parse(format!("p={pw}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                ops::enable_app_role_login(&owner, &pw)
                    .await
                    .map_err(|e| e.to_string())?;
                println!("role prosaas_app can log in");
            }
            ("prosaas_app", None) => {
                println!("note: APP_DATABASE_URL has no password; prosaas_app login left as is")
            }
            (other, _) => println!(
                "note: services connect as '{other}'; it must not own the tables nor bypass RLS"
            ),
        }
    }
    Ok(())
}

async fn create_business(args: &Args) -> CliResult {
    let db = app_db()?;
    let cross = system::operator_cross_tenant(&db, "cli create-business")
        .await
        .map_err(|e| e.to_string())?;
    let phone = |v: Option<String>| {
        v.map(|p| prosaas_common::E164Phone::parse(&p).map_err(|e| format!("--twilio-number: {e}")))
            .transpose()
    };
    let b = businesses::create(
        &db,
        &cross,
        NewBusiness {
            name: args.required("name")?,
            slug: args.value("slug"),
            twilio_phone_number: phone(args.value("twilio-number"))?,
            whatsapp_phone: None,
            timezone: args.value("timezone"),
            locale: args.value("locale"),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    println!("created business {} (slug {})", b.id, b.slug);
    Ok(())
}

/// Resolves `--business` given as a slug or an id.
pub(crate) async fn find_business(
    db: &Db,
    key: &str,
) -> Result<prosaas_tenant::domain::Business, String> {
    let cross = system::operator_cross_tenant(db, "cli find business")
        .await
        .map_err(|e| e.to_string())?;
    businesses::list_all(db, &cross)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|b| b.slug == key || b.id.to_string() == key)
        .ok_or_else(|| format!("no business with slug or id '{key}'"))
}

async fn create_user(args: &Args) -> CliResult {
    let db = app_db()?;
    let role: Role = args
        .required("role")?
        .parse()
        .map_err(|e: prosaas_tenant::role::UnknownRole| e.to_string())?;
    let business = match args.value("business") {
        Some(key) => Some(find_business(&db, &key).await?.id),
        None => None,
    };
    let (password, generated) = match args.value("password") {
        Some(p) => (p, false),
        None => (seed::random_password(), true),
    };
    let email = args.required("email")?;
    let new = NewUser {
        email: Email::parse(&email).map_err(|e| e.to_string())?,
        password: Password::parse(&password).map_err(|e| e.to_string())?,
        name: args.value("name").unwrap_or_default(),
        role,
    };
    let cross = system::operator_cross_tenant(&db, "cli create-user")
        .await
        .map_err(|e| e.to_string())?;
    let user = users::create_any(&db, &cross, business, new)
        .await
        .map_err(|e| e.to_string())?;
    println!("created {} {} ({})", user.role, user.email, user.id);
    if generated {
        println!("password: {password}");
    }
    Ok(())
}
