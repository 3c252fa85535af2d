//! `cargo xtask`: project tasks that are not part of the product.
//!
//! `bench-rings` measures graph build + ring detection + scoring on a generated case against igraph's connected
//! components over the same links, in the same run, and reports the ratio (never a timed test: the numbers go to
//! a JSON file and the terminal).

mod bench;
mod bench_rings;

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
    /// Ring detection vs igraph connected components on a generated case.
    BenchRings(bench_rings::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().task {
        Task::Bench(args) => bench::run(args),
        Task::BenchRings(args) => bench_rings::run(args),
    }
}
