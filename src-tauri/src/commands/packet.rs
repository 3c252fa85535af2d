use crate::error::ApiResult;
use crate::state::{AppState, blocking};
use ringscope_api::Subjects;
pub use ringscope_api::packet::ExportOutcome;
use ringscope_api::packet::ExportSpec;
use ringscope_packet::{ExportProgress, Profile};
use serde::Deserialize;
use tauri::ipc::Channel;

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ExportInput {
    /// The ring to export, unless `accounts` names some accounts instead.
    pub ring_id: Option<String>,
    /// Export just these accounts (a selection in the ring view).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// A folder the user picked in a dialog.
    pub out_dir: String,
    pub narrative: String,
    /// Who the packet is for (what is masked).
    pub profile: Profile,
    /// A minisign secret key file the user picked, to sign with.
    pub sign_key: Option<String>,
    pub zip: bool,
}

/// Exports a ring's packet (at the current time: the app never backdates) and verifies it as a receiver would;
/// each step (with its counts) goes to `events`.
#[tauri::command]
#[specta::specta]
pub async fn export_packet(
    state: tauri::State<'_, AppState>,
    input: ExportInput,
    events: Channel<ExportProgress>,
) -> ApiResult<ExportOutcome> {
    let ctx = state.context()?;
    let out = state.granted(&input.out_dir)?;
    let sign_key = match &input.sign_key {
        Some(key) => Some(state.granted(key)?),
        None => None,
    };
    let subjects = match input.ring_id {
        _ if !input.accounts.is_empty() => Subjects::Accounts(input.accounts),
        Some(ring) => Subjects::Ring(ring),
        None => {
            return Err(crate::error::ApiError::invalid(
                "name a ring or some accounts to export",
            ));
        }
    };
    let spec = ExportSpec {
        subjects,
        out,
        zip: input.zip,
        sign_key,
        narrative: input.narrative,
        profile: input.profile,
        export_time: None,
        allow_backdated: false,
        organization: "Trust & Safety".into(),
    };
    blocking(move || {
        ringscope_api::packet::export_verified(&ctx, spec, &mut |p| {
            let _ = events.send(p);
        })
    })
    .await
}
