//! Hub or ring: how a shared identifier is read, decided by how its accounts behave, not by their count alone.
//!
//! A popular phone model's fingerprint, an office NAT or a campus IP is used by hundreds of accounts that signed up
//! months apart, pay many different creators with their own cards and rarely fail a payment: a **hub**, no
//! evidence. An emulator farm's two device ids are used by hundreds of accounts created within a day or two that
//! pay the same one or two creators, many payments declined: those accounts are **concentrated**, and the
//! identifier **binds** them however many there are. Few accounts on one device, card, email or phone bind as
//! before; an IP shared by few is weak evidence that needs corroboration (see `detect.rs`).
//!
//! Everything here is a plain function over plain inputs, so the same rules can run on a distributed engine.

use crate::identifier::{IdKind, Strength};
use serde::{Deserialize, Serialize};

/// What one account brings to the reading of an identifier it used.
#[derive(Debug, Clone, Copy, Default)]
pub struct Member<'a> {
    /// Sign-up time (UTC ms), or the first use of the identifier when the account has none.
    pub signup: Option<i64>,
    pub payments: u32,
    /// Declined or disputed payments.
    pub bad_payments: u32,
    /// Creators the account paid (any stable numbering), sorted, without repeats.
    pub creators: &'a [u32],
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Binds every account using it.
    Binds,
    /// Evidence that counts only with corroboration.
    Weak,
    /// Shared far beyond any group, by accounts that behave independently: no evidence.
    Hub,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub verdict: Verdict,
    /// Evidence weight toward the binding threshold of 1 (1 for `Binds`, 0 for `Hub`).
    pub weight: f64,
    /// The reading in words, with the figures behind it.
    // Boxed: one per identifier node, millions of them (a `String`'s capacity word is never used).
    pub why: Box<str>,
}

/// Sign-ups within this window count as one burst.
pub const BURST_WINDOW_MS: i64 = 72 * 3_600_000;
/// Accounts concentrated enough to bind: this share of them signed up within one burst window ...
pub const CONCENTRATED_BURST: f64 = 0.6;
/// ... and this share of the paying ones paid one of the group's two most-paid creators ...
pub const CONCENTRATED_CREATORS: f64 = 0.6;
/// ... or this share of their payments was declined or disputed (about 3× a normal fan's rate).
pub const CONCENTRATED_BAD_PAYMENTS: f64 = 0.2;
/// A bad-payment share this high concentrates a group whatever its timing (a slow chargeback crew).
pub const HEAVY_BAD_PAYMENTS: f64 = 0.35;
/// Paying accounts this focused on one or two creators are a group whatever their timing (fake fans signed up
/// over weeks); strangers sharing a value never are, even on a platform with one dominant creator.
pub const EXCLUSIVE_CREATORS: f64 = 0.9;
/// Fewest paying accounts for [`EXCLUSIVE_CREATORS`] to count.
pub const EXCLUSIVE_MIN_PAYING: usize = 5;

/// How concentrated a set of accounts is: the figures the reading is decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Concentration {
    /// Most accounts signed up within one burst window, as a share of those with a time.
    pub burst: f64,
    /// Share of paying accounts that paid one of the two most-paid creators (None: fewer than 3 paying).
    pub creator_focus: Option<f64>,
    /// Declined or disputed share of all payments (None: fewer than 3 payments).
    pub bad_payments: Option<f64>,
    /// Accounts that paid anyone.
    pub paying: usize,
}

