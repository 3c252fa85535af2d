use crate::output::{print_json, shown};
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use ringscope_api::Context;
use ringscope_api::import::{ImportEvent, ImportRequest};
use ringscope_ingest::{ImportReport, Mapping, Phase, Progress};
use ringscope_model::RecordKind;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ImportArgs {
    /// The case file (create it with `ringscope case init`).
    case: PathBuf,
    /// CSV files to import; each is imported whole or not at all.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// What the files hold, when the header does not say: accounts, payments or events.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<RecordKind>,
    /// A mapping file (TOML or JSON) for headers Ringscope does not know; saved into the case for next time.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Import the good rows and keep the bad ones as rejects, instead of refusing the whole file.
    #[arg(long)]
    allow_rejects: bool,
    /// Print one JSON report per file (an array) instead of text.
    #[arg(long)]
    json: bool,
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
    /// Check the imported accounts against this desk's watchlist [default: the desk the case is in, if any].
    #[arg(long)]
    desk: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProgressMode {
    /// A bar on a terminal, nothing otherwise.
    Auto,
    Bar,
    /// One JSON object per line on stderr.
    Json,
    None,
}

fn parse_kind(s: &str) -> Result<RecordKind, String> {
    RecordKind::parse(s)
        .ok_or_else(|| format!("unknown kind {s:?}: expected accounts, payments or events"))
}

pub fn run(args: ImportArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let mapping =
        match &args.mapping {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading mapping {}", path.display()))?;
                Some(Mapping::parse(&text).map_err(|e| {
                    crate::output::fail("mapping", format!("{}: {e}", path.display()))
                })?)
            }
            None => None,
        };
    let mode = match args.progress {
        ProgressMode::Auto if std::io::stderr().is_terminal() && !args.json => ProgressMode::Bar,
        ProgressMode::Auto => ProgressMode::None,
        other => other,
    };
    let request = ImportRequest {
        paths: args.files.clone(),
        kind: args.kind,
        mapping,
        allow_rejects: args.allow_rejects,
    };
    let ctx = Context::new(&args.case, actor);
    let mut bar: Option<ProgressBar> = None;
    let outcomes = ringscope_api::import::import(&ctx, &request, None, &mut |event| match event {
        ImportEvent::Progress {
            file,
            phase,
            bytes_done,
            bytes_total,
            rows,
        } => {
            let p = Progress {
                file: &file,
                phase,
                bytes_done,
                bytes_total,
                rows,
            };
            if mode == ProgressMode::Bar && bar.is_none() {
                bar = Some(new_bar(&file));
            }
            report_progress(mode, bar.as_ref(), &p);
        }
        ImportEvent::Finished { report } => {
            if let Some(bar) = bar.take() {
                bar.finish_and_clear();
            }
            if !args.json {
                print_report(&report);
            }
        }
        ImportEvent::Failed { error, .. } => {
            if let Some(bar) = bar.take() {
                bar.finish_and_clear();
            }
            if !args.json {
                eprintln!("error: {}", shown(&error.message));
            }
        }
    })?;
    let failed = outcomes.iter().any(|o| o.failed());
    if args.json {
        print_json(&outcomes)?;
    }
    let desk = args.desk.clone().or_else(|| {
        let dir = args.case.parent()?;
        let dir = if dir.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            dir
        };
        dir.join(ringscope_desk::INDEX_FILE)
            .is_file()
            .then(|| dir.to_owned())
    });
    if let Some(desk) = desk {
        super::desk::check_after_import(&desk, &args.case, actor, args.json)?;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn new_bar(file: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(file.to_string());
    bar
}

fn report_progress(mode: ProgressMode, bar: Option<&ProgressBar>, p: &Progress<'_>) {
    match (mode, bar) {
        (ProgressMode::Bar, Some(bar)) => {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            if p.phase == Phase::Importing {
                bar.set_message(format!("{} ({} rows)", p.file, p.rows));
            }
        }
        (ProgressMode::Json, _) => {
            if let Ok(line) = serde_json::to_string(p) {
                eprintln!("{line}");
            }
        }
        _ => {}
    }
}

fn print_report(r: &ImportReport) {
    if r.already_imported {
        println!(
            "{}: already in the case as source #{} (same SHA-256 {}); nothing changed",
            shown(&r.file),
            r.source_id,
            &r.sha256[..12]
        );
        return;
    }
    let rows = &r.rows;
    println!(
        "{}: {} as {}; {} rows read, {} imported, {} duplicate ({} conflicting), {} rejected; source #{}{}",
        shown(&r.file),
        shown(&r.detected_as),
        r.kind,
        rows.read,
        rows.imported,
        rows.duplicate,
        rows.conflicting,
        rows.rejected,
        r.source_id,
        if r.mapping_saved {
            "; mapping saved for this header"
        } else {
            ""
        }
    );
    for e in &r.rejects {
        println!("  rejected {}", shown(&e.to_string()));
    }
    if rows.rejected as usize > r.rejects.len() {
        println!(
            "  ... and {} more rejected rows (stored in the case)",
            rows.rejected as usize - r.rejects.len()
        );
    }
    if !r.kept_verbatim.is_empty() {
        let counts: Vec<String> = r
            .kept_verbatim
            .iter()
            .map(|k| format!("{} {}", k.count, k.field))
            .collect();
        println!(
            "  values kept verbatim but not normalized (their rows were imported): {}",
            counts.join(", ")
        );
        for k in &r.kept_verbatim {
            for e in &k.examples {
                println!("    {}", shown(&e.to_string()));
            }
            if k.count as usize > k.examples.len() {
                println!(
                    "    ... and {} more {} values",
                    k.count as usize - k.examples.len(),
                    k.field
                );
            }
        }
    }
    for c in &r.conflicts {
        println!(
            "  conflict {}:{}: {} {} is {:?} here, keeping {:?} from source #{} line {}",
            shown(&r.file),
            c.line,
            shown(&c.key),
            c.conflict.field,
            shown(&c.conflict.new),
            shown(&c.conflict.kept),
            c.conflict.kept_source_id,
            c.conflict.kept_line
        );
    }
}

#[derive(clap::Args)]
pub struct TicketsArgs {
    case: PathBuf,
    /// Zendesk incremental ticket export files (`{"tickets": [...], "users": [...]}`, or an array of pages).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// `ringscope import-tickets CASE FILE...`: each file whole or not at all.
pub fn tickets(args: TicketsArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let ctx = ringscope_api::Context::new(&args.case, actor);
    let mut reports = vec![];
    for file in &args.files {
        let r = ringscope_api::tickets::import_tickets(&ctx, file)?;
        if !args.json {
            if r.already_imported {
                println!(
                    "{}: already imported ({} tickets), nothing changed",
                    shown(&r.file),
                    r.tickets
                );
            } else {
                println!(
                    "{}: {} tickets ({} new, {} updated, {} unchanged); {} requested by accounts of the case, {} without a requester email",
                    shown(&r.file),
                    r.tickets,
                    r.new,
                    r.updated,
                    r.unchanged,
                    r.linked_tickets,
                    r.without_email
                );
            }
        }
        reports.push(r);
    }
    if args.json {
        print_json(&reports)?;
    }
    Ok(ExitCode::SUCCESS)
}
