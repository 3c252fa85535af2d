//! What the app remembers between commands: only which case file is open. Each command opens the case itself on
//! a blocking thread (SQLite connections are cheap, and not shareable across threads), so no lock is ever held
//! across an `.await`.

use crate::error::{ApiError, ApiResult};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

#[derive(Default)]
pub struct AppState {
    case: Mutex<Option<PathBuf>>,
    /// Set by `cancel_import`; the running import checks it between batches of rows.
    pub cancel: Arc<AtomicBool>,
}

impl AppState {
    pub fn set_case(&self, path: PathBuf) {
        *self.case.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
    }

    pub fn case_path(&self) -> ApiResult<PathBuf> {
        self.case
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| ApiError::new("no_case", "open or create a case first"))
    }
}

/// Runs blocking case work off the async runtime's threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new("internal", e))?
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
