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

fn store_code(e: &ringscope_store::Error) -> &'static str {
    use ringscope_store::Error::*;
    match e {
        NotACase { .. } => "not_a_case",
        NewerSchema { .. } => "newer_schema",
        AlreadyExists { .. } => "already_exists",
        NotFound { .. } => "not_found",
        InvalidMeta(_) => "invalid",
        BrokenAuditChain { .. } => "broken_audit_chain",
        Busy => "busy",
        _ => "case_file",
    }
}

fn graph_code(e: &ringscope_graph::Error) -> &'static str {
    match e {
        ringscope_graph::Error::UnknownAccount(_) => "unknown_account",
        ringscope_graph::Error::UnknownRing(_) => "unknown_ring",
        ringscope_graph::Error::Store(e) => store_code(e),
        _ => "analysis",
    }
}

fn packet_code(e: &ringscope_packet::Error) -> &'static str {
    use ringscope_packet::Error::*;
    match e {
        Io { .. } => "io",
        Exists { .. } => "already_exists",
        Backdated(_) => "backdated",
        Key(_) => "key",
        Graph(e) => graph_code(e),
        Store(e) => store_code(e),
        _ => "export",
    }
}

/// The stable code of any error a command returns: the first error in its chain that has one (`io` for a file
/// that could not be read or written, `failed` when nothing more is known).
pub fn error_code(e: &anyhow::Error) -> &'static str {
    for cause in e.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return f.code;
        }
        if let Some(e) = cause.downcast_ref::<ringscope_store::Error>() {
            return store_code(e);
        }
        if let Some(e) = cause.downcast_ref::<ringscope_ingest::Error>() {
            return e.code();
        }
        if let Some(e) = cause.downcast_ref::<ringscope_graph::Error>() {
            return graph_code(e);
        }
        if let Some(e) = cause.downcast_ref::<ringscope_packet::Error>() {
            return packet_code(e);
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return "io";
        }
    }
    "failed"
}
