//! Evidence packets legal can verify without Ringscope.
//!
//! A packet is a BagIt 1.0 bag (`<CASE>_<PACKET>/`, optionally also a deterministic `.zip`) holding a PDF report,
//! the subjects' records (JSONL with original values, CSV with formulas neutralized), the link graph (nodes, edges
//! with the source row behind each link, an SVG drawing), the source files' hashes and a hash-chained custody log;
//! SHA-256 and SHA-512 manifests and tag manifests; and a minisign signature over `tagmanifest-sha256.txt`.
//! `VERIFY.txt` tells the receiver the exact commands. Same inputs and export time give byte-identical output.

mod archive;
pub mod bagit;
pub mod custody;
mod error;
mod graph;
mod records;
pub mod redact;
mod report;
pub use report::render_kpis;
pub mod sign;
mod subjects;
pub mod verify;

pub use error::{Error, Result};
pub use records::neutralize;
pub use redact::Profile;
pub use sign::{SigningKey, keygen, load_public, load_secret};

use bagit::{BagFile, sha256_hex};
use chrono::{DateTime, Utc};
use error::IoContext;
use redact::Redactor;
use ringscope_model::RecordKind;
use ringscope_store::Case;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use subjects::Subjects;

pub const SOFTWARE: &str = concat!("Ringscope ", env!("CARGO_PKG_VERSION"));

/// Binding identifiers listed in the report (all of them are in the records and the graph).
const REPORT_BINDINGS: usize = 15;

/// Who the packet is about: a ring (as detected by the caller), or a list of accounts.
pub enum Scope {
    Ring(Box<ringscope_graph::Ring>),
    Accounts(Vec<String>),
}

