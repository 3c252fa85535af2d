//! Identifiers accounts share, and how much a shared one is worth as evidence.
//!
//! The policy, in one place so it can be read and argued with:
//! - **Placeholders** (empty, `unknown`, `null`, all-zero or all-same-character ids, private/loopback IPs, ...) never
//!   link anyone; they are reported.
//! - A shared value's **weight** is its kind's base strength scaled down by how many accounts share it
//!   (`rarity`, a term-frequency adjustment): a card on 3 accounts is strong, one on 60 is weak.
//! - **Hubs**, values shared by more accounts than any plausible group (`hub_limit`), never link on their own.
//! - A value of weight ≥ 1 is a **strong** link on its own; weaker ones must add up (see `detect.rs`).
//! - IP links are **time-aware**: two accounts on one IP within an hour count fully, months apart barely.

use std::net::IpAddr;

pub use ringscope_model::IdKind;

/// How much a shared value of each kind is worth as evidence (the policy above). The kinds themselves, and the
/// columns they are read from, are the model's.
pub trait Strength: Copy {
    /// Evidence from one shared value used by few accounts.
    fn base_strength(self) -> f64;
    /// Up to this many accounts a value keeps its full base strength.
    fn full_strength_up_to(self) -> usize;
    /// More accounts than this on one value is a hub: never evidence on its own.
    fn hub_limit(self) -> usize;
    /// Weight of a value shared by `accounts` accounts (0 for hubs).
    fn weight(self, accounts: usize) -> f64;
}

impl Strength for IdKind {
    /// Evidence from one shared value used by few accounts.
    fn base_strength(self) -> f64 {
        match self {
            IdKind::Device | IdKind::Card | IdKind::Email => 1.0,
            IdKind::Phone => 1.0,
            // Most residential and mobile traffic is behind NAT: a shared IP alone proves little.
            IdKind::Ip => 0.6,
        }
    }

    /// Up to this many accounts a value keeps its full base strength.
    /// Beyond this many accounts, a value binds only when its accounts behave as a group (`reading.rs`); a family
    /// tablet or card is shared by up to six.
    fn full_strength_up_to(self) -> usize {
        match self {
            IdKind::Device | IdKind::Card => 8,
            IdKind::Email | IdKind::Phone => 5,
            IdKind::Ip => 3,
        }
    }

    /// More accounts than this on one value is a hub: never evidence on its own.
    fn hub_limit(self) -> usize {
        match self {
            IdKind::Device | IdKind::Card => 200,
            IdKind::Email | IdKind::Phone => 20,
            IdKind::Ip => 50,
        }
    }

    /// Weight of a value shared by `accounts` accounts (0 for hubs).
    fn weight(self, accounts: usize) -> f64 {
        if accounts > self.hub_limit() {
            return 0.0;
        }
        let n0 = self.full_strength_up_to();
        let rarity = if accounts <= n0 {
            1.0
        } else {
            1.0 / (1.0 + (accounts as f64 / n0 as f64).ln())
        };
        self.base_strength() * rarity
    }
}

/// Time factor for two uses of one IP `gap_ms` apart.
pub fn ip_time_factor(gap_ms: i64) -> f64 {
    const HOUR: i64 = 3_600_000;
    match gap_ms.abs() {
        g if g <= HOUR => 1.0,
        g if g <= 24 * HOUR => 0.5,
        g if g <= 7 * 24 * HOUR => 0.25,
        _ => 0.1,
    }
}

const PLACEHOLDER_WORDS: &[&str] = &[
    "unknown",
    "null",
    "none",
    "nil",
    "n/a",
    "na",
    "undefined",
    "test",
    "default",
    "anonymous",
    "-",
    "?",
];

