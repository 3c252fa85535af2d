use anyhow::{Context, bail};
use ringscope_graph::{LinkGraph, build::Edge};
use ringscope_store::{Case, NewCase};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 1_000_000)]
    accounts: usize,
    /// Measured runs of each side; medians are reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Where generated cases, the peer's venv and results are kept between runs.
    #[arg(long, default_value = "target/bench")]
    work: PathBuf,
}

const NOW: &str = "2026-11-24T00:00:00Z";

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn seconds<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(T, f64)> {
    let t = Instant::now();
    let out = f()?;
    Ok((out, t.elapsed().as_secs_f64()))
}

/// A case of `accounts` accounts, generated and imported once, reused after.
fn prepare_case(dir: &Path, accounts: usize) -> anyhow::Result<PathBuf> {
    let case_path = dir.join("case.ringscope");
    if case_path.exists() {
        return Ok(case_path);
    }
    if !dir.join(ringscope_synth::TRUTH_FILE).exists() {
        eprintln!("generating {accounts} accounts into {}", dir.display());
        let (_, s) = seconds(|| {
            Ok(ringscope_synth::generate(
                &ringscope_synth::Config::sized(accounts),
                dir,
            )?)
        })?;
        eprintln!("  generated in {s:.1} s");
    }
    let partial = dir.join("case.ringscope.partial");
    let _ = std::fs::remove_file(&partial);
    let mut case = Case::create(
        &partial,
        &NewCase {
            title: "bench".into(),
            phone_region: "US".into(),
            ..Default::default()
        },
        NOW,
    )?;
    let mapping = ringscope_ingest::Mapping::parse(ringscope_synth::LOGINS_MAPPING)
        .map_err(anyhow::Error::msg)?;
    for file in [
        ringscope_synth::ACCOUNTS_FILE,
        ringscope_synth::PAYMENTS_FILE,
        ringscope_synth::LOGINS_FILE,
    ] {
        let mut opts = ringscope_ingest::ImportOptions::new("bench", NOW);
        opts.mapping = Some(&mapping);
        let (report, s) = seconds(|| {
            Ok(ringscope_ingest::import_file(
                &mut case,
                &dir.join(file),
                &opts,
                &mut |_| {},
            )?)
        })?;
        eprintln!("  imported {file}: {} rows in {s:.1} s", report.rows.read);
    }
    drop(case);
    std::fs::rename(&partial, &case_path)?;
    Ok(case_path)
}

/// Writes the graph's account–identifier links as 0-based vertex pairs, the input igraph reads.
fn write_links(graph: &LinkGraph, path: &Path) -> anyhow::Result<usize> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut n = 0;
    for e in graph.graph.raw_edges() {
        if matches!(e.weight, Edge::Uses { .. }) {
            writeln!(out, "{} {}", e.source().index(), e.target().index())?;
            n += 1;
        }
    }
    out.flush()?;
    Ok(n)
}

fn igraph_python(work: &Path) -> anyhow::Result<PathBuf> {
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("installing igraph into {}", venv.display());
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()?
            .success()
            && Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "igraph"])
                .status()?
                .success();
        if !ok {
            bail!("could not install the igraph peer (python3 -m venv, pip install igraph)");
        }
    }
    Ok(python)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = args.work.join(format!("accounts-{}", args.accounts));
    std::fs::create_dir_all(&dir)?;
    let case_path = prepare_case(&dir, args.accounts)?;
    let python = igraph_python(&args.work)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/igraph_cc.py");

    let mut case = Case::open(&case_path)?;
    let links_path = dir.join("links.txt");
    let (graph, _) = seconds(|| Ok(LinkGraph::build(&case)?))?;
    let links = write_links(&graph, &links_path)?;
    let (vertices, identifiers) = (graph.graph.node_count(), graph.identifiers.len());
    drop(graph);

    let (mut ours, mut ours_build, mut peer_cc, mut peer_total) = (vec![], vec![], vec![], vec![]);
    let mut rings = 0;
    for run in 0..args.runs {
        let (_, build) = seconds(|| Ok(LinkGraph::build(&case)?))?;
        let (analysis, total) = seconds(|| Ok(ringscope_graph::analyze(&mut case, NOW, "bench")?))?;
        rings = analysis.rings.len();
        drop(analysis);
        let out = Command::new(&python)
            .arg(&script)
            .arg(&links_path)
            .output()
            .context("running the igraph peer")?;
        if !out.status.success() {
            bail!(
                "igraph peer failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let peer: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let (read_build, cc) = (
            peer["read_build_s"].as_f64().unwrap_or(0.0),
            peer["components_s"].as_f64().unwrap_or(0.0),
        );
        eprintln!(
            "run {}: ringscope {total:.2} s (graph build {build:.2} s); igraph components {cc:.2} s, read+build+components {:.2} s",
            run + 1,
            read_build + cc
        );
        ours.push(total);
        ours_build.push(build);
        peer_cc.push(cc);
        peer_total.push(read_build + cc);
    }
    let result = serde_json::json!({
        "accounts": args.accounts,
        "vertices": vertices,
        "identifiers": identifiers,
        "links": links,
        "rings": rings,
        "runs": args.runs,
        "median_s": {
            "ringscope_build_detect_score": median(ours.clone()),
            "ringscope_graph_build": median(ours_build),
            "igraph_components": median(peer_cc.clone()),
            "igraph_read_build_components": median(peer_total.clone()),
        },
        "ratio": {
            "ringscope_vs_igraph_components": median(ours.clone()) / median(peer_cc),
            "ringscope_vs_igraph_read_build_components": median(ours) / median(peer_total),
        },
    });
    std::fs::write(
        args.work
            .join(format!("bench-rings-{}.json", args.accounts)),
        serde_json::to_string_pretty(&result)? + "\n",
    )?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}
