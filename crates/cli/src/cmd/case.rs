use crate::output::{print_json, shown};
use clap::Subcommand;
use ringscope_api::Context;
use ringscope_api::case::CaseSummary;
use ringscope_store::{NewCase, OriginalState};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Create a new, empty case file.
    Init {
        /// The case file to create (e.g. chargebacks.ringscope).
        case: PathBuf,
        #[arg(long)]
        title: String,
        /// External reference, such as a support ticket id.
        #[arg(long)]
        reference: Option<String>,
        /// The investigator working the case [default: --actor].
        #[arg(long)]
        investigator: Option<String>,
        /// Region for phone numbers written without a country code (ISO 3166 alpha-2).
        #[arg(long, default_value = "US")]
        phone_region: String,
    },
    /// Mark a checklist step done, or skipped with a reason (written to the audit log).
    Step {
        case: PathBuf,
        /// The step's id (see `ringscope case checklist CASE`).
        step: String,
        #[arg(long, conflicts_with = "skip", required_unless_present = "skip")]
        done: bool,
        /// Skip the step, giving the reason.
        #[arg(long, value_name = "REASON")]
        skip: Option<String>,
    },
    /// Change the case's status: open, in-review, escalated or closed (written to the audit log).
    Status {
        case: PathBuf,
        status: String,
        /// Why; required to close a case with required steps still open.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Assign the case to an investigator (written to the audit log).
    Assign { case: PathBuf, name: String },
    /// Show the case's type, status, assignee, due date and checklist.
    Checklist {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show a case: metadata, schema version, record counts and imported sources.
    Info {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Rebuild every imported file from the bytes the case keeps and check it against the SHA-256 recorded at
    /// import (exit code 1 if one differs).
    Verify {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: CaseCommand, actor: &str) -> anyhow::Result<ExitCode> {
    match command {
        CaseCommand::Init {
            case,
            title,
            reference,
            investigator,
            phone_region,
        } => {
            let investigator = investigator.unwrap_or_else(|| actor.to_string());
            let new = NewCase {
                title,
                reference,
                investigator: Some(investigator),
                phone_region,
            };
            let created = ringscope_api::case::create(&Context::new(&case, actor), &new)?;
            let meta = created.meta;
            println!(
                "created case {:?} ({}) at {}",
                meta.title,
                meta.case_uid,
                case.display()
            );
        }
        CaseCommand::Step {
            case, step, skip, ..
        } => return super::desk::step(&case, &step, skip.as_deref(), actor),
        CaseCommand::Status {
            case,
            status,
            reason,
        } => return super::desk::status(&case, &status, reason.as_deref(), actor),
        CaseCommand::Assign { case, name } => return super::desk::assign(&case, &name, actor),
        CaseCommand::Checklist { case, json } => return super::desk::checklist(&case, json),
        CaseCommand::Info { case, json } => {
            let info = ringscope_api::case::checked_summary(&Context::new(&case, actor))?;
            if json {
                print_json(&info)?;
            } else {
                print_info(&info);
            }
        }
        CaseCommand::Verify { case, json } => {
            let checks = ringscope_api::case::verify_originals(&Context::new(&case, actor))?;
            let bad = checks.iter().any(|c| {
                matches!(
                    c.state,
                    OriginalState::Differs | OriginalState::Unreadable(_)
                )
            });
            if json {
                print_json(&checks)?;
            } else {
                for c in &checks {
                    let state = match &c.state {
                        OriginalState::Matches => "kept, SHA-256 matches".to_string(),
                        OriginalState::Differs => {
                            "DIFFERS from the SHA-256 recorded at import".into()
                        }
                        OriginalState::Unreadable(why) => format!("UNREADABLE: {}", shown(why)),
                        OriginalState::NotKept => {
                            "imported before cases kept files' bytes (rows kept as JSON)".into()
                        }
                    };
                    println!(
                        "#{} {} ({} bytes, {}…): {state}",
                        c.source_id,
                        shown(&c.file_name),
                        c.size,
                        &c.sha256[..12.min(c.sha256.len())]
                    );
                }
            }
            if bad {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_info(info: &CaseSummary) {
    let m = &info.meta;
    println!("Case        {}", shown(&m.title));
    println!(
        "Reference   {}",
        shown(m.reference.as_deref().unwrap_or("-"))
    );
    println!(
        "Investigator {}",
        shown(m.investigator.as_deref().unwrap_or("-"))
    );
    println!("Created     {}", m.created_at);
    println!(
        "File        {} (schema v{})",
        info.path, info.schema_version
    );
    let c = &info.counts;
    println!(
        "Records     {} accounts, {} payments, {} events",
        c.accounts, c.payments, c.events
    );
    println!(
        "Bookkeeping {} repeated rows, {} conflicts, {} rejects, {} audit entries",
        c.sightings, c.conflicts, c.rejects, c.audit_entries
    );
    println!("Sources     {}", info.sources.len());
    for s in &info.sources {
        println!(
            "  #{:<3} {:<28} {:<9} {:>8} read {:>8} imported {:>6} dup {:>5} rejected  {}  {} by {} at {}",
            s.id,
            shown(&s.file_name),
            s.kind,
            s.rows.read,
            s.rows.imported,
            s.rows.duplicate,
            s.rows.rejected,
            &s.sha256[..12],
            shown(&s.detected_as),
            shown(&s.imported_by),
            s.imported_at
        );
    }
}
