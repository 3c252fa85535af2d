//! `cargo xtask eval-rings`: the ring list scored against planted answers, on cases from two generators —
//! `crates/synth` (ours, with several styles per pattern) and `eval/independent_gen.py` (written apart from the
//! detector, from the product notes alone) — at several sizes and seeds. Seeds are split into the ones the
//! detector was tuned on and held-out ones never looked at while tuning; the report keeps them apart.
//!
//! The baseline is what an analyst gets without Ringscope: connected components over every identifier shared by
//! 2–50 accounts (placeholders dropped the same way), ranked by size.

mod metrics;
mod report;

use anyhow::{Context, bail};
use metrics::{Scores, Set};
use ringscope_graph::{LinkGraph, Node};
use ringscope_synth::{Group, Truth};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Case sizes in accounts (k and m suffixes allowed).
    #[arg(long, value_delimiter = ',', default_value = "20k,100k")]
    sizes: Vec<String>,
    /// Seeds the detector was tuned on.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    tuning_seeds: Vec<u64>,
    /// Seeds never looked at while tuning: the figures that count.
    #[arg(long, value_delimiter = ',', default_value = "101,102,103")]
    held_out_seeds: Vec<u64>,
    /// Which generators: synth, independent.
    #[arg(long, value_delimiter = ',', default_value = "synth,independent")]
    generators: Vec<String>,
    /// At 100k accounts and more, only the first this many held-out seeds and no tuning seeds (an import there
    /// takes minutes; tuning is done at the smaller sizes).
    #[arg(long, default_value_t = 2)]
    large_seeds: usize,
    /// Only the tuning seeds (while tuning: the held-out figures stay unseen).
    #[arg(long)]
    tuning_only: bool,
    /// Generated cases and their case files, kept between runs.
    #[arg(long, default_value_os_t = default_work())]
    work: PathBuf,
    /// Import again even when a case file from an earlier run exists (after an importer change).
    #[arg(long)]
    reimport: bool,
    /// Where the report goes; results.json goes beside it under docs/rings-eval/.
    #[arg(long, default_value = "docs/rings-eval.md")]
    report: PathBuf,
}

fn default_work() -> PathBuf {
    crate::cache_dir("ringscope-eval")
}

/// One evaluated case.
#[derive(Debug, Serialize)]
pub struct CaseResult {
    pub generator: String,
    pub accounts: usize,
    pub seed: u64,
    pub held_out: bool,
    pub detect_seconds: f64,
    pub ringscope: Scores,
    pub baseline: Scores,
    /// Planted rings and benign groups in the order of the scores' outcomes and benign ranks.
    pub rings: Vec<GroupInfo>,
    pub benign: Vec<GroupInfo>,
}

#[derive(Debug, Serialize)]
pub struct GroupInfo {
    pub id: String,
    pub kind: String,
    pub style: String,
    pub size: usize,
}

