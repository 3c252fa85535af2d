//! `search`, `account`, `timeline`: what the app's account search, account panel and timeline show, from the
//! same use cases (`ringscope_api::accounts`) the app's commands call.

use crate::output::{print_json, shown};
use clap::Args;
use ringscope_api::{Context, Subjects};
use ringscope_model::money;
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

pub fn search(args: SearchArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let text = args.query.trim();
    let out = ringscope_api::accounts::search(&Context::new(&args.case, actor), text, args.limit)?;
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

pub fn account(args: AccountArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let record =
        ringscope_api::accounts::account(&Context::new(&args.case, actor), &args.account_id)?;
    if args.json {
        print_json(&record)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (detail, ring, identifiers) = (&record.account, &record.ring, &record.identifiers);
    let (made, received) = (&record.payments_made, &record.payments_received);
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
    for i in identifiers {
        println!("  {:<6} {:<40} x{}", i.kind, shown(&i.value), i.times);
    }
    for (title, list) in [("Payments made", made), ("Payments received", received)] {
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
    if !record.tickets.is_empty() {
        println!("\nSupport tickets: {}", record.tickets.len());
        for t in &record.tickets {
            println!(
                "  #{:<8} {} {:<8} {}",
                t.ticket_id,
                t.created_at,
                shown(t.status.as_deref().unwrap_or("-")),
                shown(t.subject.as_deref().unwrap_or(""))
            );
        }
    }
    for f in &record.watch_flags {
        println!(
            "\nWatchlist: {} {} was confirmed in case {:?}, ring {}",
            f.kind,
            shown(&f.value),
            shown(f.case_title.as_deref().unwrap_or(&f.case_uid)),
            shown(&f.ring_id)
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn timeline(args: TimelineArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let subjects = match args.subjects.ring {
        Some(id) => Subjects::Ring(id),
        None => Subjects::Accounts(args.subjects.accounts),
    };
    let events = ringscope_api::accounts::timeline(&Context::new(&args.case, actor), &subjects)?;
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

#[derive(Args)]
pub struct RowArgs {
    case: PathBuf,
    /// A `file:line` reference as `ring`, `explain`, `account` and the packet print them.
    reference: String,
    #[arg(long)]
    json: bool,
}

/// The original values of the row a `file:line` reference points at.
pub fn row(args: RowArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let rows =
        ringscope_api::accounts::source_row(&Context::new(&args.case, actor), &args.reference)?;
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        println!(
            "{}:{}  {} row, {:?}, source #{} (SHA-256 {})",
            shown(&r.file),
            r.line,
            r.kind,
            r.fate,
            r.source_id,
            &r.sha256[..12.min(r.sha256.len())]
        );
        if let Some(note) = &r.note {
            println!("  {}", shown(note));
        }
        let width = r
            .values
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in &r.values {
            println!("  {:<width$}  {}", shown(k), shown(v));
        }
    }
    Ok(ExitCode::SUCCESS)
}
