//! Errors as every front end reports them: a stable `code` for programs (the app's UI branches on it, scripts read
//! it from `--json`) and a message for people. The codes are listed in [`CODES`]; a test keeps every code this
//! crate can produce in that list, so a renamed code is a visible change, not a silent one.

use serde::Serialize;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Every code, with what it means. Front ends may add their own (`not_granted`, `no_case`, `no_desk` in the app).
pub const CODES: &[(&str, &str)] = &[
    (
        "invalid",
        "the request itself is wrong (an argument out of range, an unknown profile)",
    ),
    ("not_a_case", "the file is not a Ringscope case"),
    ("newer_schema", "the case was written by a newer Ringscope"),
    (
        "already_exists",
        "the file or folder to create is already there",
    ),
    ("not_found", "the file is not there"),
    (
        "broken_audit_chain",
        "the case history's hash chain does not verify",
    ),
    ("busy", "another process is writing the case"),
    ("case_file", "the case file could not be read or written"),
    ("unknown_account", "no account with that id in the case"),
    ("unknown_ring", "no ring with that id in the case"),
    ("analysis", "ring detection failed"),
    ("io", "a file could not be read or written"),
    (
        "backdated",
        "the export time is before what the packet records",
    ),
    ("key", "the signing key could not be read"),
    ("export", "the packet could not be written"),
    ("verify", "the packet could not be read to verify it"),
    ("empty_file", "the CSV file is empty"),
    (
        "tickets",
        "the ticket export is not JSON, or not Zendesk's ticket export",
    ),
    ("no_rows", "the CSV file has a header and no rows"),
    ("binary_file", "the file is not text"),
    ("invalid_utf8", "the file is not UTF-8"),
    ("unterminated_quote", "a quoted CSV field never ends"),
    ("csv", "the CSV could not be parsed"),
    ("duplicate_column", "the header names a column twice"),
    (
        "unknown_header",
        "the header is not one Ringscope knows: give a mapping",
    ),
    (
        "ambiguous_kind",
        "the header fits more than one kind: say which",
    ),
    ("mapping", "the mapping is wrong"),
    (
        "bad_rows",
        "rows failed to import; nothing from the file was imported",
    ),
    (
        "changed_while_reading",
        "the file changed while it was read",
    ),
    (
        "cancelled",
        "the import was cancelled; nothing from the file was imported",
    ),
    ("not_a_desk", "the folder holds no desk (create one first)"),
    ("case_types", "the desk's case-types.toml is wrong"),
    (
        "desk_index",
        "the desk's index could not be read or written",
    ),
    ("internal", "a bug in Ringscope"),
];

impl ApiError {
    /// An error with a code from [`CODES`] (debug builds check it).
    pub fn new(code: &str, message: impl std::fmt::Display) -> ApiError {
        debug_assert!(
            CODES.iter().any(|(c, _)| *c == code)
                || matches!(code, "not_granted" | "no_case" | "no_desk"),
            "unlisted error code {code}"
        );
        ApiError {
            code: code.into(),
            message: message.to_string(),
        }
    }

    pub fn invalid(message: impl std::fmt::Display) -> ApiError {
        ApiError::new("invalid", message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// The stable code of a store error.
pub fn store_code(e: &ringscope_store::Error) -> &'static str {
    use ringscope_store::Error::*;
    match e {
        NotACase { .. } => "not_a_case",
        NewerSchema { .. } => "newer_schema",
        AlreadyExists { .. } => "already_exists",
        NotFound { .. } => "not_found",
        InvalidMeta(_) | NoSuchColumn { .. } | BadColumnList { .. } => "invalid",
        BrokenAuditChain { .. } => "broken_audit_chain",
        Busy => "busy",
        _ => "case_file",
    }
}

/// The stable code of a ring-analysis error.
pub fn graph_code(e: &ringscope_graph::Error) -> &'static str {
    match e {
        ringscope_graph::Error::UnknownAccount(_) => "unknown_account",
        ringscope_graph::Error::UnknownRing(_) => "unknown_ring",
        ringscope_graph::Error::Store(e) => store_code(e),
        _ => "analysis",
    }
}

/// The stable code of a packet error.
pub fn packet_code(e: &ringscope_packet::Error) -> &'static str {
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

/// The stable code of a desk error.
pub fn desk_code(e: &ringscope_desk::Error) -> &'static str {
    use ringscope_desk::Error::*;
    match e {
        NotADesk(_) => "not_a_desk",
        AlreadyADesk(_) => "already_exists",
        Io { .. } => "io",
        CaseTypes(_) => "case_types",
        Invalid(_) => "invalid",
        NewerSchema { .. } => "newer_schema",
        Store(e) => store_code(e),
        Graph(e) => graph_code(e),
        Index(_) => "desk_index",
        Csv(_) => "csv",
    }
}

impl From<ringscope_desk::Error> for ApiError {
    fn from(e: ringscope_desk::Error) -> Self {
        ApiError::new(desk_code(&e), e)
    }
}

impl From<ringscope_store::Error> for ApiError {
    fn from(e: ringscope_store::Error) -> Self {
        ApiError::new(store_code(&e), e)
    }
}

impl From<ringscope_ingest::Error> for ApiError {
    fn from(e: ringscope_ingest::Error) -> Self {
        ApiError::new(e.code(), e)
    }
}

impl From<ringscope_graph::Error> for ApiError {
    fn from(e: ringscope_graph::Error) -> Self {
        ApiError::new(graph_code(&e), e)
    }
}

impl From<ringscope_packet::Error> for ApiError {
    fn from(e: ringscope_packet::Error) -> Self {
        ApiError::new(packet_code(&e), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(code: &str) -> bool {
        CODES.iter().any(|(c, _)| *c == code)
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (code, meaning) in CODES {
            assert!(seen.insert(*code), "{code} listed twice");
            assert!(!meaning.is_empty());
        }
        let store = [
            ringscope_store::Error::Busy,
            ringscope_store::Error::InvalidMeta("x".into()),
        ];
        for e in &store {
            assert!(listed(store_code(e)));
        }
        let graph = [
            ringscope_graph::Error::UnknownAccount("a".into()),
            ringscope_graph::Error::UnknownRing("R-9".into()),
        ];
        for e in &graph {
            assert!(listed(graph_code(e)));
        }
        for e in [
            ringscope_desk::Error::NotADesk("d".into()),
            ringscope_desk::Error::CaseTypes("x".into()),
            ringscope_desk::Error::Index(ringscope_store::Error::Busy),
            ringscope_desk::Error::NewerSchema { found: 9, known: 1 },
        ] {
            assert!(listed(desk_code(&e)), "{}", desk_code(&e));
        }
        for e in [
            ringscope_ingest::Error::Cancelled,
            ringscope_ingest::Error::Store(ringscope_store::Error::Busy),
        ] {
            assert!(listed(e.code()), "{}", e.code());
        }
    }
}
