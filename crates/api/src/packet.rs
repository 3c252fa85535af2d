//! Evidence packets: export a ring's or some accounts' evidence, and verify a packet as a receiver would.

use crate::accounts::Subjects;
use crate::context::Context;
use crate::error::{ApiError, ApiResult};
use ringscope_packet::verify::Report;
use ringscope_packet::{ExportProgress, ExportRequest, ExportStep, Exported, Profile, Scope};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub subjects: Subjects,
    /// The folder to create the packet folder (and zip) in.
    pub out: PathBuf,
    pub zip: bool,
    /// A minisign secret key file to sign with.
    pub sign_key: Option<PathBuf>,
    pub narrative: String,
    pub profile: Profile,
    /// The export time [default: the context's clock]; fixing it makes re-exports byte-identical.
    pub export_time: Option<chrono::DateTime<chrono::Utc>>,
    /// Allow an export time before what the packet records (bag-info.txt then says so).
    pub allow_backdated: bool,
    /// Source-Organization in bag-info.txt.
    pub organization: String,
}

/// A redaction profile by name: `legal` (everything) or `external` (contact and card data masked).
pub fn profile(name: &str) -> ApiResult<Profile> {
    Profile::parse(name).ok_or_else(|| {
        ApiError::invalid(format!(
            "unknown redaction profile {name:?}: use legal or external"
        ))
    })
}

/// Writes the packet and records the export in the case's audit log, telling `progress` as it goes.
pub fn export(
    ctx: &Context,
    spec: ExportSpec,
    progress: &mut dyn FnMut(ExportProgress),
) -> ApiResult<Exported> {
    let key = spec
        .sign_key
        .as_deref()
        .map(ringscope_packet::load_secret)
        .transpose()?;
    let mut case = ctx.open()?;
    // A ring export needs ring detection; a list of accounts needs only the link graph (and writes no detection
    // into the case history).
    let built;
    let (scope, graph): (Scope, &ringscope_graph::LinkGraph) = match spec.subjects {
        Subjects::Ring(id) => {
            let ring = crate::rings::ring_of(ctx, &mut case, &id)?;
            built = ctx.link_graph(&case)?;
            (Scope::Ring(Box::new(ring)), &*built)
        }
        Subjects::Accounts(accounts) if !accounts.is_empty() => {
            built = ctx.link_graph(&case)?;
            (Scope::Accounts(accounts), &*built)
        }
        Subjects::Accounts(_) => {
            return Err(ApiError::invalid("give a ring or at least one account"));
        }
    };
    let export_time = match spec.export_time {
        Some(t) => {
            use chrono::Timelike;
            t.with_nanosecond(0).unwrap_or(t)
        }
        None => ctx.now(),
    };
    let request = ExportRequest {
        scope,
        out: spec.out,
        zip: spec.zip,
        sign: key.as_ref(),
        narrative: spec.narrative,
        profile: spec.profile,
        export_time,
        actor: ctx.actor().to_string(),
        organization: spec.organization,
        allow_backdated: spec.allow_backdated,
    };
    Ok(ringscope_packet::export_with_progress(
        &mut case, graph, &request, progress,
    )?)
}

/// An export, verified right after writing as a receiver would verify it.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ExportOutcome {
    pub packet_id: String,
    pub folder: String,
    pub zip: Option<String>,
    pub signed_by: Option<String>,
    pub verification: Report,
}

/// [`export`], then [`verify`] of what was written (the zip when there is one).
pub fn export_verified(
    ctx: &Context,
    spec: ExportSpec,
    progress: &mut dyn FnMut(ExportProgress),
) -> ApiResult<ExportOutcome> {
    let exported = export(ctx, spec, progress)?;
    let target = exported.zip.as_ref().unwrap_or(&exported.folder);
    progress(ExportProgress {
        step: ExportStep::Verifying,
        done: 0,
        total: exported.files as u64,
        detail: format!("Verifying the {} files as a receiver would", exported.files),
    });
    let verification = verify(target, None)?;
    Ok(ExportOutcome {
        packet_id: exported.packet_id,
        folder: exported.folder.display().to_string(),
        zip: exported.zip.map(|z| z.display().to_string()),
        signed_by: exported.signed_by,
        verification,
    })
}

/// Verifies a packet folder or zip: every file's SHA-256, the manifests, and the signature (against `pubkey`, a
/// .pub file or key string, else the key the packet names).
pub fn verify(path: &Path, pubkey: Option<&str>) -> ApiResult<Report> {
    ringscope_packet::verify::verify(path, pubkey).map_err(|e| {
        let code = match crate::error::packet_code(&e) {
            "export" => "verify",
            code => code,
        };
        ApiError::new(code, e)
    })
}