impl Concentration {
    pub fn of(members: &[Member<'_>]) -> Concentration {
        let mut times: Vec<i64> = members.iter().filter_map(|m| m.signup).collect();
        times.sort_unstable();
        let burst = if times.is_empty() {
            0.0
        } else {
            most_within(&times, BURST_WINDOW_MS) as f64 / times.len() as f64
        };
        let paying: Vec<&Member<'_>> = members.iter().filter(|m| !m.creators.is_empty()).collect();
        let creator_focus = (paying.len() >= 3).then(|| {
            let mut counts: std::collections::HashMap<u32, usize> = Default::default();
            for m in &paying {
                for &c in m.creators {
                    *counts.entry(c).or_default() += 1;
                }
            }
            let mut top: Vec<(usize, u32)> = counts.into_iter().map(|(c, n)| (n, c)).collect();
            top.sort_unstable_by(|a, b| b.cmp(a));
            let top: Vec<u32> = top.iter().take(2).map(|(_, c)| *c).collect();
            let covered = paying
                .iter()
                .filter(|m| m.creators.iter().any(|c| top.contains(c)))
                .count();
            covered as f64 / paying.len() as f64
        });
        let payments: u32 = members.iter().map(|m| m.payments).sum();
        let bad: u32 = members.iter().map(|m| m.bad_payments).sum();
        let bad_payments = (payments >= 3).then(|| bad as f64 / payments as f64);
        Concentration {
            burst,
            creator_focus,
            bad_payments,
            paying: paying.len(),
        }
    }

    pub fn is_concentrated(&self) -> bool {
        let bad = self.bad_payments.unwrap_or(0.0);
        let focus = self.creator_focus.unwrap_or(0.0);
        (self.burst >= CONCENTRATED_BURST
            && (focus >= CONCENTRATED_CREATORS || bad >= CONCENTRATED_BAD_PAYMENTS))
            || bad >= HEAVY_BAD_PAYMENTS
            || (focus >= EXCLUSIVE_CREATORS && self.paying >= EXCLUSIVE_MIN_PAYING)
    }

    fn describe(&self, accounts: usize) -> String {
        let mut parts = vec![format!(
            "{:.0}% of the {accounts} accounts signed up within {} h",
            self.burst * 100.0,
            BURST_WINDOW_MS / 3_600_000
        )];
        if let Some(f) = self.creator_focus {
            parts.push(format!(
                "{:.0}% paid the same one or two creators",
                f * 100.0
            ));
        }
        if let Some(b) = self.bad_payments {
            parts.push(format!(
                "{:.0}% of payments declined or disputed",
                b * 100.0
            ));
        }
        parts.join(", ")
    }
}

/// The most sorted `times` within any window of `window` ms.
pub fn most_within(times: &[i64], window: i64) -> usize {
    let (mut best, mut start) = (0, 0);
    for end in 0..times.len() {
        while times[end] - times[start] > window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// Reads one identifier from the accounts that used it.
pub fn read(kind: IdKind, members: &[Member<'_>]) -> Reading {
    let n = members.len();
    let few = kind.full_strength_up_to();
    if n >= 3 {
        let c = Concentration::of(members);
        if c.is_concentrated() {
            return Reading {
                verdict: Verdict::Binds,
                weight: 1.0,
                why: format!("read as a ring: {}", c.describe(n)).into(),
            };
        }
        if n > few {
            // Too many accounts for a household, behaving like strangers.
            let spread_out = kind != IdKind::Ip || n > kind.hub_limit();
            if spread_out {
                return Reading {
                    verdict: Verdict::Hub,
                    weight: 0.0,
                    why: format!("read as a hub: {}", c.describe(n)).into(),
                };
            }
        }
    }
    let weight = kind.weight(n);
    if weight >= 1.0 {
        Reading {
            verdict: Verdict::Binds,
            weight,
            why: format!("a {kind} shared by {n} accounts").into(),
        }
    } else if weight > 0.0 {
        Reading {
            verdict: Verdict::Weak,
            weight,
            why: format!("a {kind} shared by {n} accounts: weak alone, counts with corroboration")
                .into(),
        }
    } else {
        Reading {
            verdict: Verdict::Hub,
            weight: 0.0,
            why: format!("read as a hub: shared by {n} accounts").into(),
        }
    }
}

/// The reading of an identifier only one account uses: [`read`]'s verdict and weight, without the words. Such
/// an identifier links no one, so no explanation or ring ever shows its reading, and most of a case's
/// identifiers (millions at scale) are such.
pub fn read_alone(kind: IdKind) -> Reading {
    let weight = kind.weight(1);
    let verdict = if weight >= 1.0 {
        Verdict::Binds
    } else if weight > 0.0 {
        Verdict::Weak
    } else {
        Verdict::Hub
    };
    let weight = if verdict == Verdict::Hub { 0.0 } else { weight };
    Reading {
        verdict,
        weight,
        why: Box::default(),
    }
}

/// A creator's fans who pay only that creator, with cards shared among such fans, bind to the creator
/// (self-funding: a creator paying itself through fake fans with its own few cards), when at least
/// [`SELF_FUNDING_MIN_FANS`] do and they are at least a fifth of the creator's paying fans. A chargeback crew's
/// shared cards pay many creators, so a crew never pulls in the creators it paid. `fans[i]` is fan `i`'s cards
/// (any stable numbering, sorted) and whether it paid anyone else. Returns the indices of the binding fans.
pub fn self_funding_fans(fans: &[(&[u32], bool)]) -> Vec<usize> {
    let exclusive = |i: &usize| !fans[*i].1;
    let mut users: std::collections::HashMap<u32, usize> = Default::default();
    for (cards, _) in fans.iter().filter(|(_, others)| !others) {
        for &c in *cards {
            *users.entry(c).or_default() += 1;
        }
    }
    let binding: Vec<usize> = (0..fans.len())
        .filter(exclusive)
        .filter(|&i| fans[i].0.iter().any(|c| users[c] >= 2))
        .collect();
    if binding.len() >= SELF_FUNDING_MIN_FANS && binding.len() * 5 >= fans.len() {
        binding
    } else {
        vec![]
    }
}

/// Fewest fans sharing cards that make a creator's self-funding group.
pub const SELF_FUNDING_MIN_FANS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const DAY: i64 = 24 * H;

    fn member(signup: i64, creators: &[u32], payments: u32, bad: u32) -> Member<'_> {
        Member {
            signup: Some(signup),
            payments,
            bad_payments: bad,
            creators,
        }
    }

    #[test]
    fn a_big_farm_device_binds_and_a_colliding_fingerprint_is_a_hub() {
        let farm_creators = [7u32, 9];
        let farm: Vec<Member<'_>> = (0..300)
            .map(|i| member(i * 10 * 60_000, &farm_creators[i as usize % 2..], 4, 1))
            .collect();
        let r = read(IdKind::Device, &farm);
        assert_eq!(r.verdict, Verdict::Binds, "{}", r.why);
        assert!(r.why.contains("100%"), "{}", r.why);

        let creators: Vec<[u32; 1]> = (0..200u32).map(|i| [i % 97]).collect();
        let collision: Vec<Member<'_>> = (0..200)
            .map(|i| member(i as i64 * 1_500_000 * 1000 / 200 * 10, &creators[i], 3, 0))
            .collect();
        let r = read(IdKind::Device, &collision);
        assert_eq!(r.verdict, Verdict::Hub, "{}", r.why);
    }

    #[test]
    fn proxy_ips_of_a_burst_bind_and_an_office_ip_stays_weak() {
        let one = [3u32];
        let proxy: Vec<Member<'_>> = (0..8).map(|i| member(i * 5 * 60_000, &one, 3, 0)).collect();
        assert_eq!(read(IdKind::Ip, &proxy).verdict, Verdict::Binds);

        let own: Vec<[u32; 1]> = (0..8u32).map(|i| [i]).collect();
        let office: Vec<Member<'_>> = (0..8)
            .map(|i| member(i as i64 * 40 * DAY, &own[i], 3, 0))
            .collect();
        assert_eq!(read(IdKind::Ip, &office).verdict, Verdict::Weak);
        // Three on one device are a household: they bind, and the ring's score says it is benign.
        assert_eq!(read(IdKind::Device, &office[..3]).verdict, Verdict::Binds);
    }

    #[test]
    fn fans_paying_a_creator_with_shared_cards_bind_to_it() {
        let (a, b, own) = ([1u32], [2u32], [[10u32], [11], [12], [13], [14], [15]]);
        // Five fans on two of the creator's cards, one fan with its own: the five bind.
        let fans: Vec<(&[u32], bool)> = vec![
            (&a, false),
            (&a, false),
            (&a, false),
            (&b, false),
            (&b, false),
            (&own[0], false),
        ];
        assert_eq!(self_funding_fans(&fans), vec![0, 1, 2, 3, 4]);
        // A family of two sharing a card among a creator's many real fans binds nothing.
        let fans: Vec<(&[u32], bool)> = [&a, &a, &own[0], &own[1], &own[2], &own[3], &own[4]]
            .into_iter()
            .map(|c| (c.as_slice(), false))
            .collect();
        assert!(self_funding_fans(&fans).is_empty());
        // A crew passing cards around while paying many creators does not bind to this one.
        let fans: Vec<(&[u32], bool)> = vec![(&a, true), (&a, true), (&b, true), (&b, true)];
        assert!(self_funding_fans(&fans).is_empty());
    }

    #[test]
    fn an_identifier_alone_reads_as_read_says_without_words() {
        let one = [member(0, &[], 0, 0)];
        for kind in IdKind::ALL {
            let (full, alone) = (read(kind, &one), read_alone(kind));
            assert_eq!(
                (full.verdict, full.weight),
                (alone.verdict, alone.weight),
                "{kind}"
            );
            assert!(alone.why.is_empty());
        }
    }

    #[test]
    fn a_household_binds_and_a_spread_card_of_thirty_is_a_hub() {
        let own: Vec<[u32; 1]> = (0..30u32).map(|i| [i]).collect();
        let spread: Vec<Member<'_>> = (0..30)
            .map(|i| member(i as i64 * 9 * DAY, &own[i], 2, 0))
            .collect();
        assert_eq!(read(IdKind::Card, &spread[..3]).verdict, Verdict::Binds);
        assert_eq!(read(IdKind::Card, &spread).verdict, Verdict::Hub);
        // Fake fans signed up over months, all paying one creator with its card, are a group.
        let creator = [5u32];
        let fake: Vec<Member<'_>> = (0..12)
            .map(|i| member(i as i64 * 5 * DAY, &creator, 3, 0))
            .collect();
        assert_eq!(read(IdKind::Card, &fake).verdict, Verdict::Binds);
        // Disputes on most payments concentrate a group whatever its timing.
        let crew: Vec<Member<'_>> = (0..30)
            .map(|i| member(i as i64 * 9 * DAY, &own[i], 4, 2))
            .collect();
        assert_eq!(read(IdKind::Card, &crew).verdict, Verdict::Binds);
    }
}
