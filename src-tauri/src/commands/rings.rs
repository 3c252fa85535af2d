//! The rings: list (filtered, sorted and paged by `ringscope_api::rings`), subgraph view, members' table, links
//! explained and timelines.

use crate::error::ApiResult;
use crate::state::{AppState, blocking};
pub use ringscope_api::rings::{MemberRow, RingPage, RingQuery};
use ringscope_graph::explain::Explanation;
pub use ringscope_graph::view::{GraphEdge, GraphNode, GraphView};
pub use ringscope_store::TimelineEvent;

/// The most rings one page carries to the webview, whatever it asks for.
const MAX_PAGE: usize = 500;

#[tauri::command]
#[specta::specta]
pub async fn list_rings(
    state: tauri::State<'_, AppState>,
    query: RingQuery,
) -> ApiResult<RingPage> {
    let ctx = state.context()?;
    let query = RingQuery {
        limit: query.limit.clamp(1, MAX_PAGE),
        ..query
    };
    blocking(move || ringscope_api::rings::rings(&ctx, &query)).await
}

/// A ring's accounts, every identifier they use, and the creators they pay; `expand` adds one hop around the
/// given node ids.
#[tauri::command]
#[specta::specta]
pub async fn ring_graph(
    state: tauri::State<'_, AppState>,
    ring_id: String,
    expand: Vec<String>,
) -> ApiResult<GraphView> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::ring_graph(&ctx, &ring_id, &expand)).await
}

#[tauri::command]
#[specta::specta]
pub async fn explain_link(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
) -> ApiResult<Explanation> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::explain(&ctx, &from, &to)).await
}

/// The sign-ups, logins, payments, declines and disputes of some accounts (a ring's members), oldest first.
#[tauri::command]
#[specta::specta]
pub async fn ring_timeline(
    state: tauri::State<'_, AppState>,
    accounts: Vec<String>,
) -> ApiResult<Vec<TimelineEvent>> {
    let ctx = state.context()?;
    let subjects = ringscope_api::Subjects::Accounts(accounts);
    blocking(move || ringscope_api::accounts::timeline(&ctx, &subjects)).await
}

/// The members of a ring with role, status, sign-up, money paid and received, disputes and decision.
#[tauri::command]
#[specta::specta]
pub async fn ring_members(
    state: tauri::State<'_, AppState>,
    ring_id: String,
) -> ApiResult<Vec<MemberRow>> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::ring_members(&ctx, &ring_id)).await
}

/// Removes accounts from a ring as false positives (with the note as the reason); returns the ring as detected
/// again, or null when it no longer holds two accounts.
#[tauri::command]
#[specta::specta]
pub async fn remove_members(
    state: tauri::State<'_, AppState>,
    ring_id: String,
    accounts: Vec<String>,
    reason: Option<String>,
) -> ApiResult<Option<ringscope_graph::Ring>> {
    let ctx = state.context()?;
    blocking(move || {
        ringscope_api::rings::remove_members(&ctx, &ring_id, &accounts, reason.as_deref())
    })
    .await
}

/// Moves ticked members out of a ring into a new ring of their own; returns the edit and both rings.
#[tauri::command]
#[specta::specta]
pub async fn split_ring(
    state: tauri::State<'_, AppState>,
    ring_id: String,
    accounts: Vec<String>,
    reason: Option<String>,
) -> ApiResult<ringscope_api::rings::RingEditOutcome> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::split_ring(&ctx, &ring_id, &accounts, reason.as_deref()))
        .await
}

/// Folds ring `from` into ring `into`; returns the edit and the merged ring.
#[tauri::command]
#[specta::specta]
pub async fn merge_rings(
    state: tauri::State<'_, AppState>,
    into: String,
    from: String,
    reason: Option<String>,
) -> ApiResult<ringscope_api::rings::RingEditOutcome> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::merge_rings(&ctx, &into, &from, reason.as_deref())).await
}

/// Undoes a split or merge listed on a ring.
#[tauri::command]
#[specta::specta]
pub async fn undo_ring_edit(
    state: tauri::State<'_, AppState>,
    edit_id: i64,
) -> ApiResult<ringscope_api::rings::RingEditOutcome> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::undo_ring_edit(&ctx, edit_id)).await
}

/// Puts removed members back into a ring; returns the ring as detected again.
#[tauri::command]
#[specta::specta]
pub async fn restore_members(
    state: tauri::State<'_, AppState>,
    ring_id: String,
    accounts: Vec<String>,
) -> ApiResult<ringscope_graph::Ring> {
    let ctx = state.context()?;
    blocking(move || ringscope_api::rings::restore_members(&ctx, &ring_id, &accounts)).await
}
