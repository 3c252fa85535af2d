use crate::commands::import::whoami;
use crate::error::ApiResult;
use crate::state::{AppState, blocking};
use ringscope_packet::{ExportRequest, Profile, Scope};
use ringscope_store::Case;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ExportInput {
    pub ring_id: String,
    /// A folder the user picked in a dialog.
    pub out_dir: String,
    pub narrative: String,
    /// Who the packet is for (what is masked).
    pub profile: Profile,
    /// A minisign secret key file the user picked, to sign with.
    pub sign_key: Option<String>,
    pub zip: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportOutcome {
    pub packet_id: String,
    pub folder: String,
    pub zip: Option<String>,
    pub signed_by: Option<String>,
    /// The packet verified right after writing, as a receiver would.
    pub verification: ringscope_packet::verify::Report,
}

#[tauri::command]
#[specta::specta]
pub async fn export_packet(
    state: tauri::State<'_, AppState>,
    input: ExportInput,
) -> ApiResult<ExportOutcome> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    state.granted(&input.out_dir)?;
    if let Some(key) = &input.sign_key {
        state.granted(key)?;
    }
    let profile = input.profile;
    blocking(move || {
        let key = input
            .sign_key
            .as_deref()
            .map(|k| ringscope_packet::load_secret(std::path::Path::new(k)))
            .transpose()?;
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        let ring = analysis.ring(&input.ring_id)?.clone();
        let request = ExportRequest {
            scope: Scope::Ring(Box::new(ring)),
            out: PathBuf::from(&input.out_dir),
            zip: input.zip,
            sign: key.as_ref(),
            narrative: input.narrative,
            profile,
            export_time: {
                use chrono::Timelike;
                let now = chrono::Utc::now();
                now.with_nanosecond(0).unwrap_or(now)
            },
            actor: whoami(),
            organization: "Trust & Safety".into(),
            // The app always exports at the current time.
            allow_backdated: false,
        };
        let exported = ringscope_packet::export(&mut case, &analysis.graph, &request)?;
        let target = exported
            .zip
            .clone()
            .unwrap_or_else(|| exported.folder.clone());
        let verification = ringscope_packet::verify::verify(&target, None)?;
        Ok(ExportOutcome {
            packet_id: exported.packet_id,
            folder: exported.folder.display().to_string(),
            zip: exported.zip.map(|z| z.display().to_string()),
            signed_by: exported.signed_by,
            verification,
        })
    })
    .await
}