impl From<&Group> for GroupInfo {
    fn from(g: &Group) -> Self {
        GroupInfo {
            id: g.id.clone(),
            kind: g.kind.clone(),
            style: g.style.clone(),
            size: g.members.len(),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut results = vec![];
    let seeds: Vec<(u64, bool)> = args
        .tuning_seeds
        .iter()
        .map(|&s| (s, false))
        .chain(
            (!args.tuning_only)
                .then_some(&args.held_out_seeds)
                .into_iter()
                .flatten()
                .map(|&s| (s, true)),
        )
        .collect();
    for size in &args.sizes {
        let accounts = crate::bench::parse_size(size)?;
        let large = accounts >= 100_000;
        let mut held_out_taken = 0;
        let seeds_here: Vec<(u64, bool)> = seeds
            .iter()
            .copied()
            .filter(|&(_, held_out)| {
                held_out_taken += usize::from(held_out);
                !large || (held_out && held_out_taken <= args.large_seeds)
            })
            .collect();
        for generator in &args.generators {
            for &(seed, held_out) in &seeds_here {
                let r = evaluate(&args, generator, accounts, seed, held_out)?;
                eprintln!(
                    "{generator} {accounts} seed {seed}{}: AP {:.3} recall {:.3} top-K {:.3} (baseline AP {:.3}); benign in top K: {}, above a planted ring: {}; detection {:.1} s",
                    if held_out { " (held out)" } else { "" },
                    r.ringscope.average_precision,
                    r.ringscope.recall,
                    r.ringscope.top_k_precision,
                    r.baseline.average_precision,
                    r.ringscope
                        .benign_ranks
                        .iter()
                        .flatten()
                        .filter(|&&rank| rank <= r.ringscope.planted)
                        .count(),
                    r.ringscope.benign_above_fraud,
                    r.detect_seconds
                );
                results.push(r);
            }
        }
    }
    let json_dir = args.report.with_extension("");
    std::fs::create_dir_all(&json_dir)?;
    std::fs::write(
        json_dir.join("results.json"),
        serde_json::to_string_pretty(&results)? + "\n",
    )?;
    std::fs::write(&args.report, report::render(&results))?;
    eprintln!("wrote {}", args.report.display());
    Ok(())
}

fn evaluate(
    args: &Args,
    generator: &str,
    accounts: usize,
    seed: u64,
    held_out: bool,
) -> anyhow::Result<CaseResult> {
    let dir = args.work.join(format!("{generator}-{accounts}-{seed}"));
    let truth = generate(generator, accounts, seed, &dir)?;
    let case_path = dir.join("case.ringscope");
    if args.reimport || !dir.join("imported").exists() {
        import(&dir, &case_path)?;
        std::fs::write(dir.join("imported"), "")?;
    }
    let mut case = ringscope_store::Case::open(&case_path)?;
    let started = Instant::now();
    let analysis = ringscope_graph::analyze(&mut case, "2026-11-25T00:00:00Z", "eval")?;
    let detect_seconds = started.elapsed().as_secs_f64();
    let reported: Vec<Set<'_>> = analysis
        .rings
        .iter()
        .map(|r| r.members.iter().map(String::as_str).collect())
        .collect();
    fn sets(groups: &[Group]) -> Vec<Set<'_>> {
        groups
            .iter()
            .map(|g| g.members.iter().map(String::as_str).collect())
            .collect()
    }
    let (planted, benign) = (sets(&truth.rings), sets(&truth.benign));
    let components = baseline(&analysis.graph);
    let baseline_sets: Vec<Set<'_>> = components
        .iter()
        .map(|c| c.iter().map(String::as_str).collect())
        .collect();
    Ok(CaseResult {
        generator: generator.to_string(),
        accounts,
        seed,
        held_out,
        detect_seconds,
        ringscope: metrics::score(&reported, &planted, &benign),
        baseline: metrics::score(&baseline_sets, &planted, &benign),
        rings: truth.rings.iter().map(GroupInfo::from).collect(),
        benign: truth.benign.iter().map(GroupInfo::from).collect(),
    })
}

fn generate(generator: &str, accounts: usize, seed: u64, dir: &Path) -> anyhow::Result<Truth> {
    let truth_file = dir.join(ringscope_synth::TRUTH_FILE);
    if !truth_file.exists() {
        eprintln!(
            "generating {generator} {accounts} seed {seed} into {}",
            dir.display()
        );
        std::fs::create_dir_all(dir)?;
        match generator {
            "synth" => {
                let mut cfg = ringscope_synth::Config::sized(accounts);
                cfg.seed = seed;
                ringscope_synth::generate(&cfg, dir)?;
            }
            "independent" => {
                let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/independent_gen.py");
                let status = Command::new("python3")
                    .arg(&script)
                    .arg(dir)
                    .args([
                        "--accounts",
                        &accounts.to_string(),
                        "--seed",
                        &seed.to_string(),
                    ])
                    .status()
                    .with_context(|| format!("running {}", script.display()))?;
                if !status.success() {
                    bail!("{} failed: {status}", script.display());
                }
            }
            other => bail!("unknown generator {other:?} (synth or independent)"),
        }
    }
    let text = std::fs::read_to_string(&truth_file)
        .with_context(|| format!("reading {}", truth_file.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", truth_file.display()))
}

fn import(dir: &Path, case_path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", case_path.display()));
    }
    let new = ringscope_store::NewCase {
        title: "eval".into(),
        phone_region: "US".into(),
        ..Default::default()
    };
    let mut case = ringscope_store::Case::create(case_path, &new, "2026-11-25T00:00:00Z")?;
    let mapping_file = dir.join(ringscope_synth::LOGINS_MAPPING_FILE);
    let mapping = match std::fs::read_to_string(&mapping_file) {
        Ok(text) => Some(ringscope_ingest::Mapping::parse(&text).map_err(anyhow::Error::msg)?),
        Err(_) => None,
    };
    for file in [
        ringscope_synth::ACCOUNTS_FILE,
        ringscope_synth::PAYMENTS_FILE,
        ringscope_synth::LOGINS_FILE,
    ] {
        let mut opts = ringscope_ingest::ImportOptions::new("eval", "2026-11-25T00:00:00Z");
        if file == ringscope_synth::LOGINS_FILE {
            opts.mapping = mapping.as_ref();
        }
        // Real exports carry values that do not normalize; the eval measures detection, not strictness.
        opts.allow_rejects = true;
        let report = ringscope_ingest::import_file(&mut case, &dir.join(file), &opts, &mut |_| {})
            .with_context(|| format!("importing {file} from {}", dir.display()))?;
        if report.rows.rejected > 0 {
            eprintln!("  {file}: {} rows rejected", report.rows.rejected);
        }
    }
    Ok(())
}

/// Connected components over identifiers shared by 2–50 accounts, largest first.
fn baseline(g: &LinkGraph) -> Vec<Vec<String>> {
    use petgraph::unionfind::UnionFind;
    let mut uf = UnionFind::<usize>::new(g.graph.node_count());
    for ident in g.graph.node_indices() {
        if let Node::Identifier { accounts, .. } = &g.graph[ident]
            && (2..=50).contains(accounts)
        {
            for a in ringscope_graph::detect::accounts_of(g, ident) {
                uf.union(ident.index(), a.index());
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for n in g.account_nodes() {
        if let Some(id) = g.account_id(n) {
            by_root
                .entry(uf.find(n.index()))
                .or_default()
                .push(id.to_string());
        }
    }
    let mut comps: Vec<Vec<String>> = by_root.into_values().filter(|c| c.len() >= 2).collect();
    for c in &mut comps {
        c.sort();
    }
    comps.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    comps
}