pub struct ExportRequest<'a> {
    pub scope: Scope,
    /// The folder in which the packet folder (and zip) are created.
    pub out: PathBuf,
    pub zip: bool,
    pub sign: Option<&'a SigningKey>,
    pub narrative: String,
    pub profile: Profile,
    pub export_time: DateTime<Utc>,
    pub actor: String,
    pub organization: String,
    /// Export even though `export_time` is before actions the packet records (an import of its sources, a decision
    /// on its subjects). Refused otherwise: the custody log would show the export before what it exports. When
    /// allowed, bag-info.txt says the export was backdated, and before what.
    pub allow_backdated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub packet_id: String,
    pub folder: PathBuf,
    pub zip: Option<PathBuf>,
    pub files: usize,
    pub tagmanifest_sha256: String,
    pub evidence_digest: String,
    pub signed_by: Option<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Writes the packet and records the export in the case's audit log. `graph` is the case's link graph (the caller
/// has it already: ring detection builds it), so exporting never re-runs detection.
pub fn export(
    case: &mut Case,
    graph: &ringscope_graph::LinkGraph,
    req: &ExportRequest<'_>,
) -> Result<Exported> {
    export_with_progress(case, graph, req, &mut |_| {})
}

/// Where an export is, for a progress display: the step, and how far into it (`done` of `total` units).
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportProgress {
    pub step: ExportStep,
    pub done: u64,
    pub total: u64,
    /// The step in words, with its counts.
    pub detail: String,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportStep {
    Gathering,
    Records,
    Graph,
    Report,
    Writing,
    Zip,
    Verifying,
}

/// [`export`], telling `progress` as each step starts and as files are written.
pub fn export_with_progress(
    case: &mut Case,
    graph: &ringscope_graph::LinkGraph,
    req: &ExportRequest<'_>,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<Exported> {
    let mut tell = |step, done: usize, total: usize, detail: String| {
        progress(ExportProgress {
            step,
            done: done as u64,
            total: total as u64,
            detail,
        })
    };
    let meta = case.meta()?;
    let (accounts, ring) = match &req.scope {
        Scope::Ring(ring) => (ring.members.clone(), Some((**ring).clone())),
        Scope::Accounts(list) => (list.clone(), None),
    };
    tell(
        ExportStep::Gathering,
        0,
        accounts.len(),
        format!("Gathering the records of {} accounts", accounts.len()),
    );
    let subjects = Subjects::gather(case, graph, accounts, ring)?;
    let export_time = rfc3339(req.export_time);
    let packet_id = {
        let seed = format!(
            "{}\0{}\0{}\0{}",
            meta.case_uid,
            subjects.accounts.join(","),
            export_time,
            req.profile.as_str()
        );
        format!("P-{}", &sha256_hex(seed.as_bytes())[..12].to_uppercase())
    };
    let redactor = Redactor::new(req.profile, &meta.case_uid, &packet_id);
    let folder_name = format!(
        "{}_{}",
        bagit::safe_name(meta.reference.as_deref().unwrap_or(&meta.title)),
        packet_id
    );
    let folder = req.out.join(&folder_name);
    if folder.exists() {
        return Err(Error::Exists { path: folder });
    }

    // Payload, all but the report.
    let mut payload: Vec<BagFile> = vec![];
    let record_count: usize = subjects.records.values().map(Vec::len).sum();
    for (i, kind) in RecordKind::ALL.into_iter().enumerate() {
        let records = &subjects.records[&kind];
        tell(
            ExportStep::Records,
            i,
            RecordKind::ALL.len(),
            format!(
                "Writing {} {kind} records ({record_count} in all)",
                records.len()
            ),
        );
        payload.push(BagFile::new(
            format!("data/records/{kind}.jsonl"),
            records::jsonl(&subjects, records, &redactor),
        ));
        payload.push(BagFile::new(
            format!("data/records/{kind}.csv"),
            records::csv(&subjects, kind, records, &redactor)?,
        ));
    }
    tell(
        ExportStep::Graph,
        0,
        subjects.shared.len(),
        format!(
            "Drawing the graph: {} accounts, {} shared identifiers",
            subjects.accounts.len(),
            subjects.shared.len()
        ),
    );
    let packet_graph = graph::build(case, &subjects, &redactor)?;
    let svg = graph::svg(&packet_graph);
    payload.push(BagFile::new(
        "data/graph/nodes.csv",
        graph::nodes_csv(&packet_graph)?,
    ));
    payload.push(BagFile::new(
        "data/graph/edges.csv",
        graph::edges_csv(&packet_graph)?,
    ));
    payload.push(BagFile::new("data/graph/graph.svg", svg.clone()));
    payload.push(BagFile::new(
        "data/custody/sources.csv",
        sources_csv(&subjects)?,
    ));
    // The case's workflow when exported: type, status, assignee, due date and the checklist with each step's mark.
    let workflow = case.workflow()?;
    payload.push(BagFile::new(
        "data/case.json",
        format!(
            "{}\n",
            serde_json::to_string_pretty(&workflow).expect("workflow serializes")
        ),
    ));
    if !req.narrative.trim().is_empty() {
        payload.push(BagFile::new(
            "data/report/narrative.txt",
            req.narrative.clone(),
        ));
    }
    let records_digest = sha256_hex(
        bagit::manifest(
            "sha256",
            &payload
                .iter()
                .filter(|f| f.path.starts_with("data/records/"))
                .collect::<Vec<_>>(),
        )
        .as_bytes(),
    );
    payload.push(BagFile::new(
        "data/custody/custody-log.jsonl",
        custody_log(
            case,
            &subjects,
            &packet_id,
            &export_time,
            &req.actor,
            &records_digest,
        )?,
    ));
    let backdated = backdated(case, &subjects, &export_time)?;
    if let Some(what) = &backdated
        && !req.allow_backdated
    {
        return Err(Error::Backdated(format!(
            "the export time {export_time} is before {what}: the custody log would show the export before what it \
             exports. Export with the current time, or allow a backdated export explicitly (`ringscope export \
             --allow-backdated`; the packet then says so)"
        )));
    }
    let evidence_manifest = bagit::manifest("sha256", &payload.iter().collect::<Vec<_>>());
    let evidence_digest = sha256_hex(evidence_manifest.as_bytes());
    let payload_list: Vec<Value> = payload
        .iter()
        .map(|f| json!({"path": f.path, "sha256": sha256_hex(&f.bytes)}))
        .collect();
    payload.push(BagFile::new(
        "data/evidence-manifest-sha256.txt",
        evidence_manifest,
    ));

    let mut data = report::data::report_data(
        &meta,
        &subjects,
        &redactor,
        req,
        &packet_id,
        &export_time,
        &evidence_digest,
        payload_list,
    );
    data["workflow"] = report::data::workflow_data(&workflow);
    tell(
        ExportStep::Report,
        0,
        1,
        "Rendering the PDF report".to_string(),
    );
    payload.push(BagFile::new(
        "data/report/summary.pdf",
        report::render(&data, &svg, req.export_time, &packet_id)?,
    ));

    // Tag files.
    let mut tags = vec![BagFile::new("bagit.txt", bagit::BAGIT_TXT)];
    let subject_text = match &subjects.ring {
        Some(r) => format!("ring {} ({} accounts)", r.id, subjects.accounts.len()),
        None => format!("{} account(s)", subjects.accounts.len()),
    };
    tags.push(BagFile::new(
        "bag-info.txt",
        bagit::bag_info(&[
            ("Source-Organization", req.organization.clone()),
            (
                "Contact-Name",
                meta.investigator
                    .clone()
                    .unwrap_or_else(|| req.actor.clone()),
            ),
            (
                "External-Identifier",
                meta.reference.clone().unwrap_or_else(|| meta.title.clone()),
            ),
            ("Bagging-Date", export_time[..10].to_string()),
            ("Payload-Oxum", bagit::payload_oxum(&payload)),
            ("Bag-Software-Agent", SOFTWARE.to_string()),
            ("Internal-Sender-Identifier", packet_id.clone()),
            (
                "Internal-Sender-Description",
                format!("Evidence packet for {subject_text}, case {}", meta.title),
            ),
            ("Ringscope-Packet-Id", packet_id.clone()),
            (
                "Ringscope-Case-Status",
                workflow.status.as_str().to_string(),
            ),
            (
                "Ringscope-Case-Type",
                workflow
                    .case_type
                    .clone()
                    .unwrap_or_else(|| "untyped".into()),
            ),
            (
                "Ringscope-Checklist",
                format!(
                    "{} of {} steps done, {} skipped, {} required open",
                    workflow
                        .checklist
                        .iter()
                        .filter(|i| i.mark.as_ref().is_some_and(|m| m.state == "done"))
                        .count(),
                    workflow.checklist.len(),
                    workflow
                        .checklist
                        .iter()
                        .filter(|i| i.mark.as_ref().is_some_and(|m| m.state == "skipped"))
                        .count(),
                    workflow.open_required().len()
                ),
            ),
            ("Ringscope-Export-Time", export_time.clone()),
            (
                "Ringscope-Redaction-Profile",
                req.profile.as_str().to_string(),
            ),
            ("Ringscope-Evidence-Digest", evidence_digest.clone()),
            (
                "Ringscope-Backdated",
                backdated.clone().map_or_else(
                    || "no".to_string(),
                    |what| format!("yes: the export time is before {what}"),
                ),
            ),
            (
                "Ringscope-Signature",
                req.sign.map_or_else(
                    || "none".to_string(),
                    |k| format!("minisign key {}", sign::key_id(&k.public)),
                ),
            ),
        ]),
    ));
    for alg in bagit::ALGORITHMS {
        tags.push(BagFile::new(
            format!("manifest-{alg}.txt"),
            bagit::manifest(alg, &payload.iter().collect::<Vec<_>>()),
        ));
    }
    tags.push(BagFile::new(
        "VERIFY.txt",
        verify_text(&packet_id, &export_time, &evidence_digest, req.sign),
    ));
    for alg in bagit::ALGORITHMS {
        tags.push(BagFile::new(
            format!("tagmanifest-{alg}.txt"),
            bagit::manifest(alg, &tags.iter().collect::<Vec<_>>()),
        ));
    }
    let tagmanifest = tags
        .iter()
        .find(|t| t.path == "tagmanifest-sha256.txt")
        .map(|t| t.bytes.clone())
        .unwrap_or_default();
    if let Some(key) = req.sign {
        let comment = format!("ringscope packet {packet_id} exported {export_time}");
        tags.push(BagFile::new(
            bagit::SIGNATURE_FILE,
            sign::sign(key, &tagmanifest, &comment)?,
        ));
    }

    let all: Vec<BagFile> = payload.into_iter().chain(tags).collect();
    let zip_path = req.zip.then(|| req.out.join(format!("{folder_name}.zip")));
    if let Some(z) = zip_path.as_ref().filter(|z| z.exists()) {
        return Err(Error::Exists { path: z.clone() });
    }
    // Stage everything beside its final place, then land it with its audit entry: the entry is written in an
    // immediate transaction, the staged folder and zip are renamed into place, and the transaction commits. If the
    // case cannot take the entry (another writer holds it, it is read-only), nothing lands; if the commit fails
    // after the renames, the packet is removed again. An export either lands with its audit entry or leaves nothing.
    std::fs::create_dir_all(&req.out).at(&req.out)?;
    let staging = req.out.join(format!(".{folder_name}.partial"));
    let zip_staging = req.out.join(format!(".{folder_name}.zip.partial"));
    let clean_staging = || {
        let _ = std::fs::remove_dir_all(&staging);
        let _ = std::fs::remove_file(&zip_staging);
    };
    clean_staging();
    let staged = (|| -> Result<()> {
        for (i, f) in all.iter().enumerate() {
            tell(
                ExportStep::Writing,
                i,
                all.len(),
                format!("Writing file {} of {}", i + 1, all.len()),
            );
            let path = staging.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).at(parent)?;
            }
            std::fs::write(&path, &f.bytes).at(&path)?;
        }
        if req.zip {
            tell(
                ExportStep::Zip,
                0,
                all.len(),
                format!("Zipping {} files", all.len()),
            );
            archive::write_zip(&zip_staging, &folder_name, &all)?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        clean_staging();
        return Err(e);
    }
    let tagmanifest_sha256 = sha256_hex(&tagmanifest);
    let details = json!({ "subjects": subjects.accounts, "ring": subjects.ring.as_ref().map(|r| &r.id), "profile": req.profile.as_str(),
        "folder": folder_name, "tagmanifest_sha256": tagmanifest_sha256, "evidence_digest": evidence_digest,
        "export_time": export_time, "backdated": backdated });
    let land = || -> Result<()> {
        std::fs::rename(&staging, &folder).at(&folder)?;
        if let Some(z) = &zip_path
            && let Err(e) = std::fs::rename(&zip_staging, z).at(z)
        {
            let _ = std::fs::remove_dir_all(&folder);
            return Err(e);
        }
        Ok(())
    };
    let unland = || {
        let _ = std::fs::remove_dir_all(&folder);
        if let Some(z) = &zip_path {
            let _ = std::fs::remove_file(z);
        }
    };
    let landed = case.record_action_with(
        &rfc3339(Utc::now()),
        &req.actor,
        "export",
        &packet_id,
        &details,
        land,
        unland,
    );
    if let Err(e) = landed {
        clean_staging();
        return Err(match e {
            Error::Store(e) => Error::NotRecorded(e.to_string()),
            e => e,
        });
    }
    Ok(Exported {
        packet_id,
        folder,
        zip: zip_path,
        files: all.len(),
        tagmanifest_sha256,
        evidence_digest,
        signed_by: req.sign.map(|k| sign::key_id(&k.public)),
    })
}

fn sources_csv(subjects: &Subjects) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "file",
        "sha256",
        "size",
        "kind",
        "detected_as",
        "rows_read",
        "rows_imported",
        "imported_at",
        "imported_by",
    ])?;
    for s in &subjects.sources {
        w.write_record([
            neutralize(&s.file_name).as_ref(),
            &s.sha256,
            &s.size.to_string(),
            s.kind.as_str(),
            neutralize(&s.detected_as).as_ref(),
            &s.rows.read.to_string(),
            &s.rows.imported.to_string(),
            &s.imported_at,
            neutralize(&s.imported_by).as_ref(),
        ])?;
    }
    records::finish(w)
}

