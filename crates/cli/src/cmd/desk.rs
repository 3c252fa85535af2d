//! `ringscope desk ...` (a folder of cases: list, KPIs, watchlist) and the per-case workflow commands
//! (`ringscope case step|status|assign`).

use crate::output::{print_json, shown};
use clap::Subcommand;
use ringscope_api::Context;
use ringscope_api::desk::{self as api, DeskContext, NewCaseOnDesk};
use ringscope_desk::{CaseRow, ListQuery};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DeskCommand {
    /// Create a desk in a folder: its index (desk.sqlite) and the default case types (case-types.toml).
    Init { dir: PathBuf },
    /// Open a new typed case in the desk (due date from the type's SLA).
    New {
        dir: PathBuf,
        #[arg(long)]
        title: String,
        /// A case type id from the desk's case-types.toml (chargeback, card-testing, ban-evasion, ...).
        #[arg(long = "type")]
        case_type: String,
        /// External reference, such as a Zendesk ticket id.
        #[arg(long)]
        reference: Option<String>,
        /// Who works the case [default: --actor].
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long, default_value = "US")]
        phone_region: String,
        /// Opening time (RFC 3339) [default: now]; for back-filling a desk.
        #[arg(long, hide = true)]
        opened: Option<String>,
    },
    /// Add an existing case file to the desk (copied into the folder unless it is already there).
    Add {
        dir: PathBuf,
        case: PathBuf,
        /// Give an untyped case this type.
        #[arg(long = "type")]
        case_type: Option<String>,
    },
    /// List the desk's cases.
    List {
        dir: PathBuf,
        /// open, in-review, escalated or closed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long = "type")]
        case_type: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
        /// opened, due, title, status, type, assignee, rings or amount; prefix `-` for descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Program KPIs across the desk's cases.
    Kpis {
        dir: PathBuf,
        #[arg(long, conflicts_with_all = ["csv", "pdf"])]
        json: bool,
        #[arg(long, conflicts_with = "pdf")]
        csv: bool,
        /// Write the weekly program review (KPIs, charts, open cases by due date) as a PDF.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// The watchlist: identifiers of accounts in confirmed rings, with the case they came from.
    Watchlist {
        dir: PathBuf,
        #[command(subcommand)]
        action: WatchlistAction,
    },
    /// Flag the accounts of a case that use an identifier watched from an earlier case.
    Check {
        dir: PathBuf,
        case: PathBuf,
        /// Also record the flags in the case (and withdraw those whose earlier decision no longer stands), as an
        /// import does: ring detection reads them as a reason.
        #[arg(long)]
        update: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the desk's case types and their checklists.
    Types {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum WatchlistAction {
    List {
        #[arg(long)]
        json: bool,
    },
    Export {
        file: PathBuf,
    },
    Import {
        file: PathBuf,
    },
}

fn desk(dir: &Path, actor: &str) -> DeskContext {
    DeskContext::new(dir, actor)
}

fn money(row: &CaseRow) -> String {
    let m: Vec<String> = row
        .facts
        .amount_at_stake
        .iter()
        .map(|m| format!("{} {}", m.currency, minor(m.minor)))
        .collect();
    if m.is_empty() {
        "-".into()
    } else {
        m.join(", ")
    }
}

fn minor(v: i64) -> String {
    format!("{}.{:02}", v / 100, (v % 100).abs())
}

pub fn run(command: DeskCommand, actor: &str) -> anyhow::Result<ExitCode> {
    match command {
        DeskCommand::Init { dir } => {
            api::init(&desk(&dir, actor))?;
            println!("created desk at {}", dir.display());
        }
        DeskCommand::New {
            dir,
            title,
            case_type,
            reference,
            assignee,
            phone_region,
            opened,
        } => {
            let row = api::new_case(
                &desk(&dir, actor),
                &NewCaseOnDesk {
                    title,
                    case_type,
                    reference,
                    assignee,
                    phone_region: Some(phone_region),
                    opened,
                },
            )?;
            println!(
                "opened {} case {:?} at {} (due {})",
                row.facts.case_type.as_deref().unwrap_or("-"),
                shown(&row.facts.title),
                dir.join(&row.file).display(),
                row.facts.due_at.as_deref().unwrap_or("-")
            );
        }
        DeskCommand::Add {
            dir,
            case,
            case_type,
        } => {
            let row = api::add_case(&desk(&dir, actor), &case, case_type.as_deref())?;
            println!(
                "added case {:?} as {}",
                shown(&row.facts.title),
                dir.join(&row.file).display()
            );
        }
        DeskCommand::List {
            dir,
            status,
            case_type,
            assignee,
            sort,
            json,
        } => {
            let status = status.map(|s| api::parse_status(&s)).transpose()?;
            let rows = api::list(
                &desk(&dir, actor),
                &ListQuery {
                    status,
                    case_type,
                    assignee,
                    sort,
                },
            )?;
            if json {
                print_json(&rows)?;
            } else {
                println!(
                    "{:<32} {:<12} {:<16} {:<10} {:<12} {:<10} {:<10} {:>5}  at stake",
                    "title", "reference", "type", "status", "assignee", "opened", "due", "rings"
                );
                for r in &rows {
                    let f = &r.facts;
                    println!(
                        "{:<32} {:<12} {:<16} {:<10} {:<12} {:<10} {:<10} {:>5}  {}",
                        shown(&f.title),
                        shown(f.reference.as_deref().unwrap_or("-")),
                        f.case_type.as_deref().unwrap_or("-"),
                        f.status.as_str(),
                        shown(f.assignee.as_deref().unwrap_or("-")),
                        f.opened_at.get(..10).unwrap_or(&f.opened_at),
                        f.due_at.as_deref().and_then(|d| d.get(..10)).unwrap_or("-"),
                        f.rings_confirmed,
                        money(r)
                    );
                }
                println!("{} case(s)", rows.len());
            }
        }
        DeskCommand::Kpis {
            dir,
            json,
            csv,
            pdf: Some(file),
        } if !json && !csv => {
            let k = api::kpi_report(&desk(&dir, actor), &file)?;
            println!(
                "wrote the program review of {} cases to {}",
                k.cases,
                file.display()
            );
        }
        DeskCommand::Kpis { dir, json, csv, .. } => {
            let k = api::kpis(&desk(&dir, actor))?;
            if json {
                print_json(&k)?;
            } else if csv {
                print!("{}", api::kpis_csv(&k)?);
            } else {
                print_kpis(&k);
            }
        }
        DeskCommand::Watchlist { dir, action } => {
            let desk = desk(&dir, actor);
            match action {
                WatchlistAction::List { json } => {
                    let w = api::watchlist(&desk)?;
                    if json {
                        print_json(&w)?;
                    } else {
                        for e in &w {
                            println!(
                                "{:<7} {:<40} {} {} {} ({})",
                                e.kind,
                                shown(&e.value),
                                shown(e.case_title.as_deref().unwrap_or(&e.case_uid)),
                                e.ring_id,
                                shown(&e.account_id),
                                e.origin
                            );
                        }
                        println!("{} watched identifier(s)", w.len());
                    }
                }
                WatchlistAction::Export { file } => {
                    let n = api::export_watchlist(&desk, &file)?;
                    println!("wrote {n} watchlist entries to {}", file.display());
                }
                WatchlistAction::Import { file } => {
                    let n = api::import_watchlist(&desk, &file)?;
                    println!("added {n} watchlist entries from {}", file.display());
                }
            }
        }
        DeskCommand::Check {
            dir,
            case,
            update,
            json,
        } => {
            let flags = if update {
                api::flag_watched(&desk(&dir, actor), &Context::new(&case, actor))?
            } else {
                api::check(&desk(&dir, actor), &case)?
            };
            if json {
                print_json(&flags)?;
            } else {
                print_flags(&flags);
            }
        }
        DeskCommand::Types { dir, json } => {
            let types = api::types(&desk(&dir, actor))?;
            if json {
                print_json(&types)?;
            } else {
                println!("case types v{}", types.version);
                for t in &types.types {
                    println!("{} ({}), SLA {} h", t.id, t.name, t.sla_hours);
                    for s in &t.steps {
                        println!(
                            "  {:<10} {} {}",
                            s.id,
                            if s.required { "required" } else { "optional" },
                            s.title
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print_flags(flags: &[ringscope_desk::Flag]) {
    for f in flags {
        let e = &f.earlier;
        println!(
            "account {} uses {} {} watched from case {:?}{} (ring {}, account {}, confirmed {} by {})",
            shown(&f.account_id),
            f.kind,
            shown(&f.value),
            shown(e.case_title.as_deref().unwrap_or(&e.case_uid)),
            e.case_file
                .as_deref()
                .map(|f| format!(" [{}]", shown(f)))
                .unwrap_or_default(),
            shown(&e.ring_id),
            shown(&e.account_id),
            e.decided_at.as_deref().unwrap_or("-"),
            shown(e.decided_by.as_deref().unwrap_or("-"))
        );
    }
    println!("{} flag(s)", flags.len());
}

fn print_kpis(k: &ringscope_desk::Kpis) {
    let h = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.1} h"));
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{:.1}%", x * 100.0));
    println!("Cases        {} ({:?})", k.cases, k.by_status);
    for w in &k.weeks {
        println!(
            "  {}   opened {:>3}  closed {:>3}",
            w.week, w.opened, w.closed
        );
    }
    println!(
        "To first decision  median {}  p90 {}  ({} cases)",
        h(k.time_to_first_decision.median_hours),
        h(k.time_to_first_decision.p90_hours),
        k.time_to_first_decision.count
    );
    println!(
        "To close           median {}  p90 {}  ({} cases)",
        h(k.time_to_close.median_hours),
        h(k.time_to_close.p90_hours),
        k.time_to_close.count
    );
    println!(
        "Closed within SLA  {} of {} ({})",
        k.closed_within_sla,
        k.closed_with_sla,
        pct(k.closed_within_sla_share)
    );
    if let Some(o) = &k.oldest_open {
        println!(
            "Oldest open        {} ({}), {} days",
            shown(&o.title),
            shown(&o.file),
            o.age_days
        );
    }
    println!(
        "Overturned         {}  by type {:?}  by ring reason {:?}",
        k.overturned, k.overturned_by_case_type, k.overturned_by_ring_reason
    );
    let money: Vec<String> = k
        .confirmed_money
        .iter()
        .map(|m| format!("{} {}", m.currency, minor(m.minor)))
        .collect();
    println!(
        "Confirmed rings    {}  moved {}",
        k.confirmed_rings,
        if money.is_empty() {
            "-".into()
        } else {
            money.join(", ")
        }
    );
    println!(
        "Dismissed          {} of {} decided ({})",
        k.dismissed,
        k.decided,
        pct(k.dismissed_share)
    );
}

/// `ringscope case step CASE STEP --done|--skip REASON`
pub fn step(case: &Path, step: &str, skip: Option<&str>, actor: &str) -> anyhow::Result<ExitCode> {
    let w = api::mark_step(&Context::new(case, actor), step, skip)?;
    let mark = w
        .checklist
        .iter()
        .find(|i| i.step.id == step)
        .and_then(|i| i.mark.clone());
    println!(
        "step {} {}{}",
        shown(step),
        mark.as_ref().map_or("-", |m| m.state.as_str()),
        mark.as_ref()
            .and_then(|m| m.reason.as_deref())
            .map(|r| format!(": {}", shown(r)))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ringscope case status CASE STATUS [--reason ..]`
pub fn status(
    case: &Path,
    status: &str,
    reason: Option<&str>,
    actor: &str,
) -> anyhow::Result<ExitCode> {
    let status = api::parse_status(status)?;
    api::set_status(&Context::new(case, actor), status, reason)?;
    println!("case is now {}", status.as_str());
    Ok(ExitCode::SUCCESS)
}

/// `ringscope case assign CASE NAME`
pub fn assign(case: &Path, name: &str, actor: &str) -> anyhow::Result<ExitCode> {
    api::assign(&Context::new(case, actor), name)?;
    println!("case assigned to {}", shown(name));
    Ok(ExitCode::SUCCESS)
}

/// `ringscope case checklist CASE`
pub fn checklist(case: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let w = api::workflow(&Context::new(case, ringscope_api::default_actor()))?;
    if json {
        print_json(&w)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} ({}), status {}, assignee {}, due {}",
        w.type_name.as_deref().unwrap_or("untyped"),
        w.case_type.as_deref().unwrap_or("-"),
        w.status.as_str(),
        shown(w.assignee.as_deref().unwrap_or("-")),
        w.due_at.as_deref().unwrap_or("-")
    );
    for i in &w.checklist {
        let state = match &i.mark {
            Some(m) if m.state == "done" => "[x]".to_string(),
            Some(_) => "[-]".to_string(),
            None => "[ ]".to_string(),
        };
        println!(
            "  {state} {:<10} {}{}{}",
            i.step.id,
            i.step.title,
            if i.step.required { "" } else { " (optional)" },
            i.mark
                .as_ref()
                .and_then(|m| m.reason.as_deref())
                .map(|r| format!(" — skipped: {}", shown(r)))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// After an import into a case of a desk: flags the accounts that use a watched identifier (each logged once in
/// the case's audit log as `watchlist.flag`) and lists them on the terminal.
pub fn check_after_import(dir: &Path, case: &Path, actor: &str, quiet: bool) -> anyhow::Result<()> {
    let flags = api::flag_watched(&desk(dir, actor), &Context::new(case, actor))?;
    if !quiet && !flags.is_empty() {
        println!("watchlist of desk {}:", dir.display());
        print_flags(&flags);
    }
    Ok(())
}
