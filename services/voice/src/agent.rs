//! What the AI phone agent is told: instructions (language locked), voice, the
//! tools it may call, and the end-of-call summary through chat completions.

use prosaas_tenant::domain::Business;
use prosaas_tenant::repo::calls::{Speaker, TranscriptTurn};
use serde_json::{Value, json};

/// Twilio `<Say>` voice for Hebrew (Twilio's default voices do not speak Hebrew).
pub const SAY_VOICE_HE: &str = "Google.he-IL-Standard-A";

/// Voices the Realtime API accepts; anything else falls back to `marin`.
const VOICES: [&str; 10] = [
    "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar",
];

pub use prosaas_ai::language_name;
use prosaas_ai::{ChatClient, ChatMessage, Sampling};

fn language_code(code: &str) -> &'static str {
    match language_name(code) {
        "English" => "en",
        "Arabic" => "ar",
        "Russian" => "ru",
        _ => "he",
    }
}

/// The session instructions. The language is locked explicitly: the model
/// drifts into English otherwise (openai-realtime-api-beta #22).
pub fn instructions(business: &Business) -> String {
    let lang = language_name(&business.ai_language);
    let prompt = if business.ai_prompt.trim().is_empty() {
        format!(
            "You are the phone assistant of {}. Help the caller, learn their name and what they need.",
            business.name
        )
    } else {
        business.ai_prompt.trim().to_string()
    };
    format!(
        "{prompt}\n\nLANGUAGE: Always speak {lang}. Never switch to another language, even if \
         these instructions are in English; only if the caller clearly cannot speak {lang}, \
         answer in the caller's language.\n\
         You are on a phone call: keep answers short (one or two sentences) and natural.\n\
         Tools: when you learn the caller's name or need, call create_or_update_lead. When the \
         caller wants to be called back, call schedule_callback. When the caller asks for a human \
         or you cannot help, call transfer_to_human with a one-line summary. When the conversation \
         is over and you have said goodbye, call end_call."
    )
}

/// The greeting the agent opens with.
pub fn greeting(business: &Business) -> String {
    if business.ai_greeting.trim().is_empty() {
        match language_name(&business.ai_language) {
            "Hebrew" => format!("שלום, הגעתם ל{}. איך אפשר לעזור?", business.name),
            _ => format!("Hello, you've reached {}. How can I help?", business.name),
        }
    } else {
        business.ai_greeting.trim().to_string()
    }
}

/// The tools, in the Realtime API's flat function format.
pub fn tools() -> Value {
    json!([
        {"type": "function", "name": "create_or_update_lead",
         "description": "Save what you learned about the caller (their phone number is known from caller id).",
         "parameters": {"type": "object", "properties": {
            "name": {"type": "string", "description": "Caller's name"},
            "need": {"type": "string", "description": "What the caller needs, in a sentence"},
            "callback_time": {"type": "string", "description": "When the caller wants to be called back, as they said it"}},
          "required": []}},
        {"type": "function", "name": "schedule_callback",
         "description": "Create a callback task for the business's team.",
         "parameters": {"type": "object", "properties": {
            "when": {"type": "string", "description": "ISO 8601 date-time of the callback, if known"},
            "note": {"type": "string", "description": "What the callback is about"}},
          "required": ["note"]}},
        {"type": "function", "name": "transfer_to_human",
         "description": "Transfer the live call to a human at the business.",
         "parameters": {"type": "object", "properties": {
            "summary": {"type": "string", "description": "One-line summary for the human"}},
          "required": []}},
        {"type": "function", "name": "end_call",
         "description": "Hang up after saying goodbye.",
         "parameters": {"type": "object", "properties": {}, "required": []}}
    ])
}