/// What the packet records that happened after `export_time`, if anything: the latest import of a subject's
/// source file, or a later decision or note on a subject.
fn backdated(case: &Case, subjects: &Subjects, export_time: &str) -> Result<Option<String>> {
    let mut latest: Option<(String, String)> = None;
    for s in &subjects.sources {
        if latest.as_ref().is_none_or(|(t, _)| s.imported_at > *t) {
            latest = Some((
                s.imported_at.clone(),
                format!("the import of {:?} at {}", s.file_name, s.imported_at),
            ));
        }
    }
    let mut items: Vec<&str> = subjects.accounts.iter().map(String::as_str).collect();
    if let Some(r) = &subjects.ring {
        items.push(&r.id);
    }
    for e in case.audit_log()? {
        if matches!(e.action.as_str(), "decide" | "note")
            && items.contains(&e.item.as_str())
            && latest.as_ref().is_none_or(|(t, _)| e.ts > *t)
        {
            latest = Some((
                e.ts.clone(),
                format!("the {} on {:?} at {}", e.action, e.item, e.ts),
            ));
        }
    }
    // Times are RFC 3339 UTC with a Z, so they compare as text; parse to be safe with other forms.
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    Ok(latest
        .filter(|(t, _)| match (parse(t), parse(export_time)) {
            (Some(t), Some(x)) => t > x,
            _ => t.as_str() > export_time,
        })
        .map(|(_, what)| what))
}

