//! Single accounts: find one anywhere in the case (by id, display name or email), and show its record.
//! Every value here is data from the exports; the UI renders it as text. The queries are the store's
//! (`Case::search_accounts`, `Case::account_detail`), shared with the CLI's `search` and `account`.

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking};
use ringscope_store::Case;
pub use ringscope_store::{AccountDetail, AccountHit, AccountSearch};

/// Accounts whose id, display name or email contains `text` (case-insensitive), ids matching exactly first,
/// labelled with their saved ring.
#[tauri::command]
#[specta::specta]
pub async fn search_accounts(
    state: tauri::State<'_, AppState>,
    text: String,
    limit: usize,
) -> ApiResult<AccountSearch> {
    let path = state.case_path()?;
    let text = text.trim().to_string();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(ApiError::new("invalid", "search for 1 to 200 characters"));
    }
    let limit = limit.clamp(1, 200);
    blocking(move || Ok(Case::open(&path)?.search_accounts(&text, limit)?)).await
}

/// One account's record as imported (values are data: the UI shows them as text).
#[tauri::command]
#[specta::specta]
pub async fn account_detail(
    state: tauri::State<'_, AppState>,
    account_id: String,
) -> ApiResult<AccountDetail> {
    let path = state.case_path()?;
    blocking(move || Ok(Case::open(&path)?.account_detail(&account_id)?)).await
}
