//! Shared output helpers: JSON to stdout, errors as `{code, message}`.

use serde::Serialize;

/// Writes `value` to stdout as pretty JSON and a line break, as it serializes: a ring list at a million accounts is
/// tens of MB, which a string first would hold twice over.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// An error as scripts see it: a stable code to branch on and a message for people.
#[derive(Serialize)]
pub struct JsonError {
    pub code: String,
    pub message: String,
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

/// A failure the CLI itself decides (bad arguments beyond clap's checks, something asked for that the case does
/// not have), with its stable code.
#[derive(Debug)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

pub fn fail(code: &'static str, message: impl std::fmt::Display) -> anyhow::Error {
    Failure {
        code,
        message: message.to_string(),
    }
    .into()
}

/// The stable code of any error a command returns: the first error in its chain that has one (`io` for a file
/// that could not be read or written, `failed` when nothing more is known).
pub fn error_code(e: &anyhow::Error) -> String {
    use ringscope_api::error::{graph_code, packet_code, store_code};
    let code = |c: &str| c.to_string();
    for cause in e.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return code(f.code);
        }
        if let Some(e) = cause.downcast_ref::<ringscope_api::ApiError>() {
            return e.code.clone();
        }
        if let Some(e) = cause.downcast_ref::<ringscope_store::Error>() {
            return code(store_code(e));
        }
        if let Some(e) = cause.downcast_ref::<ringscope_ingest::Error>() {
            return code(e.code());
        }
        if let Some(e) = cause.downcast_ref::<ringscope_graph::Error>() {
            return code(graph_code(e));
        }
        if let Some(e) = cause.downcast_ref::<ringscope_packet::Error>() {
            return code(packet_code(e));
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return code("io");
        }
    }
    code("failed")
}