/// The case's history for these subjects: the imports of their source files, decisions and notes on them or their
/// ring, and this export.
fn custody_log(
    case: &Case,
    subjects: &Subjects,
    packet_id: &str,
    export_time: &str,
    actor: &str,
    records_digest: &str,
) -> Result<Vec<u8>> {
    let source_ids: BTreeMap<i64, &str> = subjects
        .sources
        .iter()
        .map(|s| (s.id, s.sha256.as_str()))
        .collect();
    let mut items: Vec<&str> = subjects.accounts.iter().map(String::as_str).collect();
    if let Some(r) = &subjects.ring {
        items.push(&r.id);
    }
    let mut actions = vec![];
    for e in case.audit_log()? {
        let sha256 = match e.action.as_str() {
            "import" => match e.details["source_id"]
                .as_i64()
                .and_then(|id| source_ids.get(&id))
            {
                Some(sha) => Some(sha.to_string()),
                None => continue,
            },
            "decide" | "note" if items.contains(&e.item.as_str()) => None,
            _ => continue,
        };
        actions.push(custody::Action {
            ts: e.ts,
            actor: e.actor,
            action: e.action,
            item: e.item,
            sha256,
        });
    }
    actions.push(custody::Action {
        ts: export_time.into(),
        actor: actor.into(),
        action: "export".into(),
        item: packet_id.into(),
        sha256: Some(records_digest.into()),
    });
    Ok(custody::chain(actions))
}

