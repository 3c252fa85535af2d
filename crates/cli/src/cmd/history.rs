use crate::output::{now_utc, print_json};
use anyhow::Context;
use clap::Args;
use ringscope_store::{Case, DecisionState};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct DecideArgs {
    case: PathBuf,
    /// A ring id (R-0001) or an account id.
    item: String,
    /// confirmed, dismissed or needs-review.
    #[arg(long)]
    state: String,
    #[arg(long)]
    note: Option<String>,
}

#[derive(Args)]
pub struct NoteArgs {
    case: PathBuf,
    /// A ring id (R-0001) or an account id.
    item: String,
    text: String,
}

#[derive(Args)]
pub struct LogArgs {
    case: PathBuf,
    /// Only entries about this ring or account.
    #[arg(long)]
    item: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn decide(args: DecideArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let state = DecisionState::parse(&args.state).with_context(|| {
        format!(
            "unknown state {:?}: use confirmed, dismissed or needs-review",
            args.state
        )
    })?;
    let mut case = Case::open(&args.case)?;
    let d = case.decide(&args.item, state, args.note.as_deref(), actor, &now_utc())?;
    println!(
        "{} {} marked {} by {}",
        d.item_kind.as_str(),
        d.item_id,
        d.state.as_str(),
        d.actor
    );
    Ok(ExitCode::SUCCESS)
}

pub fn note(args: NoteArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let mut case = Case::open(&args.case)?;
    let n = case.add_note(&args.item, &args.text, actor, &now_utc())?;
    println!("note added to {} {}", n.item_kind.as_str(), n.item_id);
    Ok(ExitCode::SUCCESS)
}

/// The case history: every action, oldest first, with the hash chain checked.
pub fn log(args: LogArgs) -> anyhow::Result<ExitCode> {
    let case = Case::open(&args.case)?;
    let chain = case.verify_audit_log();
    let entries: Vec<_> = case
        .audit_log()?
        .into_iter()
        .filter(|e| args.item.as_ref().is_none_or(|i| &e.item == i))
        .collect();
    if args.json {
        print_json(&serde_json::json!({ "chain_ok": chain.is_ok(), "entries": entries }))?;
    } else {
        for e in &entries {
            let detail = match e.action.as_str() {
                "decide" => format!(
                    "{} {}",
                    e.details["state"].as_str().unwrap_or(""),
                    e.details["note"].as_str().unwrap_or("")
                ),
                "note" => e.details["text"].as_str().unwrap_or("").to_string(),
                "import" => format!(
                    "{} rows, sha256 {}",
                    e.details["rows"]["read"],
                    e.details["sha256"]
                        .as_str()
                        .unwrap_or("")
                        .get(..12)
                        .unwrap_or("")
                ),
                _ => String::new(),
            };
            println!(
                "{:>4}  {}  {:<12} {:<13} {:<24} {}",
                e.seq,
                e.ts,
                e.actor,
                e.action,
                e.item,
                detail.trim()
            );
        }
        match &chain {
            Ok(()) => println!(
                "audit log: {} entries, hash chain intact",
                case.audit_log()?.len()
            ),
            Err(e) => println!("audit log: BROKEN: {e}"),
        }
    }
    Ok(if chain.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
