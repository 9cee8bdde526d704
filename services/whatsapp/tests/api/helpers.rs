use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use prosaas_common::{Email, Settings};
use prosaas_events::BusHandle;
use prosaas_tenant::domain::{Business, NewBusiness, NewUser, User};
use prosaas_tenant::repo::{businesses, users};
use prosaas_tenant::system::{self, ClientInfo};
use prosaas_tenant::{Db, Password, Role};
use prosaas_test_support::TestDatabase;
use prosaas_whatsapp::outbound::SendLimits;
use prosaas_whatsapp::startup::{AppParts, Application, WhatsAppState};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
pub type AnyResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const PASSWORD: &str = "correct horse battery";
pub const SECRET: &str = "test-worker-secret-0123456789";
pub const AUTH_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
pub const AI_REPLY: &str = "שלום! איך אפשר לעזור?";

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// What the fake worker was asked to do.
#[derive(Debug, Clone)]
pub struct WorkerCall {
    pub method: String,
    pub path: String,
    pub body: Value,
}

/// A fake Baileys worker: the worker's HTTP protocol, recording calls.
#[derive(Clone, Default)]
pub struct FakeWorker {
    pub calls: Arc<Mutex<Vec<WorkerCall>>>,
    /// When true, sends answer 409 not_connected.
    pub disconnected: Arc<Mutex<bool>>,
}

impl FakeWorker {
    pub fn calls(&self) -> Vec<WorkerCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
    pub fn sends(&self) -> Vec<WorkerCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
            .collect()
    }
}

async fn fake_worker_handler(
    req: HttpRequest,
    body: web::Bytes,
    worker: web::Data<FakeWorker>,
) -> HttpResponse {
    if req
        .headers()
        .get("x-worker-secret")
        .and_then(|v| v.to_str().ok())
        != Some(SECRET)
    {
        return HttpResponse::Unauthorized()
            .json(json!({"error": {"code": "invalid_worker_secret"}}));
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    // like Baileys with `{messageId}`: the id the service chose
    let message_id = body["message_id"].as_str().map(str::to_string);
    let path = req.path().to_string();
    let method = req.method().to_string();
    if let Ok(mut calls) = worker.calls.lock() {
        calls.push(WorkerCall {
            method: method.clone(),
            path: path.clone(),
            body,
        });
    }
    match (method.as_str(), path.ends_with("/messages")) {
        ("POST", true) => {
            if worker.disconnected.lock().map(|d| *d).unwrap_or(false) {
                return HttpResponse::Conflict().json(json!({"error": {"code": "not_connected"}}));
            }
            HttpResponse::Ok().json(json!({"wa_message_id": message_id
                .unwrap_or_else(|| format!("FAKE{}", uuid::Uuid::new_v4().simple()))}))
        }
        ("POST", false) => HttpResponse::Accepted().json(json!({"state": "connecting"})),
        ("DELETE", _) => HttpResponse::NoContent().finish(),
        _ => HttpResponse::NotFound().finish(),
    }
}

/// Starts a fake worker; returns it and its base URL.
pub fn spawn_fake_worker() -> AnyResult<(FakeWorker, String)> {
    let worker = FakeWorker::default();
    let data = web::Data::new(worker.clone());
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .default_service(web::to(fake_worker_handler))
    })
    .workers(1)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok((worker, format!("http://127.0.0.1:{port}")))
}

/// A fake chat-completions server (OpenAI wire format), recording requests.
#[derive(Clone, Default)]
pub struct FakeOpenAi {
    pub requests: Arc<Mutex<Vec<Value>>>,
}

impl FakeOpenAi {
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

async fn fake_chat(
    req: HttpRequest,
    body: web::Json<Value>,
    ai: web::Data<FakeOpenAi>,
) -> HttpResponse {
    if req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        != Some("Bearer sk-test")
    {
        return HttpResponse::Unauthorized().finish();
    }
    if let Ok(mut r) = ai.requests.lock() {
        r.push(body.into_inner());
    }
    HttpResponse::Ok().json(json!({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": AI_REPLY}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    }))
}

pub fn spawn_fake_openai() -> AnyResult<(FakeOpenAi, String)> {
    let ai = FakeOpenAi::default();
    let data = web::Data::new(ai.clone());
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/v1/chat/completions", web::post().to(fake_chat))
    })
    .workers(1)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok((ai, format!("http://127.0.0.1:{port}/v1")))
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub tdb: TestDatabase,
    pub http: reqwest::Client,
    pub worker: FakeWorker,
    pub openai: FakeOpenAi,
}

/// Options of a test app.
pub struct Options {
    pub cooldown_ms: u64,
    pub with_ai: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            cooldown_ms: 60_000,
            with_ai: false,
        }
    }
}

