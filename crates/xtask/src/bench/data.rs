//! The benchmark's inputs, generated once per size and reused: the CSV exports, a 99% / 1% split of them for the
//! re-import step, and the account–identifier links the graph peers read.

use anyhow::Context;
use ringscope_graph::{LinkGraph, build::Edge};
use ringscope_synth as synth;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILES: [&str; 3] = [
    synth::ACCOUNTS_FILE,
    synth::PAYMENTS_FILE,
    synth::LOGINS_FILE,
];

pub struct Inputs {
    pub dir: PathBuf,
    pub csv: Vec<PathBuf>,
    pub mapping: PathBuf,
    pub rows: u64,
    pub bytes: u64,
    /// The first 99% of each file's rows, and the last 1%.
    pub base: Vec<PathBuf>,
    pub new: Vec<PathBuf>,
}

pub fn generate(work: &Path, accounts: usize) -> anyhow::Result<Inputs> {
    let dir = work.join(format!("accounts-{accounts}"));
    if !dir.join(synth::TRUTH_FILE).exists() {
        eprintln!("generating {accounts} accounts into {}", dir.display());
        std::fs::create_dir_all(&dir)?;
        synth::generate(&synth::Config::sized(accounts), &dir)?;
    }
    let mapping = dir.join(synth::LOGINS_MAPPING_FILE);
    if !mapping.exists() {
        std::fs::write(&mapping, synth::LOGINS_MAPPING)?;
    }
    let csv: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
    let (mut rows, mut bytes) = (0, 0);
    let (mut base, mut new) = (vec![], vec![]);
    for path in &csv {
        bytes += std::fs::metadata(path)?.len();
        let n = split(path, &dir.join("split-99"), &dir.join("split-1"))?;
        rows += n;
        base.push(
            dir.join("split-99")
                .join(path.file_name().context("file name")?),
        );
        new.push(
            dir.join("split-1")
                .join(path.file_name().context("file name")?),
        );
    }
    Ok(Inputs {
        dir,
        csv,
        mapping,
        rows,
        bytes,
        base,
        new,
    })
}

/// Writes the first 99% of `path`'s records to `base_dir` and the rest to `new_dir` (each with the header);
/// returns the record count. Kept when already written.
fn split(path: &Path, base_dir: &Path, new_dir: &Path) -> anyhow::Result<u64> {
    let name = path.file_name().context("file name")?;
    let count_file = base_dir.join(name).with_extension("count");
    if let Ok(n) = std::fs::read_to_string(&count_file) {
        return Ok(n.trim().parse()?);
    }
    std::fs::create_dir_all(base_dir)?;
    std::fs::create_dir_all(new_dir)?;
    let total = csv::Reader::from_path(path)?.byte_records().count() as u64;
    let keep = total - total / 100;
    let mut reader = csv::Reader::from_path(path)?;
    let header = reader.byte_headers()?.clone();
    let mut base = csv::Writer::from_path(base_dir.join(name))?;
    let mut new = csv::Writer::from_path(new_dir.join(name))?;
    base.write_byte_record(&header)?;
    new.write_byte_record(&header)?;
    for (i, record) in reader.byte_records().enumerate() {
        let record = record?;
        if (i as u64) < keep {
            base.write_byte_record(&record)?
        } else {
            new.write_byte_record(&record)?
        }
    }
    base.flush()?;
    new.flush()?;
    std::fs::write(count_file, total.to_string())?;
    Ok(total)
}

/// The links of the case's graph as 0-based vertex pairs (what igraph and networkx read), written once.
pub fn links(case: &Path, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        return Ok(());
    }
    let case = ringscope_store::Case::open(case)?;
    let graph = LinkGraph::build(&case)?;
    let partial = out.with_extension("partial");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&partial)?);
    for e in graph.graph.raw_edges() {
        if matches!(e.weight, Edge::Uses { .. }) {
            writeln!(w, "{} {}", e.source().index(), e.target().index())?;
        }
    }
    w.flush()?;
    std::fs::rename(partial, out)?;
    Ok(())
}
