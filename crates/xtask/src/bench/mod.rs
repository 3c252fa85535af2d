//! `cargo xtask bench`: Ringscope against the tools analysts use instead, in the same run, on the same files.
//!
//! For each size: generate the CSV exports once (reused after), then several rounds of every step, each under
//! `/usr/bin/time`: the floor (`cat`), Ringscope import, ring detection, CSV → rings, and a 1% re-import; DuckDB,
//! the sqlite3 shell and pandas loading the same CSVs; igraph and networkx connected components on the same links.
//! Medians and ratios go to `results.json` and a generated BENCHMARKS.md with a scaling plot.

mod data;
mod measure;
mod peers;
mod plot;
mod report;

use anyhow::{Context, bail};
use measure::{Sample, sh_quote};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {
    /// Case sizes in accounts (k and m suffixes allowed).
    #[arg(long, value_delimiter = ',', default_value = "10k,100k,1m")]
    sizes: Vec<String>,
    /// Measured rounds per size; medians are reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Generated data, the peers' venv and per-run files, kept between invocations.
    #[arg(long, default_value_os_t = default_work())]
    work: PathBuf,
    /// Rounds for sizes of 1M accounts and more (default: --runs); one round there takes about half an hour.
    #[arg(long)]
    large_runs: Option<usize>,
    /// Where the generated report goes.
    #[arg(long, default_value = "BENCHMARKS.md")]
    report: PathBuf,
    /// Hand-written notes appended to the report (profiles, the app's figures).
    #[arg(long, default_value = "docs/bench/notes.md")]
    notes: PathBuf,
    /// Skip the networkx peer (slow and memory-hungry at 1M accounts).
    #[arg(long)]
    no_networkx: bool,
    /// Measure nothing: rewrite the report from the last run's results.json (after editing the notes).
    #[arg(long)]
    report_only: bool,
}

fn default_work() -> PathBuf {
    crate::cache_dir("ringscope-bench")
}

pub fn parse_size(s: &str) -> anyhow::Result<usize> {
    let s = s.trim().to_ascii_lowercase();
    let (digits, scale) = match s.strip_suffix('m') {
        Some(d) => (d, 1_000_000),
        None => match s.strip_suffix('k') {
            Some(d) => (d, 1_000),
            None => (s.as_str(), 1),
        },
    };
    let n: usize = digits
        .parse()
        .with_context(|| format!("not a size: {s:?}"))?;
    Ok(n * scale)
}

/// Every sample of one step at one size, and its medians.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub samples: Vec<Sample>,
    pub wall_s: f64,
    pub cpu_s: f64,
    pub rss_mb: f64,
    /// Inner timings a peer reports itself (e.g. igraph's components alone), medians.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inner_s: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SizeResult {
    pub accounts: usize,
    pub rounds: usize,
    pub rows: u64,
    pub csv_bytes: u64,
    pub links: u64,
    /// The case file right after a full import (with its WAL), bytes.
    #[serde(default)]
    pub case_bytes: u64,
    pub steps: BTreeMap<String, Step>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub machine: BTreeMap<String, String>,
    pub peers: serde_json::Value,
    pub runs: usize,
    pub large_runs: usize,
    pub sizes: Vec<SizeResult>,
}

/// One step's name, measurement and standard output.
type StepRun = (&'static str, Sample, String);

/// Builds the release CLI and copies it into the work folder, so rebuilding during a long run changes nothing.
fn ringscope_binary(work: &Path) -> anyhow::Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--locked", "-p", "ringscope-cli"])
        .status()?;
    if !status.success() {
        bail!("cargo build --release -p ringscope-cli failed");
    }
    let built = std::env::current_exe()?
        .parent()
        .context("xtask's folder")?
        .join("ringscope");
    let copy = work.join("bin/ringscope");
    std::fs::create_dir_all(copy.parent().context("bin")?)?;
    std::fs::copy(&built, &copy).with_context(|| format!("copying {}", built.display()))?;
    // The build's time, not the copy's: cached cases are made again only when the build is newer.
    std::fs::File::options()
        .write(true)
        .open(&copy)?
        .set_modified(modified(&built)?)?;
    Ok(copy)
}

fn remove_case(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

struct Runner<'a> {
    ringscope: String,
    peers: &'a peers::Peers,
    inputs: &'a data::Inputs,
    no_networkx: bool,
}

