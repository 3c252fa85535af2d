//! The ring score: a sum of named contributions, each from one feature, so an investigator can read why a ring
//! ranks where it does. Weights are set so every planted fraud pattern outranks benign look-alikes (households,
//! hub users); see the tests on the sample case and on generated cases.

use crate::features::RingFigures;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable feature name.
    pub feature: std::borrow::Cow<'static, str>,
    /// The feature's value for this ring.
    pub value: f64,
    /// Points it adds to the score.
    pub contribution: f64,
    /// The value in words.
    pub detail: String,
}

/// Facts from the graph that the frames do not hold.
pub struct GraphFacts {
    pub accounts: usize,
    /// Most ring members on any one device / card.
    pub max_accounts_per_device: usize,
    pub max_accounts_per_card: usize,
    /// The largest share of members using any one binding identifier.
    pub widest_identifier_share: f64,
    /// Members that are creators receiving money from other members.
    pub self_paid_creators: Vec<String>,
}

const HOUR: i64 = 3_600_000;
/// Sign-ups this close together count as one burst.
pub const BURST_WINDOW_HOURS: i64 = 48;

/// Most members signed up within any `BURST_WINDOW_HOURS` window.
pub fn burst(signups: &[i64]) -> usize {
    let mut best = 0;
    let mut start = 0;
    for end in 0..signups.len() {
        while signups[end] - signups[start] > BURST_WINDOW_HOURS * HOUR {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn reasons(f: &RingFigures, g: &GraphFacts) -> Vec<Reason> {
    let mut out = vec![];
    let mut add = |feature: &'static str, value: f64, contribution: f64, detail: String| {
        if contribution.abs() >= 0.005 {
            out.push(Reason {
                feature: feature.into(),
                value: round2(value),
                contribution: round2(contribution),
                detail,
            });
        }
    };
    let n = g.accounts as f64;
    add(
        "accounts",
        n,
        n.ln(),
        format!("{} linked accounts", g.accounts),
    );

    let in_burst = burst(&f.signups);
    if f.signups.len() >= 3 {
        let fraction = in_burst as f64 / n;
        add(
            "signup_burst",
            fraction,
            4.0 * (fraction - 0.4).max(0.0),
            format!(
                "{in_burst} of {} accounts signed up within {BURST_WINDOW_HOURS} hours",
                g.accounts
            ),
        );
    }

    let paid = (f.payments - f.declines).max(0);
    let dispute_rate = shrunk_rate(f.disputes, paid, NORMAL_DISPUTE_RATE);
    if paid >= 3 {
        add(
            "dispute_rate",
            dispute_rate,
            6.0 * (dispute_rate.min(1.0) - NORMAL_DISPUTE_RATE).max(0.0),
            format!("{} of {paid} completed payments disputed", f.disputes),
        );
    }
    let decline_rate = shrunk_rate(f.declines, f.payments, NORMAL_DECLINE_RATE);
    if f.payments >= 3 {
        add(
            "decline_rate",
            decline_rate,
            4.0 * (decline_rate - 0.1).max(0.0),
            format!("{} of {} payments declined", f.declines, f.payments),
        );
    }

    // Beyond a household's three; capped, so one huge farm device does not drown every other reason.
    let per_device = g.max_accounts_per_device;
    add(
        "accounts_per_device",
        per_device as f64,
        0.3 * per_device.saturating_sub(3).min(20) as f64,
        format!("up to {per_device} accounts on one device"),
    );
    let per_card = g.max_accounts_per_card;
    add(
        "accounts_per_card",
        per_card as f64,
        0.4 * per_card.saturating_sub(3).min(20) as f64,
        format!("up to {per_card} accounts paying with one card"),
    );

    let total_paid: i64 = f.amounts.iter().map(|(_, paid, _)| *paid).sum();
    // Members pay different creators when no creator is paid by more than half of them (two always may).
    let creators_differ = f
        .creators_paid
        .iter()
        .all(|(_, _, _, payers)| *payers as usize <= (g.accounts / 2).max(2));
    if let Some((creator, _, amount, payers)) = f.creators_paid.first().filter(|_| total_paid > 0) {
        let share = *amount as f64 / total_paid as f64;
        let contribution =
            0.3 * share * (*payers).min(10) as f64 * if share >= 0.5 { 1.0 } else { 0.0 };
        add(
            "creator_concentration",
            share,
            contribution,
            format!(
                "{:.0}% of the money went to {creator}, from {payers} member(s)",
                share * 100.0
            ),
        );
    }
    if let Some(creator) = g.self_paid_creators.first() {
        add(
            "self_funding",
            g.self_paid_creators.len() as f64,
            3.0,
            format!("creator {creator} is paid by other members of the ring"),
        );
    }
    if f.banned > 0 {
        let returned = f
            .first_banned_signup
            .map_or(0, |b| f.signups.iter().filter(|&&s| s > b).count());
        if returned > 0 {
            add(
                "ban_evasion",
                returned as f64,
                3.0,
                match &f.first_banned_account {
                    Some(banned) => format!(
                        "{returned} account(s) created after banned member {banned}, sharing its identifiers"
                    ),
                    None => format!(
                        "{returned} account(s) created after a banned member, sharing its identifiers"
                    ),
                },
            );
        } else {
            add(
                "banned_member",
                f.banned as f64,
                1.0,
                format!("{} banned member(s)", f.banned),
            );
        }
    }
    if f.email_variant_accounts > 0 {
        add(
            "email_variants",
            f.email_variant_accounts as f64,
            2.0,
            format!(
                "{} accounts use one mailbox written differently (+tags, dots)",
                f.email_variant_accounts
            ),
        );
    }
    let chained = g.widest_identifier_share <= 0.5 && g.accounts >= 4;
    if chained {
        add(
            "chained_links",
            1.0,
            1.0,
            "no identifier covers more than half the ring; it is held together by a chain of links"
                .into(),
        );
    }
    let quiet = f.disputes == 0
        && decline_rate < 0.15
        && f.banned == 0
        && g.self_paid_creators.is_empty()
        && f.email_variant_accounts == 0
        && !chained
        && creators_differ;
    if quiet {
        add(
            "household_profile",
            1.0,
            -1.5,
            "no disputes, few declines, members pay different creators: the profile of a household or family"
                .into(),
        );
    }
    out
}

/// Points for members using identifiers confirmed in a ring of an earlier case: strong evidence (an
/// investigator confirmed them), but not by itself a ring's whole score.
pub fn watchlist_reason(flagged_members: usize, example: &str) -> Option<Reason> {
    (flagged_members > 0).then(|| Reason {
        feature: "watchlist".into(),
        value: flagged_members as f64,
        contribution: round2(2.5 + 0.5 * (flagged_members - 1).min(5) as f64),
        detail: format!(
            "{flagged_members} member(s) use identifiers confirmed in an earlier case ({example})"
        ),
    })
}

/// Base rates of a normal fan's payments, toward which small counts are shrunk.
const NORMAL_DECLINE_RATE: f64 = 0.06;
const NORMAL_DISPUTE_RATE: f64 = 0.005;
/// How many payments' worth of the base rate small counts are blended with.
const PRIOR_PAYMENTS: f64 = 5.0;

/// `hits / total`, shrunk toward `base` so that 1 of 3 is not read as a 33% rate (a Bayesian mean).
fn shrunk_rate(hits: i64, total: i64, base: f64) -> f64 {
    (hits as f64 + base * PRIOR_PAYMENTS) / (total as f64 + PRIOR_PAYMENTS)
}

pub fn total(reasons: &[Reason]) -> f64 {
    round2(reasons.iter().map(|r| r.contribution).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_finds_the_densest_window() {
        let h = HOUR;
        assert_eq!(burst(&[0, h, 2 * h, 100 * h, 101 * h]), 3);
        assert_eq!(burst(&[0, 49 * h]), 1);
        assert_eq!(burst(&[]), 0);
    }

    #[test]
    fn a_quiet_household_scores_low_and_a_farm_high() {
        let household = RingFigures {
            signups: vec![0, 60 * 24 * HOUR, 120 * 24 * HOUR],
            payments: 5,
            amounts: vec![("USD".into(), 5000, 0)],
            creators_paid: vec![("c1".into(), "USD".into(), 2000, 1)],
            ..Default::default()
        };
        let facts = |accounts, per_device| GraphFacts {
            accounts,
            max_accounts_per_device: per_device,
            max_accounts_per_card: 1,
            widest_identifier_share: 1.0,
            self_paid_creators: vec![],
        };
        let low = total(&reasons(&household, &facts(3, 3)));
        let farm = RingFigures {
            signups: (0..10).map(|i| i * HOUR / 2).collect(),
            payments: 40,
            declines: 12,
            disputes: 8,
            amounts: vec![("USD".into(), 40000, 8000)],
            creators_paid: vec![("c1".into(), "USD".into(), 40000, 10)],
            ..Default::default()
        };
        let high = total(&reasons(&farm, &facts(10, 10)));
        assert!(low < 2.0 && high > 10.0, "household {low}, farm {high}");
    }
}
