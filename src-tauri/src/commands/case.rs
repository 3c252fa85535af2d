use crate::error::ApiResult;
use crate::state::{AppState, blocking};
pub use ringscope_api::case::CaseSummary;
use ringscope_api::{Context, default_actor};
use ringscope_store::NewCase;

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
    let ctx = Context::new(path.clone(), default_actor());
    let summary = blocking(move || {
        let new = NewCase {
            title,
            reference: reference.filter(|r| !r.trim().is_empty()),
            investigator: investigator.filter(|i| !i.trim().is_empty()),
            phone_region: "US".into(),
        };
        ringscope_api::case::create(&ctx, &new)
    })
    .await?;
    state.set_case(path, summary.meta.investigator.clone());
    Ok(summary)
}

/// Opens an existing case file the user picked, and makes it the open case.
#[tauri::command]
#[specta::specta]
pub async fn open_case(state: tauri::State<'_, AppState>, path: String) -> ApiResult<CaseSummary> {
    let path = state.granted(&path)?;
    let ctx = Context::new(path.clone(), default_actor());
    let summary = blocking(move || ringscope_api::case::summary(&ctx)).await?;
    state.set_case(path, summary.meta.investigator.clone());
    Ok(summary)
}

/// The name the person at this machine goes by in the audit log (kept by the UI, sent at start-up); empty or
/// `null` forgets it (the case's investigator, else the OS user, is named again). Returns who is named now.
#[tauri::command]
#[specta::specta]
pub async fn set_user(
    state: tauri::State<'_, AppState>,
    name: Option<String>,
) -> ApiResult<String> {
    if name.as_deref().is_some_and(|n| n.chars().count() > 200) {
        return Err(crate::error::ApiError::invalid(
            "a name of at most 200 characters",
        ));
    }
    state.set_user(name);
    Ok(state.actor_name())
}

#[tauri::command]
#[specta::specta]
pub async fn case_summary(state: tauri::State<'_, AppState>) -> ApiResult<CaseSummary> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::case::summary(&ctx)).await
}
