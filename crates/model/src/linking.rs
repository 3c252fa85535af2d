//! What links accounts and what counts against a payment, defined once: which stored columns feed each identifier
//! kind, and when a payment was declined or disputed. The store's queries, the link graph, ring features and the
//! packet all read these definitions instead of spelling the columns and statuses out again.

use crate::RecordKind;
use serde::{Deserialize, Serialize};

// A kind of identifier accounts can share. (No doc comment: ts-rs would copy it into the UI's bindings.)
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    Device,
    Card,
    Email,
    Phone,
    Ip,
}

/// One stored column an identifier kind is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentifierColumn {
    pub record: RecordKind,
    /// The normalized column (the form linking compares).
    pub column: &'static str,
}

const fn from(record: RecordKind, column: &'static str) -> IdentifierColumn {
    IdentifierColumn { record, column }
}

impl IdKind {
    pub const ALL: [IdKind; 5] = [
        IdKind::Device,
        IdKind::Card,
        IdKind::Email,
        IdKind::Phone,
        IdKind::Ip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Device => "device",
            IdKind::Card => "card",
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::Ip => "ip",
        }
    }

    pub fn parse(s: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Where this kind is observed: devices and IPs in events, cards in payments, emails in account records and on
    /// payments, phones in account records.
    pub fn columns(self) -> &'static [IdentifierColumn] {
        const DEVICE: &[IdentifierColumn] = &[from(RecordKind::Events, "device_id")];
        const CARD: &[IdentifierColumn] = &[from(RecordKind::Payments, "card_fingerprint")];
        const EMAIL: &[IdentifierColumn] = &[
            from(RecordKind::Accounts, "email_canon"),
            from(RecordKind::Payments, "customer_email_canon"),
        ];
        const PHONE: &[IdentifierColumn] = &[from(RecordKind::Accounts, "phone")];
        const IP: &[IdentifierColumn] = &[from(RecordKind::Events, "ip")];
        match self {
            IdKind::Device => DEVICE,
            IdKind::Card => CARD,
            IdKind::Email => EMAIL,
            IdKind::Phone => PHONE,
            IdKind::Ip => IP,
        }
    }
}

impl IdKind {
    /// The column this kind is read from in one record kind, if that kind carries it.
    pub fn column_in(self, record: RecordKind) -> Option<&'static str> {
        self.columns()
            .iter()
            .find(|c| c.record == record)
            .map(|c| c.column)
    }
}

impl std::fmt::Display for IdKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The identifiers one record kind carries, as (kind, column), in [`IdKind::ALL`] order.
pub fn identifier_columns(record: RecordKind) -> Vec<(IdKind, &'static str)> {
    IdKind::ALL
        .into_iter()
        .flat_map(|kind| kind.columns().iter().map(move |c| (kind, c)))
        .filter(|(_, c)| c.record == record)
        .map(|(kind, c)| (kind, c.column))
        .collect()
}

/// The time a record's identifiers were observed at: sign-up, payment or event time (UTC ms).
pub fn observed_at_column(record: RecordKind) -> &'static str {
    match record {
        RecordKind::Accounts | RecordKind::Payments => "created_at_ms",
        RecordKind::Events => "timestamp_ms",
    }
}

/// What counts against a payment: a decline or a dispute.
pub mod payment {
    /// The payment's status column.
    pub const STATUS: &str = "status";
    /// The status of a declined payment (Stripe's exports write `failed`); its amount was never paid.
    pub const DECLINED: &str = "failed";
    /// The disputed amount column (minor units).
    pub const DISPUTED_AMOUNT: &str = "disputed_amount_minor";
    /// The dispute status column.
    pub const DISPUTE_STATUS: &str = "dispute_status";

    pub fn is_declined(status: Option<&str>) -> bool {
        status == Some(DECLINED)
    }

    /// A payment is disputed when it has a disputed amount or a dispute status.
    pub fn is_disputed(disputed_amount_minor: Option<i64>, dispute_status: Option<&str>) -> bool {
        disputed_amount_minor.is_some() || dispute_status.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_kind_carries_its_identifiers_in_reading_order() {
        assert_eq!(
            identifier_columns(RecordKind::Accounts),
            [(IdKind::Email, "email_canon"), (IdKind::Phone, "phone")]
        );
        assert_eq!(
            identifier_columns(RecordKind::Events),
            [(IdKind::Device, "device_id"), (IdKind::Ip, "ip")]
        );
        assert_eq!(
            identifier_columns(RecordKind::Payments),
            [
                (IdKind::Card, "card_fingerprint"),
                (IdKind::Email, "customer_email_canon")
            ]
        );
        for kind in IdKind::ALL {
            for c in kind.columns() {
                assert!(
                    c.record
                        .stored_columns()
                        .iter()
                        .any(|(name, _)| name == c.column),
                    "{kind}: {} has no column {}",
                    c.record,
                    c.column
                );
            }
        }
    }

    #[test]
    fn a_kind_names_its_column_per_record_kind() {
        assert_eq!(
            IdKind::Email.column_in(RecordKind::Payments),
            Some("customer_email_canon")
        );
        assert_eq!(IdKind::Device.column_in(RecordKind::Accounts), None);
    }

    #[test]
    fn declines_and_disputes() {
        assert!(payment::is_declined(Some("failed")));
        assert!(!payment::is_declined(Some("paid")));
        assert!(!payment::is_declined(None));
        assert!(payment::is_disputed(Some(5), None));
        assert!(payment::is_disputed(None, Some("lost")));
        assert!(!payment::is_disputed(None, None));
    }
}
