pub mod accounts;
pub mod case;
pub mod desk;
pub mod generate;
pub mod history;
pub mod import;
pub mod packet;
pub mod ring_edit;
pub mod rings;

/// Who a command is about: a ring, or accounts named one by one.
#[derive(clap::Args)]
pub struct RingOrAccounts {
    /// The ring (see `ringscope rings`).
    #[arg(
        long,
        conflicts_with = "accounts",
        required_unless_present = "accounts"
    )]
    pub ring: Option<String>,
    /// Or these accounts, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub accounts: Vec<String>,
}
