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

/// Case data as text for a terminal: control characters (ESC, BEL, C1), bidi controls and invisible format
/// characters are shown as their code points, `⟨U+001B⟩`, so a hostile account id can neither drive the terminal
/// nor reorder or hide what is printed. Every text-mode print of case data goes through this; JSON output needs
/// nothing (serde escapes control characters, and bidi controls are data to a program).
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    ringscope_model::display::visible(s)
}

/// [`shown`] for a list, joined with `sep`.
pub fn shown_list<S: AsRef<str>>(items: &[S], sep: &str) -> String {
    items
        .iter()
        .map(|s| shown(s.as_ref()))
        .collect::<Vec<_>>()
        .join(sep)
}