fn verify_text(
    packet_id: &str,
    export_time: &str,
    digest: &str,
    key: Option<&SigningKey>,
) -> String {
    let signature = match key {
        Some(k) => {
            let public = k.public.to_base64();
            format!(
                "1. Check the signature (minisign; or any Ed25519 minisign implementation):\n\n     minisign -Vm tagmanifest-sha256.txt -P {public}\n\n   Public key: {public}\n   Public key id: {}\n   SHA-256 of the public key: {}\n   Trust comes from the key id given to you separately (by phone, in the cover letter),\n   not from this file: anyone could write a key here.\n",
                sign::key_id(&k.public),
                sha256_hex(public.as_bytes())
            )
        }
        None => "1. This packet is not signed. Ask the sender for a signed copy if you need one.\n"
            .to_string(),
    };
    format!(
        "How to verify evidence packet {packet_id} (exported {export_time}) without Ringscope.\n\
         Run these commands inside this folder.\n\n\
         {signature}\n\
         2. Check the tag files and every payload file against the manifests:\n\n     \
         sha256sum -c tagmanifest-sha256.txt\n     sha256sum -c manifest-sha256.txt\n\n   \
         (sha512sum -c works the same with the -sha512 files.)\n\n\
         3. Or validate the whole bag (extra and missing files too) with the Library of Congress validator:\n\n     \
         bagit.py --validate .\n\n\
         4. The custody log, data/custody/custody-log.jsonl, is hash-chained: each line's \"prev\" is the SHA-256\n   \
         of the previous line, without its newline. For line 2:\n\n     \
         sed -n 1p data/custody/custody-log.jsonl | tr -d '\\n' | sha256sum\n\n\
         5. The report's cover shows the evidence digest, {digest}:\n\n     \
         sha256sum data/evidence-manifest-sha256.txt\n     sha256sum -c data/evidence-manifest-sha256.txt\n"
    )
}
