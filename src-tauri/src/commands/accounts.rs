//! Single accounts: find one anywhere in the case (by id, display name, email or any identifier it used), and show
//! its record (`ringscope_api::accounts`, shared with the CLI's `search` and `account`). Every value here is data
//! from the exports; the UI renders it as text.

use crate::error::ApiResult;
use crate::state::{AppState, blocking};
pub use ringscope_api::accounts::AccountRecord;
pub use ringscope_store::{AccountHit, AccountSearch};

#[tauri::command]
#[specta::specta]
pub async fn search_accounts(
    state: tauri::State<'_, AppState>,
    text: String,
    limit: usize,
) -> ApiResult<AccountSearch> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::accounts::search(&ctx, &text, limit.clamp(1, 200))).await
}

/// One account in full: record, saved ring, identifiers used, payments made and received.
#[tauri::command]
#[specta::specta]
pub async fn account_detail(
    state: tauri::State<'_, AppState>,
    account_id: String,
) -> ApiResult<AccountRecord> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::accounts::account(&ctx, &account_id)).await
}

pub use ringscope_store::OriginalRow;

/// The original values of the row a `file:line` reference points at (in every imported file of that name).
#[tauri::command]
#[specta::specta]
pub async fn source_row(
    state: tauri::State<'_, AppState>,
    reference: String,
) -> ApiResult<Vec<OriginalRow>> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::accounts::source_row(&ctx, &reference)).await
}
