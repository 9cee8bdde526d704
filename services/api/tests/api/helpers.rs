use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use prosaas_api::rate_limit::LoginLimiter;
use prosaas_api::startup::{ApiState, AppParts, Application};
use prosaas_common::{Email, Settings};
use prosaas_events::BusHandle;
use prosaas_tenant::domain::{Business, NewBusiness, NewUser, User};
use prosaas_tenant::repo::{businesses, users};
use prosaas_tenant::{Db, Password, Role, system};
use prosaas_test_support::TestDatabase;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::Value;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
pub type AnyResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub _tdb: TestDatabase,
    pub http: reqwest::Client,
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

pub fn settings(db_url: &str) -> AnyResult<Settings> {
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", db_url.to_string()),
        ("REDIS_URL", redis_url()),
        ("LOGIN_MAX_ATTEMPTS_PER_IP", "1000".into()),
        ("LOGIN_MAX_ATTEMPTS_PER_EMAIL", "3".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(Settings::from_map(&vars)?)
}

pub async fn spawn_app() -> AnyResult<TestApp> {
    prosaas_common::telemetry::init_for_tests();
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 5)?;
    spawn_with(tdb, db).await
}

pub async fn spawn_with(tdb: TestDatabase, db: Db) -> AnyResult<TestApp> {
    let settings = settings(&tdb.app_url())?;
    let bus = BusHandle::connect(SecretString::from(redis_url())).await;
    let mut state = ApiState::from_settings(&settings, bus.clone());
    // each app counts login failures under its own prefix: tests share one Redis
    state.limiter = LoginLimiter::with_prefix(
        bus,
        &format!("rl-test-{}", uuid::Uuid::new_v4()),
        1000,
        3,
        Duration::from_secs(60),
    );
    let parts = AppParts {
        db: db.clone(),
        state: Arc::new(state),
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let app = Application::serve(listener, parts)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Ok(TestApp {
        base,
        db,
        _tdb: tdb,
        http: reqwest::Client::new(),
    })
}

/// A signed-in browser: carries its session cookie.
#[derive(Clone)]
pub struct Session {
    pub cookie: Option<String>,
}

impl TestApp {
    pub async fn business(&self, name: &str) -> AnyResult<Business> {
        let cross = system::operator_cross_tenant(&self.db, "test").await?;
        Ok(businesses::create(
            &self.db,
            &cross,
            NewBusiness {
                name: name.into(),
                slug: None,
                twilio_phone_number: None,
                whatsapp_phone: None,
                timezone: None,
                locale: None,
            },
        )
        .await?)
    }

    pub async fn user(
        &self,
        business: Option<&Business>,
        email: &str,
        role: Role,
    ) -> AnyResult<User> {
        let cross = system::operator_cross_tenant(&self.db, "test").await?;
        Ok(users::create_any(
            &self.db,
            &cross,
            business.map(|b| b.id),
            NewUser {
                email: Email::parse(email)?,
                password: Password::parse(PASSWORD)?,
                name: email.into(),
                role,
            },
        )
        .await?)
    }

    pub async fn login(&self, email: &str) -> AnyResult<Session> {
        let res = self
            .http
            .post(format!("{}/api/auth/login", self.base))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await?;
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("prosaas_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        Ok(Session { cookie })
    }

    pub async fn call(
        &self,
        session: Option<&Session>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> AnyResult<(StatusCode, Value)> {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(c) = session.and_then(|s| s.cookie.clone()) {
            req = req.header("cookie", c);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, json))
    }

    pub async fn get(&self, s: &Session, path: &str) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(s), Method::GET, path, None).await
    }
    pub async fn post(
        &self,
        s: &Session,
        path: &str,
        body: Value,
    ) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(s), Method::POST, path, Some(body)).await
    }
    pub async fn patch(
        &self,
        s: &Session,
        path: &str,
        body: Value,
    ) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(s), Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, s: &Session, path: &str) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(s), Method::DELETE, path, None).await
    }
}

/// Two businesses with an owner, an admin and an agent each, and a system admin.
pub struct Tenants {
    pub a: Business,
    pub b: Business,
    pub owner_a: User,
    pub admin_a: User,
    pub agent_a: User,
    pub owner_b: User,
    pub agent_b: User,
    pub root: User,
}

pub async fn two_tenants(app: &TestApp) -> AnyResult<Tenants> {
    let a = app.business("Alpha").await?;
    let b = app.business("Beta").await?;
    Ok(Tenants {
        owner_a: app.user(Some(&a), "owner@a.test", Role::Owner).await?,
        admin_a: app.user(Some(&a), "admin@a.test", Role::Admin).await?,
        agent_a: app.user(Some(&a), "agent@a.test", Role::Agent).await?,
        owner_b: app.user(Some(&b), "owner@b.test", Role::Owner).await?,
        agent_b: app.user(Some(&b), "agent@b.test", Role::Agent).await?,
        root: app
            .user(None, "root@prosaas.test", Role::SystemAdmin)
            .await?,
        a,
        b,
    })
}

pub fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}
