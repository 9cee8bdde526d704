//! A fake OpenAI Realtime server (GA event names). Per connection it answers
//! `session.created`/`session.updated`, runs the test's [`Step`] script, does a
//! crude VAD on the caller's mu-law (any byte other than 0xFF is speech) with
//! `speech_started` / `speech_stopped` / transcription events, streams answer
//! audio faster than real time, emits function calls, and records every client
//! event. Echo mode answers each appended frame at once (benches).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use crate::FakeError;
use crate::clock;

/// One step of the fake model's behaviour.
#[derive(Debug, Clone)]
pub enum Step {
    /// Speak: `audio_ms` of audio (bytes = `tag`) and the transcript `text`.
    Say {
        /// Transcript of the answer.
        text: String,
        /// Length of the audio.
        audio_ms: u32,
        /// Byte value of the audio (tells answers apart on the caller's side).
        tag: u8,
    },
    /// Call a tool; the script continues on the next `response.create`.
    Tool {
        /// Function name.
        name: String,
        /// JSON arguments.
        arguments: Value,
    },
    /// Wait until the caller stops speaking; report this as their words.
    AwaitCaller(String),
    /// Send an `error` event (recoverable; the session stays open) and go on.
    Error {
        /// e.g. `rate_limit_exceeded`.
        code: String,
        /// Human-readable text.
        message: String,
    },
    /// Stop answering, socket left open (a hung model).
    Hang,
    /// Close the socket (OpenAI failing mid-call).
    Fail,
}

/// Everything the fake saw, for assertions.
#[derive(Debug, Default, Clone)]
pub struct RealtimeLog {
    /// Client events in arrival order (audio appends only counted).
    pub events: Vec<Value>,
    /// `input_audio_buffer.append` events received.
    pub appends: usize,
    /// Authorization header of each connection.
    pub authorization: Vec<Option<String>>,
    /// Whether a connection sent the dead `OpenAI-Beta` header.
    pub beta_header: bool,
    /// Request path + query of each connection.
    pub paths: Vec<String>,
    /// Connections that have ended (either side closed).
    pub closed: usize,
    /// Echo mode: microseconds from the simulator's stamp to arrival here (after
    /// the first [`clock::WARMUP_FRAMES`] of each call).
    pub inbound_latency_us: Vec<u32>,
}

impl RealtimeLog {
    /// Client events of one type.
    pub fn of_type(&self, kind: &str) -> Vec<Value> {
        self.events
            .iter()
            .filter(|e| e["type"] == kind)
            .cloned()
            .collect()
    }
}

/// A running fake Realtime server.
pub struct FakeRealtime {
    /// `ws://127.0.0.1:port/v1/realtime`.
    pub url: String,
    log: Arc<Mutex<RealtimeLog>>,
}

#[derive(Clone)]
enum Mode {
    Script(Vec<Step>),
    Echo,
}

impl FakeRealtime {
    /// Serves `script` to every connection.
    pub async fn start(script: Vec<Step>) -> Result<Self, FakeError> {
        Self::serve(Mode::Script(script)).await
    }

    /// Accepts TCP connections and never answers the websocket handshake
    /// (OpenAI hanging on connect).
    pub async fn black_hole() -> Result<Self, FakeError> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("ws://{}/v1/realtime", listener.local_addr()?);
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((tcp, _)) = listener.accept().await {
                held.push(tcp);
            }
        });
        Ok(Self {
            url,
            log: Arc::new(Mutex::new(RealtimeLog::default())),
        })
    }

    /// Echoes every appended frame back as output audio, stamping the time.
    pub async fn echo() -> Result<Self, FakeError> {
        Self::serve(Mode::Echo).await
    }

    async fn serve(mode: Mode) -> Result<Self, FakeError> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("ws://{}/v1/realtime", listener.local_addr()?);
        let log = Arc::new(Mutex::new(RealtimeLog::default()));
        let shared = log.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (mode, log) = (mode.clone(), shared.clone());
                tokio::spawn(async move {
                    let _ = connection(tcp, mode, log.clone()).await;
                    if let Ok(mut l) = log.lock() {
                        l.closed += 1;
                    }
                });
            }
        });
        Ok(Self { url, log })
    }

    /// A snapshot of what the server saw.
    pub fn log(&self) -> RealtimeLog {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Drains echo-mode latency samples.
    pub fn take_inbound_latencies(&self) -> Vec<u32> {
        self.log
            .lock()
            .map(|mut l| std::mem::take(&mut l.inbound_latency_us))
            .unwrap_or_default()
    }
}

