//! Login throttling: failed attempts counted per client IP and per e-mail in
//! Redis (shared by every api instance), with an in-process fallback when Redis
//! is down so the limit never silently disappears.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use prosaas_events::BusHandle;

/// Limits and the shared counter store.
pub struct LoginLimiter {
    bus: BusHandle,
    prefix: String,
    max_per_ip: u32,
    max_per_email: u32,
    window: Duration,
    local: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// `max_*` failures within `window`.
    pub fn new(bus: BusHandle, max_per_ip: u32, max_per_email: u32, window: Duration) -> Self {
        Self::with_prefix(bus, "rl", max_per_ip, max_per_email, window)
    }

    /// Same, with a key prefix of its own (tests run many apps on one Redis).
    pub fn with_prefix(
        bus: BusHandle,
        prefix: &str,
        max_per_ip: u32,
        max_per_email: u32,
        window: Duration,
    ) -> Self {
        Self {
            bus,
            prefix: prefix.to_string(),
            max_per_ip,
            max_per_email,
            window,
            local: Mutex::new(HashMap::new()),
        }
    }

    fn keys(&self, ip: &str, email: &str) -> (String, String) {
        // e-mails are personal data: only a hash goes into Redis
        let email_hash = hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()));
        (
            format!("{}:login:ip:{ip}", self.prefix),
            format!("{}:login:email:{email_hash}", self.prefix),
        )
    }

    /// `Some(seconds)` to wait when either counter is at its limit.
    pub async fn blocked(&self, ip: &str, email: &str) -> Option<u64> {
        let (ip_key, email_key) = self.keys(ip, email);
        let mut worst = None;
        for (key, max) in [(ip_key, self.max_per_ip), (email_key, self.max_per_email)] {
            let (count, ttl) = self.read(&key).await;
            if count >= max {
                worst = Some(worst.unwrap_or(0).max(ttl.max(1)));
            }
        }
        worst
    }

    /// Counts one failed attempt.
    pub async fn record_failure(&self, ip: &str, email: &str) {
        let (ip_key, email_key) = self.keys(ip, email);
        for key in [ip_key, email_key] {
            self.incr(&key).await;
        }
    }

    /// Forgets the e-mail's failures after a successful login.
    pub async fn clear_email(&self, email: &str) {
        let (_, key) = self.keys("", email);
        if let Some(bus) = self.bus.get().await {
            let mut conn = bus.connection();
            let _: Result<(), _> = redis::cmd("DEL").arg(&key).query_async(&mut conn).await;
        }
        if let Ok(mut local) = self.local.lock() {
            local.remove(&key);
        }
    }

    async fn read(&self, key: &str) -> (u32, u64) {
        if let Some(bus) = self.bus.get().await {
            let mut conn = bus.connection();
            let res: Result<(Option<u32>, i64), _> =
                redis::pipe().get(key).ttl(key).query_async(&mut conn).await;
            if let Ok((count, ttl)) = res {
                return (count.unwrap_or(0), u64::try_from(ttl).unwrap_or(0));
            }
        }
        let Ok(local) = self.local.lock() else {
            return (0, 0);
        };
        match local.get(key) {
            Some((count, started)) if started.elapsed() < self.window => (
                *count,
                self.window.saturating_sub(started.elapsed()).as_secs(),
            ),
            _ => (0, 0),
        }
    }

    async fn incr(&self, key: &str) {
        if let Some(bus) = self.bus.get().await {
            let mut conn = bus.connection();
            let res: Result<(u32, i64), _> = redis::pipe()
                .incr(key, 1)
                .cmd("EXPIRE")
                .arg(key)
                .arg(self.window.as_secs())
                .arg("NX")
                .query_async(&mut conn)
                .await;
            if res.is_ok() {
                return;
            }
        }
        let Ok(mut local) = self.local.lock() else {
            return;
        };
        let entry = local.entry(key.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}
