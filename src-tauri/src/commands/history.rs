use crate::error::ApiResult;
use crate::state::{AppState, blocking};
pub use ringscope_api::history::History;
use ringscope_store::{Decision, DecisionState, Note};

#[tauri::command]
#[specta::specta]
pub async fn decide(
    state: tauri::State<'_, AppState>,
    item: String,
    decision: DecisionState,
    note: Option<String>,
) -> ApiResult<Decision> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::history::decide(&ctx, &item, decision, note.as_deref())).await
}

/// The same decision on many rings or accounts (a bulk selection), in one transaction.
#[tauri::command]
#[specta::specta]
pub async fn decide_many(
    state: tauri::State<'_, AppState>,
    items: Vec<String>,
    decision: DecisionState,
    note: Option<String>,
) -> ApiResult<Vec<Decision>> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::history::decide_many(&ctx, &items, decision, note.as_deref()))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_note(
    state: tauri::State<'_, AppState>,
    item: String,
    text: String,
) -> ApiResult<Note> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::history::note(&ctx, &item, &text)).await
}

/// The case history, newest first (as the history pane lists it); with `item`, only that ring's or account's
/// entries and notes.
#[tauri::command]
#[specta::specta]
pub async fn history(
    state: tauri::State<'_, AppState>,
    item: Option<String>,
) -> ApiResult<History> {
    let ctx = state.context()?;
    blocking(move || {
        let mut history = ringscope_api::history::history(&ctx, item.as_deref())?;
        history.entries.reverse();
        Ok(history)
    })
    .await
}
