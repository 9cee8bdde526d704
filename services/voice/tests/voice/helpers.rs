use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use prosaas_common::{E164Phone, Settings};
use prosaas_events::BusHandle;
use prosaas_events::{Envelope, EventBus, EventKind};
use prosaas_fakes::{CallSimulator, FakeApis, FakeRealtime, Step};
use prosaas_tenant::domain::{Business, BusinessChanges, NewBusiness};
use prosaas_tenant::repo::businesses;
use prosaas_tenant::{BusinessScope, Db, Manager, system};
use prosaas_test_support::TestDatabase;
use prosaas_voice::startup::Application;
use prosaas_voice::state::VoiceState;
use secrecy::SecretString;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
pub type AnyResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const ACCOUNT: &str = "AC00000000000000000000000000000001";
pub const TOKEN: &str = "test-auth-token";
pub const PUBLIC: &str = "https://voice.prosaas.test";
pub const NUMBER_A: &str = "+15005550001";
pub const NUMBER_B: &str = "+15005550002";
pub const FALLBACK_A: &str = "+15005550003";
pub const CALLER: &str = "+15005550100";

pub struct TestVoice {
    pub db: Db,
    pub _tdb: TestDatabase,
    pub sim: CallSimulator,
    pub apis: FakeApis,
    pub realtime: Option<FakeRealtime>,
    pub a: Business,
    pub b: Business,
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A voice service on port 0 with a fresh database, the fakes, and two
/// businesses with Twilio numbers. `script: None` points OpenAI at a closed port.
pub async fn spawn_voice(script: Option<Vec<Step>>) -> AnyResult<TestVoice> {
    let realtime = match script {
        Some(s) => Some(FakeRealtime::start(s).await?),
        None => None,
    };
    spawn_voice_with(realtime, Duration::from_secs(5)).await
}

/// As [`spawn_voice`], with a given fake (None: closed port) and connect timeout.
pub async fn spawn_voice_with(
    realtime: Option<FakeRealtime>,
    connect_timeout: Duration,
) -> AnyResult<TestVoice> {
    spawn_voice_opts(realtime, connect_timeout, true).await
}

/// As [`spawn_voice_with`], choosing `VALIDATE_TWILIO_SIGNATURE`.
pub async fn spawn_voice_opts(
    realtime: Option<FakeRealtime>,
    connect_timeout: Duration,
    validate_signature: bool,
) -> AnyResult<TestVoice> {
    prosaas_common::telemetry::init_for_tests();
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 5)?;
    let apis = FakeApis::start(ACCOUNT, TOKEN).await?;
    let realtime_url = match &realtime {
        Some(r) => r.url.clone(),
        None => {
            let closed = TcpListener::bind("127.0.0.1:0")?;
            let url = format!("ws://{}/v1/realtime", closed.local_addr()?);
            drop(closed);
            url
        }
    };
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", tdb.app_url()),
        ("REDIS_URL", redis_url()),
        ("PUBLIC_BASE_URL", PUBLIC.into()),
        ("TWILIO_ACCOUNT_SID", ACCOUNT.into()),
        ("TWILIO_AUTH_TOKEN", TOKEN.into()),
        ("TWILIO_API_BASE", apis.base_url.clone()),
        ("OPENAI_API_KEY", "sk-test".into()),
        ("OPENAI_REALTIME_URL", realtime_url),
        ("OPENAI_BASE_URL", apis.openai_base()),
        ("VALIDATE_TWILIO_SIGNATURE", validate_signature.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let settings = Settings::from_map(&vars)?;
    let bus = BusHandle::connect(SecretString::from(redis_url())).await;
    let mut state = VoiceState::from_settings(&settings, db.clone(), bus)?;
    state.openai.connect_timeout = connect_timeout;
    let state = Arc::new(state);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let app = Application::serve(listener, state)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let a = business(&db, "Alpha", NUMBER_A).await?;
    let b = business(&db, "Beta", NUMBER_B).await?;
    Ok(TestVoice {
        sim: CallSimulator::new(&base, PUBLIC, ACCOUNT, TOKEN),
        db,
        _tdb: tdb,
        apis,
        realtime,
        a,
        b,
    })
}

async fn business(db: &Db, name: &str, number: &str) -> AnyResult<Business> {
    let cross = system::operator_cross_tenant(db, "test").await?;
    Ok(businesses::create(
        db,
        &cross,
        NewBusiness {
            name: name.into(),
            slug: None,
            twilio_phone_number: Some(E164Phone::parse(number)?),
            whatsapp_phone: None,
            timezone: None,
            locale: None,
        },
    )
    .await?)
}

impl TestVoice {
    pub async fn scope(&self, b: &Business) -> AnyResult<BusinessScope> {
        Ok(system::operator_scope(&self.db, b.id, "test").await?)
    }

    pub async fn change_business(&self, b: &Business, changes: BusinessChanges) -> TestResult {
        let scope = self.scope(b).await?.require::<Manager>()?;
        businesses::update_own(&self.db, &scope, changes).await?;
        Ok(())
    }

    pub fn realtime_log(&self) -> prosaas_fakes::RealtimeLog {
        self.realtime.as_ref().map(|r| r.log()).unwrap_or_default()
    }

    /// Posts the incoming-call webhook; returns the TwiML.
    pub async fn ring(&self, sid: &str, to: &str) -> AnyResult<String> {
        let params = self.sim.incoming_params(sid, CALLER, to);
        let (status, body) = self.sim.webhook("/webhook/incoming_call", &params).await?;
        assert_eq!(status, 200, "{body}");
        Ok(body)
    }

    /// Posts a status callback.
    pub async fn status(&self, sid: &str, status: &str, duration: Option<&str>) -> AnyResult<u16> {
        let mut params = self.sim.incoming_params(sid, CALLER, NUMBER_A);
        params.retain(|(k, _)| k != "CallStatus");
        params.push(("CallStatus".into(), status.into()));
        params.push(("CallbackSource".into(), "call-progress-events".into()));
        if let Some(d) = duration {
            params.push(("CallDuration".into(), d.into()));
        }
        Ok(self.sim.webhook("/webhook/call_status", &params).await?.0)
    }
}

/// Polls `check` every 50 ms for up to 5 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F) -> TestResult
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("timed out waiting for {what}").into())
}

/// Collects the events of one business in the background.
pub async fn listen(business: &Business) -> AnyResult<Arc<std::sync::Mutex<Vec<Envelope>>>> {
    let bus = EventBus::connect(&SecretString::from(redis_url())).await?;
    let mut stream = Box::pin(bus.subscribe(business.id.as_uuid()).await?);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    tokio::spawn(async move {
        while let Some(e) = stream.next().await {
            if let Ok(mut s) = sink.lock() {
                s.push(e);
            }
        }
    });
    // the subscription is live once the SUBSCRIBE round trip is done
    tokio::time::sleep(Duration::from_millis(100)).await;
    Ok(seen)
}

pub fn kinds(seen: &Arc<std::sync::Mutex<Vec<Envelope>>>) -> Vec<EventKind> {
    seen.lock()
        .map(|s| s.iter().map(|e| e.kind).collect())
        .unwrap_or_default()
}

pub fn say(text: &str, audio_ms: u32, tag: u8) -> Step {
    Step::Say {
        text: text.into(),
        audio_ms,
        tag,
    }
}

pub fn business_changes() -> BusinessChanges {
    BusinessChanges::default()
}