/// Why a value can never link accounts, if it cannot.
pub fn placeholder_reason(kind: IdKind, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Some("empty");
    }
    // Run once per distinct value of a case (millions at scale): no allocation.
    if PLACEHOLDER_WORDS.iter().any(|w| w.eq_ignore_ascii_case(v)) {
        return Some("placeholder word");
    }
    let mut alnum = v.bytes().filter(u8::is_ascii_alphanumeric);
    let repeated = alnum.next().is_some_and(|first| {
        let mut count = 1;
        alnum.all(|b| {
            count += 1;
            b.eq_ignore_ascii_case(&first)
        }) && count >= 3
    });
    if kind != IdKind::Email && repeated {
        return Some("all one repeated character");
    }
    match kind {
        IdKind::Ip => match v.parse::<IpAddr>() {
            Ok(IpAddr::V4(ip))
                if ip.is_private()
                    || ip.is_loopback()
                    || ip.is_link_local()
                    || ip.is_unspecified()
                    || ip.is_broadcast()
                    || ip.is_multicast() =>
            {
                Some("private or non-routable address")
            }
            // 100.64.0.0/10: carrier-grade NAT's internal side, reused by every carrier.
            Ok(IpAddr::V4(ip)) if ip.octets()[0] == 100 && (64..128).contains(&ip.octets()[1]) => {
                Some("shared address space (RFC 6598)")
            }
            Ok(IpAddr::V6(ip))
                if ip.is_loopback()
                    || ip.is_unspecified()
                    || ip.is_multicast()
                    || (ip.segments()[0] & 0xfe00) == 0xfc00
                    || (ip.segments()[0] & 0xffc0) == 0xfe80 =>
            {
                Some("private or non-routable address")
            }
            _ => None,
        },
        IdKind::Email => {
            let local = v.split('@').next().unwrap_or("");
            [
                "noemail", "no-email", "none", "test", "example", "noreply", "no-reply",
            ]
            .contains(&local)
            .then_some("placeholder address")
            .or_else(|| v.ends_with("@example.com").then_some("placeholder address"))
        }
        IdKind::Phone => {
            let digits: Vec<char> = v.chars().filter(char::is_ascii_digit).collect();
            // E.164 with a national number of one repeated digit, e.g. +10000000000.
            // Only the last seven digits are compared (a short number has fewer to compare).
            let tail = &digits[digits.len().saturating_sub(7)..];
            (digits.len() > 4 && tail.iter().all(|d| *d == digits[digits.len() - 1]))
                .then_some("repeated digits")
        }
        IdKind::Card => None,
        IdKind::Device => v
            .to_ascii_lowercase()
            .starts_with("00000000-0000")
            .then_some("all-zero id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognized() {
        for (kind, v) in [
            (IdKind::Device, "00000000-0000-0000-0000-000000000000"),
            (IdKind::Device, "unknown"),
            (IdKind::Device, "NULL"),
            (IdKind::Device, ""),
            (IdKind::Device, "ffffffff-ffff-ffff-ffff-ffffffffffff"),
            (IdKind::Card, "0000000000000000"),
            (IdKind::Ip, "10.1.2.3"),
            (IdKind::Ip, "192.168.1.1"),
            (IdKind::Ip, "127.0.0.1"),
            (IdKind::Ip, "100.64.3.1"),
            (IdKind::Ip, "fe80::1"),
            (IdKind::Email, "test@example.com"),
            (IdKind::Phone, "+10000000000"),
            (IdKind::Phone, "+11111"),
        ] {
            assert!(placeholder_reason(kind, v).is_some(), "{kind} {v}");
        }
        for (kind, v) in [
            (IdKind::Device, "aa9b6ed9-3908-9987-66ff-9fb0089816c5"),
            (IdKind::Ip, "172.56.10.1"),
            (IdKind::Ip, "2600:1700::1"),
            (IdKind::Card, "lmhkX0scciIJOHkd"),
            (IdKind::Email, "jdoe@gmail.com"),
            (IdKind::Phone, "+14155552671"),
            (IdKind::Phone, "+12345"),
        ] {
            assert_eq!(placeholder_reason(kind, v), None, "{kind} {v}");
        }
    }

    #[test]
    fn rarer_values_weigh_more_and_hubs_nothing() {
        assert_eq!(IdKind::Card.weight(2), 1.0);
        assert_eq!(IdKind::Card.weight(8), 1.0, "a family card");
        assert!(IdKind::Card.weight(20) < 1.0);
        assert!(IdKind::Card.weight(60) < 0.5);
        assert_eq!(IdKind::Card.weight(500), 0.0);
        assert!(
            IdKind::Ip.weight(2) < 1.0,
            "an IP alone is never a strong link"
        );
        assert_eq!(IdKind::Ip.weight(5000), 0.0);
        assert!(ip_time_factor(60_000) > ip_time_factor(2 * 86_400_000));
    }
}
