//! `cargo bench -p prosaas-api --bench leads_list`
//!
//! Seeds BENCH_BUSINESSES (1,000) businesses x BENCH_LEADS (1,000) leads, then
//! drives `GET /api/leads?per_page=50` with BENCH_CONCURRENCY (64) connections,
//! each request as the owner of the next tenant in rotation, for BENCH_SECONDS
//! (10). The same unit of work (transaction, set_config, count, page of 50) is
//! then issued straight through tokio-postgres as the application role: the
//! floor. Prints a table with req/s, p50, p99 and the ratio.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use prosaas_api::startup::{ApiState, AppParts, Application};
use prosaas_events::BusHandle;
use prosaas_test_support::{TestDatabase, raw_connect};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Stats {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    p50_ms: f64,
    p99_ms: f64,
}

impl Stats {
    fn from(mut micros: Vec<u64>, errors: usize, elapsed: Duration) -> Self {
        micros.sort_unstable();
        let pick = |q: f64| {
            let idx = ((micros.len() as f64 - 1.0) * q).round() as usize;
            micros.get(idx).copied().unwrap_or(0) as f64 / 1000.0
        };
        Stats {
            requests: micros.len(),
            errors,
            elapsed,
            p50_ms: pick(0.50),
            p99_ms: pick(0.99),
        }
    }
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

async fn seed(
    tdb: &TestDatabase,
    businesses: usize,
    leads: usize,
) -> BenchResult<Vec<(String, String)>> {
    let owner = raw_connect(&tdb.owner_url()).await?;
    let started = Instant::now();
    let n = i64::try_from(businesses)?;
    let m = i64::try_from(leads)?;
    owner
        .execute(
            "INSERT INTO businesses (name, slug) SELECT 'Bench ' || g, 'bench-' || g FROM generate_series(1, $1::bigint) g",
            &[&n],
        )
        .await?;
    owner
        .execute(
            "INSERT INTO leads (business_id, name, phone, source, status, created_at)
             SELECT b.id, 'Lead ' || g, '+97250' || lpad(g::text, 7, '0'),
                    (ARRAY['call','whatsapp','manual','api'])[1 + g % 4],
                    (ARRAY['new','contacted','qualified','won','lost'])[1 + g % 5],
                    now() - g * interval '1 minute'
             FROM businesses b, generate_series(1, $1::bigint) g",
            &[&m],
        )
        .await?;
    // one owner per business with a ready session: the bench measures listing, not argon2
    owner
        .execute(
            "INSERT INTO users (business_id, email, password_hash, name, role)
             SELECT id, slug || '@bench.test', 'not-a-login', 'Owner', 'owner' FROM businesses",
            &[],
        )
        .await?;
    let rows = owner
        .query(
            "SELECT u.id::text, u.business_id::text FROM users u ORDER BY u.email",
            &[],
        )
        .await?;
    let mut tenants = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let user_id: String = row.get(0);
        let business_id: String = row.get(1);
        let token = format!("bench-session-token-{i}");
        let hash = Sha256::digest(token.as_bytes()).to_vec();
        owner
            .execute(
                "INSERT INTO user_sessions (token_hash, user_id, expires_at) VALUES ($1, $2::text::uuid, now() + interval '1 day')",
                &[&hash, &user_id],
            )
            .await?;
        tenants.push((token, business_id));
    }
    owner.batch_execute("ANALYZE").await?;
    println!(
        "seeded {businesses} businesses x {leads} leads in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(tenants)
}

async fn drive<F, Fut>(concurrency: usize, seconds: u64, one: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let one = Arc::new(one);
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (one, stop, counter) = (one.clone(), stop.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while !stop.load(Ordering::Relaxed) {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                if one(i).await {
                    lat.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    Stats::from(all, errors, started.elapsed())
}

const FLOOR_SQL: &str = "SELECT id, business_id, name, phone, email, source, status, notes, assigned_user_id, created_at, updated_at
    FROM leads WHERE business_id = $1::text::uuid ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 0";

#[tokio::main]
async fn main() -> BenchResult<()> {
    let businesses = env_num("BENCH_BUSINESSES", 1000);
    let leads = env_num("BENCH_LEADS", 1000);
    let concurrency = env_num("BENCH_CONCURRENCY", 64);
    let seconds = u64::try_from(env_num("BENCH_SECONDS", 10))?;
    let pool = env_num("BENCH_POOL", 16);

    let tdb = TestDatabase::new().await?;
    let tenants = Arc::new(seed(&tdb, businesses, leads).await?);

    let settings = prosaas_common::Settings::from_map(
        &[
            ("DATABASE_URL", tdb.app_url()),
            ("REDIS_URL", "redis://127.0.0.1:6379".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    )?;
    let db = prosaas_tenant::Db::connect(&SecretString::from(tdb.app_url()), pool)?;
    let bus = BusHandle::connect(settings.redis_url.clone()).await;
    let parts = AppParts {
        db,
        state: Arc::new(ApiState::from_settings(&settings, bus)),
    };
    let app = Application::serve(TcpListener::bind("127.0.0.1:0")?, parts)?;
    let base = format!("http://127.0.0.1:{}/api/leads?per_page=50", app.port());
    tokio::spawn(app.run_until_stopped());

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let api_call = {
        let (http, tenants, base) = (http.clone(), tenants.clone(), base.clone());
        move |i: usize| {
            let (http, tenants, base) = (http.clone(), tenants.clone(), base.clone());
            async move {
                let Some((token, _)) = tenants.get(i % tenants.len()) else {
                    return false;
                };
                match http
                    .get(&base)
                    .header("cookie", format!("prosaas_session={token}"))
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        }
    };
    drive(concurrency, 2, api_call.clone()).await; // warm-up
    let api = drive(concurrency, seconds, api_call).await;

    let mut clients = Vec::new();
    for _ in 0..pool {
        clients.push(raw_connect(&tdb.app_url()).await?);
    }
    let clients = Arc::new(Mutex::new(clients));
    let permits = Arc::new(tokio::sync::Semaphore::new(pool));
    let floor_call = {
        let tenants = tenants.clone();
        move |i: usize| {
            let (tenants, clients, permits) = (tenants.clone(), clients.clone(), permits.clone());
            async move {
                let Some((_, business)) = tenants.get(i % tenants.len()) else {
                    return false;
                };
                let Ok(_permit) = permits.acquire().await else {
                    return false;
                };
                let Some(client) = clients.lock().await.pop() else {
                    return false;
                };
                let ok = async {
                    client.batch_execute("BEGIN").await?;
                    client
                        .execute(
                            "SELECT set_config('app.business_id', $1, true)",
                            &[business],
                        )
                        .await?;
                    client
                        .query_one(
                            "SELECT count(*) FROM leads WHERE business_id = $1::text::uuid",
                            &[business],
                        )
                        .await?;
                    client.query(FLOOR_SQL, &[business]).await?;
                    client.batch_execute("COMMIT").await
                }
                .await
                .is_ok();
                clients.lock().await.push(client);
                ok
            }
        }
    };
    drive(concurrency, 2, floor_call.clone()).await;
    let floor = drive(concurrency, seconds, floor_call).await;

    println!();
    println!(
        "GET /api/leads (page of 50, rotating {} tenants, {concurrency} connections, DB pool {pool}, {seconds} s)",
        tenants.len()
    );
    println!("| path                     |    req/s | p50 ms | p99 ms | errors |");
    println!("|--------------------------|---------:|-------:|-------:|-------:|");
    for (name, s) in [
        ("api (HTTP, session, RLS)", &api),
        ("tokio-postgres floor", &floor),
    ] {
        println!(
            "| {name:<24} | {:>8.0} | {:>6.2} | {:>6.2} | {:>6} |",
            s.rps(),
            s.p50_ms,
            s.p99_ms,
            s.errors
        );
    }
    println!(
        "api / floor throughput: {:.2}",
        api.rps() / floor.rps().max(1.0)
    );
    Ok(())
}
