//! Relay bench: N concurrent simulated calls through the real voice service
//! (a child process, so its CPU and memory are measured alone) against the fake
//! OpenAI Realtime server in echo mode. Every caller frame carries a timestamp;
//! the fake stamps every answer frame. Prints, per N: added relay latency per
//! frame p50/p99 in each direction (caller -> OpenAI, OpenAI -> caller; both
//! include the hop through voice and the loopback sockets; the first second of
//! each call, queued while the call is set up, is left out), voice's CPU % (100
//! = one core) and RSS per call (growth of voice's RSS with N calls open / N).
//! Also printed: the CPU of this process (simulator + fake model, which share the
//! machine with voice) and how busy the whole machine was (other work included).
//!
//! `cargo bench -p prosaas-voice --bench relay` (needs Postgres and Redis like the
//! tests). `VOICE_BENCH_N=100,500,1000`, `VOICE_BENCH_SECONDS=8`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use prosaas_common::E164Phone;
use prosaas_fakes::{CallSimulator, CallerScript, FakeApis, FakeRealtime};
use prosaas_tenant::domain::NewBusiness;
use prosaas_tenant::repo::businesses;
use prosaas_tenant::{Db, system};
use prosaas_test_support::TestDatabase;
use secrecy::SecretString;
use tokio::sync::Semaphore;

type AnyResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const ACCOUNT: &str = "AC000000000000000000000000000000be";
const TOKEN: &str = "bench-token";
const PUBLIC: &str = "https://bench.prosaas.test";
const NUMBER: &str = "+15005550001";
const CALLER: &str = "+15005550100";

fn main() -> std::process::ExitCode {
    if std::env::var("VOICE_BENCH_CHILD").is_ok() {
        return child();
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(parent()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The voice service alone: reads its settings from the environment, prints its port.
fn child() -> std::process::ExitCode {
    let Ok(rt) = tokio::runtime::Runtime::new() else {
        return std::process::ExitCode::FAILURE;
    };
    rt.block_on(async {
        let Ok(settings) = prosaas_http::boot::settings_and_telemetry("voice") else {
            return std::process::ExitCode::FAILURE;
        };
        match prosaas_voice::startup::Application::build(settings).await {
            Ok(app) => {
                println!("PORT={}", app.port());
                let _ = app.run_until_stopped().await;
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("voice: {e:#}");
                std::process::ExitCode::FAILURE
            }
        }
    })
}

struct Voice {
    child: Child,
    port: u16,
}

impl Drop for Voice {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_voice(tdb: &TestDatabase, realtime: &str, apis: &FakeApis) -> AnyResult<Voice> {
    let mut child = Command::new(std::env::current_exe()?)
        .env("VOICE_BENCH_CHILD", "1")
        .env("DATABASE_URL", tdb.app_url())
        .env(
            "REDIS_URL",
            std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into()),
        )
        .env("PUBLIC_BASE_URL", PUBLIC)
        .env("TWILIO_ACCOUNT_SID", ACCOUNT)
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("TWILIO_API_BASE", &apis.base_url)
        .env("OPENAI_API_KEY", "sk-bench")
        .env("OPENAI_REALTIME_URL", realtime)
        .env("OPENAI_BASE_URL", apis.openai_base())
        .env("BIND_HOST", "127.0.0.1")
        .env("VOICE_PORT", "0")
        .env("DB_POOL_SIZE", "20")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut port = None;
    for line in lines.by_ref() {
        let line = line?;
        if let Some(p) = line.trim().strip_prefix("PORT=") {
            port = Some(p.parse()?);
            break;
        }
    }
    let port = port.ok_or("voice exited before printing its port")?;
    // keep draining its stdout (logs, warnings and up) so the child never blocks
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            eprintln!("voice: {line}");
        }
    });
    Ok(Voice { child, port })
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // fields after the ")" of the command name: state is field 3; utime 14, stime 15
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    get(11) + get(12)
}

/// (busy, total) jiffies of the whole machine.
fn machine_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let nums: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = nums.iter().sum();
    let idle = nums.get(3).copied().unwrap_or(0) + nums.get(4).copied().unwrap_or(0);
    (total.saturating_sub(idle), total)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[u32], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = (sorted.len() * p / 100).min(sorted.len() - 1);
    f64::from(sorted.get(idx).copied().unwrap_or(0)) / 1000.0
}

struct Row {
    n: usize,
    failed: usize,
    frames: usize,
    in_p50: f64,
    in_p99: f64,
    out_p50: f64,
    out_p99: f64,
    cpu_pct: f64,
    harness_cpu_pct: f64,
    machine_busy_pct: f64,
    rss_per_call_kib: f64,
}

