//! The client of the Baileys worker (docs/api.md, "Internal"): every call has
//! a timeout and carries the shared secret.

use std::time::Duration;

use prosaas_tenant::BusinessId;
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

/// Header carrying the shared secret, both directions.
pub const SECRET_HEADER: &str = "x-worker-secret";

/// A failed call to the worker.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The session is not connected to WhatsApp.
    #[error("whatsapp session not connected")]
    NotConnected,
    /// The worker could not be reached or timed out.
    #[error("worker unreachable: {0}")]
    Unreachable(String),
    /// The worker answered with an unexpected status.
    #[error("worker answered {0}")]
    Rejected(u16),
}

/// Talks to the worker.
#[derive(Clone)]
pub struct WorkerClient {
    http: reqwest::Client,
    base: Url,
    secret: SecretString,
}

#[derive(Deserialize)]
struct Sent {
    wa_message_id: Option<String>,
}

impl WorkerClient {
    /// A client for the worker at `base`.
    pub fn new(base: Url, secret: SecretString, timeout: Duration) -> Result<Self, WorkerError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| WorkerError::Unreachable(e.to_string()))?;
        Ok(Self { http, base, secret })
    }

    fn url(&self, path: &str) -> Result<Url, WorkerError> {
        self.base
            .join(path)
            .map_err(|e| WorkerError::Unreachable(e.to_string()))
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<reqwest::Response, WorkerError> {
        let mut req = self
            .http
            .request(method, self.url(path)?)
            .header(SECRET_HEADER, self.secret.expose_secret());
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req
            .send()
            .await
            .map_err(|e| WorkerError::Unreachable(e.without_url().to_string()))?;
        match res.status() {
            s if s.is_success() => Ok(res),
            StatusCode::CONFLICT => Err(WorkerError::NotConnected),
            s => Err(WorkerError::Rejected(s.as_u16())),
        }
    }

    /// Starts (or resumes) the business's socket.
    pub async fn start(&self, business: BusinessId) -> Result<(), WorkerError> {
        self.call(reqwest::Method::POST, &format!("sessions/{business}"), None)
            .await
            .map(drop)
    }

    /// Logs the business out on WhatsApp and forgets its socket.
    pub async fn logout(&self, business: BusinessId) -> Result<(), WorkerError> {
        self.call(
            reqwest::Method::DELETE,
            &format!("sessions/{business}"),
            None,
        )
        .await
        .map(drop)
    }

    /// Shows "typing..." in a chat (before an AI reply).
    pub async fn typing(&self, business: BusinessId, jid: &str) -> Result<(), WorkerError> {
        self.call(
            reqwest::Method::POST,
            &format!("sessions/{business}/typing"),
            Some(serde_json::json!({ "jid": jid })),
        )
        .await
        .map(drop)
    }

    /// Sends a text to a chat under the id we chose (`message_id`); WhatsApp's
    /// message id on success.
    pub async fn send(
        &self,
        business: BusinessId,
        jid: &str,
        text: &str,
        message_id: &str,
    ) -> Result<Option<String>, WorkerError> {
        let res = self
            .call(
                reqwest::Method::POST,
                &format!("sessions/{business}/messages"),
                Some(serde_json::json!({"jid": jid, "text": text, "message_id": message_id})),
            )
            .await?;
        let sent: Sent = res
            .json()
            .await
            .map_err(|e| WorkerError::Unreachable(e.to_string()))?;
        Ok(sent.wa_message_id)
    }
}
