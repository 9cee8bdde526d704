//! E.164 phone numbers. Israeli numbers arrive in many shapes (`050-1234567`,
//! `03-1234567`, `972501234567`, `+972 (0)50 123 4567`, `whatsapp:+972...`);
//! everything is stored and compared as `+<country><national>`.

use std::fmt;

/// A phone number in E.164 form (`+972501234567`). Only [`E164Phone::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct E164Phone(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing but punctuation.
    #[error("phone number is empty")]
    Empty,
    /// Letters or other characters a phone number cannot have.
    #[error("phone number contains invalid characters")]
    InvalidCharacters,
    /// Too short or too long for E.164 or for an Israeli number.
    #[error("phone number has the wrong length")]
    WrongLength,
}

const ISRAEL: &str = "972";

impl E164Phone {
    /// Parses a number, reading national numbers (leading `0`) as Israeli.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        let trimmed = trimmed
            .strip_prefix("whatsapp:")
            .or_else(|| trimmed.strip_prefix("tel:"))
            .unwrap_or(trimmed);
        let mut digits = String::with_capacity(trimmed.len());
        let mut plus = false;
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '(' | ')' | '/' | '\u{200f}' | '\u{200e}' => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if digits.starts_with(ISRAEL) && digits.len() >= 11 {
            digits
        } else if let Some(national) = digits.strip_prefix('0') {
            // Israeli national format: 0 + 8 digits (landline) or 9 digits (mobile, 07x)
            if !(8..=9).contains(&national.len()) {
                return Err(PhoneError::WrongLength);
            }
            format!("{ISRAEL}{national}")
        } else {
            return Err(PhoneError::WrongLength);
        };
        // "+972 (0)50..." keeps the national trunk zero after the country code
        let international = match international.strip_prefix("9720") {
            Some(rest) => format!("{ISRAEL}{rest}"),
            None => international,
        };
        if international.starts_with('0') || !(8..=15).contains(&international.len()) {
            return Err(PhoneError::WrongLength);
        }
        if let Some(national) = international.strip_prefix(ISRAEL)
            && !(8..=9).contains(&national.len())
        {
            return Err(PhoneError::WrongLength);
        }
        Ok(Self(format!("+{international}")))
    }

    /// The number as `+<digits>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the last 4 digits masked, for log lines.
    pub fn masked(&self) -> String {
        let keep = self.0.len().saturating_sub(4);
        let tail: String = self.0.chars().skip(keep).collect();
        format!("+***{tail}")
    }
}

impl fmt::Display for E164Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<E164Phone> for String {
    fn from(p: E164Phone) -> String {
        p.0
    }
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
