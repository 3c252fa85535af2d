use serde::{Deserialize, Serialize};

/// The kinds of record an investigator imports.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Accounts,
    Payments,
    Events,
}

/// How a field's text is turned into the value used for linking and analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// An identifier: trimmed, otherwise exact.
    Id,
    /// A device id or fingerprint: trimmed, lowercased, a GUID's `{braces}` dropped, so that collectors writing
    /// the same id differently agree.
    DeviceId,
    /// Free text (names, descriptions, user agents): kept as written.
    Text,
    /// A small vocabulary (status, role, event type): trimmed and lowercased.
    Label,
    /// Stored twice: trimmed + lowercased, and the canonical form used for linking (`<field>_canon`).
    Email,
    /// E.164.
    Phone,
    /// Parsed IPv4/IPv6 in canonical text form (IPv4-mapped IPv6 folds to IPv4).
    Ip,
    /// UTC milliseconds since the epoch (`<field>_ms`).
    Timestamp,
    /// Integer minor units of the row's `currency` (`<field>_minor`).
    Money,
    /// ISO 4217, uppercase.
    Currency,
    /// ISO 3166 alpha-2, uppercase.
    Country,
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub value: ValueKind,
    pub required: bool,
    pub doc: &'static str,
}

/// SQL affinity of a stored column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredColumn {
    Text,
    Integer,
}

const fn f(name: &'static str, value: ValueKind, required: bool, doc: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        value,
        required,
        doc,
    }
}

use ValueKind::*;

const ACCOUNT_FIELDS: &[FieldSpec] = &[
    f("account_id", Id, true, "the platform's account id"),
    f("created_at", Timestamp, false, "sign-up time"),
    f("email", Email, false, "email address"),
    f("phone", Phone, false, "phone number"),
    f("display_name", Text, false, "public display name"),
    f("country", Country, false, "country (ISO 3166 alpha-2)"),
    f("role", Label, false, "fan or creator"),
    f("status", Label, false, "active, banned, ..."),
];

const PAYMENT_FIELDS: &[FieldSpec] = &[
    f("payment_id", Id, true, "payment id (Stripe charge id)"),
    f("created_at", Timestamp, true, "payment time"),
    f(
        "amount",
        Money,
        true,
        "amount in the currency's major unit, e.g. 12.50",
    ),
    f("currency", Currency, true, "ISO 4217 currency"),
    f("status", Label, false, "paid, failed, refunded, ..."),
    f("account_id", Id, false, "the paying account (fan)"),
    f("creator_id", Id, false, "the account receiving the money"),
    f("customer_id", Id, false, "payment processor's customer id"),
    f("customer_email", Email, false, "email on the payment"),
    f(
        "card_fingerprint",
        Id,
        false,
        "stable per-card id (Stripe Card Fingerprint)",
    ),
    f("card_last4", Id, false, "last four digits of the card"),
    f("card_brand", Label, false, "card brand"),
    f("card_country", Country, false, "card issuing country"),
    f("amount_refunded", Money, false, "refunded amount"),
    f("disputed_amount", Money, false, "disputed amount"),
    f("dispute_status", Label, false, "dispute status"),
    f("dispute_reason", Label, false, "dispute reason"),
    f("dispute_date", Timestamp, false, "dispute time"),
    f("description", Text, false, "payment description"),
];

const EVENT_FIELDS: &[FieldSpec] = &[
    f("account_id", Id, true, "the account"),
    f("timestamp", Timestamp, true, "event time"),
    f(
        "event_type",
        Label,
        false,
        "signup, login, password_reset, ...",
    ),
    f("ip", Ip, false, "client IP address"),
    f("device_id", DeviceId, false, "device id or fingerprint"),
    f("user_agent", Text, false, "user agent"),
];

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Accounts,
        RecordKind::Payments,
        RecordKind::Events,
    ];

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::Accounts => ACCOUNT_FIELDS,
            RecordKind::Payments => PAYMENT_FIELDS,
            RecordKind::Events => EVENT_FIELDS,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.name == name)
    }

    pub fn required_fields(self) -> impl Iterator<Item = &'static FieldSpec> {
        self.fields().iter().filter(|f| f.required)
    }

    /// The field that identifies a record across files; events have none and are keyed by their content.
    pub fn key_field(self) -> Option<&'static str> {
        match self {
            RecordKind::Accounts => Some("account_id"),
            RecordKind::Payments => Some("payment_id"),
            RecordKind::Events => None,
        }
    }

    /// The store table holding records of this kind.
    pub fn table(self) -> &'static str {
        self.as_str()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Accounts => "accounts",
            RecordKind::Payments => "payments",
            RecordKind::Events => "events",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "accounts" | "account" => Some(RecordKind::Accounts),
            "payments" | "payment" => Some(RecordKind::Payments),
            "events" | "event" | "logins" | "login" | "devices" | "device" => {
                Some(RecordKind::Events)
            }
            _ => None,
        }
    }

    /// Every stored (normalized) column of this kind, in field order. See [`FieldSpec::stored_columns`].
    pub fn stored_columns(self) -> Vec<(String, StoredColumn)> {
        self.fields()
            .iter()
            .flat_map(|f| f.stored_columns())
            .collect()
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FieldSpec {
    /// The columns the store keeps for this field, in the order [`crate::normalize::normalize_field`] returns values.
    pub fn stored_columns(&self) -> Vec<(String, StoredColumn)> {
        match self.value {
            Email => vec![
                (self.name.to_string(), StoredColumn::Text),
                (format!("{}_canon", self.name), StoredColumn::Text),
            ],
            Timestamp => vec![(format!("{}_ms", self.name), StoredColumn::Integer)],
            Money => vec![(format!("{}_minor", self.name), StoredColumn::Integer)],
            _ => vec![(self.name.to_string(), StoredColumn::Text)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_required_fields_and_unique_names() {
        for kind in RecordKind::ALL {
            assert!(kind.required_fields().count() > 0, "{kind}");
            let mut names: Vec<_> = kind.stored_columns().into_iter().map(|(n, _)| n).collect();
            let before = names.len();
            names.sort();
            names.dedup();
            assert_eq!(before, names.len(), "{kind} has clashing column names");
            if let Some(key) = kind.key_field() {
                assert!(kind.field(key).is_some_and(|f| f.required));
            }
        }
    }

    #[test]
    fn money_fields_have_a_currency() {
        for kind in RecordKind::ALL {
            if kind.fields().iter().any(|f| f.value == Money) {
                assert!(kind.field("currency").is_some_and(|f| f.required), "{kind}");
            }
        }
    }
}
