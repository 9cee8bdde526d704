//! AI auto-replies through the chat-completions API at a configurable base URL
//! (`OPENAI_BASE_URL`). The business's prompt, greeting and language make the
//! system message; the recent conversation follows. The language is locked in
//! the instructions (models drift into English otherwise).

use std::time::Duration;

use prosaas_tenant::repo::whatsapp::{AiContext, Author};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use url::Url;

/// Longest reply we send (characters).
const MAX_REPLY_CHARS: usize = 1000;

/// A chat-completions client.
#[derive(Clone)]
pub struct ChatClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: SecretString,
    model: String,
}

/// Why no reply came back.
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

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<ChatMessage>,
    max_tokens: u32,
    temperature: f32,
}

#[derive(Serialize, Deserialize)]
struct ChatMessage {
    role: String,
    content: String,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChatMessage,
}

impl ChatClient {
    /// A client for `{base_url}/chat/completions`.
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

    /// The assistant's next message in this conversation.
    pub async fn reply(&self, ctx: &AiContext) -> Result<String, AiError> {
        let body = ChatRequest {
            model: &self.model,
            messages: messages(ctx),
            max_tokens: 400,
            temperature: 0.4,
        };
        let res = self
            .http
            .post(&self.endpoint)
            .bearer_auth(self.api_key.expose_secret())
            .json(&body)
            .send()
            .await
            .map_err(|e| AiError::Unreachable(e.without_url().to_string()))?;
        if !res.status().is_success() {
            return Err(AiError::Status(res.status().as_u16()));
        }
        let parsed: ChatResponse = res
            .json()
            .await
            .map_err(|e| AiError::Unreachable(e.to_string()))?;
        let text = parsed
            .choices
            .into_iter()
            .next()
            .map(|c| {
                c.message
                    .content
                    .trim()
                    .chars()
                    .take(MAX_REPLY_CHARS)
                    .collect::<String>()
            })
            .unwrap_or_default();
        if text.is_empty() {
            Err(AiError::Empty)
        } else {
            Ok(text)
        }
    }
}

/// System instructions, then the conversation (contact = user, us = assistant).
fn messages(ctx: &AiContext) -> Vec<ChatMessage> {
    let mut out = vec![ChatMessage {
        role: "system".into(),
        content: system_prompt(ctx),
    }];
    out.extend(ctx.history.iter().map(|m| {
        ChatMessage {
            role: if m.author == Author::Contact {
                "user"
            } else {
                "assistant"
            }
            .into(),
            content: m.text.clone(),
        }
    }));
    out
}

/// The business's instructions with the language locked.
pub fn system_prompt(ctx: &AiContext) -> String {
    let language = language_name(&ctx.language);
    let mut s = format!(
        "You are the WhatsApp assistant of the business \"{}\". \
         Always answer in {language}, whatever language the customer writes in. \
         Keep answers short (at most a few sentences), friendly and accurate; \
         never invent prices, availability or promises; if you cannot help, say a person from the team will answer soon.",
        ctx.business_name
    );
    if !ctx.greeting.trim().is_empty() {
        s.push_str(&format!(
            "\nWhen the conversation starts, greet with: {}",
            ctx.greeting.trim()
        ));
    }
    if !ctx.prompt.trim().is_empty() {
        s.push_str("\nBusiness instructions:\n");
        s.push_str(ctx.prompt.trim());
    }
    s
}

fn language_name(code: &str) -> &str {
    match code {
        "he" => "Hebrew",
        "en" => "English",
        "ar" => "Arabic",
        "ru" => "Russian",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use prosaas_tenant::BusinessId;
    use prosaas_tenant::repo::whatsapp::{
        Conversation, ConversationId, Direction, MessageStatus, WhatsAppMessage, WhatsAppMessageId,
    };
    use uuid::Uuid;

    fn ctx() -> AiContext {
        let conversation = Conversation {
            id: ConversationId::from_uuid(Uuid::nil()),
            business_id: BusinessId::from_uuid(Uuid::nil()),
            jid: "x@s.whatsapp.net".into(),
            contact_phone: None,
            contact_name: None,
            lead_id: None,
            human_took_over: false,
            unread_count: 0,
            last_message_at: None,
            last_message_preview: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let msg = |author, text: &str| WhatsAppMessage {
            id: WhatsAppMessageId::from_uuid(Uuid::nil()),
            conversation_id: conversation.id,
            direction: Direction::Inbound,
            author,
            sent_by_user_id: None,
            text: text.into(),
            status: MessageStatus::Received,
            wa_message_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        AiContext {
            business_name: "Salon Dana".into(),
            prompt: "We cut hair.".into(),
            greeting: "שלום!".into(),
            language: "he".into(),
            auto_reply: true,
            history: vec![msg(Author::Contact, "hi"), msg(Author::Ai, "שלום")],
            conversation,
        }
    }

    #[test]
    fn language_is_locked_and_roles_follow_authors() {
        let c = ctx();
        let m = messages(&c);
        assert!(m[0].content.contains("Always answer in Hebrew"));
        assert!(m[0].content.contains("We cut hair."));
        assert_eq!(m[1].role, "user");
        assert_eq!(m[2].role, "assistant");
    }
}
