//! Request validation, ported from twilio-python's `RequestValidator` and
//! twilio-node's `validateRequest`: the string to sign is the full URL followed
//! by every form parameter as `name + value`, names sorted, repeated names with
//! their distinct values sorted; HMAC-SHA1 keyed with the auth token, base64.
//! Twilio is inconsistent about default ports, so like the helpers we accept the
//! URL with the default port added and with any port removed.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use url::Url;

type HmacSha1 = Hmac<Sha1>;

/// Why a request was refused (logged by the caller; never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// No `X-Twilio-Signature` header.
    MissingSignature,
    /// The URL we rebuilt does not parse.
    BadUrl,
    /// The signature does not match any URL form.
    Mismatch,
    /// JSON variant: `bodySHA256` absent or not the body's hash.
    BodyHashMismatch,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Rejection::MissingSignature => "missing X-Twilio-Signature header",
            Rejection::BadUrl => "request URL could not be rebuilt",
            Rejection::Mismatch => "X-Twilio-Signature does not match (wrong auth token or URL)",
            Rejection::BodyHashMismatch => "bodySHA256 does not match the body",
        })
    }
}

/// The signature Twilio would send for `url` and form `params`.
pub fn compute(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (k, v) in params {
        sorted.entry(k.as_str()).or_default().insert(v.as_str());
    }
    let mut data = String::from(url);
    for (name, values) in sorted {
        for value in values {
            data.push_str(name);
            data.push_str(value);
        }
    }
    // HMAC accepts keys of any length; the error branch cannot happen
    let Ok(mut mac) = HmacSha1::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// `url` with the scheme's default port added (when no port is given) and with
/// any port removed, as twilio-python's `add_port` / `remove_port`.
fn url_variants(url: &str) -> Option<(String, String)> {
    let parsed = Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let port = parsed.port_or_known_default()?;
    let userinfo = match (parsed.username(), parsed.password()) {
        ("", None) => String::new(),
        (u, None) => format!("{u}@"),
        (u, Some(p)) => format!("{u}:{p}@"),
    };
    let mut tail = parsed.path().to_string();
    if let Some(q) = parsed.query() {
        tail.push('?');
        tail.push_str(q);
    }
    let scheme = parsed.scheme();
    Some((
        format!("{scheme}://{userinfo}{host}:{port}{tail}"),
        format!("{scheme}://{userinfo}{host}{tail}"),
    ))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Validates a form-encoded webhook (or a GET with only a query string).
pub fn validate(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: Option<&str>,
) -> Result<(), Rejection> {
    let signature = signature
        .filter(|s| !s.is_empty())
        .ok_or(Rejection::MissingSignature)?;
    let (with_port, without_port) = url_variants(url).ok_or(Rejection::BadUrl)?;
    let ok = constant_time_eq(&compute(auth_token, &with_port, params), signature)
        | constant_time_eq(&compute(auth_token, &without_port, params), signature);
    if ok { Ok(()) } else { Err(Rejection::Mismatch) }
}

/// Validates a JSON-body webhook: the URL (which carries `bodySHA256`) is signed
/// with no params, and the query value must be the hex SHA-256 of the raw body.
pub fn validate_json(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: Option<&str>,
) -> Result<(), Rejection> {
    validate(auth_token, url, &[], signature)?;
    let parsed = Url::parse(url).map_err(|_| Rejection::BadUrl)?;
    let expected = parsed
        .query_pairs()
        .find(|(k, _)| k == "bodySHA256")
        .map(|(_, v)| v.into_owned())
        .ok_or(Rejection::BodyHashMismatch)?;
    let actual = hex_lower(&Sha256::digest(body));
    if constant_time_eq(&expected, &actual) {
        Ok(())
    } else {
        Err(Rejection::BodyHashMismatch)
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn voice_params() -> Vec<(String, String)> {
        params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    // Vectors: twilio-node spec/validation.spec.js, twilio-python test_request_validator.py
    #[test]
    fn official_helper_vectors() {
        let p = voice_params();
        assert_eq!(compute(TOKEN, URL, &p), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert_eq!(
            compute(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", &p),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
        assert_eq!(
            compute(TOKEN, "http://mycompany.com:80/myapp.php?foo=1&bar=2", &p),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        );
        assert_eq!(
            compute(TOKEN, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", &p),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        );
        let repeated = params(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            compute(TOKEN, URL, &repeated),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
        let old_docs = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(
            compute(TOKEN, URL, &old_docs),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
    }

    #[test]
    fn validation_accepts_either_port_form() {
        let p = voice_params();
        for sig in [
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            "kvajT1Ptam85bY51eRf/AJRuM3w=",
        ] {
            assert_eq!(validate(TOKEN, URL, &p, Some(sig)), Ok(()));
            assert_eq!(
                validate(
                    TOKEN,
                    "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                    &p,
                    Some(sig)
                ),
                Ok(())
            );
        }
        assert_eq!(
            validate(
                TOKEN,
                "http://mycompany.com/myapp.php?foo=1&bar=2",
                &p,
                Some("0ZXoZLH/DfblKGATFgpif+LLRf4=")
            ),
            Ok(())
        );
        assert_eq!(
            validate(
                TOKEN,
                "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                &p,
                Some("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")
            ),
            Ok(())
        );
    }

    #[test]
    fn credentials_in_url_and_refusals() {
        let p = voice_params();
        assert_eq!(
            validate(
                TOKEN,
                "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2",
                &p,
                Some("CukzLTc1tT5dXEDIHm/tKBanW10=")
            ),
            Ok(())
        );
        assert_eq!(
            validate(
                TOKEN,
                "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2",
                &p,
                Some("ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")
            ),
            Ok(())
        );
        assert_eq!(
            validate(TOKEN, URL, &p, None),
            Err(Rejection::MissingSignature)
        );
        assert_eq!(
            validate("wrong", URL, &p, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")),
            Err(Rejection::Mismatch)
        );
        let mut tampered = p.clone();
        tampered.push(("Extra".into(), "1".into()));
        assert_eq!(
            validate(TOKEN, URL, &tampered, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")),
            Err(Rejection::Mismatch)
        );
    }

    #[test]
    fn json_body_variant() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let url = format!(
            "{URL}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        );
        assert_eq!(
            validate_json(TOKEN, &url, body, Some("a9nBmqA0ju/hNViExpshrM61xv4=")),
            Ok(())
        );
        assert_eq!(
            validate_json(TOKEN, &url, b"{}", Some("a9nBmqA0ju/hNViExpshrM61xv4=")),
            Err(Rejection::BodyHashMismatch)
        );
    }
}
