//! The desk view: open (or create) a desk folder the user picked, list its cases with their KPIs, open a new typed
//! case or an existing one, and work the open case's checklist, status and assignee.

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking};
pub use ringscope_api::case::CaseSummary;
use ringscope_api::desk::{self as api, DeskOverview, NewCaseOnDesk};
use ringscope_desk::{Flag, WatchEntry};
use ringscope_store::{CaseStatus, Workflow};

/// Opens the desk in a folder the user picked (creating it there when `create` and there is none yet) and makes
/// it the app's desk: its case files may be opened without another dialog.
#[tauri::command]
#[specta::specta]
pub async fn open_desk(
    state: tauri::State<'_, AppState>,
    path: String,
    create: bool,
) -> ApiResult<DeskOverview> {
    let dir = state.granted(&path)?;
    let ctx = state.desk_context_at(dir.clone());
    let overview = blocking(move || {
        let is_desk = dir.join(ringscope_desk::INDEX_FILE).is_file();
        if create && !is_desk {
            api::init(&ctx)
        } else {
            api::overview(&ctx)
        }
    })
    .await?;
    state.set_desk(std::path::PathBuf::from(&overview.dir));
    Ok(overview)
}

/// The open desk's cases and KPIs, read again (cases changed since they were indexed are re-read).
#[tauri::command]
#[specta::specta]
pub async fn desk_overview(state: tauri::State<'_, AppState>) -> ApiResult<DeskOverview> {
    let ctx = state.desk_context()?;
    blocking(move || api::overview(&ctx)).await
}

/// Opens a new typed case in the desk folder and makes it the open case.
#[tauri::command]
#[specta::specta]
pub async fn new_desk_case(
    state: tauri::State<'_, AppState>,
    new_case: NewCaseOnDesk,
) -> ApiResult<CaseSummary> {
    open_listed(&state, move |ctx| Ok(api::new_case(ctx, &new_case)?.file)).await
}

/// Opens a case the desk lists (by its file name in the desk folder) and makes it the open case.
#[tauri::command]
#[specta::specta]
pub async fn open_desk_case(
    state: tauri::State<'_, AppState>,
    file: String,
) -> ApiResult<CaseSummary> {
    open_listed(&state, move |_| Ok(file)).await
}

/// Makes the desk case `file_of` names (after it ran, off the async runtime) the open case.
async fn open_listed(
    state: &AppState,
    file_of: impl FnOnce(&api::DeskContext) -> ApiResult<String> + Send + 'static,
) -> ApiResult<CaseSummary> {
    let ctx = state.desk_context()?;
    let (path, summary) = blocking(move || {
        let case = ctx.case(&file_of(&ctx)?)?;
        Ok((
            case.case_path().to_owned(),
            ringscope_api::case::summary(&case)?,
        ))
    })
    .await?;
    state.set_case(path, summary.meta.investigator.clone());
    Ok(summary)
}

/// Adds a case file the user picked to the desk (copied into its folder), typed `case_type` if it has no type.
#[tauri::command]
#[specta::specta]
pub async fn add_desk_case(
    state: tauri::State<'_, AppState>,
    path: String,
    case_type: Option<String>,
) -> ApiResult<DeskOverview> {
    let source = state.granted(&path)?;
    let ctx = state.desk_context()?;
    blocking(move || {
        api::add_case(&ctx, &source, case_type.as_deref())?;
        api::overview(&ctx)
    })
    .await
}

/// The desk's watchlist: identifiers of accounts in confirmed rings, with where they came from.
#[tauri::command]
#[specta::specta]
pub async fn desk_watchlist(state: tauri::State<'_, AppState>) -> ApiResult<Vec<WatchEntry>> {
    let ctx = state.desk_context()?;
    blocking(move || api::watchlist(&ctx)).await
}

/// Writes the desk's watchlist as CSV (`watchlist.csv`) into a folder the user picked, to share with another
/// team; returns the file's path and how many entries it holds.
#[tauri::command]
#[specta::specta]
pub async fn export_watchlist(
    state: tauri::State<'_, AppState>,
    out_dir: String,
) -> ApiResult<(String, u32)> {
    let dir = state.granted(&out_dir)?;
    let ctx = state.desk_context()?;
    blocking(move || {
        // Never over a file already there (another team's watchlist saved to import, say).
        let file = (1..)
            .map(|n| {
                dir.join(if n == 1 {
                    "watchlist.csv".to_string()
                } else {
                    format!("watchlist-{n}.csv")
                })
            })
            .find(|f| !f.exists())
            .unwrap_or_else(|| dir.join("watchlist.csv"));
        let n = api::export_watchlist(&ctx, &file)?;
        Ok((file.display().to_string(), n as u32))
    })
    .await
}

