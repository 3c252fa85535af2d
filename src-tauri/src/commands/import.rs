use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking, now};
use ringscope_ingest::{ImportOptions, ImportReport, Mapping};
use ringscope_model::RecordKind;
use ringscope_store::Case;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tauri::ipc::Channel;
use ts_rs::TS;

/// What a file looks like before it is imported: its kind (if known), header, first rows and column mapping.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPreview {
    pub path: String,
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub kind: Option<RecordKind>,
    pub detected_as: Option<String>,
    /// Ringscope field -> column, as detected (empty when the header is unknown).
    pub columns: Vec<(String, String)>,
    /// Why the header could not be resolved, when it could not.
    pub problem: Option<String>,
    /// Every field of every kind, for the mapping editor: (kind, field, required).
    pub fields: Vec<(RecordKind, String, bool)>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ImportRequest {
    pub paths: Vec<String>,
    /// A mapping edited in the UI, for files whose header Ringscope does not know.
    pub mapping: Option<MappingInput>,
    pub allow_rejects: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MappingInput {
    pub kind: RecordKind,
    pub columns: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ImportEvent {
    Progress {
        file: String,
        phase: String,
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
        bad_rows: Vec<ringscope_ingest::RowError>,
    },
}

const PREVIEW_ROWS: usize = 8;

#[tauri::command]
pub async fn preview_import(
    state: tauri::State<'_, AppState>,
    path: String,
) -> ApiResult<ImportPreview> {
    // Only a file the user chose may be read: a page must not be able to peek into any file it names.
    let file_path = state.granted(&path)?;
    let case_path = state.case_path()?;
    blocking(move || {
        let case = Case::open(&case_path)?;
        let preview = ringscope_ingest::preview(&case, &file_path, PREVIEW_ROWS)?;
        let fields = RecordKind::ALL
            .iter()
            .flat_map(|&k| {
                k.fields()
                    .iter()
                    .map(move |f| (k, f.name.to_string(), f.required))
            })
            .collect();
        let (kind, detected_as, columns, problem) = match preview.layout {
            Ok(layout) => (
                Some(layout.kind),
                Some(layout.detected_as),
                layout.mapping.columns.into_iter().collect(),
                None,
            ),
            Err(problem) => (None, None, vec![], Some(problem)),
        };
        Ok(ImportPreview {
            path,
            file: preview.file,
            header: preview.header,
            rows: preview.rows,
            kind,
            detected_as,
            columns,
            problem,
            fields,
        })
    })
    .await
}

/// Imports files one by one (each whole or not at all), streaming progress and results through `events`.
#[tauri::command]
pub async fn import_files(
    state: tauri::State<'_, AppState>,
    request: ImportRequest,
    events: Channel<ImportEvent>,
) -> ApiResult<()> {
    let case_path = state.case_path()?;
    for p in &request.paths {
        state.granted(p)?;
    }
    let cancel = state.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    blocking(move || {
        let mapping = request.mapping.map(|m| Mapping {
            kind: m.kind,
            columns: m.columns.into_iter().collect(),
            defaults: Default::default(),
            timestamp_formats: Default::default(),
            number_formats: Default::default(),
        });
        let mut case = Case::open(&case_path)?;
        for path in request.paths {
            let mut opts = ImportOptions::new(whoami(), now());
            opts.mapping = mapping.as_ref();
            opts.allow_rejects = request.allow_rejects;
            opts.cancel = Some(&cancel);
            let outcome =
                ringscope_ingest::import_file(&mut case, &PathBuf::from(&path), &opts, &mut |p| {
                    let phase = match p.phase {
                        ringscope_ingest::Phase::Reading => "reading",
                        ringscope_ingest::Phase::Importing => "importing",
                    };
                    let _ = events.send(ImportEvent::Progress {
                        file: p.file.to_string(),
                        phase: phase.into(),
                        bytes_done: p.bytes_done,
                        bytes_total: p.bytes_total,
                        rows: p.rows,
                    });
                });
            let event = match outcome {
                Ok(report) => ImportEvent::Finished { report },
                Err(e) => {
                    let bad_rows = match &e {
                        ringscope_ingest::Error::BadRows { errors, .. } => errors.clone(),
                        _ => vec![],
                    };
                    let cancelled = matches!(e, ringscope_ingest::Error::Cancelled);
                    let _ = events.send(ImportEvent::Failed {
                        file: path.clone(),
                        error: e.into(),
                        bad_rows,
                    });
                    if cancelled {
                        break;
                    }
                    continue;
                }
            };
            let _ = events.send(event);
        }
        Ok(())
    })
    .await
}

#[tauri::command]
pub fn cancel_import(state: tauri::State<'_, AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}

pub fn whoami() -> String {
    std::env::var("RINGSCOPE_ACTOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "investigator".into())
}
