use ringscope_model::RecordKind;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// One bad row: where it is and why. Displays as `file:line:column: reason`.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub file: String,
    /// 1-based physical line where the row starts (the header is line 1).
    pub line: u64,
    /// 1-based CSV column (field number), when one column is to blame.
    pub column: Option<u64>,
    /// The column's header name, when there is one.
    pub header: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: ",
            self.file,
            self.line,
            self.column.unwrap_or(1)
        )?;
        if let Some(h) = &self.header {
            write!(f, "[{h}] ")?;
        }
        f.write_str(&self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // Not a `source`: its text is in the message, and a chain printer (anyhow's `{:#}`) would repeat it.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{path}: the file changed or disappeared while it was being read; import it again once it is complete"
    )]
    ChangedWhileReading { path: PathBuf },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    /// A ticket export that is not JSON, or not the shape of Zendesk's ticket export.
    #[error("{file}:{line}:{column}: {reason}")]
    Tickets {
        file: String,
        line: u64,
        column: u64,
        reason: String,
    },
    #[error("{file}:2:1: the file has a header but no data rows")]
    NoRows { file: String },
    #[error(
        "{file}:{line}:{column}: binary data (a NUL byte at byte offset {offset}); this does not look like a CSV file"
    )]
    Binary {
        file: String,
        line: u64,
        column: u64,
        offset: u64,
    },
    #[error(
        "{file}:{line}:{column}: invalid UTF-8 at byte offset {offset}; re-export the file as UTF-8"
    )]
    InvalidUtf8 {
        file: String,
        line: u64,
        column: u64,
        offset: u64,
    },
    #[error(
        "{file}:{line}:{column}: unterminated quoted field: the quote opened here is never closed"
    )]
    UnterminatedQuote {
        file: String,
        line: u64,
        column: u64,
    },
    #[error("{file}:{line}: {reason}")]
    Csv {
        file: String,
        line: u64,
        reason: String,
    },
    #[error("{file}:1:{column}: duplicate column name {name:?} (first at column {first})")]
    DuplicateColumn {
        file: String,
        name: String,
        column: u64,
        first: u64,
    },
    #[error("{file}: unrecognized header; {}", unknown_header_help(found, needed))]
    UnknownHeader {
        file: String,
        found: Vec<String>,
        needed: Vec<(RecordKind, Vec<String>)>,
    },
    #[error("{file}: header matches more than one kind ({}); pass --kind", kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))]
    AmbiguousKind {
        file: String,
        kinds: Vec<RecordKind>,
    },
    #[error("{file}: mapping: {reason}")]
    Mapping { file: String, reason: String },
    #[error("{}", bad_rows(file, *total, errors))]
    BadRows {
        file: String,
        total: usize,
        errors: Vec<RowError>,
    },
    #[error("import cancelled; the case was not changed")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] ringscope_store::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn unknown_header_help(found: &[String], needed: &[(RecordKind, Vec<String>)]) -> String {
    let mut s = format!(
        "columns found: {}",
        found
            .iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (kind, fields) in needed {
        s.push_str(&format!(
            "; as {kind}, fields still needed: {}",
            fields.join(", ")
        ));
    }
    s.push_str("; pass --kind and --mapping FILE (see README: Mappings)");
    s
}

fn bad_rows(file: &str, total: usize, errors: &[RowError]) -> String {
    let mut s = format!(
        "{file}: {total} bad row(s); nothing was imported (use --allow-rejects to import the good rows)"
    );
    for e in errors {
        s.push_str(&format!("\n  {e}"));
    }
    if total > errors.len() {
        s.push_str(&format!("\n  ... and {} more", total - errors.len()));
    }
    s
}

impl Error {
    /// A stable, machine-readable name for the error, for scripts and the app.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::ChangedWhileReading { .. } => "changed_while_reading",
            Error::Empty { .. } => "empty_file",
            Error::Tickets { .. } => "tickets",
            Error::NoRows { .. } => "no_rows",
            Error::Binary { .. } => "binary_file",
            Error::InvalidUtf8 { .. } => "invalid_utf8",
            Error::UnterminatedQuote { .. } => "unterminated_quote",
            Error::Csv { .. } => "csv",
            Error::DuplicateColumn { .. } => "duplicate_column",
            Error::UnknownHeader { .. } => "unknown_header",
            Error::AmbiguousKind { .. } => "ambiguous_kind",
            Error::Mapping { .. } => "mapping",
            Error::BadRows { .. } => "bad_rows",
            Error::Cancelled => "cancelled",
            Error::Store(ringscope_store::Error::Busy) => "busy",
            Error::Store(_) => "case_file",
        }
    }
}
