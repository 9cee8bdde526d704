//! AI auto-replies through the chat-completions API at a configurable base URL
//! (`OPENAI_BASE_URL`). The business's prompt, greeting and language make the
//! system message; the recent conversation follows. The language is locked in
//! the instructions (models drift into English otherwise).

use prosaas_ai::{ChatMessage, Sampling, language_name};
use prosaas_tenant::repo::whatsapp::{AiContext, Author};

pub use prosaas_ai::{AiError, ChatClient};

/// Longest reply we send (characters).
const MAX_REPLY_CHARS: usize = 1000;

/// The assistant's next message in this conversation.
pub async fn reply(client: &ChatClient, ctx: &AiContext) -> Result<String, AiError> {
    let sampling = Sampling {
        max_tokens: 400,
        temperature: 0.4,
    };
    let text = client.complete(&messages(ctx), sampling).await?;
    Ok(text.chars().take(MAX_REPLY_CHARS).collect())
}

/// System instructions, then the conversation (contact = user, us = assistant).
fn messages(ctx: &AiContext) -> Vec<ChatMessage> {
    let mut out = vec![ChatMessage::system(system_prompt(ctx))];
    out.extend(ctx.history.iter().map(|m| {
        if m.author == Author::Contact {
            ChatMessage::user(m.text.clone())
        } else {
            ChatMessage::assistant(m.text.clone())
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
