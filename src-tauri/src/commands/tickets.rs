use crate::error::ApiResult;
use crate::state::{AppState, blocking};
use ringscope_store::TicketImport;

/// Imports a Zendesk ticket export the user picked into the open case.
#[tauri::command]
#[specta::specta]
pub async fn import_tickets(
    state: tauri::State<'_, AppState>,
    path: String,
) -> ApiResult<TicketImport> {
    let path = state.granted(&path)?;
    let ctx = state.context()?;
    blocking(move || ringscope_api::tickets::import_tickets(&ctx, &path)).await
}
