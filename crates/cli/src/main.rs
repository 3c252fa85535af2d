//! `ringscope`: the command line. Everything the app does to a case, scriptable.
//!
//! Exit codes: 0 success, 1 the command failed (the error is on stderr, or `{code, message}` on stdout with `--json`),
//! 2 the command line itself was wrong.

/// mimalloc: ring detection allocates a string per identifier and account; the system allocator was a third of
/// its profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ringscope",
    version,
    about = "Fraud-ring forensics for creator platforms: import exports, find rings, export evidence."
)]
struct Cli {
    /// Who is acting, for the case's audit log [default: $USER]
    #[arg(long, global = true, env = "RINGSCOPE_ACTOR")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or inspect a case file.
    #[command(subcommand)]
    Case(cmd::case::CaseCommand),
    /// A desk: a folder of cases with their types, checklists, deadlines, program KPIs and a watchlist.
    #[command(subcommand)]
    Desk(cmd::desk::DeskCommand),
    /// Import CSV exports (accounts, payments, device/login events) into a case.
    Import(cmd::import::ImportArgs),
    /// Import a Zendesk ticket export (JSON): tickets attach to accounts by requester email and show on timelines.
    ImportTickets(cmd::import::TicketsArgs),
    /// List the fraud rings found in a case, best first.
    Rings(cmd::rings::RingsArgs),
    /// Show one ring in full: members, binding identifiers, money, and the score's reasons.
    Ring(cmd::rings::RingArgs),
    /// Remove accounts from a ring as false positives, or restore them (recorded; kept across re-detection).
    RingMembers(cmd::rings::MembersArgs),
    /// Split accounts out of a ring into a new ring, merge two rings, or undo either (recorded; kept across
    /// re-detection).
    RingEdit(cmd::ring_edit::RingEditArgs),
    /// Explain why two accounts are linked: the chain of shared identifiers and the source rows behind each link.
    Explain(cmd::rings::ExplainArgs),
    /// A ring's subgraph (accounts, identifiers, creators paid) as JSON, GraphML or GEXF.
    RingGraph(cmd::rings::RingGraphArgs),
    /// Find accounts by id, display name or email, or by any identifier they used (email, phone, device, IP, card).
    Search(cmd::accounts::SearchArgs),
    /// Show one account: its record, the identifiers it used, the payments it made and received, and its ring.
    Account(cmd::accounts::AccountArgs),
    /// The original values of an imported row, by the `file:line` reference other commands print.
    Row(cmd::accounts::RowArgs),
    /// The sign-ups, logins, payments, declines and disputes of a ring's members or of some accounts, oldest first.
    Timeline(cmd::accounts::TimelineArgs),
    /// Mark a ring or account confirmed, dismissed or needs-review (written to the audit log).
    Decide(cmd::history::DecideArgs),
    /// Add a note to a ring or account (written to the audit log).
    Note(cmd::history::NoteArgs),
    /// Show the case history (the hash-chained audit log) and check its chain.
    Log(cmd::history::LogArgs),
    /// Create an Ed25519 (minisign) key pair for signing evidence packets.
    Keygen(cmd::packet::KeygenArgs),
    /// Export an evidence packet (BagIt) for a ring or a list of accounts.
    Export(cmd::packet::ExportArgs),
    /// Verify an evidence packet (folder or .zip): structure, hashes, signature, custody chain.
    Verify(cmd::packet::VerifyArgs),
    /// Generate a synthetic case with planted rings (for demos, tests and benchmarks).
    Gen(cmd::generate::GenArgs),
}

fn main() -> ExitCode {
    // `ringscope rings CASE | head` must end quietly when the reader goes away, like any Unix tool, not panic
    // in println!. Rust ignores SIGPIPE by default; restore the default action.
    #[cfg(unix)]
    // SAFETY: called once at start, before any thread exists; SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // With --json a failure is a JSON object `{code, message}` on stdout, whatever the command.
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            // A wrong command line, as data too (exit code 2 as usual).
            let error = output::JsonError {
                code: "usage".into(),
                message: e.render().to_string().trim().to_string(),
            };
            let _ = output::print_json(&error);
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let actor = cli
        .actor
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".into());
    let result = match cli.command {
        Command::Case(c) => cmd::case::run(c, &actor),
        Command::Desk(c) => cmd::desk::run(c, &actor),
        Command::Import(args) => cmd::import::run(args, &actor),
        Command::ImportTickets(args) => cmd::import::tickets(args, &actor),
        Command::Rings(args) => cmd::rings::rings(args, &actor),
        Command::Ring(args) => cmd::rings::ring(args, &actor),
        Command::Explain(args) => cmd::rings::explain(args, &actor),
        Command::RingMembers(args) => cmd::rings::members(args, &actor),
        Command::RingEdit(args) => cmd::ring_edit::run(args, &actor),
        Command::RingGraph(args) => cmd::rings::ring_graph(args, &actor),
        Command::Search(args) => cmd::accounts::search(args, &actor),
        Command::Account(args) => cmd::accounts::account(args, &actor),
        Command::Row(args) => cmd::accounts::row(args, &actor),
        Command::Timeline(args) => cmd::accounts::timeline(args, &actor),
        Command::Decide(args) => cmd::history::decide(args, &actor),
        Command::Note(args) => cmd::history::note(args, &actor),
        Command::Log(args) => cmd::history::log(args, &actor),
        Command::Keygen(args) => cmd::packet::keygen(args),
        Command::Export(args) => cmd::packet::export(args, &actor),
        Command::Verify(args) => cmd::packet::verify(args),
        Command::Gen(args) => cmd::generate::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if json {
                let error = output::JsonError {
                    code: output::error_code(&e),
                    message: format!("{e:#}"),
                };
                // The reader may be gone; nothing more to do then.
                let _ = output::print_json(&error);
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}
