//! `--key value` and `--flag` arguments (no parser crate needed for five commands).

use std::collections::HashMap;

/// Parsed options.
pub struct Args {
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Args {
    /// Parses `--key value` pairs and bare `--flag`s.
    pub fn parse(raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut values = HashMap::new();
        let mut flags = Vec::new();
        let mut raw = raw.peekable();
        while let Some(arg) = raw.next() {
            let key = arg
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument '{arg}'"))?;
            if let Some((k, v)) = key.split_once('=') {
                values.insert(k.to_string(), v.to_string());
            } else if raw.peek().is_some_and(|next| !next.starts_with("--")) {
                values.insert(key.to_string(), raw.next().unwrap_or_default());
            } else {
                flags.push(key.to_string());
            }
        }
        Ok(Self { values, flags })
    }

    /// An optional value.
    pub fn value(&self, key: &str) -> Option<String> {
        self.values.get(key).cloned()
    }

    /// A required value.
    pub fn required(&self, key: &str) -> Result<String, String> {
        self.value(key)
            .ok_or_else(|| format!("--{key} is required"))
    }

    /// Whether `--key` was given without a value.
    pub fn flag(&self, key: &str) -> bool {
        self.flags.iter().any(|f| f == key)
    }
}

#[cfg(test)]
mod tests {
    use super::Args;

    #[test]
    fn parses_pairs_equals_and_flags() {
        let a = Args::parse(
            ["--name", "Demo Co", "--slug=demo", "--status"]
                .into_iter()
                .map(String::from),
        )
        .ok();
        let a = a.as_ref();
        assert_eq!(a.and_then(|a| a.value("name")).as_deref(), Some("Demo Co"));
        assert_eq!(a.and_then(|a| a.value("slug")).as_deref(), Some("demo"));
        assert_eq!(a.map(|a| a.flag("status")), Some(true));
        assert!(Args::parse(["oops"].into_iter().map(String::from)).is_err());
    }
}
