//! Helpers of the CRM tests: API keys as n8n sends them, SSE reading,
//! notifications written as another service would.

use std::time::Duration;

use prosaas_tenant::repo::notifications::{self, NewNotification};
use prosaas_tenant::{BusinessId, UserId, system};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

impl TestApp {
    /// A request carrying `Authorization: Bearer <key>` and the headers of an
    /// n8n HTTP Request node (Header Auth credential, JSON body).
    pub async fn with_key(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> AnyResult<(StatusCode, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("authorization", format!("Bearer {key}"))
            .header("user-agent", "n8n")
            .header(
                "accept",
                "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, image/*;q=0.8, */*;q=0.7",
            );
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

    /// A new API key of the business whose owner is `owner_email`.
    pub async fn api_key(&self, owner_email: &str) -> AnyResult<String> {
        let s = self.login(owner_email).await?;
        let (st, body) = self
            .post(&s, "/api/api-keys", serde_json::json!({"name": "n8n"}))
            .await?;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        Ok(body["key"].as_str().unwrap_or_default().to_string())
    }

    /// Writes a notification the way voice/whatsapp do (directly, as a worker).
    pub async fn notify(
        &self,
        business: BusinessId,
        user: Option<UserId>,
        title: &str,
    ) -> AnyResult<String> {
        let scope = system::worker_scope(business);
        let n = notifications::create(
            &self.db,
            &scope,
            NewNotification {
                user_id: user,
                kind: "call.missed".into(),
                title: title.into(),
                body: String::new(),
                link: Some("/calls".into()),
                data: serde_json::json!({}),
            },
        )
        .await?;
        Ok(n.id.to_string())
    }
}

/// One parsed SSE frame.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: Option<Value>,
}

/// An open `/api/events` stream.
pub struct EventStream {
    res: reqwest::Response,
    buf: String,
}

impl EventStream {
    /// Opens the stream with a session cookie or an API key, optionally resuming.
    pub async fn open(
        app: &TestApp,
        session: Option<&Session>,
        key: Option<&str>,
        last_event_id: Option<&str>,
    ) -> AnyResult<(StatusCode, Self)> {
        let mut req = app.http.get(format!("{}/api/events", app.base));
        if let Some(c) = session.and_then(|s| s.cookie.clone()) {
            req = req.header("cookie", c);
        }
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id);
        }
        let res = req.send().await?;
        Ok((
            res.status(),
            Self {
                res,
                buf: String::new(),
            },
        ))
    }

    /// The next event frame (comments and `retry:` skipped), or `None` after `wait`.
    pub async fn next(&mut self, wait: Duration) -> AnyResult<Option<Frame>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..end + 2).collect();
                let mut f = Frame::default();
                for line in raw.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        f.id = Some(v.to_string());
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        f.event = Some(v.to_string());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        f.data = serde_json::from_str(v).ok();
                    }
                }
                if f.event.is_some() {
                    return Ok(Some(f));
                }
                continue;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.res.chunk()).await {
                Err(_) => return Ok(None),
                Ok(chunk) => match chunk? {
                    Some(bytes) => self.buf.push_str(&String::from_utf8_lossy(&bytes)),
                    None => return Ok(None),
                },
            }
        }
    }

    /// Frames until one of `kind` arrives (returned last), or all seen after `wait`.
    pub async fn until(&mut self, kind: &str, wait: Duration) -> AnyResult<Vec<Frame>> {
        let mut seen = Vec::new();
        while let Some(f) = self.next(wait).await? {
            let done = f.event.as_deref() == Some(kind);
            seen.push(f);
            if done {
                break;
            }
        }
        Ok(seen)
    }
}
