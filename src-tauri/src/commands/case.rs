use crate::error::ApiResult;
use crate::state::{AppState, blocking, now};
use ringscope_store::{Case, CaseCounts, CaseMeta, NewCase, SourceFile};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CaseSummary {
    pub path: String,
    pub schema_version: i64,
    pub meta: CaseMeta,
    pub counts: CaseCounts,
    pub sources: Vec<SourceFile>,
}

pub fn summarize(case: &Case) -> ApiResult<CaseSummary> {
    Ok(CaseSummary {
        path: case.path().display().to_string(),
        schema_version: case.schema_version()?,
        meta: case.meta()?,
        counts: case.counts()?,
        sources: case.sources()?,
    })
}

/// Creates a case file at a path the user picked in a save dialog, and makes it the open case.
#[tauri::command]
#[specta::specta]
pub async fn create_case(
    state: tauri::State<'_, AppState>,
    path: String,
    title: String,
    reference: Option<String>,
    investigator: Option<String>,
) -> ApiResult<CaseSummary> {
    let path = state.granted(&path)?;
    let target = path.clone();
    let summary = blocking(move || {
        let new = NewCase {
            title,
            reference: reference.filter(|r| !r.trim().is_empty()),
            investigator: investigator.filter(|i| !i.trim().is_empty()),
            phone_region: "US".into(),
        };
        summarize(&Case::create(&target, &new, &now())?)
    })
    .await?;
    state.set_case(path);
    Ok(summary)
}

/// Opens an existing case file the user picked, and makes it the open case.
#[tauri::command]
#[specta::specta]
pub async fn open_case(state: tauri::State<'_, AppState>, path: String) -> ApiResult<CaseSummary> {
    let path = state.granted(&path)?;
    let target = path.clone();
    let summary = blocking(move || summarize(&Case::open(&target)?)).await?;
    state.set_case(path);
    Ok(summary)
}

#[tauri::command]
#[specta::specta]
pub async fn case_summary(state: tauri::State<'_, AppState>) -> ApiResult<CaseSummary> {
    let path = state.case_path()?;
    blocking(move || summarize(&Case::open(&path)?)).await
}