/// Adds another team's watchlist CSV (picked in a dialog) to the desk's; returns how many entries were added.
#[tauri::command]
#[specta::specta]
pub async fn import_watchlist(state: tauri::State<'_, AppState>, path: String) -> ApiResult<u32> {
    let file = state.granted(&path)?;
    let ctx = state.desk_context()?;
    blocking(move || Ok(api::import_watchlist(&ctx, &file)? as u32)).await
}

/// The open case's accounts that use an identifier watched from an earlier case of the open desk (each logged
/// once in the case's history); empty without a desk.
#[tauri::command]
#[specta::specta]
pub async fn watch_flags(state: tauri::State<'_, AppState>) -> ApiResult<Vec<Flag>> {
    let case = state.context()?;
    // Only a case of the open desk is checked (and written to): another case is none of its business.
    let Some(desk) = state.desk_of(&case) else {
        return Ok(vec![]);
    };
    blocking(move || api::flag_watched(&desk, &case)).await
}

/// Writes this week's program review (KPIs, charts, open cases by due date) as a PDF into a folder the user
/// picked; returns the file's path.
#[tauri::command]
#[specta::specta]
pub async fn export_kpi_report(
    state: tauri::State<'_, AppState>,
    out_dir: String,
) -> ApiResult<String> {
    let dir = state.granted(&out_dir)?;
    let ctx = state.desk_context()?;
    blocking(move || {
        let file = dir.join(api::review_file_name(&ctx));
        api::kpi_report(&ctx, &file)?;
        Ok(file.display().to_string())
    })
    .await
}

/// The open case's type, status, assignee, due date and checklist.
#[tauri::command]
#[specta::specta]
pub async fn case_workflow(state: tauri::State<'_, AppState>) -> ApiResult<Workflow> {
    let ctx = state.context()?;
    blocking(move || api::workflow(&ctx)).await
}

/// Marks a checklist step of the open case done, or skipped (`skip_reason`).
#[tauri::command]
#[specta::specta]
pub async fn mark_step(
    state: tauri::State<'_, AppState>,
    step: String,
    skip_reason: Option<String>,
) -> ApiResult<Workflow> {
    let ctx = state.context()?;
    blocking(move || api::mark_step(&ctx, &step, skip_reason.as_deref())).await
}

/// Changes the open case's status; closing with required steps open needs a reason.
#[tauri::command]
#[specta::specta]
pub async fn set_case_status(
    state: tauri::State<'_, AppState>,
    status: CaseStatus,
    reason: Option<String>,
) -> ApiResult<Workflow> {
    let ctx = state.context()?;
    blocking(move || api::set_status(&ctx, status, reason.as_deref())).await
}

#[tauri::command]
#[specta::specta]
pub async fn assign_case(
    state: tauri::State<'_, AppState>,
    assignee: String,
) -> ApiResult<Workflow> {
    if assignee.trim().is_empty() {
        return Err(ApiError::invalid("an assignee needs a name"));
    }
    let ctx = state.context()?;
    blocking(move || api::assign(&ctx, &assignee)).await
}

/// Opens a web address in the browser. Made from the app handle at set-up; the page never names the address.
pub type Opener = std::sync::Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

pub fn native_opener<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Opener {
    use tauri_plugin_opener::OpenerExt;
    std::sync::Arc::new(move |url: &str| {
        // Test seam (like RINGSCOPE_E2E_PICKS): the end-to-end run records the address instead of starting a
        // browser. Read from the app's own environment, not the page.
        if let Some(log) = std::env::var_os("RINGSCOPE_E2E_OPENED") {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| e.to_string())?;
            return writeln!(f, "{url}").map_err(|e| e.to_string());
        }
        app.opener()
            .open_url(url, None::<&str>)
            .map_err(|e| e.to_string())
    })
}

/// Opens the ticket of a case the desk lists (its reference through the desk's `ticket_url`) in the browser.
/// The address is made here from the desk's template; the page only names the case.
#[tauri::command]
#[specta::specta]
pub async fn open_ticket(state: tauri::State<'_, AppState>, file: String) -> ApiResult<String> {
    let ctx = state.desk_context()?;
    let opener = state
        .opener
        .get()
        .cloned()
        .ok_or_else(|| ApiError::new("internal", "no browser before the app is set up"))?;
    blocking(move || {
        let url = api::ticket_url(&ctx, &file)?;
        opener(&url).map_err(|e| ApiError::new("io", format!("could not open {url}: {e}")))?;
        Ok(url)
    })
    .await
}
