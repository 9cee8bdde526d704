//! `cargo bench -p prosaas-api --bench crm_events`
//!
//! Numbers for the CRM integration paths, on a fresh database and the real Redis:
//! 1. `POST /api/leads` with an API key, with 0 and with 3 `lead.created`
//!    subscriptions (the cost of the outbox trigger), BENCH_LEADS (300) each;
//! 2. webhook delivery throughput of the outbox worker to a local receiver
//!    answering 200 (the 3 x BENCH_LEADS rows written by step 1);
//! 3. SSE latency: Redis publish -> frame read by an `/api/events` client,
//!    BENCH_EVENTS (200) events.
//!
//! Prints one table.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use prosaas_api::startup::{ApiState, AppParts, Application};
use prosaas_api::workers::{WorkerSettings, webhook_delivery};
use prosaas_common::Settings;
use prosaas_events::BusHandle;
use prosaas_events::{Envelope, EventBus, EventKind};
use prosaas_tenant::domain::NewBusiness;
use prosaas_tenant::repo::webhooks::NewSubscription;
use prosaas_tenant::repo::{api_keys, businesses, webhooks};
use prosaas_tenant::{Db, Manager, system};
use prosaas_test_support::TestDatabase;
use secrecy::SecretString;

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentiles(mut micros: Vec<u64>) -> (f64, f64) {
    micros.sort_unstable();
    let pick = |q: f64| {
        let idx = ((micros.len() as f64 - 1.0) * q).round() as usize;
        micros.get(idx).copied().unwrap_or(0) as f64 / 1000.0
    };
    (pick(0.50), pick(0.99))
}

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

async fn create_leads(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    n: usize,
) -> BenchResult<Vec<u64>> {
    let mut micros = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        let res = http
            .post(format!("{base}/api/leads"))
            .bearer_auth(key)
            .json(&serde_json::json!({"name": format!("Bench lead {i}")}))
            .send()
            .await?;
        if res.status() != reqwest::StatusCode::CREATED {
            return Err(format!("lead create answered {}", res.status()).into());
        }
        micros.push(started.elapsed().as_micros() as u64);
    }
    Ok(micros)
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let leads = env_num("BENCH_LEADS", 300);
    let events = env_num("BENCH_EVENTS", 200);
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 10)?;
    let vars = [
        ("DATABASE_URL".to_string(), tdb.app_url()),
        ("REDIS_URL".to_string(), redis_url()),
    ]
    .into_iter()
    .collect();
    let settings = Settings::from_map(&vars)?;
    let bus = BusHandle::connect(settings.redis_url.clone()).await;
    let parts = AppParts {
        db: db.clone(),
        state: Arc::new(ApiState::from_settings(&settings, bus)),
    };
    let app = Application::serve(TcpListener::bind("127.0.0.1:0")?, parts)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let cross = system::operator_cross_tenant(&db, "bench").await?;
    let business = businesses::create(
        &db,
        &cross,
        NewBusiness {
            name: "Bench".into(),
            slug: None,
            twilio_phone_number: None,
            whatsapp_phone: None,
            timezone: None,
            locale: None,
        },
    )
    .await?;
    let scope = system::operator_scope(&db, business.id, "bench").await?;
    let manager = scope.require::<Manager>()?;
    let key = api_keys::create(&db, &manager, "bench").await?;
    let http = reqwest::Client::new();

    // 1. lead creation without and with subscribers
    let plain = create_leads(&http, &base, key.expose(), leads).await?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let receiver_url = format!("http://127.0.0.1:{}/hook", listener.local_addr()?.port());
    let server = HttpServer::new(|| App::new().default_service(web::to(HttpResponse::Ok)))
        .workers(2)
        .listen(listener)?
        .run();
    tokio::spawn(server);
    for _ in 0..3 {
        webhooks::create(
            &db,
            &manager,
            NewSubscription {
                url: receiver_url.clone(),
                event_types: vec!["lead.created".into()],
                description: String::new(),
            },
        )
        .await?;
    }
    let subscribed = create_leads(&http, &base, key.expose(), leads).await?;

    // 2. outbox delivery throughput
    let settings = WorkerSettings::default();
    let client = webhook_delivery::client(&settings)?;
    let started = Instant::now();
    let mut delivered = 0;
    loop {
        let n = webhook_delivery::deliver_once(&db, &client, &settings).await?;
        if n == 0 {
            break;
        }
        delivered += n;
    }
    let delivery_elapsed = started.elapsed();

    // 3. SSE publish -> frame latency
    let redis = EventBus::connect(&SecretString::from(redis_url())).await?;
    let mut res = http
        .get(format!("{base}/api/events"))
        .bearer_auth(key.expose())
        .send()
        .await?;
    let mut buf = String::new();
    let mut sse = Vec::with_capacity(events);
    // warm-up: wait until the recorder is subscribed
    for round in 0..(events + 50) {
        let env = Envelope::new(
            business.id.as_uuid(),
            EventKind::LeadUpdated,
            serde_json::json!({"n": round}),
        );
        let needle = format!("id: {}", env.id);
        let started = Instant::now();
        redis.publish(&env).await?;
        let arrived = tokio::time::timeout(Duration::from_secs(2), async {
            while !buf.contains(&needle) {
                match res.chunk().await {
                    Ok(Some(bytes)) => buf.push_str(&String::from_utf8_lossy(&bytes)),
                    _ => return false,
                }
            }
            true
        })
        .await
        .unwrap_or(false);
        buf.clear();
        if arrived && round >= 50 {
            sse.push(started.elapsed().as_micros() as u64);
        }
    }

    let (p50a, p99a) = percentiles(plain);
    let (p50b, p99b) = percentiles(subscribed);
    let (p50s, p99s) = percentiles(sse.clone());
    println!();
    println!("| path | n | p50 ms | p99 ms | throughput |");
    println!("|---|---|---|---|---|");
    println!("| POST /api/leads (API key), 0 subscriptions | {leads} | {p50a:.2} | {p99a:.2} | |");
    println!(
        "| POST /api/leads (API key), 3 subscriptions (outbox trigger) | {leads} | {p50b:.2} | {p99b:.2} | |"
    );
    println!(
        "| webhook outbox -> local receiver (signed POST + log) | {delivered} | | | {:.0} deliveries/s |",
        delivered as f64 / delivery_elapsed.as_secs_f64()
    );
    println!(
        "| Redis publish -> SSE frame at the client | {} of {events} | {p50s:.2} | {p99s:.2} | |",
        sse.len()
    );
    Ok(())
}
