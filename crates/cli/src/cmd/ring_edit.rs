//! `ringscope ring-edit CASE split|merge|undo|list`: an investigator's corrections to the rings detection found.

use crate::output::{print_json, shown, shown_list};
use clap::{Args, Subcommand};
use ringscope_api::Context;
use ringscope_api::rings::RingEditOutcome;
use ringscope_store::{RingEdit, RingEditKind};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct RingEditArgs {
    case: PathBuf,
    #[command(subcommand)]
    action: EditAction,
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum EditAction {
    /// Move accounts (two or more, leaving two or more) out of a ring into a new ring.
    Split {
        ring_id: String,
        #[arg(long, value_delimiter = ',', required = true)]
        accounts: Vec<String>,
        /// Why they are a ring of their own (for the case history).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Fold ring FROM into ring INTO (INTO keeps its id, decisions and notes).
    Merge {
        into: String,
        from: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Undo a split or merge by its id (see `list`).
    Undo { edit_id: i64 },
    /// The splits and merges in force.
    List,
}

pub fn run(args: RingEditArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.case, actor);
    let outcome = match args.action {
        EditAction::Split {
            ring_id,
            accounts,
            reason,
        } => ringscope_api::rings::split_ring(&ctx, &ring_id, &accounts, reason.as_deref())?,
        EditAction::Merge { into, from, reason } => {
            ringscope_api::rings::merge_rings(&ctx, &into, &from, reason.as_deref())?
        }
        EditAction::Undo { edit_id } => ringscope_api::rings::undo_ring_edit(&ctx, edit_id)?,
        EditAction::List => {
            let edits = ringscope_api::rings::ring_edits(&ctx)?;
            if args.json {
                print_json(&edits)?;
            } else {
                for e in &edits {
                    println!("{}", describe(e));
                }
                println!("{} edit(s) in force", edits.len());
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if args.json {
        print_json(&outcome)?;
    } else {
        print_outcome(&outcome);
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(e: &RingEdit) -> String {
    let what = match e.kind {
        RingEditKind::Split => format!(
            "split {} account(s) out of {} into {}",
            e.accounts.len(),
            shown(&e.ring_id),
            shown(&e.other_ring)
        ),
        RingEditKind::Merge => format!(
            "merged {} ({} accounts) into {}",
            shown(&e.other_ring),
            e.accounts.len(),
            shown(&e.ring_id)
        ),
    };
    format!(
        "#{:<4} {what} by {} at {}{}",
        e.id,
        shown(&e.actor),
        e.ts,
        e.reason
            .as_deref()
            .map(|r| format!(": {}", shown(r)))
            .unwrap_or_default()
    )
}

fn print_outcome(o: &RingEditOutcome) {
    println!("{}", describe(&o.edit));
    for r in &o.rings {
        println!(
            "Ring {}: {} members: {}",
            shown(&r.id),
            r.members.len(),
            shown_list(&r.members, ", ")
        );
    }
}
