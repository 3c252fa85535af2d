//! `cargo xtask bench-desk`: a desk of generated cases (default 200), then the time to open it, list its cases and
//! compute its KPIs (the app's first screen), with the index warm and with every case re-read. Prints the figures;
//! BENCHMARKS.md quotes them by hand. Not a timed test.

use anyhow::Context;
use ringscope_desk::{Desk, ListQuery, NewDeskCase};
use ringscope_store::{Case, CaseStatus, DecisionState};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Where to build the desk [default: a temporary folder, removed after].
    #[arg(long)]
    dir: Option<PathBuf>,
    #[arg(long, default_value_t = 200)]
    cases: usize,
    /// Accounts per generated case.
    #[arg(long, default_value_t = 300)]
    accounts: usize,
    /// Measure the desk already built in `--dir` (re-read once first) instead of building one.
    #[arg(long, requires = "dir")]
    reuse: bool,
}

const TYPES: [&str; 5] = [
    "chargeback",
    "card-testing",
    "ban-evasion",
    "self-funding",
    "account-takeover",
];

fn ts(base: chrono::DateTime<chrono::Utc>, hours: i64) -> String {
    (base + chrono::Duration::hours(hours)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let root = args.dir.clone().unwrap_or_else(|| tmp.path().to_owned());
    let data = root.join("generated");
    let desk_dir = root.join("desk");
    if args.reuse {
        let mut desk = Desk::open(&desk_dir)?;
        for f in desk.cases()?.into_iter().map(|r| r.file) {
            desk.index(&f)?;
        }
        return measure(&desk_dir, &args, "2026-10-20T00:00:00Z");
    }
    let mut cfg = ringscope_synth::Config::sized(args.accounts);
    cfg.seed = 7;
    ringscope_synth::generate(&cfg, &data)?;
    let mapping = ringscope_ingest::Mapping::parse(&std::fs::read_to_string(
        data.join(ringscope_synth::LOGINS_MAPPING_FILE),
    )?)
    .map_err(anyhow::Error::msg)?;
    let base =
        chrono::DateTime::parse_from_rfc3339("2026-08-03T09:00:00Z")?.with_timezone(&chrono::Utc);
    let mut desk = Desk::init(&desk_dir, &ts(base, 0))?;
    let built = Instant::now();
    for i in 0..args.cases {
        let opened = i as i64 * 9;
        let row = desk.new_case(
            &NewDeskCase {
                title: format!("Generated case {i:03}"),
                case_type: TYPES[i % TYPES.len()].into(),
                reference: Some(format!("ZD-{}", 10_000 + i)),
                assignee: Some(["ana", "bo", "chen"][i % 3].into()),
                phone_region: "US".into(),
            },
            "bench",
            &ts(base, opened),
        )?;
        let path = desk.dir().join(&row.file);
        let mut case = Case::open(&path)?;
        for file in [
            ringscope_synth::ACCOUNTS_FILE,
            ringscope_synth::PAYMENTS_FILE,
            ringscope_synth::LOGINS_FILE,
        ] {
            let at = ts(base, opened + 1);
            let mut opts = ringscope_ingest::ImportOptions::new("bench", at.clone());
            if file == ringscope_synth::LOGINS_FILE {
                opts.mapping = Some(&mapping);
            }
            opts.allow_rejects = true;
            ringscope_ingest::import_file(&mut case, &data.join(file), &opts, &mut |_| {})
                .with_context(|| format!("importing {file}"))?;
        }
        case.mark_step("import", None, "bench", &ts(base, opened + 1))?;
        let analysis = ringscope_graph::analyze(&mut case, &ts(base, opened + 2), "bench")?;
        for (n, ring) in analysis.rings.iter().take(3).enumerate() {
            let state = if n == 2 {
                DecisionState::Dismissed
            } else {
                DecisionState::Confirmed
            };
            case.decide(
                &ring.id,
                state,
                None,
                "bench",
                &ts(base, opened + 4 + (i % 7) as i64 * 6),
            )?;
        }
        if i % 10 == 0
            && let Some(ring) = analysis.rings.first()
        {
            case.decide(
                &ring.id,
                DecisionState::Dismissed,
                Some("overturned"),
                "bench",
                &ts(base, opened + 60),
            )?;
        }
        if i + 20 < args.cases {
            case.set_status(
                CaseStatus::Closed,
                Some("generated"),
                "bench",
                &ts(base, opened + 12 + (i % 11) as i64 * 20),
            )?;
        }
        drop(case);
        desk.index(&row.file)?;
    }
    println!(
        "built a desk of {} cases ({} accounts each) in {:.1} s",
        args.cases,
        args.accounts,
        built.elapsed().as_secs_f64()
    );
    drop(desk);
    measure(&desk_dir, &args, &ts(base, args.cases as i64 * 9 + 24))
}

fn measure(desk_dir: &std::path::Path, args: &Args, as_of: &str) -> anyhow::Result<()> {
    let mut best = f64::MAX;
    let mut kpis = None;
    for _ in 0..5 {
        let t = Instant::now();
        let mut desk = Desk::open(desk_dir)?;
        desk.refresh()?;
        let rows = desk.list(&ListQuery::default())?;
        let k = desk.kpis(as_of)?;
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(rows.len(), args.cases);
        kpis = Some(k);
    }
    let t = Instant::now();
    let mut desk = Desk::open(desk_dir)?;
    let files: Vec<String> = desk.cases()?.into_iter().map(|r| r.file).collect();
    for f in &files {
        desk.index(f)?;
    }
    desk.list(&ListQuery::default())?;
    desk.kpis(as_of)?;
    let cold = t.elapsed().as_secs_f64();
    let k = kpis.expect("measured");
    println!(
        "open + list + KPIs, index warm: {:.1} ms (best of 5)\nopen + re-read every case + list + KPIs: {:.0} ms",
        best * 1000.0,
        cold * 1000.0
    );
    println!(
        "KPIs: {} cases, {} confirmed rings, {} overturned, time to close median {:?} h, within SLA {:?}",
        k.cases,
        k.confirmed_rings,
        k.overturned,
        k.time_to_close.median_hours,
        k.closed_within_sla_share
    );
    Ok(())
}
