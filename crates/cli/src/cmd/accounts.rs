//! `search`, `account`, `timeline`: what the app's account search, account panel and timeline show, from the
//! same store methods the app's commands call.

use crate::output::{fail, print_json, shown};
use clap::Args;
use ringscope_model::money;
use ringscope_store::{AccountHit, Case, IdentifierHit};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct SearchArgs {
    case: PathBuf,
    /// Part of an account id, display name or email; or an identifier of any kind (email, phone, device id, IP,
    /// card fingerprint), matched in the form linking uses.
    query: String,
    /// Show at most this many accounts found by id, name or email.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AccountArgs {
    case: PathBuf,
    account_id: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct TimelineArgs {
    case: PathBuf,
    /// The ring's members as last saved by `ringscope rings`, or the accounts named.
    #[command(flatten)]
    subjects: super::RingOrAccounts,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct SearchOutput {
    /// Accounts whose id, display name or email contains the query.
    hits: Vec<AccountHit>,
    truncated: bool,
    /// Accounts that used the query as an identifier.
    identifiers: Vec<IdentifierHit>,
}

pub fn search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let text = args.query.trim();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(fail("invalid", "search for 1 to 200 characters"));
    }
    let case = Case::open(&args.case)?;
    let found = case.search_accounts(text, args.limit.clamp(1, 10_000))?;
    let out = SearchOutput {
        hits: found.hits,
        truncated: found.truncated,
        identifiers: case.accounts_by_identifier(text)?,
    };
    if args.json {
        print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if out.hits.is_empty() && out.identifiers.is_empty() {
        println!("No account matches {}.", shown(text));
        return Ok(ExitCode::SUCCESS);
    }
    for h in &out.hits {
        println!(
            "{:<14} {:<30} {:<32} {:<8} {}",
            shown(&h.account_id),
            shown(h.display_name.as_deref().unwrap_or("-")),
            shown(h.email.as_deref().unwrap_or("-")),
            shown(h.role.as_deref().unwrap_or("-")),
            h.ring.as_deref().unwrap_or("")
        );
    }
    if out.truncated {
        println!("(more accounts match; raise --limit)");
    }
    for h in &out.identifiers {
        println!(
            "{:<14} used {} {}",
            shown(&h.account_id),
            h.kind,
            shown(&h.value)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn account(args: AccountArgs) -> anyhow::Result<ExitCode> {
    let case = Case::open(&args.case)?;
    let detail = case.account_detail(&args.account_id)?;
    let identifiers = case.account_identifiers(&args.account_id)?;
    let (made, received) = case.account_payments(&args.account_id)?;
    let ring = case
        .saved_ring_of(std::slice::from_ref(&args.account_id))?
        .remove(&args.account_id);
    if detail.source.is_none() && identifiers.is_empty() && made.is_empty() && received.is_empty() {
        return Err(fail(
            "unknown_account",
            format!("no account {} in this case", args.account_id),
        ));
    }
    if args.json {
        print_json(&serde_json::json!({
            "account": detail, "ring": ring, "identifiers": identifiers,
            "payments_made": made, "payments_received": received,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let opt = |v: &Option<String>| shown(v.as_deref().unwrap_or("-")).into_owned();
    println!(
        "Account {}  ring {}",
        shown(&detail.account_id),
        ring.as_deref().unwrap_or("-")
    );
    println!("Name    {}", opt(&detail.display_name));
    println!("Email   {}", opt(&detail.email));
    println!("Phone   {}", opt(&detail.phone));
    println!(
        "Role    {}  status {}  country {}",
        opt(&detail.role),
        opt(&detail.status),
        opt(&detail.country)
    );
    println!("Created {}", opt(&detail.created_at));
    println!("Source  {}", opt(&detail.source));
    println!("\nIdentifiers:");
    for i in &identifiers {
        println!("  {:<6} {:<40} x{}", i.kind, shown(&i.value), i.times);
    }
    for (title, list) in [("Payments made", &made), ("Payments received", &received)] {
        println!("\n{title}: {}", list.len());
        for p in list.iter().take(50) {
            println!(
                "  {:<16} {} {:>18} {:<10} {} -> {}{}",
                shown(&p.payment_id),
                utc(p.created_at_ms),
                money::format(p.amount_minor, &p.currency),
                shown(p.status.as_deref().unwrap_or("-")),
                shown(p.payer.as_deref().unwrap_or("?")),
                shown(p.creator.as_deref().unwrap_or("?")),
                if p.disputed { "  disputed" } else { "" }
            );
        }
        if list.len() > 50 {
            println!("  ... {} more (see --json)", list.len() - 50);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn timeline(args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let case = Case::open(&args.case)?;
    let accounts = match &args.subjects.ring {
        Some(id) => match case.saved_rings()?.into_iter().find(|r| &r.ring_id == id) {
            Some(r) => r.members,
            None => {
                return Err(fail(
                    "unknown_ring",
                    format!("no ring {id} in this case (run `ringscope rings` first)"),
                ));
            }
        },
        None => args.subjects.accounts.clone(),
    };
    if accounts.is_empty() || accounts.len() > 5_000 {
        return Err(fail("invalid", "give between 1 and 5000 accounts"));
    }
    let events = case.timeline(&accounts)?;
    if args.json {
        print_json(&events)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &events {
        println!(
            "{}  {:<14} {:<8} {}",
            utc(e.ts),
            shown(&e.account),
            shown(&e.kind),
            shown(&e.detail)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}
