use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tauri_plugin_dialog::DialogExt;

/// What the user is choosing a path for; it decides the kind of dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PickPurpose {
    OpenCase,
    CreateCase,
    ImportFiles,
    ExportFolder,
    SigningKey,
    /// A desk folder to open, or to create a desk in.
    DeskFolder,
    /// A Zendesk ticket export (JSON).
    TicketExport,
    /// Another team's watchlist (CSV).
    WatchlistFile,
}

/// Test seam: with RINGSCOPE_E2E_PICKS naming a JSON file `{purpose: [paths]}`, answers come from it instead of a
/// native dialog (WebDriver cannot drive GTK dialogs). It is read from the app's own environment, not the page.
fn preset(purpose: PickPurpose) -> Option<Vec<PathBuf>> {
    let file = std::env::var_os("RINGSCOPE_E2E_PICKS")?;
    let map: std::collections::HashMap<String, Vec<PathBuf>> =
        serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    let key = serde_json::to_value(purpose).ok()?.as_str()?.to_string();
    map.get(&key).cloned()
}

/// Opens the native dialog for `purpose` and returns what the user chose (empty when cancelled). Made from the
/// app handle when the app is set up, so the `pick` command itself is the same on every runtime.
pub type Picker =
    std::sync::Arc<dyn Fn(PickPurpose, String, Option<PathBuf>) -> Vec<PathBuf> + Send + Sync>;

/// The picker that opens native dialogs through tauri-plugin-dialog.
pub fn native_picker<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Picker {
    std::sync::Arc::new(move |purpose, title, suggested: Option<PathBuf>| {
        let mut dialog = app.dialog().file().set_title(title);
        // Start where the suggested file is (a recent case to choose again), with its name filled in.
        if let Some(path) = &suggested {
            if let Some(folder) = path.parent().filter(|f| f.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = path.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
        }
        let chosen = match purpose {
            PickPurpose::CreateCase => dialog
                .add_filter("Ringscope case", &["ringscope"])
                .blocking_save_file()
                .into_iter()
                .collect(),
            PickPurpose::OpenCase | PickPurpose::SigningKey => {
                dialog.blocking_pick_file().into_iter().collect()
            }
            PickPurpose::WatchlistFile => dialog
                .add_filter("Watchlist CSV", &["csv"])
                .blocking_pick_file()
                .into_iter()
                .collect(),
            PickPurpose::TicketExport => dialog
                .add_filter("Zendesk ticket export", &["json"])
                .blocking_pick_file()
                .into_iter()
                .collect(),
            PickPurpose::ImportFiles => dialog
                .add_filter("CSV", &["csv", "txt", "tsv"])
                .blocking_pick_files()
                .unwrap_or_default(),
            PickPurpose::ExportFolder | PickPurpose::DeskFolder => dialog
                .blocking_pick_folder()
                .into_iter()
                .collect::<Vec<_>>(),
        };
        chosen
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect()
    })
}

/// Opens a native dialog (at `suggested`, when given: a recent case to choose again), records what the user chose
/// as granted, and returns it (empty when cancelled).
#[tauri::command]
#[specta::specta]
pub async fn pick(
    state: tauri::State<'_, AppState>,
    purpose: PickPurpose,
    title: String,
    suggested: Option<String>,
) -> ApiResult<Vec<String>> {
    let paths = match preset(purpose) {
        Some(paths) => paths,
        None => {
            let picker =
                state.picker.get().cloned().ok_or_else(|| {
                    ApiError::new("internal", "no dialogs before the app is set up")
                })?;
            let suggested = suggested.map(PathBuf::from);
            tauri::async_runtime::spawn_blocking(move || picker(purpose, title, suggested))
                .await
                .map_err(|e| ApiError::new("internal", e))?
        }
    };
    for p in &paths {
        state.grant(p.clone());
    }
    Ok(paths.into_iter().map(|p| p.display().to_string()).collect())
}

/// Files the user dropped on the window count as chosen, like a dialog's answer: they are granted and
/// announced to the page as a `files-dropped` event. Folders and anything that is not a regular file are ignored.
pub fn accept_dropped(state: &AppState, paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter(|p| p.is_file())
        .map(|p| {
            state.grant(p.clone());
            p.display().to_string()
        })
        .collect()
}

/// The name of the event announcing dropped files.
pub const FILES_DROPPED: &str = "files-dropped";
