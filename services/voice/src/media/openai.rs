//! The OpenAI Realtime websocket (GA interface: no `OpenAI-Beta` header).

use futures_util::SinkExt;
use secrecy::ExposeSecret;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::state::OpenAiConfig;

/// An open realtime socket.
pub type RealtimeSocket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens the socket (bounded by the configured timeout).
pub async fn connect(cfg: &OpenAiConfig) -> Result<RealtimeSocket, String> {
    let mut url = cfg.realtime_url.clone();
    url.query_pairs_mut()
        .append_pair("model", &cfg.realtime_model);
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| format!("bad realtime url: {e}"))?;
    if let Some(key) = &cfg.api_key {
        let value = HeaderValue::from_str(&format!("Bearer {}", key.expose_secret()))
            .map_err(|_| "OPENAI_API_KEY is not a valid header value".to_string())?;
        request.headers_mut().insert("authorization", value);
    }
    match tokio::time::timeout(
        cfg.connect_timeout,
        // TCP_NODELAY: 20 ms audio frames must not wait for Nagle + delayed ACKs
        tokio_tungstenite::connect_async_with_config(request, Some(socket_config()), true),
    )
    .await
    {
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(e)) => Err(format!("realtime connect failed: {e}")),
        Err(_) => Err("realtime connect timed out".into()),
    }
}

/// Realtime events are small: tungstenite zero-fills its whole read buffer
/// (128 KiB by default) before every read, which cost ~15 % of the relay's CPU.
pub fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(8 * 1024)
}

/// Sends one JSON event.
pub async fn send_json<S>(sink: &mut S, value: &serde_json::Value) -> Result<(), String>
where
    S: futures_util::Sink<Message> + Unpin,
{
    sink.send(Message::text(value.to_string()))
        .await
        .map_err(|_| "realtime socket closed".to_string())
}