struct Conn {
    steps: Vec<Step>,
    cursor: usize,
    awaiting_caller: Option<String>,
    in_speech: bool,
    silent_frames: u32,
    audio_ms: u64,
    item_seq: u32,
    /// Chunks of the answer still to stream: (item_id, bytes left, tag, transcript).
    speaking: Option<(String, usize, u8, String)>,
    waiting_tool_output: bool,
}

const CHUNK: usize = 800; // 100 ms of mu-law per delta

#[expect(
    clippy::result_large_err,
    reason = "tungstenite's header callback returns its own large error response"
)]
async fn connection(
    tcp: TcpStream,
    mode: Mode,
    log: Arc<Mutex<RealtimeLog>>,
) -> Result<(), FakeError> {
    tcp.set_nodelay(true)?;
    let hlog = log.clone();
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(8 * 1024);
    let ws = tokio_tungstenite::accept_hdr_async_with_config(
        tcp,
        move |req: &Request, res: Response| {
            if let Ok(mut l) = hlog.lock() {
                l.authorization.push(
                    req.headers()
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .map(String::from),
                );
                l.beta_header |= req.headers().contains_key("openai-beta");
                l.paths.push(req.uri().to_string());
            }
            Ok(res)
        },
        Some(config),
    )
    .await?;
    let (mut tx, mut rx) = ws.split();
    tx.send(Message::text(
        json!({"type": "session.created", "event_id": "ev_0", "session": {"type": "realtime"}})
            .to_string(),
    ))
    .await?;
    let script = match mode {
        Mode::Echo => return echo(tx, rx, log).await,
        Mode::Script(s) => s,
    };
    let mut c = Conn {
        steps: script,
        cursor: 0,
        awaiting_caller: None,
        in_speech: false,
        silent_frames: 0,
        audio_ms: 0,
        item_seq: 0,
        speaking: None,
        waiting_tool_output: false,
    };
    let mut started = false;
    loop {
        let tick = tokio::time::sleep(Duration::from_millis(5));
        tokio::select! {
            msg = rx.next() => {
                let Some(Ok(msg)) = msg else { return Ok(()) };
                let Message::Text(text) = msg else { continue };
                let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                let kind = event["type"].as_str().unwrap_or("").to_string();
                let mut out = Vec::new();
                let mut fail = false;
                if kind == "input_audio_buffer.append" {
                    let audio = STANDARD.decode(event["audio"].as_str().unwrap_or("")).unwrap_or_default();
                    if let Ok(mut l) = log.lock() { l.appends += 1; }
                    fail = vad(&mut c, &audio, &mut out);
                } else {
                    if let Ok(mut l) = log.lock() { l.events.push(event.clone()); }
                    match kind.as_str() {
                        "session.update" => out.push(json!({"type": "session.updated", "session": event["session"]})),
                        "conversation.item.truncate" => out.push(json!({"type": "conversation.item.truncated",
                            "item_id": event["item_id"], "content_index": 0, "audio_end_ms": event["audio_end_ms"]})),
                        "response.create" if !started || c.waiting_tool_output => {
                            started = true;
                            c.waiting_tool_output = false;
                            if advance(&mut c, &mut out) { return Ok(()); }
                        }
                        _ => {}
                    }
                }
                for e in out { tx.send(Message::text(e.to_string())).await?; }
                if fail { return Ok(()); }
            }
            _ = tick, if c.speaking.is_some() => {
                let mut out = Vec::new();
                let fail = stream_chunk(&mut c, &mut out);
                for e in out { tx.send(Message::text(e.to_string())).await?; }
                if fail { return Ok(()); }
            }
        }
    }
}