/// The `session.update` event: G.711 mu-law both ways (no transcoding), server
/// VAD that interrupts the model, caller transcription, tools.
pub fn session_update(business: &Business, model: &str) -> Value {
    let voice = VOICES
        .iter()
        .find(|v| **v == business.ai_voice.trim())
        .copied()
        .unwrap_or("marin");
    json!({"type": "session.update", "session": {
        "type": "realtime",
        "model": model,
        "output_modalities": ["audio"],
        "instructions": instructions(business),
        "audio": {
            "input": {
                "format": {"type": "audio/pcmu"},
                "turn_detection": {"type": "server_vad", "silence_duration_ms": 500,
                                   "create_response": true, "interrupt_response": true},
                "transcription": {"model": "gpt-4o-mini-transcribe",
                                  "language": language_code(&business.ai_language)}
            },
            "output": {"format": {"type": "audio/pcmu"}, "voice": voice}
        },
        "tools": tools(),
        "tool_choice": "auto"
    }})
}

/// Asks the model to open the call with the greeting.
pub fn greeting_events(business: &Business) -> [Value; 2] {
    [
        json!({"type": "conversation.item.create", "item": {"type": "message", "role": "user",
            "content": [{"type": "input_text", "text": format!(
                "(The call has just been connected. Greet the caller with: \"{}\")", greeting(business))}]}}),
        json!({"type": "response.create"}),
    ]
}

/// Summarises a transcript through chat completions; `None` when there is
/// nothing to summarise, no API key, or the API fails (logged).
pub async fn summarize(
    chat: Option<&ChatClient>,
    language_code: &str,
    transcript: &[TranscriptTurn],
) -> Option<String> {
    let chat = chat?;
    if transcript.is_empty() {
        return None;
    }
    let text: String = transcript
        .iter()
        .map(|t| {
            let who = match t.role {
                Speaker::Assistant => "Agent",
                Speaker::Caller => "Caller",
            };
            format!("{who}: {}\n", t.text)
        })
        .collect();
    let messages = [
        ChatMessage::system(format!(
            "Summarise this phone call for the business in {} in at most three sentences: \
             who called, what they need, what was agreed.",
            language_name(language_code)
        )),
        ChatMessage::user(text),
    ];
    let sampling = Sampling {
        max_tokens: 300,
        temperature: 0.2,
    };
    match chat.complete(&messages, sampling).await {
        Ok(summary) => Some(summary),
        Err(e) => {
            tracing::warn!(error = %e, "call summary failed");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business(lang: &str, voice: &str) -> Business {
        Business {
            id: prosaas_tenant::BusinessId::from_uuid(uuid::Uuid::nil()),
            name: "Pizza".into(),
            slug: "pizza".into(),
            twilio_phone_number: None,
            whatsapp_phone: None,
            timezone: "Asia/Jerusalem".into(),
            locale: "he".into(),
            ai_prompt: "You sell pizza.".into(),
            ai_greeting: String::new(),
            ai_voice: voice.into(),
            ai_language: lang.into(),
            fallback_phone: None,
            record_calls: false,
            whatsapp_auto_reply: true,
            vat_rate_bp: 1800,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn instructions_lock_hebrew_and_session_passes_mulaw_through() {
        let b = business("he", "nonsense");
        let text = instructions(&b);
        assert!(text.starts_with("You sell pizza."));
        assert!(text.contains("Always speak Hebrew. Never switch to another language"));
        let s = session_update(&b, "gpt-realtime");
        assert_eq!(s["session"]["type"], "realtime");
        assert_eq!(
            s["session"]["audio"]["input"]["format"]["type"],
            "audio/pcmu"
        );
        assert_eq!(
            s["session"]["audio"]["output"]["format"]["type"],
            "audio/pcmu"
        );
        assert_eq!(s["session"]["audio"]["output"]["voice"], "marin");
        assert_eq!(
            s["session"]["audio"]["input"]["transcription"]["language"],
            "he"
        );
        assert!(s["session"].get("temperature").is_none());
        let names: Vec<&str> = s["session"]["tools"]
            .as_array()
            .map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            names,
            [
                "create_or_update_lead",
                "schedule_callback",
                "transfer_to_human",
                "end_call"
            ]
        );
        assert!(greeting(&b).contains("Pizza"));
        let en = business("en", "cedar");
        assert!(instructions(&en).contains("Always speak English"));
        assert_eq!(
            session_update(&en, "m")["session"]["audio"]["output"]["voice"],
            "cedar"
        );
    }
}
