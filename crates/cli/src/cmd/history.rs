use crate::output::{now_utc, print_json, shown};
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
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct NoteArgs {
    case: PathBuf,
    /// A ring id (R-0001) or an account id.
    item: String,
    text: String,
    #[arg(long)]
    json: bool,
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
    let state = DecisionState::parse(&args.state).ok_or_else(|| {
        crate::output::fail(
            "invalid",
            format!(
                "unknown state {:?}: use confirmed, dismissed or needs-review",
                args.state
            ),
        )
    })?;
    let mut case = Case::open(&args.case)?;
    detect_rings_if_needed(&mut case, &args.item, actor)?;
    let d = case.decide(&args.item, state, args.note.as_deref(), actor, &now_utc())?;
    if args.json {
        print_json(&d)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} {} marked {} by {}",
        d.item_kind.as_str(),
        shown(&d.item_id),
        d.state.as_str(),
        shown(&d.actor)
    );
    Ok(ExitCode::SUCCESS)
}

/// Ring ids are given by ring detection, which `rings`, `ring` and `export` run. A decision or note on a ring id the
/// case does not know yet (no detection has run since the last import) runs detection first, as `rings` would, so
/// `decide R-0001` works on a freshly imported case.
fn detect_rings_if_needed(case: &mut Case, item: &str, actor: &str) -> anyhow::Result<()> {
    let ring_like = item
        .strip_prefix("R-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if ring_like && case.item_kind(item).is_err() {
        ringscope_graph::analyze(case, &now_utc(), actor)
            .context("running ring detection to find the ring")?;
    }
    Ok(())
}

pub fn note(args: NoteArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let mut case = Case::open(&args.case)?;
    detect_rings_if_needed(&mut case, &args.item, actor)?;
    let n = case.add_note(&args.item, &args.text, actor, &now_utc())?;
    if args.json {
        print_json(&n)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "note added to {} {}",
        n.item_kind.as_str(),
        shown(&n.item_id)
    );
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
                shown(&e.ts),
                shown(&e.actor),
                shown(&e.action),
                shown(&e.item),
                shown(detail.trim())
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
