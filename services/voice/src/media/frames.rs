//! Wire shapes of the two sockets, parsed without copying audio: Twilio Media
//! Streams (JSON text frames) and OpenAI Realtime GA server events. Unknown
//! event types and fields are ignored, never fatal.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

/// A frame from Twilio.
#[derive(Debug, Deserialize)]
pub struct TwilioFrame<'a> {
    /// `connected`, `start`, `media`, `mark`, `dtmf`, `stop`.
    #[serde(borrow)]
    pub event: Cow<'a, str>,
    /// On `start`.
    #[serde(default)]
    pub start: Option<StartInfo>,
    /// On `media`.
    #[serde(default, borrow)]
    pub media: Option<MediaInfo<'a>>,
    /// On `mark` (echo of ours).
    #[serde(default)]
    pub mark: Option<MarkInfo>,
}

/// `start` details.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartInfo {
    /// `MZ...`; every frame we send must carry it.
    pub stream_sid: String,
    /// `CA...`.
    #[serde(default)]
    pub call_sid: String,
    /// Our `<Parameter>`s.
    #[serde(default)]
    pub custom_parameters: HashMap<String, String>,
}

/// `media` details.
#[derive(Debug, Deserialize)]
pub struct MediaInfo<'a> {
    /// Base64 G.711 mu-law, 8 kHz mono.
    #[serde(borrow)]
    pub payload: Cow<'a, str>,
    /// Milliseconds since the stream started (a string on the wire).
    #[serde(default, borrow)]
    pub timestamp: Option<Cow<'a, str>>,
}

/// `mark` details.
#[derive(Debug, Deserialize)]
pub struct MarkInfo {
    /// The name we gave.
    pub name: String,
}

/// An OpenAI Realtime server event (only the fields the relay reads).
#[derive(Debug, Deserialize)]
pub struct ServerEvent<'a> {
    /// Event type, e.g. `response.output_audio.delta`.
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    /// Audio delta (base64) or transcript delta.
    #[serde(default, borrow)]
    pub delta: Option<Cow<'a, str>>,
    /// Conversation item.
    #[serde(default, borrow)]
    pub item_id: Option<Cow<'a, str>>,
    /// Final transcript of a turn.
    #[serde(default)]
    pub transcript: Option<String>,
    /// Function call id.
    #[serde(default)]
    pub call_id: Option<String>,
    /// Function name.
    #[serde(default)]
    pub name: Option<String>,
    /// Function arguments (a JSON string).
    #[serde(default)]
    pub arguments: Option<String>,
    /// On `error`.
    #[serde(default)]
    pub error: Option<ErrorInfo>,
}

/// The `error` object of an `error` event.
#[derive(Debug, Deserialize)]
pub struct ErrorInfo {
    /// e.g. `invalid_request_error`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// e.g. `beta_api_shape_disabled`.
    #[serde(default)]
    pub code: Option<String>,
    /// Human-readable.
    #[serde(default)]
    pub message: Option<String>,
}

/// True for the standard base64 alphabet (so a payload can be spliced into JSON).
pub fn is_base64(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// `input_audio_buffer.append` with Twilio's payload, unchanged (both sides pcmu).
pub fn append_audio(payload: &str) -> String {
    format!(r#"{{"type":"input_audio_buffer.append","audio":"{payload}"}}"#)
}

/// Twilio `media` frame carrying the model's audio, unchanged.
pub fn twilio_media(stream_sid: &str, payload: &str) -> String {
    format!(r#"{{"event":"media","streamSid":"{stream_sid}","media":{{"payload":"{payload}"}}}}"#)
}

/// Twilio `mark` frame.
pub fn twilio_mark(stream_sid: &str, name: &str) -> String {
    format!(r#"{{"event":"mark","streamSid":"{stream_sid}","mark":{{"name":"{name}"}}}}"#)
}

/// Twilio `clear` frame (drops queued audio).
pub fn twilio_clear(stream_sid: &str) -> String {
    format!(r#"{{"event":"clear","streamSid":"{stream_sid}"}}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_twilio_frames_and_ignores_unknown_fields() {
        let start = r#"{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"streamSid":"MZ1","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],"customParameters":{"token":"t"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}"#;
        let f: TwilioFrame<'_> = serde_json::from_str(start).unwrap_or_else(|e| panic!("{e}"));
        let s = f.start.unwrap_or_else(|| panic!("start"));
        assert_eq!((s.stream_sid.as_str(), s.call_sid.as_str()), ("MZ1", "CA1"));
        assert_eq!(
            s.custom_parameters.get("token").map(String::as_str),
            Some("t")
        );
        let media = r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"//8="}}"#;
        let f: TwilioFrame<'_> = serde_json::from_str(media).unwrap_or_else(|e| panic!("{e}"));
        let m = f.media.unwrap_or_else(|| panic!("media"));
        assert!(
            matches!(m.payload, Cow::Borrowed("//8=")),
            "no copy of the audio"
        );
        assert_eq!(m.timestamp.as_deref(), Some("5"));
        let ev: ServerEvent<'_> = serde_json::from_str(
            r#"{"type":"response.output_audio.delta","response_id":"r","item_id":"i1","output_index":0,"content_index":0,"delta":"AAA="}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (ev.kind.as_ref(), ev.delta.as_deref()),
            ("response.output_audio.delta", Some("AAA="))
        );
        let unknown: ServerEvent<'_> =
            serde_json::from_str(r#"{"type":"brand.new.event","whatever":[1,2]}"#)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unknown.kind, "brand.new.event");
        assert!(is_base64("ab+/=") && !is_base64("a\"b"));
    }
}
