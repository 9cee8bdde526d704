//! The Twilio REST calls ProSaaS makes, over `reqwest` with a configurable base
//! URL (production `https://api.twilio.com`, tests a local fake). Form-encoded
//! requests, HTTP basic auth with the account SID and auth token, JSON replies.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

/// A Twilio REST failure.
#[derive(Debug, thiserror::Error)]
pub enum TwilioError {
    /// Twilio answered with an error body (`{"code","message","status"}`).
    #[error("twilio refused ({status}, code {code}): {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Twilio error code (0 when the body had none).
        code: i64,
        /// Twilio's message.
        message: String,
    },
    /// Transport failure or timeout.
    #[error("twilio unreachable: {0}")]
    Transport(#[from] reqwest::Error),
    /// The base URL plus path did not form a URL.
    #[error("bad twilio url: {0}")]
    Url(#[from] url::ParseError),
}

/// The Call resource fields we read.
#[derive(Debug, Clone, Deserialize)]
pub struct CallResource {
    /// `CA...`.
    pub sid: String,
    /// `queued` for a new call.
    pub status: String,
    /// Dialled number.
    #[serde(default)]
    pub to: String,
    /// Caller id.
    #[serde(default)]
    pub from: String,
}

/// `POST /Calls.json`: start an outbound call.
#[derive(Debug, Clone)]
pub struct NewCall {
    /// E.164 callee.
    pub to: String,
    /// E.164 caller id (a Twilio number of ours).
    pub from: String,
    /// TwiML webhook Twilio requests when the call is answered.
    pub url: String,
    /// Status callback URL (initiated, ringing, answered, completed).
    pub status_callback: String,
    /// Record the call (recording status goes to `recording_status_callback`).
    pub record: Option<String>,
}

/// `POST /Calls/{sid}.json`: change a live call.
#[derive(Debug, Clone)]
pub enum CallUpdate {
    /// Replace what the call is doing with this TwiML.
    Twiml(String),
    /// End the call.
    Hangup,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

/// A client for one Twilio account.
#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base: Url,
    account_sid: String,
    auth_token: SecretString,
}

impl TwilioClient {
    /// A client with a 10 s request timeout.
    pub fn new(
        base: Url,
        account_sid: String,
        auth_token: SecretString,
    ) -> Result<Self, TwilioError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self {
            http,
            base,
            account_sid,
            auth_token,
        })
    }

    fn url(&self, tail: &str) -> Result<Url, TwilioError> {
        let path = format!(
            "{}/2010-04-01/Accounts/{}/{tail}",
            self.base.as_str().trim_end_matches('/'),
            self.account_sid
        );
        Ok(Url::parse(&path)?)
    }

    async fn post_form(
        &self,
        url: Url,
        form: &[(&str, String)],
    ) -> Result<CallResource, TwilioError> {
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .form(form)
            .send()
            .await?;
        let res = check(res).await?;
        Ok(res.json().await?)
    }

    /// Starts an outbound call; Twilio answers 201 with status `queued`.
    pub async fn create_call(&self, call: &NewCall) -> Result<CallResource, TwilioError> {
        let mut form = vec![
            ("To", call.to.clone()),
            ("From", call.from.clone()),
            ("Url", call.url.clone()),
            ("Method", "POST".into()),
            ("StatusCallback", call.status_callback.clone()),
            ("StatusCallbackMethod", "POST".into()),
        ];
        for event in ["initiated", "ringing", "answered", "completed"] {
            form.push(("StatusCallbackEvent", event.into()));
        }
        if let Some(cb) = &call.record {
            form.push(("Record", "true".into()));
            form.push(("RecordingChannels", "dual".into()));
            form.push(("RecordingStatusCallback", cb.clone()));
        }
        self.post_form(self.url("Calls.json")?, &form).await
    }

    /// Redirects or ends a live call.
    pub async fn update_call(
        &self,
        call_sid: &str,
        update: &CallUpdate,
    ) -> Result<CallResource, TwilioError> {
        let form = match update {
            CallUpdate::Twiml(t) => vec![("Twiml", t.clone())],
            CallUpdate::Hangup => vec![("Status", "completed".into())],
        };
        self.post_form(self.url(&format!("Calls/{call_sid}.json"))?, &form)
            .await
    }

    /// The MP3 of a recording, as a streaming response. The URL is built from the
    /// configured base and the recording SID (never from a stored URL).
    pub async fn fetch_recording(
        &self,
        recording_sid: &str,
    ) -> Result<reqwest::Response, TwilioError> {
        if !recording_sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(TwilioError::Api {
                status: 400,
                code: 0,
                message: "malformed recording sid".into(),
            });
        }
        let res = self
            .http
            .get(self.url(&format!("Recordings/{recording_sid}.mp3"))?)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .send()
            .await?;
        check(res).await
    }
}

async fn check(res: reqwest::Response) -> Result<reqwest::Response, TwilioError> {
    if res.status().is_success() {
        return Ok(res);
    }
    let status = res.status().as_u16();
    let body: Option<ErrorBody> = res.json().await.ok();
    Err(TwilioError::Api {
        status,
        code: body.as_ref().and_then(|b| b.code).unwrap_or(0),
        message: body
            .and_then(|b| b.message)
            .unwrap_or_else(|| format!("HTTP {status}")),
    })
}
