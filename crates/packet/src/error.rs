use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Subjects(String),
    #[error("{path}: already exists; choose another --out")]
    Exists { path: PathBuf },
    #[error(
        "the export could not be recorded in the case's audit log, so no packet was written (is another program \
         writing to the case, or is the case file read-only?): {0}"
    )]
    NotRecorded(String),
    #[error("{0}")]
    Backdated(String),
    #[error("key: {0}")]
    Key(String),
    #[error("writing the PDF report: {0}")]
    Report(String),
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Graph(#[from] ringscope_graph::Error),
    #[error(transparent)]
    Store(#[from] ringscope_store::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attaches the path to an I/O error.
pub(crate) trait IoContext<T> {
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
    }
}
