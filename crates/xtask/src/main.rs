//! `cargo xtask`: project tasks that are not part of the product.
//!
//! `bench` measures Ringscope against the tools analysts use instead, in the same run on the same files, and
//! writes BENCHMARKS.md (never a timed test: figures are ratios in a report). `eval-rings` scores the ring list
//! against planted answers and writes docs/rings-eval.md.

mod bench;
mod bench_desk;
mod eval;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// The full suite: import, detection and re-import against DuckDB, sqlite3, pandas, igraph and networkx.
    Bench(bench::Args),
    /// Ring detection scored against planted answers on generated cases (tuning and held-out seeds).
    EvalRings(eval::Args),
    /// A desk of generated cases (200 by default): time to open it, list the cases and compute the KPIs.
    BenchDesk(bench_desk::Args),
}

/// A folder under `~/.cache` for generated data kept between runs.
fn cache_dir(name: &str) -> std::path::PathBuf {
    std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join(".cache")
        .join(name)
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().task {
        Task::Bench(args) => bench::run(args),
        Task::EvalRings(args) => eval::run(args),
        Task::BenchDesk(args) => bench_desk::run(args),
    }
}
