use crate::output::{print_json, shown};
use clap::Args;
use ringscope_api::Context;
use ringscope_store::DecisionState;
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
    let ctx = Context::new(&args.case, actor);
    let d = ringscope_api::history::decide(&ctx, &args.item, state, args.note.as_deref())?;
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

pub fn note(args: NoteArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let n = ringscope_api::history::note(&ctx, &args.item, &args.text)?;
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
pub fn log(args: LogArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let history =
        ringscope_api::history::history(&Context::new(&args.case, actor), args.item.as_deref())?;
    if args.json {
        print_json(&history)?;
    } else {
        let entries = &history.entries;
        for e in entries {
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
        match &history.chain_error {
            None => {
                // The whole log's size from the case's counts, not a second read of every entry.
                let total = match &args.item {
                    Some(_) => {
                        ringscope_api::case::summary(&Context::new(&args.case, actor))?
                            .counts
                            .audit_entries as usize
                    }
                    None => entries.len(),
                };
                println!("audit log: {total} entries, hash chain intact")
            }
            Some(e) => println!("audit log: BROKEN: {e}"),
        }
    }
    Ok(if history.chain_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