impl Runner<'_> {
    fn csv(&self) -> String {
        self.inputs
            .csv
            .iter()
            .map(|p| sh_quote(p))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn import_script(&self, case: &str, files: &[PathBuf]) -> String {
        let files: Vec<String> = files.iter().map(|p| sh_quote(p)).collect();
        format!(
            "{rs} import {case} {files} --mapping {mapping} --progress none --json",
            rs = self.ringscope,
            files = files.join(" "),
            mapping = sh_quote(&self.inputs.mapping),
        )
    }

    fn init_script(&self, case: &str) -> String {
        format!(
            "rm -f {case}*; {} case init {case} --title bench --phone-region US >/dev/null",
            self.ringscope
        )
    }

    fn py(&self, script: &str, args: &str) -> String {
        format!(
            "{} {} {args}",
            sh_quote(&self.peers.python),
            sh_quote(&self.peers.scripts.join(script))
        )
    }

    /// One round of every step, in a fixed order, in `dir`.
    fn round(
        &self,
        dir: &Path,
        base_case: &Path,
        links: &Path,
    ) -> anyhow::Result<(Vec<StepRun>, u64)> {
        let mut out = vec![];
        let mut step = |name: &'static str, script: String| -> anyhow::Result<()> {
            let (sample, stdout) = measure::run(name, &script, dir)?;
            eprintln!(
                "    {name:<28} {:>8.2} s wall {:>8.2} s cpu {:>8.0} MB",
                sample.wall_s, sample.cpu_s, sample.rss_mb
            );
            out.push((name, sample, stdout));
            Ok(())
        };
        let csv = self.csv();
        step("floor_cat", format!("cat {csv} > /dev/null"))?;
        // Import and detection are measured separately (init is part of neither) and together.
        measure::run("init", &self.init_script("import.ringscope"), dir)?;
        step(
            "ringscope_import",
            self.import_script("import.ringscope", &self.inputs.csv),
        )?;
        let case_bytes = ["import.ringscope", "import.ringscope-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
            .map(|m| m.len())
            .sum();
        step(
            "ringscope_rings",
            format!(
                "{} rings import.ringscope --json --limit 100 > rings.json",
                self.ringscope
            ),
        )?;
        // The same case again, unchanged: the detection it keeps is read, not run again.
        step(
            "ringscope_rings_unchanged",
            format!(
                "{} rings import.ringscope --json --limit 100 > /dev/null",
                self.ringscope
            ),
        )?;
        // The graph peers read the links of this same case (written once, untimed). Cases of 1M accounts are
        // about 10 GB: each is removed as soon as it has been measured.
        data::links(&dir.join("import.ringscope"), links)?;
        remove_case(&dir.join("import.ringscope"));
        step(
            "ringscope_csv_to_rings",
            format!(
                "{init} && {import} > /dev/null && {rs} rings total.ringscope --json --limit 100 > /dev/null",
                init = self.init_script("total.ringscope"),
                import = self.import_script("total.ringscope", &self.inputs.csv),
                rs = self.ringscope
            ),
        )?;
        remove_case(&dir.join("total.ringscope"));
        std::fs::copy(base_case, dir.join("reimport.ringscope"))?;
        let _ = std::fs::remove_file(dir.join("reimport.ringscope-wal"));
        step(
            "ringscope_reimport_1pct",
            self.import_script("reimport.ringscope", &self.inputs.new),
        )?;
        remove_case(&dir.join("reimport.ringscope"));
        step(
            "duckdb_load",
            format!(
                "rm -f duck.db; {}; rm -f duck.db",
                self.py("duckdb_load.py", &format!("duck.db {csv}"))
            ),
        )?;
        let imports: Vec<String> = self
            .inputs
            .csv
            .iter()
            .map(|p| {
                format!(
                    "'.import {} {}'",
                    p.display(),
                    p.file_stem().unwrap_or_default().to_string_lossy()
                )
            })
            .collect();
        step(
            "sqlite3_import",
            format!(
                "rm -f shell.db; sqlite3 shell.db -cmd '.mode csv' {}; rm -f shell.db",
                imports.join(" ")
            ),
        )?;
        step(
            "pandas_to_sql",
            format!(
                "rm -f pandas.db; {}; rm -f pandas.db",
                self.py("pandas_load.py", &format!("pandas.db {csv}"))
            ),
        )?;
        step(
            "igraph_components",
            self.py("igraph_cc.py", &sh_quote(links)),
        )?;
        if !self.no_networkx {
            step(
                "networkx_components",
                self.py("networkx_cc.py", &sh_quote(links)),
            )?;
        }
        Ok((out, case_bytes))
    }
}

fn modified(path: &Path) -> anyhow::Result<std::time::SystemTime> {
    Ok(std::fs::metadata(path)?.modified()?)
}

