//! What the app remembers between commands: which case file is open, the paths the user granted, and a cache of
//! the case's ring analysis. Each command opens the case itself on
//! a blocking thread (SQLite connections are cheap, and not shareable across threads), so no lock is ever held
//! across an `.await`.

use crate::error::{ApiError, ApiResult};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

#[derive(Default)]
pub struct AppState {
    case: Mutex<Option<PathBuf>>,
    /// The desk folder the user opened (chosen in a dialog): the cases its index lists may be opened by name.
    desk: Mutex<Option<PathBuf>>,
    /// Who the audit log names for the open case's actions: its investigator, else the OS user.
    actor: Mutex<Option<String>>,
    /// The name the person at this machine chose for themselves (the top bar's "You"): named as the actor of
    /// everything they do, whoever the open case's investigator is.
    user: Mutex<Option<String>>,
    /// Paths the user chose in a dialog (or gave on the command line). Commands touch no other file, so a
    /// compromised page cannot make the app read or write elsewhere.
    granted: Mutex<HashSet<PathBuf>>,
    /// Set by `cancel_import`; the running import checks it between batches of rows.
    pub cancel: Arc<AtomicBool>,
    /// The open case's ring analysis, kept between commands (decisions are read fresh every time).
    analyses: ringscope_api::AnalysisCache,
    /// Opens native dialogs; set when the app is set up (see [`crate::commands::pick::native_picker`]).
    pub picker: std::sync::OnceLock<crate::commands::pick::Picker>,
    /// Opens a web address in the user's browser; set when the app is set up.
    pub opener: std::sync::OnceLock<crate::commands::desk::Opener>,
}

impl AppState {
    /// Makes `path` the open case; `investigator` (the case's) is named as the actor of what the user does in it.
    pub fn set_case(&self, path: PathBuf, investigator: Option<String>) {
        *self.case.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
        *self.actor.lock().unwrap_or_else(|p| p.into_inner()) =
            investigator.filter(|i| !i.trim().is_empty());
    }

    pub fn set_desk(&self, dir: PathBuf) {
        *self.desk.lock().unwrap_or_else(|p| p.into_inner()) = Some(dir);
    }

    /// The desk's use-case context, acting as the open case's investigator (else the OS user).
    pub fn desk_context(&self) -> ApiResult<ringscope_api::desk::DeskContext> {
        let dir = self
            .desk
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| ApiError::new("no_desk", "open or create a desk first"))?;
        Ok(self.desk_context_at(dir))
    }

    /// The open desk, if `case` is one of its case files (a file in its folder).
    pub fn desk_of(
        &self,
        case: &ringscope_api::Context,
    ) -> Option<ringscope_api::desk::DeskContext> {
        self.desk_context()
            .ok()
            .filter(|d| case.case_path().parent() == Some(d.dir()))
    }

    pub fn desk_context_at(&self, dir: PathBuf) -> ringscope_api::desk::DeskContext {
        ringscope_api::desk::DeskContext::new(dir, self.actor())
    }

    /// Who the audit log names: the chosen name, else the open case's investigator, else the OS user.
    fn actor(&self) -> String {
        let chosen = self.user.lock().unwrap_or_else(|p| p.into_inner()).clone();
        chosen
            .or_else(|| self.actor.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .unwrap_or_else(ringscope_api::default_actor)
    }

    pub fn actor_name(&self) -> String {
        self.actor()
    }

    /// Sets (or, with `None`, forgets) the name the user chose for themselves.
    pub fn set_user(&self, name: Option<String>) {
        *self.user.lock().unwrap_or_else(|p| p.into_inner()) =
            name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    }

    pub fn grant(&self, path: PathBuf) {
        self.granted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path);
    }

    /// The path, if the user granted it through a dialog.
    pub fn granted(&self, path: &str) -> ApiResult<PathBuf> {
        let path = Path::new(path).to_path_buf();
        if self
            .granted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&path)
        {
            Ok(path)
        } else {
            Err(ApiError::new(
                "not_granted",
                format!(
                    "{} was not chosen in a dialog; choose it again",
                    path.display()
                ),
            ))
        }
    }

    pub fn case_path(&self) -> ApiResult<PathBuf> {
        self.case
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| ApiError::new("no_case", "open or create a case first"))
    }
}

impl AppState {
    /// The use cases' context for the open case: the case's investigator as actor, the system clock, the
    /// session's analysis.
    pub fn context(&self) -> ApiResult<ringscope_api::Context> {
        Ok(ringscope_api::Context::new(self.case_path()?, self.actor())
            .with_analyses(self.analyses.clone()))
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
