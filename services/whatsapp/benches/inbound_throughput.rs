//! `cargo bench -p prosaas-whatsapp --bench inbound_throughput`
//!
//! Inbound WhatsApp messages, worker event -> stored + published: the service
//! on port 0 with a fresh database and the real Redis; BENCH_BUSINESSES (10)
//! businesses, BENCH_CONTACTS (50) contacts each; BENCH_MESSAGES (3,000)
//! `message` events POSTed to `/internal/whatsapp/events` exactly as the worker
//! does, with BENCH_CONCURRENCY (32) in flight. A 204 means the message, the
//! conversation, the lead (first message of a contact) and the notification
//! are committed and the events published. A subscriber counts the
//! `whatsapp.message` events that reach Redis. AI replies are off (no OpenAI
//! key): this measures our path only. Prints a table: messages/s, p50/p95/p99.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use prosaas_common::Settings;
use prosaas_events::BusHandle;
use prosaas_events::{EventBus, EventKind};
use prosaas_tenant::domain::NewBusiness;
use prosaas_tenant::repo::businesses;
use prosaas_tenant::{BusinessId, Db, system};
use prosaas_test_support::TestDatabase;
use prosaas_whatsapp::startup::{AppParts, Application, WhatsAppState};
use secrecy::SecretString;
use tokio::sync::Semaphore;

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const SECRET: &str = "bench-worker-secret-0123456789";

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pick(sorted: &[u64], q: f64) -> f64 {
    let idx = ((sorted.len().saturating_sub(1)) as f64 * q).round() as usize;
    sorted.get(idx).copied().unwrap_or(0) as f64 / 1000.0
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let n_businesses = env_num("BENCH_BUSINESSES", 10);
    let contacts = env_num("BENCH_CONTACTS", 50);
    let messages = env_num("BENCH_MESSAGES", 3000);
    let concurrency = env_num("BENCH_CONCURRENCY", 32);
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());

    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 16)?;
    let vars: HashMap<String, String> = [
        ("DATABASE_URL", tdb.app_url()),
        ("REDIS_URL", redis_url.clone()),
        ("WHATSAPP_WORKER_URL", "http://127.0.0.1:9".into()),
        ("WHATSAPP_WORKER_SECRET", SECRET.into()),
        ("WHATSAPP_AUTH_KEY", "11".repeat(32)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let settings = Settings::from_map(&vars)?;
    let bus = BusHandle::connect(SecretString::from(redis_url.clone())).await;
    let state = WhatsAppState::from_settings(&settings, bus)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let app = Application::serve(
        listener,
        AppParts {
            db: db.clone(),
            state: Arc::new(state),
        },
    )?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let cross = system::operator_cross_tenant(&db, "bench").await?;
    let mut ids: Vec<BusinessId> = Vec::new();
    for i in 0..n_businesses {
        let b = businesses::create(
            &db,
            &cross,
            NewBusiness {
                name: format!("Bench {i}"),
                slug: None,
                twilio_phone_number: None,
                whatsapp_phone: None,
                timezone: None,
                locale: None,
            },
        )
        .await?;
        ids.push(b.id);
    }

    // count what reaches Redis
    let published = Arc::new(AtomicUsize::new(0));
    let events = EventBus::connect(&SecretString::from(redis_url)).await?;
    for id in &ids {
        let mut stream = Box::pin(events.subscribe(id.as_uuid()).await?);
        let published = published.clone();
        tokio::spawn(async move {
            while let Some(env) = stream.next().await {
                if env.kind == EventKind::WhatsAppMessage {
                    published.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let gate = Arc::new(Semaphore::new(concurrency));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(messages);
    for i in 0..messages {
        let permit = gate.clone().acquire_owned().await?;
        let business = ids.get(i % ids.len()).copied().ok_or("no business")?;
        let contact = (i / ids.len()) % contacts.max(1);
        let body = serde_json::json!({
            "business_id": business,
            "type": "message",
            "data": {
                "wa_message_id": format!("BENCH{i:08}"),
                "jid": format!("97250{:07}@s.whatsapp.net", 1_000_000 + contact),
                "alt_jid": null,
                "from_me": false,
                "push_name": format!("Contact {contact}"),
                "text": "שלום, אפשר לקבוע תור למחר?",
                "timestamp": 1_700_000_000
            }
        });
        let (http, url, errors) = (
            http.clone(),
            format!("{base}/internal/whatsapp/events"),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let ok = http
                .post(url)
                .header("x-worker-secret", SECRET)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16() == 204)
                .unwrap_or(false);
            if !ok {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            drop(permit);
            t0.elapsed().as_micros() as u64
        }));
    }
    let mut micros = Vec::with_capacity(messages);
    for t in tasks {
        micros.push(t.await?);
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    micros.sort_unstable();

    println!();
    println!(
        "inbound WhatsApp messages: worker event -> stored (message, conversation, lead, notification) + published"
    );
    println!(
        "{n_businesses} businesses x {contacts} contacts, {concurrency} in flight, debug={}",
        cfg!(debug_assertions)
    );
    println!(
        "| messages | errors | published | seconds | messages/s | p50 ms | p95 ms | p99 ms | max ms |"
    );
    println!(
        "|---------:|-------:|----------:|--------:|-----------:|-------:|-------:|-------:|-------:|"
    );
    println!(
        "| {messages} | {} | {} | {:.2} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
        errors.load(Ordering::Relaxed),
        published.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64(),
        pick(&micros, 0.50),
        pick(&micros, 0.95),
        pick(&micros, 0.99),
        pick(&micros, 1.0),
    );
    Ok(())
}
