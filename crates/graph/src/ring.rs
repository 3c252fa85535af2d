//! A ring as reported: members, what binds them, counts, money, time, and the score with its reasons.

use crate::build::{Edge, LinkGraph, Node};
use crate::detect::{Group, accounts_of};
use crate::features::RingFigures;
use crate::identifier::IdKind;
use crate::score::{self, GraphFacts, Reason};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Binding {
    pub kind: IdKind,
    pub value: String,
    pub weight: f64,
    /// Accounts using it in the whole case.
    pub accounts_total: usize,
    /// Ring members using it.
    pub members: Vec<String>,
    /// Why it binds (or only corroborates), from how its accounts behave.
    pub reading: crate::reading::Reading,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RingCounts {
    pub accounts: usize,
    pub creators: i64,
    pub devices: usize,
    pub cards: usize,
    pub ips: usize,
    pub emails: usize,
    pub phones: usize,
    /// Identifiers the members use that are hubs (shared far beyond the ring).
    pub hubs: usize,
    pub payments: i64,
    pub declines: i64,
    pub disputes: i64,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Amount {
    pub currency: String,
    pub paid_minor: i64,
    pub disputed_minor: i64,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatorShare {
    pub creator_id: String,
    pub currency: String,
    pub amount_minor: i64,
    /// Of all money the ring paid, in this creator's currency.
    pub share: f64,
    pub payers: i64,
    pub in_ring: bool,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ring {
    pub id: String,
    pub rank: usize,
    pub score: f64,
    pub members: Vec<String>,
    pub reasons: Vec<Reason>,
    pub binding: Vec<Binding>,
    pub counts: RingCounts,
    pub amounts: Vec<Amount>,
    pub first_activity: Option<String>,
    pub last_activity: Option<String>,
    /// Most members signed up within `signup_burst_window_hours`.
    pub signup_burst: usize,
    pub signup_burst_window_hours: i64,
    pub creators_paid: Vec<CreatorShare>,
    /// The investigator's current decision on this ring, if any.
    pub decision: Option<ringscope_store::Decision>,
    /// Accounts an investigator removed from this ring (false positives); kept out across re-detection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<ringscope_store::RemovedMember>,
    /// Splits and merges in force that shaped this ring (undoable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<ringscope_store::RingEdit>,
}

impl Ring {
    /// The ring's main currency and what was paid in it: the currency with the largest paid face value (amounts
    /// compared in major units, exactly; ties by code). Sorting rings by money uses this, so amounts in different
    /// currencies are never added.
    pub fn main_amount(&self) -> Option<(&str, i64)> {
        let face = |a: &Amount| {
            let exp = ringscope_model::money::exponent(&a.currency).unwrap_or(0);
            i128::from(a.paid_minor) * 10i128.pow(4u32.saturating_sub(exp))
        };
        self.amounts
            .iter()
            .max_by(|a, b| {
                face(a)
                    .cmp(&face(b))
                    .then_with(|| b.currency.cmp(&a.currency))
            })
            .map(|a| (a.currency.as_str(), a.paid_minor))
    }
}

/// Orders rings by money without adding currencies: grouped by main currency (by code, whatever the direction,
/// rings without payments last), then by the amount paid in it, largest first when `descending`.
pub fn cmp_by_amount(a: &Ring, b: &Ring, descending: bool) -> std::cmp::Ordering {
    match (a.main_amount(), b.main_amount()) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some((ca, xa)), Some((cb, xb))) => ca
            .cmp(cb)
            .then_with(|| if descending { xb.cmp(&xa) } else { xa.cmp(&xb) }),
    }
}

fn utc(ms: Option<i64>) -> Option<String> {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub(crate) fn assemble(g: &LinkGraph, group: &Group, f: RingFigures) -> Ring {
    let members: Vec<String> = group
        .members
        .iter()
        .filter_map(|&m| g.account_id(m))
        .map(String::from)
        .collect();
    let member_set: HashSet<_> = group.members.iter().copied().collect();
    let mut binding = vec![];
    let (mut per_device, mut per_card) = (0, 0);
    let mut widest = 0;
    for &ident in &group.binding {
        let Node::Identifier {
            kind,
            value,
            accounts,
            reading,
        } = &g.graph[ident]
        else {
            continue;
        };
        let weight = &reading.weight;
        let mut users: Vec<String> = accounts_of(g, ident)
            .into_iter()
            .filter(|a| member_set.contains(a))
            .filter_map(|a| g.account_id(a))
            .map(String::from)
            .collect();
        users.sort();
        // Two or more members share it, unless an investigator removed all but one of them.
        if users.len() < 2 {
            continue;
        }
        match kind {
            IdKind::Device => per_device = per_device.max(users.len()),
            IdKind::Card => per_card = per_card.max(users.len()),
            _ => {}
        }
        widest = widest.max(users.len());
        binding.push(Binding {
            kind: *kind,
            value: value.to_string(),
            weight: (weight * 100.0).round() / 100.0,
            accounts_total: *accounts as usize,
            members: users,
            reading: reading.clone(),
        });
    }
    binding.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(b.weight.total_cmp(&a.weight))
            .then(a.kind.cmp(&b.kind))
            .then(a.value.cmp(&b.value))
    });

    let mut counts = RingCounts {
        accounts: members.len(),
        ..Default::default()
    };
    let mut seen = HashSet::new();
    let mut self_paid: HashMap<String, usize> = HashMap::new();
    for &m in &group.members {
        for e in g.graph.edges(m) {
            let other = if e.source() == m {
                e.target()
            } else {
                e.source()
            };
            match (e.weight(), &g.graph[other]) {
                (Edge::Uses { .. }, node @ Node::Identifier { kind, .. }) if seen.insert(other) => {
                    counts.hubs += usize::from(node.is_hub());
                    *match kind {
                        IdKind::Device => &mut counts.devices,
                        IdKind::Card => &mut counts.cards,
                        IdKind::Ip => &mut counts.ips,
                        IdKind::Email => &mut counts.emails,
                        IdKind::Phone => &mut counts.phones,
                    } += 1;
                }
                // Pays edges are stored fan → creator, but an undirected graph's `edges(m)` orients every
                // reference away from `m`: ask for the stored endpoints.
                (Edge::Pays { .. }, Node::Account { .. })
                    if g.graph
                        .edge_endpoints(e.id())
                        .is_some_and(|(_, to)| to == m)
                        && member_set.contains(&other) =>
                {
                    *self_paid
                        .entry(g.account_id(m).unwrap_or_default().to_string())
                        .or_default() += 1;
                }
                _ => {}
            }
        }
    }
    let mut self_paid_creators: Vec<String> = self_paid.into_keys().collect();
    self_paid_creators.sort();
    let facts = GraphFacts {
        accounts: members.len(),
        max_accounts_per_device: per_device,
        max_accounts_per_card: per_card,
        widest_identifier_share: widest as f64 / members.len().max(1) as f64,
        self_paid_creators,
    };
    let reasons = score::reasons(&f, &facts);
    counts.creators = f.creators;
    counts.payments = f.payments;
    counts.declines = f.declines;
    counts.disputes = f.disputes;
    let totals: HashMap<&str, i64> = f
        .amounts
        .iter()
        .map(|(c, paid, _)| (c.as_str(), *paid))
        .collect();
    let member_names: HashSet<&str> = members.iter().map(String::as_str).collect();
    let creators_paid = f
        .creators_paid
        .iter()
        .map(|(creator, currency, amount, payers)| CreatorShare {
            creator_id: creator.clone(),
            currency: currency.clone(),
            amount_minor: *amount,
            share: totals
                .get(currency.as_str())
                .filter(|t| **t > 0)
                .map_or(0.0, |t| {
                    ((*amount as f64 / *t as f64) * 1000.0).round() / 1000.0
                }),
            payers: *payers,
            in_ring: member_names.contains(creator.as_str()),
        })
        .collect();
    Ring {
        id: String::new(),
        rank: 0,
        score: score::total(&reasons),
        members,
        reasons,
        binding,
        counts,
        amounts: f
            .amounts
            .iter()
            .map(|(currency, paid, disputed)| Amount {
                currency: currency.clone(),
                paid_minor: *paid,
                disputed_minor: *disputed,
            })
            .collect(),
        first_activity: utc(f.first_activity),
        last_activity: utc(f.last_activity),
        signup_burst: score::burst(&f.signups),
        signup_burst_window_hours: score::BURST_WINDOW_HOURS,
        creators_paid,
        decision: None,
        removed: vec![],
        edits: vec![],
    }
}