fn bench_size(
    args: &Args,
    accounts: usize,
    ringscope: &Path,
    peers: &peers::Peers,
) -> anyhow::Result<SizeResult> {
    let inputs = data::generate(&args.work, accounts)?;
    let runner = Runner {
        ringscope: sh_quote(ringscope),
        peers,
        inputs: &inputs,
        no_networkx: args.no_networkx,
    };
    // The case holding the first 99% of rows, for the re-import step.
    let base_case = inputs.dir.join("base-99.ringscope");
    let runs = inputs.dir.join("runs");
    std::fs::create_dir_all(&runs)?;
    // Made by this build: a case an older build wrote may differ in what the re-import step measures (its page
    // size changed in one round of work), so an older one is made again.
    if base_case.exists() && modified(&base_case)? < modified(ringscope)? {
        std::fs::remove_file(&base_case)?;
    }
    if !base_case.exists() {
        eprintln!("  importing the 99% base case");
        let partial = inputs.dir.join("base-99.partial");
        let script = format!(
            "{} && {}",
            runner.init_script("base-99.partial"),
            runner.import_script("base-99.partial", &inputs.base)
        );
        measure::run("base", &script, &inputs.dir)?;
        // Fold the WAL into the file so one copy is the whole case.
        let case = ringscope_store::Case::open(&partial)?;
        case.fold_wal_into_file()?;
        drop(case);
        std::fs::rename(&partial, &base_case)?;
    }
    let links = inputs.dir.join("links.txt");

    let mut samples: BTreeMap<&str, Vec<(Sample, String)>> = BTreeMap::new();
    let rounds = if accounts >= 1_000_000 {
        args.large_runs.unwrap_or(args.runs)
    } else {
        args.runs
    };
    let mut case_bytes = 0;
    for run in 0..rounds {
        eprintln!("  {accounts} accounts, round {}/{rounds}", run + 1);
        let (steps, bytes) = runner.round(&runs, &base_case, &links)?;
        case_bytes = bytes;
        for (name, sample, stdout) in steps {
            samples.entry(name).or_default().push((sample, stdout));
        }
    }
    let link_count = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&links)?))
        .count() as u64;
    let steps = samples
        .into_iter()
        .map(|(name, list)| {
            let mut inner: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for (_, stdout) in &list {
                if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(stdout.trim()) {
                    for (k, v) in map {
                        if let (true, Some(x)) = (k.ends_with("_s"), v.as_f64()) {
                            inner.entry(k).or_default().push(x);
                        }
                    }
                }
            }
            let s: Vec<Sample> = list.iter().map(|(s, _)| *s).collect();
            let step = Step {
                wall_s: measure::median(s.iter().map(|x| x.wall_s).collect()),
                cpu_s: measure::median(s.iter().map(|x| x.cpu_s).collect()),
                rss_mb: measure::median(s.iter().map(|x| x.rss_mb).collect()),
                inner_s: inner
                    .into_iter()
                    .map(|(k, v)| (k, measure::median(v)))
                    .collect(),
                samples: s,
            };
            (name.to_string(), step)
        })
        .collect();
    Ok(SizeResult {
        accounts,
        rounds,
        rows: inputs.rows,
        csv_bytes: inputs.bytes,
        links: link_count,
        case_bytes,
        steps,
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.work)?;
    if args.report_only {
        let text = std::fs::read_to_string(args.work.join("results.json"))
            .context("no results.json from an earlier run")?;
        return write_report(&args, &serde_json::from_str(&text)?);
    }
    let sizes: Vec<usize> = args
        .sizes
        .iter()
        .map(|s| parse_size(s))
        .collect::<anyhow::Result<_>>()?;
    let peers = peers::ensure(&args.work)?;
    let ringscope = ringscope_binary(&args.work)?;
    let mut results = Results {
        machine: report::machine(),
        peers: peers.versions.clone(),
        runs: args.runs,
        large_runs: args.large_runs.unwrap_or(args.runs),
        sizes: vec![],
    };
    for &accounts in &sizes {
        eprintln!("{accounts} accounts");
        results
            .sizes
            .push(bench_size(&args, accounts, &ringscope, &peers)?);
        // Written after every size, so a long run that is cut off still leaves its figures.
        std::fs::write(
            args.work.join("results.json"),
            serde_json::to_string_pretty(&results)? + "\n",
        )?;
    }
    write_report(&args, &results)
}

fn write_report(args: &Args, results: &Results) -> anyhow::Result<()> {
    let svg = plot::scaling(results);
    let plot_path = args
        .report
        .parent()
        .unwrap_or(Path::new("."))
        .join("docs/bench/scaling.svg");
    std::fs::create_dir_all(plot_path.parent().context("plot folder")?)?;
    std::fs::write(&plot_path, svg)?;
    std::fs::copy(
        args.work.join("results.json"),
        plot_path.with_file_name("results.json"),
    )?;
    let notes = std::fs::read_to_string(&args.notes).unwrap_or_default();
    std::fs::write(&args.report, report::markdown(results, &notes))?;
    eprintln!(
        "wrote {}, {} and {}",
        args.report.display(),
        plot_path.display(),
        plot_path.with_file_name("results.json").display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_take_k_and_m_suffixes() {
        assert_eq!(super::parse_size("10k").unwrap(), 10_000);
        assert_eq!(super::parse_size("1M").unwrap(), 1_000_000);
        assert_eq!(super::parse_size("2500").unwrap(), 2_500);
        assert!(super::parse_size("lots").is_err());
    }
}
