//! A TwiML builder that escapes every attribute and text node.

/// One verb of a `<Response>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Verb {
    /// `<Say voice language>text</Say>`.
    Say {
        /// Spoken text.
        text: String,
        /// Twilio voice name, e.g. `Google.he-IL-Standard-A`.
        voice: Option<String>,
        /// BCP-47 language, e.g. `he-IL`.
        language: Option<String>,
    },
    /// `<Pause length>`.
    Pause(u32),
    /// `<Hangup/>`.
    Hangup,
    /// `<Connect><Stream url><Parameter/>...</Stream></Connect>` (bidirectional media).
    ConnectStream {
        /// `wss://` URL of our media endpoint (no query string).
        url: String,
        /// `<Parameter name value>` pairs, delivered in `start.customParameters`.
        parameters: Vec<(String, String)>,
    },
    /// `<Start><Recording recordingStatusCallback channels="dual"/></Start>`: whole-call
    /// recording that does not block the next verb.
    StartRecording {
        /// Where Twilio posts the recording status.
        status_callback: String,
    },
    /// `<Record action maxLength playBeep recordingStatusCallback/>` (voicemail).
    Record {
        /// URL requested when recording ends.
        action: Option<String>,
        /// Seconds.
        max_length: u32,
        /// Where Twilio posts the recording status.
        status_callback: String,
    },
    /// `<Dial callerId>number</Dial>`.
    Dial {
        /// E.164 number to ring.
        number: String,
        /// Caller id shown to the callee.
        caller_id: Option<String>,
    },
}

/// A `<Response>` document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    verbs: Vec<Verb>,
}

/// Escapes text for an XML attribute or text node.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn attr(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(&format!(" {name}=\"{}\"", escape(v)));
    }
}

impl Response {
    /// An empty response.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a verb.
    pub fn verb(mut self, verb: Verb) -> Self {
        self.verbs.push(verb);
        self
    }

    /// Appends `<Say>`.
    pub fn say(self, text: &str, voice: Option<&str>, language: Option<&str>) -> Self {
        self.verb(Verb::Say {
            text: text.into(),
            voice: voice.map(String::from),
            language: language.map(String::from),
        })
    }

    /// The XML document.
    pub fn to_xml(&self) -> String {
        let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#);
        for verb in &self.verbs {
            match verb {
                Verb::Say {
                    text,
                    voice,
                    language,
                } => {
                    out.push_str("<Say");
                    attr(&mut out, "voice", voice.as_deref());
                    attr(&mut out, "language", language.as_deref());
                    out.push_str(&format!(">{}</Say>", escape(text)));
                }
                Verb::Pause(n) => out.push_str(&format!("<Pause length=\"{n}\"/>")),
                Verb::Hangup => out.push_str("<Hangup/>"),
                Verb::ConnectStream { url, parameters } => {
                    out.push_str(&format!("<Connect><Stream url=\"{}\">", escape(url)));
                    for (k, v) in parameters {
                        out.push_str(&format!(
                            "<Parameter name=\"{}\" value=\"{}\"/>",
                            escape(k),
                            escape(v)
                        ));
                    }
                    out.push_str("</Stream></Connect>");
                }
                Verb::StartRecording { status_callback } => out.push_str(&format!(
                    "<Start><Recording recordingStatusCallback=\"{}\" recordingStatusCallbackEvent=\"completed\" channels=\"dual\"/></Start>",
                    escape(status_callback)
                )),
                Verb::Record {
                    action,
                    max_length,
                    status_callback,
                } => {
                    out.push_str("<Record");
                    attr(&mut out, "action", action.as_deref());
                    out.push_str(&format!(
                        " maxLength=\"{max_length}\" playBeep=\"true\" recordingStatusCallback=\"{}\"/>",
                        escape(status_callback)
                    ));
                }
                Verb::Dial { number, caller_id } => {
                    out.push_str("<Dial");
                    attr(&mut out, "callerId", caller_id.as_deref());
                    out.push_str(&format!(">{}</Dial>", escape(number)));
                }
            }
        }
        out.push_str("</Response>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_stream_with_escaped_parameters() {
        let xml = Response::new()
            .verb(Verb::ConnectStream {
                url: "wss://example.test/ws/media".into(),
                parameters: vec![("token".into(), "a&b\"c".into())],
            })
            .to_xml();
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://example.test/ws/media"><Parameter name="token" value="a&amp;b&quot;c"/></Stream></Connect></Response>"#
        );
    }

    #[test]
    fn say_then_hangup_in_hebrew() {
        let xml = Response::new()
            .say("שלום <עולם>", None, Some("he-IL"))
            .verb(Verb::Hangup)
            .to_xml();
        assert!(xml.ends_with(
            r#"<Response><Say language="he-IL">שלום &lt;עולם&gt;</Say><Hangup/></Response>"#
        ));
    }
}