async fn run_round(
    n: usize,
    seconds: u32,
    sim: &CallSimulator,
    realtime: &FakeRealtime,
    pid: u32,
    round: usize,
) -> AnyResult<Row> {
    // ring every call first (webhook + call row), at most 32 at a time
    let gate = Arc::new(Semaphore::new(32));
    let mut rings = Vec::new();
    for i in 0..n {
        let (sim, gate) = (sim.clone(), gate.clone());
        rings.push(tokio::spawn(async move {
            let _permit = gate.acquire().await?;
            let sid = format!("CA{round:08x}{i:024x}");
            let params = sim.incoming_params(&sid, CALLER, NUMBER);
            let (status, twiml) = sim.webhook("/webhook/incoming_call", &params).await?;
            if status != 200 {
                return Err(format!("webhook {status}").into());
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((sid, twiml))
        }));
    }
    let mut calls = Vec::new();
    for r in rings {
        calls.push(r.await??);
    }
    realtime.take_inbound_latencies();
    let rss_before = rss_kib(pid);
    let cpu_before = cpu_ticks(pid);
    let harness_before = cpu_ticks(std::process::id());
    let machine_before = machine_ticks();
    let started = Instant::now();
    let mut streams = Vec::new();
    // calls arrive spread over one second, not all in the same millisecond
    let spacing = Duration::from_micros(1_000_000 / n.max(1) as u64);
    for (i, (sid, twiml)) in calls.into_iter().enumerate() {
        let sim = sim.clone();
        let delay = spacing * u32::try_from(i).unwrap_or(u32::MAX);
        streams.push(tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let script = CallerScript::new().stamped().silence(seconds * 1000);
            sim.stream(&twiml, &sid, script).await
        }));
    }
    // sample RSS in the steady state (half-way)
    tokio::time::sleep(Duration::from_millis(u64::from(seconds) * 500)).await;
    let rss_during = rss_kib(pid);
    let mut outbound = Vec::new();
    let mut frames = 0;
    let mut failed = 0;
    for s in streams {
        match s.await {
            Ok(Ok(report)) if !report.closed_by_server => {
                frames += report.frames_sent as usize;
                outbound.extend(report.outbound_latency_us);
            }
            Ok(Ok(report)) => {
                frames += report.frames_sent as usize;
                failed += 1;
            }
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("call failed: {e}");
            }
            Err(e) => {
                failed += 1;
                eprintln!("call task failed: {e}");
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_ticks(pid).saturating_sub(cpu_before) as f64;
    let harness = cpu_ticks(std::process::id()).saturating_sub(harness_before) as f64;
    let machine_after = machine_ticks();
    // Linux USER_HZ is 100 on every platform we run on
    let cpu_pct = cpu / 100.0 / elapsed * 100.0;
    let harness_cpu_pct = harness / 100.0 / elapsed * 100.0;
    let busy = machine_after.0.saturating_sub(machine_before.0) as f64;
    let total = machine_after.1.saturating_sub(machine_before.1).max(1) as f64;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut inbound = realtime.take_inbound_latencies();
    inbound.sort_unstable();
    outbound.sort_unstable();
    Ok(Row {
        n,
        failed,
        frames,
        in_p50: percentile(&inbound, 50),
        in_p99: percentile(&inbound, 99),
        out_p50: percentile(&outbound, 50),
        out_p99: percentile(&outbound, 99),
        cpu_pct,
        harness_cpu_pct,
        machine_busy_pct: busy / total * 100.0,
        rss_per_call_kib: rss_during.saturating_sub(rss_before) as f64 / n as f64,
    })
}

async fn parent() -> AnyResult<()> {
    let ns: Vec<usize> = std::env::var("VOICE_BENCH_N")
        .unwrap_or_else(|_| "100,500,1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let seconds: u32 = std::env::var("VOICE_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let tdb = TestDatabase::new().await?;
    let db = Db::connect(&SecretString::from(tdb.app_url()), 4)?;
    let cross = system::operator_cross_tenant(&db, "bench").await?;
    businesses::create(
        &db,
        &cross,
        NewBusiness {
            name: "Bench".into(),
            slug: None,
            twilio_phone_number: Some(E164Phone::parse(NUMBER)?),
            whatsapp_phone: None,
            timezone: None,
            locale: None,
        },
    )
    .await?;
    let realtime = FakeRealtime::echo().await?;
    let apis = FakeApis::start(ACCOUNT, TOKEN).await?;
    let voice = spawn_voice(&tdb, &realtime.url, &apis)?;
    let sim = CallSimulator::new(
        &format!("http://127.0.0.1:{}", voice.port),
        PUBLIC,
        ACCOUNT,
        TOKEN,
    );
    let pid = voice.child.id();
    eprintln!("voice pid {pid}");
    println!(
        "voice relay bench: {seconds} s of 20 ms frames per call, echo model, {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!(
        "| calls | dropped | frames | caller->AI p50 ms | p99 ms | AI->caller p50 ms | p99 ms | voice CPU % | RSS/call KiB | harness CPU % | machine busy % |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (round, n) in ns.into_iter().enumerate() {
        let row = run_round(n, seconds, &sim, &realtime, pid, round).await?;
        println!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} | {:.0} |",
            row.n,
            row.failed,
            row.frames,
            row.in_p50,
            row.in_p99,
            row.out_p50,
            row.out_p99,
            row.cpu_pct,
            row.rss_per_call_kib,
            row.harness_cpu_pct,
            row.machine_busy_pct
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    drop(voice);
    Ok(())
}
