//! E-mail addresses, stored trimmed and lower-cased.

use std::fmt;

/// A plausible e-mail address (one `@`, a dot in the domain, no spaces, <= 254 chars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// The address is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a valid e-mail address")]
pub struct EmailError(pub String);

impl Email {
    /// Parses and lower-cases an address.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = input.trim().to_lowercase();
        let bad = || EmailError(input.trim().chars().take(80).collect());
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(bad());
        }
        if domain.starts_with('.') || domain.ends_with('.') {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(
            Email::parse(" Dana@Example.co.il ").map(String::from),
            Ok("dana@example.co.il".into())
        );
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "dana",
            "dana@",
            "@x.com",
            "a@b",
            "a b@c.com",
            "a@b@c.com",
            "a@.com",
            "a@com.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