/// Crude VAD: speech starts on the first non-silent frame, stops after 100 ms of
/// silence; a stop while awaiting the caller reports the transcript and moves on.
/// True when the script then says to fail.
fn vad(c: &mut Conn, audio: &[u8], out: &mut Vec<Value>) -> bool {
    c.audio_ms += (audio.len() / 8) as u64;
    let speech = audio.iter().any(|b| *b != 0xFF);
    if speech {
        c.silent_frames = 0;
        if !c.in_speech {
            c.in_speech = true;
            c.item_seq += 1;
            // server VAD with interrupt_response cancels the answer in progress
            c.speaking = None;
            out.push(json!({"type": "input_audio_buffer.speech_started",
                "audio_start_ms": c.audio_ms, "item_id": format!("item_caller_{}", c.item_seq)}));
        }
        return false;
    }
    if !c.in_speech {
        return false;
    }
    c.silent_frames += 1;
    if c.silent_frames < 5 {
        return false;
    }
    c.in_speech = false;
    let item = format!("item_caller_{}", c.item_seq);
    out.push(json!({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": c.audio_ms, "item_id": item}));
    out.push(json!({"type": "input_audio_buffer.committed", "item_id": item}));
    if let Some(words) = c.awaiting_caller.take() {
        out.push(
            json!({"type": "conversation.item.input_audio_transcription.completed",
            "item_id": item, "content_index": 0, "transcript": words,
            "usage": {"type": "duration", "seconds": 1}}),
        );
        return advance(c, out);
    }
    false
}

/// Runs steps until one waits; true when the script says to fail.
fn advance(c: &mut Conn, out: &mut Vec<Value>) -> bool {
    if c.speaking.is_some() {
        return false;
    }
    // every step waits for something, so one step per call
    if let Some(step) = c.steps.get(c.cursor).cloned() {
        c.cursor += 1;
        match step {
            Step::Say {
                text,
                audio_ms,
                tag,
            } => {
                c.item_seq += 1;
                let item = format!("item_assistant_{}", c.item_seq);
                out.push(json!({"type": "response.created", "response": {"id": format!("resp_{}", c.item_seq), "status": "in_progress"}}));
                c.speaking = Some((item, audio_ms as usize * 8, tag, text));
                return false;
            }
            Step::Tool { name, arguments } => {
                c.item_seq += 1;
                out.push(json!({"type": "response.function_call_arguments.done",
                    "response_id": format!("resp_{}", c.item_seq), "item_id": format!("item_fc_{}", c.item_seq),
                    "output_index": 0, "call_id": format!("call_{}", c.item_seq),
                    "name": name, "arguments": arguments.to_string()}));
                out.push(json!({"type": "response.done", "response": {"status": "completed"}}));
                c.waiting_tool_output = true;
                return false;
            }
            Step::AwaitCaller(words) => {
                c.awaiting_caller = Some(words);
                return false;
            }
            Step::Error { code, message } => {
                out.push(
                    json!({"type": "error", "event_id": format!("ev_err_{}", c.cursor),
                    "error": {"type": "invalid_request_error", "code": code, "message": message,
                              "param": null, "event_id": null}}),
                );
                return advance(c, out);
            }
            Step::Hang => {
                c.cursor = c.steps.len();
                return false;
            }
            Step::Fail => return true,
        }
    }
    false
}

/// Streams one chunk of the answer in progress; at its end, the transcript and
/// `response.done`, then the next steps.
fn stream_chunk(c: &mut Conn, out: &mut Vec<Value>) -> bool {
    let Some((item, left, tag, text)) = c.speaking.take() else {
        return false;
    };
    let n = left.min(CHUNK);
    out.push(
        json!({"type": "response.output_audio.delta", "response_id": "resp", "item_id": item,
        "output_index": 0, "content_index": 0, "delta": STANDARD.encode(vec![tag; n])}),
    );
    if left > n {
        c.speaking = Some((item, left - n, tag, text));
        return false;
    }
    out.push(json!({"type": "response.output_audio.done", "item_id": item}));
    out.push(json!({"type": "response.output_audio_transcript.done", "item_id": item, "transcript": text}));
    out.push(json!({"type": "response.done", "response": {"status": "completed"}}));
    advance(c, out)
}

/// The two fields echo mode reads.
#[derive(serde::Deserialize)]
struct Append<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    audio: Option<std::borrow::Cow<'a, str>>,
}

async fn echo<S, R>(mut tx: S, mut rx: R, log: Arc<Mutex<RealtimeLog>>) -> Result<(), FakeError>
where
    S: futures_util::Sink<Message> + Unpin,
    S::Error: std::error::Error + Send + Sync + 'static,
    R: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let mut latencies = Vec::new();
    while let Some(Ok(msg)) = rx.next().await {
        let Message::Text(text) = msg else { continue };
        let Ok(event) = serde_json::from_str::<Append<'_>>(text.as_str()) else {
            continue;
        };
        if event.kind != "input_audio_buffer.append" {
            continue;
        }
        let audio = STANDARD
            .decode(event.audio.as_deref().unwrap_or("").as_bytes())
            .unwrap_or_default();
        let Some((seq, sent_ns)) = clock::read_stamp(&audio) else {
            continue;
        };
        if seq >= clock::WARMUP_FRAMES {
            let now = clock::now_ns();
            latencies.push(u32::try_from(now.saturating_sub(sent_ns) / 1000).unwrap_or(u32::MAX));
        }
        let delta = STANDARD.encode(clock::stamped_frame(seq));
        tx.send(Message::text(format!(
            r#"{{"type":"response.output_audio.delta","response_id":"resp_echo","item_id":"item_echo","output_index":0,"content_index":0,"delta":"{delta}"}}"#
        )))
        .await?;
    }
    if let Ok(mut l) = log.lock() {
        l.inbound_latency_us.extend(latencies);
    }
    Ok(())
}
