//! The text side of ProSaaS's AI: one chat-completions client (`OPENAI_BASE_URL`,
//! so tests point it at a local fake) used for WhatsApp replies and call
//! summaries, and the language names the instructions lock (models drift into
//! English unless told otherwise).

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use url::Url;

/// The language name for a business's `ai_language` code; Hebrew by default,
/// since the first customers are Israeli and an unknown code must not make the
/// agent drift.
pub fn language_name(code: &str) -> &'static str {
    match code.trim().to_lowercase().as_str() {
        "en" | "en-us" | "en-gb" | "english" => "English",
        "ar" | "arabic" => "Arabic",
        "ru" | "russian" => "Russian",
        _ => "Hebrew",
    }
}

/// Why no text came back.
#[derive(Debug, thiserror::Error)]
pub enum AiError {
    /// Network failure or timeout.
    #[error("chat completions unreachable: {0}")]
    Unreachable(String),
    /// Non-2xx answer.
    #[error("chat completions answered {0}")]
    Status(u16),
    /// 2xx without a usable message.
    #[error("chat completions answered without text")]
    Empty,
}

/// One message of a chat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
}

impl ChatMessage {
    /// Instructions.
    pub fn system(content: impl Into<String>) -> Self {
        Self::new("system", content)
    }
    /// The other party (caller, WhatsApp contact).
    pub fn user(content: impl Into<String>) -> Self {
        Self::new("user", content)
    }
    /// What we said.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::new("assistant", content)
    }
    fn new(role: &str, content: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            content: content.into(),
        }
    }
}

/// How long and how free an answer may be.
#[derive(Debug, Clone, Copy)]
pub struct Sampling {
    /// Upper bound on generated tokens.
    pub max_tokens: u32,
    /// 0 = deterministic.
    pub temperature: f32,
}

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: &'a [ChatMessage],
    max_tokens: u32,
    temperature: f32,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChatMessage,
}

/// A client for `{base_url}/chat/completions`.
#[derive(Clone)]
pub struct ChatClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: SecretString,
    model: String,
}

impl ChatClient {
    /// A client with its own timeout per request.
    pub fn new(
        base_url: &Url,
        api_key: SecretString,
        model: String,
        timeout: Duration,
    ) -> Result<Self, AiError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| AiError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            endpoint: format!(
                "{}/chat/completions",
                base_url.as_str().trim_end_matches('/')
            ),
            api_key,
            model,
        })
    }

    /// The assistant's next message, trimmed; `Empty` when it has no text.
    pub async fn complete(
        &self,
        messages: &[ChatMessage],
        sampling: Sampling,
    ) -> Result<String, AiError> {
        let body = ChatRequest {
            model: &self.model,
            messages,
            max_tokens: sampling.max_tokens,
            temperature: sampling.temperature,
        };
        let res = self
            .http
            .post(&self.endpoint)
            .bearer_auth(self.api_key.expose_secret())
            .json(&body)
            .send()
            .await
            // the URL carries no secret, but keep error lines short and uniform
            .map_err(|e| AiError::Unreachable(e.without_url().to_string()))?;
        if !res.status().is_success() {
            return Err(AiError::Status(res.status().as_u16()));
        }
        let parsed: ChatResponse = res
            .json()
            .await
            .map_err(|e| AiError::Unreachable(e.without_url().to_string()))?;
        let text = parsed
            .choices
            .into_iter()
            .next()
            .map(|c| c.message.content.trim().to_string())
            .unwrap_or_default();
        if text.is_empty() {
            Err(AiError::Empty)
        } else {
            Ok(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_languages_stay_hebrew() {
        assert_eq!(language_name("he"), "Hebrew");
        assert_eq!(language_name("EN"), "English");
        assert_eq!(language_name("xx"), "Hebrew");
    }
}
