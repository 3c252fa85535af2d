use crate::error::ApiResult;
use crate::state::{AppState, blocking};
use ringscope_ingest::Mapping;
use ringscope_model::RecordKind;
use ringscope_store::Case;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tauri::ipc::Channel;

/// What a file looks like before it is imported: its kind (if known), header, first rows and column mapping.
#[derive(Debug, Clone, Serialize, specta::Type)]
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

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ImportRequest {
    pub paths: Vec<String>,
    /// A mapping edited in the UI, for files whose header Ringscope does not know.
    pub mapping: Option<MappingInput>,
    pub allow_rejects: bool,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct MappingInput {
    pub kind: RecordKind,
    pub columns: Vec<(String, String)>,
}

pub use ringscope_api::import::ImportEvent;

const PREVIEW_ROWS: usize = 8;

#[tauri::command]
#[specta::specta]
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
#[specta::specta]
pub async fn import_files(
    state: tauri::State<'_, AppState>,
    request: ImportRequest,
    events: Channel<ImportEvent>,
) -> ApiResult<()> {
    let ctx = state.context()?;
    let paths = request
        .paths
        .iter()
        .map(|p| state.granted(p))
        .collect::<ApiResult<Vec<PathBuf>>>()?;
    let cancel = state.cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    // A case of the open desk: what it imports is checked against the desk's watchlist.
    let desk = state.desk_of(&ctx);
    blocking(move || {
        let request = ringscope_api::import::ImportRequest {
            paths,
            kind: None,
            mapping: request.mapping.map(|m| Mapping {
                kind: m.kind,
                columns: m.columns.into_iter().collect(),
                defaults: Default::default(),
                timestamp_formats: Default::default(),
                number_formats: Default::default(),
            }),
            allow_rejects: request.allow_rejects,
        };
        ringscope_api::import::import(&ctx, &request, Some(&cancel), &mut |event| {
            let _ = events.send(event);
        })?;
        // The import has landed; a desk that cannot be read now (busy, offline share) does not undo it: the
        // flags are checked again when the case is shown.
        if let Some(Err(e)) = desk.map(|desk| ringscope_api::desk::flag_watched(&desk, &ctx)) {
            eprintln!("ringscope: checking the desk's watchlist after the import: {e}");
        }
        Ok(())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub fn cancel_import(state: tauri::State<'_, AppState>) {
    state.cancel.store(true, Ordering::Relaxed);
}
