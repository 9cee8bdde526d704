//! A call simulator that behaves like Twilio: it posts signed webhooks, reads the
//! TwiML, then opens the Media Stream and streams the caller's audio in real time
//! (one 20 ms frame per tick), while emulating Twilio's playback of what it is
//! sent: audio is "played" at 8 bytes per ms, marks are echoed once the audio
//! before them has played, `clear` drops the queue and echoes pending marks.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::{FakeError, clock};

/// What the caller does, 20 ms at a time.
#[derive(Debug, Clone, Default)]
pub struct CallerScript {
    segments: Vec<(bool, u32)>,
    stamped: bool,
    hang_up: bool,
    drop_socket: bool,
}

impl CallerScript {
    /// An empty script (the caller hangs up at its end).
    pub fn new() -> Self {
        Self {
            hang_up: true,
            ..Self::default()
        }
    }
    /// Silence (mu-law 0xFF) for `ms`.
    pub fn silence(mut self, ms: u32) -> Self {
        self.segments.push((false, ms));
        self
    }
    /// Speech (non-silent bytes) for `ms`.
    pub fn speech(mut self, ms: u32) -> Self {
        self.segments.push((true, ms));
        self
    }
    /// Every frame carries a sequence number and a timestamp (latency benches).
    pub fn stamped(mut self) -> Self {
        self.stamped = true;
        self
    }
    /// At the end, drop the TCP connection without `stop` or a close frame
    /// (a network failure between Twilio and us).
    pub fn drop_socket(mut self) -> Self {
        self.drop_socket = true;
        self
    }
    /// At the end, wait for the server to close instead of sending `stop`.
    pub fn wait_for_server(mut self) -> Self {
        self.hang_up = false;
        self
    }
    fn frames(&self) -> Vec<bool> {
        self.segments
            .iter()
            .flat_map(|(speech, ms)| std::iter::repeat_n(*speech, (*ms / 20) as usize))
            .collect()
    }
}

/// What the simulated Twilio saw on the stream.
#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    /// Caller frames sent.
    pub frames_sent: u32,
    /// `media` frames received from the server.
    pub media_received: usize,
    /// Audio played to the caller: (stream ms, audio byte value, bytes).
    pub played: Vec<(u64, u8, usize)>,
    /// Marks echoed back.
    pub marks_echoed: usize,
    /// Stream times of `clear` frames.
    pub clears_at_ms: Vec<u64>,
    /// Frames with a wrong or missing streamSid.
    pub bad_stream_sid: usize,
    /// The server closed the socket before the caller hung up.
    pub closed_by_server: bool,
    /// Stamped mode: microseconds from the fake model's stamp to arrival here
    /// (after the first [`clock::WARMUP_FRAMES`] of the call).
    pub outbound_latency_us: Vec<u32>,
}

impl StreamReport {
    /// Bytes of audio with `tag` played at or after `from_ms`.
    pub fn played_after(&self, tag: u8, from_ms: u64) -> usize {
        self.played
            .iter()
            .filter(|(at, t, _)| *t == tag && *at >= from_ms)
            .map(|(_, _, n)| n)
            .sum()
    }
}

/// A frame from the voice service (only what the simulator reads).
#[derive(Deserialize)]
struct ServerFrame<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(rename = "streamSid", default, borrow)]
    stream_sid: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    media: Option<MediaPayload<'a>>,
    #[serde(default, borrow)]
    mark: Option<MarkName<'a>>,
}

#[derive(Deserialize)]
struct MediaPayload<'a> {
    #[serde(borrow)]
    payload: Cow<'a, str>,
}

#[derive(Deserialize)]
struct MarkName<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

enum Queued {
    Audio(u8, usize),
    Mark(String),
}

/// Twilio, simulated, for one voice deployment.
#[derive(Clone)]
pub struct CallSimulator {
    http: reqwest::Client,
    /// Where the voice service listens (`http://127.0.0.1:port`).
    pub voice_base: String,
    /// The `PUBLIC_BASE_URL` voice was given: Twilio signs the public URL.
    pub public_base: String,
    /// Account SID.
    pub account_sid: String,
    /// Auth token (signing key).
    pub auth_token: String,
}

impl CallSimulator {
    /// A simulator for a voice service.
    pub fn new(voice_base: &str, public_base: &str, account_sid: &str, auth_token: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            voice_base: voice_base.trim_end_matches('/').into(),
            public_base: public_base.trim_end_matches('/').into(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
        }
    }

