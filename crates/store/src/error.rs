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
    #[error("{path}: no case file there")]
    NotFound { path: PathBuf },
    #[error("invalid case metadata: {0}")]
    InvalidMeta(String),
    #[error("audit log is broken at entry {seq}: {why}")]
    BrokenAuditChain { seq: i64, why: String },
    #[error("case database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
