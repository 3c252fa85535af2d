/// Why a single value could not be normalized. The importer adds file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("invalid email {0:?}")]
    Email(String),
    #[error("invalid phone number {0:?}: {1}")]
    Phone(String, String),
    #[error("invalid IP address {0:?}")]
    Ip(String),
    #[error(
        "invalid timestamp {0:?} (expected RFC 3339, RFC 2822, 'YYYY-MM-DD HH:MM:SS' or 'MM/DD/YYYY HH:MM' in UTC, or epoch seconds/milliseconds)"
    )]
    Timestamp(String),
    #[error(
        "timestamp {0:?} reads as two different days (day/month or month/day) and no date in its column settles it; name the column's format in a mapping (timestamp_formats)"
    )]
    AmbiguousDate(String),
    #[error("timestamp {0:?} does not match the mapping's format {1:?}")]
    TimestampFormat(String, String),
    #[error("timestamp {0:?} is outside 1990..2100; seconds and milliseconds mixed up?")]
    TimestampRange(String),
    #[error("invalid amount {0:?}: {1}")]
    Money(String, String),
    #[error("invalid currency {0:?} (expected a 3-letter ISO 4217 code)")]
    Currency(String),
    #[error(
        "unknown currency {0:?}: not an ISO 4217 currency, so its minor unit, and any amount's exact value, is unknown"
    )]
    UnknownCurrency(String),
    #[error("unrecognized country {0:?} (expected an ISO 3166 code or a common country name)")]
    Country(String),
    #[error("unknown phone region {0:?} (expected a 2-letter ISO 3166 code)")]
    Region(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
