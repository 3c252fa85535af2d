use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct GenArgs {
    /// Folder to write accounts.csv, payments.csv, logins.csv, logins.mapping.toml and truth.json into.
    out: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    accounts: usize,
    /// Rings planted of each kind [default: accounts / 2000, at least 1].
    #[arg(long)]
    rings_per_kind: Option<usize>,
    /// Benign households [default: accounts / 100, at least 3].
    #[arg(long)]
    households: Option<usize>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Big farms of 250–400 accounts on 2–3 devices [default: accounts / 20000].
    #[arg(long)]
    big_farms: Option<usize>,
    /// Benign look-alikes of each kind: a family on one card, a fingerprint collision of 150–250 fans, a campus
    /// IP of 150–300 [default: accounts / 10000].
    #[arg(long)]
    lookalikes: Option<usize>,
    /// Give a few benign accounts hostile display names (markup, formulas).
    #[arg(long)]
    hostile_names: bool,
    /// Also plant one device farm of this many accounts (a 1,000+ node ring for the app's performance test).
    #[arg(long, default_value_t = 0)]
    big_farm: usize,
}

pub fn run(args: GenArgs) -> anyhow::Result<ExitCode> {
    let mut cfg = ringscope_synth::Config::sized(args.accounts);
    cfg.seed = args.seed;
    cfg.hostile_names = args.hostile_names;
    cfg.big_farm = args.big_farm;
    cfg.rings_per_kind = args.rings_per_kind.unwrap_or(cfg.rings_per_kind);
    cfg.households = args.households.unwrap_or(cfg.households);
    cfg.big_farms = args.big_farms.unwrap_or(cfg.big_farms);
    cfg.lookalikes = args.lookalikes.unwrap_or(cfg.lookalikes);
    let truth = ringscope_synth::generate(&cfg, &args.out)?;
    println!(
        "wrote {} accounts, {} payments, {} logins with {} planted rings and {} benign groups to {}",
        truth.rows.accounts,
        truth.rows.payments,
        truth.rows.logins,
        truth.rings.len(),
        truth.benign.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
