use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not a Ringscope case file")]
    NotACase { path: PathBuf },
    #[error(
        "{path}: case file has schema version {found}, newer than this Ringscope knows ({known}); upgrade Ringscope"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: a file already exists there; refusing to overwrite it")]
    AlreadyExists { path: PathBuf },
    #[error("{path}: cannot create the case file: {error}")]
    Create {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: no case file there")]
    NotFound { path: PathBuf },
    #[error("{path}: not a Ringscope desk index")]
    NotADeskIndex { path: PathBuf },
    #[error(
        "the desk index was written by a newer Ringscope (schema v{found}; this one knows v{known})"
    )]
    NewerDeskSchema { found: i64, known: i64 },
    #[error("invalid case metadata: {0}")]
    InvalidMeta(String),
    #[error("audit log is broken at entry {seq}: {why}")]
    BrokenAuditChain { seq: i64, why: String },
    /// Not a `source`: SQLite's text is in the message, and a chain printer (anyhow's `{:#}`) would repeat it.
    #[error("case database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error(
        "the case is busy: another process (an import, or the app) is writing to it; try again when it has finished"
    )]
    Busy,
    /// Stored bytes that no longer read back (a chunk that does not decompress, a row that no longer parses).
    #[error("the case file is damaged: {0}")]
    Corrupt(String),
    /// A caller asked for columns its kind of record does not have (or none, or one twice).
    #[error("{kind} records have no column {column:?}")]
    NoSuchColumn { kind: &'static str, column: String },
    #[error("a column list for {kind} records must name each column once, and at least one")]
    BadColumnList { kind: &'static str },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            // The busy timeout ran out while another connection held the write lock.
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy
            }
            _ => Error::Sqlite(e),
        }
    }
}
