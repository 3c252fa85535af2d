//! Synthetic Ringscope cases: accounts, a Stripe payments export and a vendor login log, with planted fraud rings
//! of every kind in `shared/design/rings.md` and the benign look-alikes that must not be mistaken for them
//! (households, carrier-NAT and public Wi-Fi IPs, placeholder device ids). `truth.json` records the planted answer.
//!
//! The output depends only on the [`Config`] (see [`rng::Rng`]), so a seed always regenerates the same files.

mod benign;
mod fraud;
mod groups;
mod out;
pub mod rng;
mod values;

use serde::{Deserialize, Serialize};
use std::path::Path;

pub use values::PLACEHOLDER_DEVICES;

#[derive(Debug, Clone)]
pub struct Config {
    /// Total accounts, creators and ring members included.
    pub accounts: usize,
    /// Rings planted of each kind in [`RING_KINDS`] (big farms aside), styles taken in turn.
    pub rings_per_kind: usize,
    pub households: usize,
    /// Big farms (250–400 accounts on 2–3 devices).
    pub big_farms: usize,
    /// Benign look-alikes of each kind: a family on one card, a fingerprint collision, a campus IP.
    pub lookalikes: usize,
    pub seed: u64,
    /// Give a few benign accounts display names that are markup or spreadsheet formulas.
    pub hostile_names: bool,
    /// Accounts in one extra, oversized device farm (0: none), for testing the app on a 1,000+ node ring.
    pub big_farm: usize,
}

impl Config {
    /// A case of `accounts` accounts with rings and households in proportion.
    pub fn sized(accounts: usize) -> Config {
        Config {
            accounts,
            rings_per_kind: (accounts / 2000).max(1),
            households: (accounts / 100).max(3),
            big_farms: accounts / 20_000,
            lookalikes: accounts / 10_000,
            seed: 1,
            hostile_names: false,
            big_farm: 0,
        }
    }

    /// The most accounts the planted groups can take (each pattern's largest draw).
    pub fn most_planted_accounts(&self) -> usize {
        self.rings_per_kind * RING_MAX_ACCOUNTS
            + self.big_farms * 400
            + self.big_farm
            + self.households * 3
            + self.lookalikes * (6 + 250 + 300)
    }
}

/// The largest draw of one instance of each kind in [`RING_KINDS`], added up.
const RING_MAX_ACCOUNTS: usize = 30 + 25 + 11 + 4 + 7 + 7;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0} accounts is too few: the planted groups can take up to {1}; raise --accounts")]
    TooSmall(usize, usize),
}
use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The ring kinds planted `rings_per_kind` times each; see `shared/design/rings.md`. Big farms are counted apart.
pub const RING_KINDS: [&str; 6] = [
    "device_farm",
    "proxy_farm",
    "self_funding",
    "ban_evasion",
    "chargeback_crew",
    "chain",
];

/// Every planted fraud kind, big farms included.
pub const FRAUD_KINDS: [&str; 7] = [
    "device_farm",
    "proxy_farm",
    "big_farm",
    "self_funding",
    "ban_evasion",
    "chargeback_crew",
    "chain",
];

pub use fraud::{BAN_EVASION_STYLES, DEVICE_FARM_STYLES, SELF_FUNDING_STYLES};

/// A planted group of accounts and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub kind: String,
    /// How this instance of its kind was planted (see the pattern's function in `fraud.rs` or `benign.rs`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub style: String,
    pub members: Vec<String>,
    /// Creators receiving the group's money.
    pub creators_paid: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTotals {
    pub accounts: u64,
    pub payments: u64,
    pub logins: u64,
}

/// The planted answer, written as `truth.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    pub seed: u64,
    pub rings: Vec<Group>,
    /// Linked but benign: households, families on one card, fingerprint collisions, campus IPs.
    pub benign: Vec<Group>,
    /// IPs shared by many unrelated accounts (carrier NAT, public Wi-Fi).
    pub hub_ips: Vec<String>,
    pub placeholder_devices: Vec<String>,
    pub rows: RowTotals,
}

pub const ACCOUNTS_FILE: &str = "accounts.csv";
pub const PAYMENTS_FILE: &str = "payments.csv";
pub const LOGINS_FILE: &str = "logins.csv";
pub const LOGINS_MAPPING_FILE: &str = "logins.mapping.toml";
pub const TRUTH_FILE: &str = "truth.json";

/// The mapping for the vendor login log this generator writes (its header is not one Ringscope knows).
pub const LOGINS_MAPPING: &str = r#"# Mapping for the device-fingerprinting vendor's login log (logins.csv).
kind = "events"

[columns]
account_id = "linked_id"
timestamp = "request_time"
event_type = "tag"
ip = "client_ip"
device_id = "visitor_id"
user_agent = "browser_user_agent"
"#;

/// Writes a case into `dir` and returns the planted answer (also written as `truth.json`).
pub fn generate(cfg: &Config, dir: &Path) -> Result<Truth> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(dir.display().to_string(), e))?;
    let out = out::Out::create(dir)?;
    let mut world = groups::World::new(cfg, out)?;
    let mut truth = world.populate()?;
    truth.rows = world.finish()?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|e| Error::Io(name.to_string(), e))
    };
    write(LOGINS_MAPPING_FILE, LOGINS_MAPPING)?;
    write(
        TRUTH_FILE,
        &(serde_json::to_string_pretty(&truth).expect("truth serializes") + "\n"),
    )?;
    Ok(truth)
}