    /// The parameters of Twilio's first request for an inbound call.
    pub fn incoming_params(&self, call_sid: &str, from: &str, to: &str) -> Vec<(String, String)> {
        [
            ("AccountSid", self.account_sid.as_str()),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", call_sid),
            ("CallStatus", "ringing"),
            ("Called", to),
            ("Caller", from),
            ("Direction", "inbound"),
            ("From", from),
            ("FromCountry", "IL"),
            ("To", to),
            ("ToCountry", "US"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// The signature Twilio would send for `path` (with its query) and `params`.
    pub fn sign(&self, path: &str, params: &[(String, String)]) -> String {
        prosaas_twilio::signature::compute(
            &self.auth_token,
            &format!("{}{path}", self.public_base),
            params,
        )
    }

    /// Posts a correctly signed webhook; returns status and body.
    pub async fn webhook(
        &self,
        path: &str,
        params: &[(String, String)],
    ) -> Result<(u16, String), FakeError> {
        let sig = self.sign(path, params);
        self.webhook_with_signature(path, params, Some(&sig)).await
    }

    /// Posts a webhook with the given signature header (or none).
    pub async fn webhook_with_signature(
        &self,
        path: &str,
        params: &[(String, String)],
        signature: Option<&str>,
    ) -> Result<(u16, String), FakeError> {
        let mut req = self
            .http
            .post(format!("{}{path}", self.voice_base))
            .form(params);
        if let Some(sig) = signature {
            req = req.header("X-Twilio-Signature", sig);
        }
        let res = req.send().await?;
        Ok((res.status().as_u16(), res.text().await?))
    }

    /// Opens the `<Connect><Stream>` of `twiml` and plays `script`.
    pub async fn stream(
        &self,
        twiml: &str,
        call_sid: &str,
        script: CallerScript,
    ) -> Result<StreamReport, FakeError> {
        let (url, params) = parse_stream(twiml).ok_or("TwiML has no <Connect><Stream>")?;
        let path = url
            .find("/ws/")
            .and_then(|i| url.get(i..))
            .ok_or("stream url has no /ws/ path")?;
        let local = format!("{}{path}", self.voice_base.replacen("http", "ws", 1));
        // small read buffer: tungstenite zero-fills it before every read
        let config = WebSocketConfig::default().read_buffer_size(8 * 1024);
        let (ws, _) =
            tokio_tungstenite::connect_async_with_config(local, Some(config), true).await?;
        let (mut tx, mut rx) = ws.split();
        let stream_sid = format!("MZ{:032x}", clock::now_ns());
        let custom: serde_json::Map<String, Value> = params
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        tx.send(Message::text(
            json!({"event": "connected", "protocol": "Call", "version": "1.0.0"}).to_string(),
        ))
        .await?;
        tx.send(Message::text(
            json!({"event": "start", "sequenceNumber": "1", "streamSid": stream_sid,
            "start": {"streamSid": stream_sid, "accountSid": self.account_sid, "callSid": call_sid,
                "tracks": ["inbound"], "customParameters": custom,
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}})
            .to_string(),
        ))
        .await?;
        let frames = script.frames();
        let mut report = StreamReport::default();
        let mut queue: VecDeque<Queued> = VecDeque::new();
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        let mut seq: u32 = 1;
        let mut idx = 0usize;
        let idle_limit = 500; // 10 s of waiting for the server, then give up
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    let now_ms = (idx as u64) * 20;
                    play(&mut queue, now_ms, &mut report, &mut tx, &stream_sid, &mut seq).await?;
                    if let Some(speech) = frames.get(idx) {
                        let audio = if script.stamped { clock::stamped_frame(idx as u32) }
                            else if *speech { vec![0x00; 160] } else { vec![0xFF; 160] };
                        seq += 1;
                        // hand-formatted: the bench sends 50 of these per call per second
                        let frame = format!(
                            r#"{{"event":"media","sequenceNumber":"{seq}","streamSid":"{stream_sid}","media":{{"track":"inbound","chunk":"{}","timestamp":"{now_ms}","payload":"{}"}}}}"#,
                            idx + 1,
                            STANDARD.encode(audio)
                        );
                        tx.send(Message::text(frame)).await?;
                        report.frames_sent += 1;
                    } else if script.drop_socket {
                        break;
                    } else if script.hang_up || idx >= frames.len() + idle_limit {
                        seq += 1;
                        let _ = tx.send(Message::text(json!({"event": "stop", "sequenceNumber": seq.to_string(),
                            "streamSid": stream_sid, "stop": {"accountSid": self.account_sid, "callSid": call_sid}}).to_string())).await;
                        let _ = tx.close().await;
                        break;
                    }
                    idx += 1;
                }
                msg = rx.next() => {
                    let Some(Ok(msg)) = msg else { report.closed_by_server = true; break };
                    let Message::Text(text) = msg else {
                        if matches!(msg, Message::Close(_)) { report.closed_by_server = true; break }
                        continue
                    };
                    let Ok(frame) = serde_json::from_str::<ServerFrame<'_>>(text.as_str()) else { continue };
                    if frame.stream_sid.as_deref() != Some(stream_sid.as_str()) { report.bad_stream_sid += 1; }
                    match frame.event.as_ref() {
                        "media" => {
                            report.media_received += 1;
                            let payload = frame.media.map(|m| m.payload).unwrap_or_default();
                            let audio = STANDARD.decode(payload.as_bytes()).unwrap_or_default();
                            if script.stamped
                                && let Some((seq, ns)) = clock::read_stamp(&audio)
                                && seq >= clock::WARMUP_FRAMES
                            {
                                report.outbound_latency_us.push(u32::try_from(clock::now_ns().saturating_sub(ns) / 1000).unwrap_or(u32::MAX));
                            }
                            let tag = audio.first().copied().unwrap_or(0);
                            queue.push_back(Queued::Audio(tag, audio.len()));
                        }
                        "mark" => queue.push_back(Queued::Mark(frame.mark.map(|m| m.name.into_owned()).unwrap_or_default())),
                        "clear" => {
                            report.clears_at_ms.push((idx as u64) * 20);
                            for item in queue.drain(..) {
                                if let Queued::Mark(name) = item {
                                    echo_mark(&mut tx, &stream_sid, &name, &mut seq, &mut report).await?;
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(report)
    }
}

async fn echo_mark<S>(
    tx: &mut S,
    stream_sid: &str,
    name: &str,
    seq: &mut u32,
    report: &mut StreamReport,
) -> Result<(), FakeError>
where
    S: futures_util::Sink<Message> + Unpin,
    S::Error: std::error::Error + Send + Sync + 'static,
{
    *seq += 1;
    report.marks_echoed += 1;
    let name = serde_json::to_string(name)?;
    tx.send(Message::text(format!(
        r#"{{"event":"mark","sequenceNumber":"{seq}","streamSid":"{stream_sid}","mark":{{"name":{name}}}}}"#
    )))
    .await?;
    Ok(())
}

/// Plays 20 ms of the queue; marks reached are echoed.
async fn play<S>(
    queue: &mut VecDeque<Queued>,
    now_ms: u64,
    report: &mut StreamReport,
    tx: &mut S,
    stream_sid: &str,
    seq: &mut u32,
) -> Result<(), FakeError>
where
    S: futures_util::Sink<Message> + Unpin,
    S::Error: std::error::Error + Send + Sync + 'static,
{
    let mut budget = 160usize;
    while let Some(front) = queue.front_mut() {
        match front {
            Queued::Mark(name) => {
                let name = name.clone();
                queue.pop_front();
                echo_mark(tx, stream_sid, &name, seq, report).await?;
            }
            Queued::Audio(tag, left) => {
                if budget == 0 {
                    break;
                }
                let n = (*left).min(budget);
                report.played.push((now_ms, *tag, n));
                budget -= n;
                *left -= n;
                if *left == 0 {
                    queue.pop_front();
                }
            }
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag.get(start..)?.find('"')? + start;
    tag.get(start..end).map(unescape)
}

/// The stream URL and `<Parameter>`s of a `<Connect><Stream>` TwiML.
pub fn parse_stream(twiml: &str) -> Option<(String, Vec<(String, String)>)> {
    let start = twiml.find("<Stream ")?;
    let end = twiml.get(start..)?.find("</Stream>")? + start;
    let body = twiml.get(start..end)?;
    let url = attr(body, "url")?;
    let params = body
        .split("<Parameter ")
        .skip(1)
        .filter_map(|p| Some((attr(p, "name")?, attr(p, "value")?)))
        .collect();
    Some((url, params))
}
