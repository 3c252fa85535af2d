//! Importing CSV exports: files one by one, each whole or not at all, with progress events as they go.

use crate::context::Context;
use crate::error::{ApiError, ApiResult};
use ringscope_ingest::{ImportOptions, ImportReport, Mapping, Phase, RowError};
use ringscope_model::RecordKind;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub paths: Vec<PathBuf>,
    /// What the files hold, when their header does not say.
    pub kind: Option<RecordKind>,
    /// A mapping for headers Ringscope does not know (saved into the case for next time).
    pub mapping: Option<Mapping>,
    /// Import the good rows and keep the bad ones as rejects, instead of refusing the whole file.
    pub allow_rejects: bool,
}

/// What an import reports while it runs, in order: progress of each file, then its outcome.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ImportEvent {
    Progress {
        file: String,
        phase: Phase,
        bytes_done: u64,
        bytes_total: u64,
        rows: u64,
    },
    Finished {
        report: ImportReport,
    },
    Failed {
        file: String,
        error: ApiError,
        bad_rows: Vec<RowError>,
    },
}

/// One file's outcome (the CLI's `import --json` prints the list).
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bad_rows: Vec<RowError>,
}

impl FileOutcome {
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }
}

/// Imports each file of `request` into the context's case. A file that fails is reported and the next one is
/// tried; a cancellation (through `cancel`) stops after the file it interrupted, which is left out whole.
pub fn import(
    ctx: &Context,
    request: &ImportRequest,
    cancel: Option<&AtomicBool>,
    on_event: &mut dyn FnMut(ImportEvent),
) -> ApiResult<Vec<FileOutcome>> {
    let mut case = ctx.open()?;
    let mut outcomes = Vec::with_capacity(request.paths.len());
    for path in &request.paths {
        let mut opts = ImportOptions::new(ctx.actor(), ctx.now_text());
        opts.kind = request.kind;
        opts.mapping = request.mapping.as_ref();
        opts.allow_rejects = request.allow_rejects;
        opts.cancel = cancel;
        let result = ringscope_ingest::import_file(&mut case, path, &opts, &mut |p| {
            on_event(ImportEvent::Progress {
                file: p.file.to_string(),
                phase: p.phase,
                bytes_done: p.bytes_done,
                bytes_total: p.bytes_total,
                rows: p.rows,
            })
        });
        let path_text = path.display().to_string();
        match result {
            Ok(report) => {
                on_event(ImportEvent::Finished {
                    report: report.clone(),
                });
                outcomes.push(FileOutcome {
                    path: path_text,
                    report: Some(report),
                    error: None,
                    bad_rows: vec![],
                });
            }
            Err(e) => {
                let bad_rows = match &e {
                    ringscope_ingest::Error::BadRows { errors, .. } => errors.clone(),
                    _ => vec![],
                };
                let cancelled = matches!(e, ringscope_ingest::Error::Cancelled);
                let error = ApiError::from(e);
                on_event(ImportEvent::Failed {
                    file: path_text.clone(),
                    error: error.clone(),
                    bad_rows: bad_rows.clone(),
                });
                outcomes.push(FileOutcome {
                    path: path_text,
                    report: None,
                    error: Some(error),
                    bad_rows,
                });
                if cancelled {
                    break;
                }
            }
        }
    }
    Ok(outcomes)
}