pub fn settings(
    db_url: &str,
    worker_url: &str,
    openai_url: Option<&str>,
    cooldown_ms: u64,
) -> AnyResult<Settings> {
    let mut vars: HashMap<String, String> = [
        ("DATABASE_URL", db_url.to_string()),
        ("REDIS_URL", redis_url()),
        ("WHATSAPP_WORKER_URL", worker_url.to_string()),
        ("WHATSAPP_WORKER_SECRET", SECRET.into()),
        ("WHATSAPP_AUTH_KEY", AUTH_KEY.into()),
        ("WHATSAPP_AI_REPLY_DELAY_MS", "0".into()),
        ("WHATSAPP_CHAT_COOLDOWN_MS", cooldown_ms.to_string()),
        ("WHATSAPP_WORKER_TIMEOUT_MS", "5000".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(url) = openai_url {
        vars.insert("OPENAI_API_KEY".into(), "sk-test".into());
        vars.insert("OPENAI_BASE_URL".into(), url.into());
    }
    Ok(Settings::from_map(&vars)?)
}

pub async fn spawn_app(opts: Options) -> AnyResult<TestApp> {
    let (worker, worker_url) = spawn_fake_worker()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    spawn_on(listener, &worker_url, worker, opts).await
}

/// The app on a bound listener, talking to the worker at `worker_url`.
pub async fn spawn_on(
    listener: TcpListener,
    worker_url: &str,
    worker: FakeWorker,
    opts: Options,
) -> AnyResult<TestApp> {
    prosaas_common::telemetry::init_for_tests();
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 5)?;
    let (openai, openai_url) = spawn_fake_openai()?;
    let settings = settings(
        &tdb.app_url(),
        worker_url,
        opts.with_ai.then_some(openai_url.as_str()),
        opts.cooldown_ms,
    )?;
    let bus = BusHandle::connect(SecretString::from(redis_url())).await;
    let mut state = WhatsAppState::from_settings(&settings, bus.clone())?;
    // tests share one Redis: limits under a prefix of their own
    state.limits = SendLimits::with_prefix(
        bus,
        &format!("wa-test-{}", uuid::Uuid::new_v4().simple()),
        Duration::from_millis(opts.cooldown_ms),
        1000,
    );
    let parts = AppParts {
        db: db.clone(),
        state: Arc::new(state),
    };
    let app = Application::serve(listener, parts)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    Ok(TestApp {
        base,
        db,
        tdb,
        http: reqwest::Client::new(),
        worker,
        openai,
    })
}

/// A signed-in browser (session cookie).
#[derive(Clone)]
pub struct Browser {
    pub cookie: String,
}

pub struct Tenants {
    pub a: Business,
    pub b: Business,
    pub owner_a: Browser,
    pub agent_a: Browser,
    pub owner_b: Browser,
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

    pub async fn user(&self, business: &Business, email: &str, role: Role) -> AnyResult<User> {
        let cross = system::operator_cross_tenant(&self.db, "test").await?;
        Ok(users::create_any(
            &self.db,
            &cross,
            Some(business.id),
            NewUser {
                email: Email::parse(email)?,
                password: Password::parse(PASSWORD)?,
                name: email.into(),
                role,
            },
        )
        .await?)
    }

    pub async fn login(&self, email: &str) -> AnyResult<Browser> {
        let (token, _) =
            system::login(&self.db, email, PASSWORD, ClientInfo::default(), 3600).await?;
        Ok(Browser {
            cookie: format!("prosaas_session={}", token.expose()),
        })
    }

    pub async fn two_tenants(&self) -> AnyResult<Tenants> {
        let a = self.business("Alpha").await?;
        let b = self.business("Beta").await?;
        self.user(&a, "owner@a.test", Role::Owner).await?;
        self.user(&a, "agent@a.test", Role::Agent).await?;
        self.user(&b, "owner@b.test", Role::Owner).await?;
        Ok(Tenants {
            owner_a: self.login("owner@a.test").await?,
            agent_a: self.login("agent@a.test").await?,
            owner_b: self.login("owner@b.test").await?,
            a,
            b,
        })
    }

    pub async fn call(
        &self,
        who: Option<&Browser>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> AnyResult<(StatusCode, Value)> {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(b) = who {
            req = req.header("cookie", &b.cookie);
        }
        if let Some(body) = body {
            req = req.json(&body);
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

    pub async fn get(&self, who: &Browser, path: &str) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(who), Method::GET, path, None).await
    }
    pub async fn post(
        &self,
        who: &Browser,
        path: &str,
        body: Value,
    ) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(who), Method::POST, path, Some(body)).await
    }
    pub async fn patch(
        &self,
        who: &Browser,
        path: &str,
        body: Value,
    ) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(who), Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, who: &Browser, path: &str) -> AnyResult<(StatusCode, Value)> {
        self.call(Some(who), Method::DELETE, path, None).await
    }

    /// What the worker does: POST an event with the shared secret.
    pub async fn worker_event(
        &self,
        business: &Business,
        kind: &str,
        data: Value,
    ) -> AnyResult<StatusCode> {
        let res = self
            .http
            .post(format!("{}/internal/whatsapp/events", self.base))
            .header("x-worker-secret", SECRET)
            .json(&json!({"business_id": business.id, "type": kind, "data": data}))
            .send()
            .await?;
        Ok(res.status())
    }

    /// An internal call as the worker.
    pub async fn internal(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> AnyResult<(StatusCode, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("x-worker-secret", SECRET);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        Ok((
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text)?
            },
        ))
    }

    /// Marks a business connected, as the worker would after a scan.
    pub async fn connect(&self, business: &Business, phone: &str) -> AnyResult<()> {
        let s = self
            .worker_event(
                business,
                "connection",
                json!({"state": "connected", "phone": phone, "reason": null}),
            )
            .await?;
        assert_eq!(s, StatusCode::NO_CONTENT);
        Ok(())
    }

    /// A contact writes to the business.
    pub async fn inbound(
        &self,
        business: &Business,
        wa_id: &str,
        jid: &str,
        text: &str,
    ) -> AnyResult<StatusCode> {
        self.worker_event(
            business,
            "message",
            json!({"wa_message_id": wa_id, "jid": jid, "alt_jid": null, "from_me": false,
                   "push_name": "Dana", "text": text, "timestamp": 1_700_000_000}),
        )
        .await
    }
}

pub fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

/// Polls `check` until it holds or 10 s pass.
pub async fn eventually<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}
