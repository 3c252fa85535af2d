//! Shared output helpers: JSON to stdout, errors as `{code, message}`.

use serde::Serialize;

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// An error as scripts see it: a stable code to branch on and a message for people.
#[derive(Serialize)]
pub struct JsonError {
    pub code: &'static str,
    pub message: String,
}

pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
