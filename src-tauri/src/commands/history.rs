use crate::commands::import::whoami;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking, now};
use ringscope_store::{AuditEntry, Case, Decision, DecisionState, Note};
use serde::Serialize;

#[tauri::command]
#[specta::specta]
pub async fn decide(
    state: tauri::State<'_, AppState>,
    item: String,
    decision: DecisionState,
    note: Option<String>,
) -> ApiResult<Decision> {
    let path = state.case_path()?;
    blocking(move || {
        Ok(Case::open(&path)?.decide(&item, decision, note.as_deref(), &whoami(), &now())?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn add_note(
    state: tauri::State<'_, AppState>,
    item: String,
    text: String,
) -> ApiResult<Note> {
    if text.trim().is_empty() {
        return Err(ApiError::new("invalid", "a note needs some text"));
    }
    blocking_note(state.case_path()?, item, text).await
}

async fn blocking_note(path: std::path::PathBuf, item: String, text: String) -> ApiResult<Note> {
    blocking(move || Ok(Case::open(&path)?.add_note(&item, &text, &whoami(), &now())?)).await
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct History {
    pub chain_ok: bool,
    pub entries: Vec<AuditEntry>,
    pub notes: Vec<Note>,
}

/// The case history, newest first; with `item`, only that ring's or account's entries and notes.
#[tauri::command]
#[specta::specta]
pub async fn history(
    state: tauri::State<'_, AppState>,
    item: Option<String>,
) -> ApiResult<History> {
    let path = state.case_path()?;
    blocking(move || {
        let case = Case::open(&path)?;
        let chain_ok = case.verify_audit_log().is_ok();
        let mut entries: Vec<AuditEntry> = case
            .audit_log()?
            .into_iter()
            .filter(|e| item.as_ref().is_none_or(|i| &e.item == i))
            .collect();
        entries.reverse();
        let notes = match &item {
            Some(i) => case.notes(i)?,
            None => vec![],
        };
        Ok(History {
            chain_ok,
            entries,
            notes,
        })
    })
    .await
}
