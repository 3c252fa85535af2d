//! Why two accounts are linked: the shortest chain of shared identifiers between them, each hop with the source
//! rows (file + line) that show each account using the identifier, and how the identifier was read (a hub is
//! never a hop; a value shared by hundreds binds only when they behave as a group). A self-funding fan is linked
//! to its creator by its payments (a `payment` hop, with the payment rows).

use crate::build::{Edge, LinkGraph, Node};
use crate::identifier::IdKind;
use crate::{Error, Result};
use petgraph::visit::{EdgeFiltered, EdgeRef};
use ringscope_store::Case;
pub use ringscope_store::SourceRow;
use serde::Serialize;

/// Rows listed per account and hop; the total count is always given.
pub const ROWS_LISTED: usize = 20;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    pub account: String,
    pub rows: Vec<SourceRow>,
    pub total_rows: i64,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    /// The shared identifier's kind, or `payment` for a fan paying its self-funding creator.
    pub kind: HopKind,
    /// The identifier's value (the creator's id for a payment hop).
    pub value: String,
    /// Evidence weight of the identifier (see ARCHITECTURE.md); ≥ 1 is a strong link on its own.
    pub weight: f64,
    pub accounts_sharing: usize,
    /// Why this link counts, in words (the identifier's reading, or the self-funding rule).
    pub why: String,
    pub from: Usage,
    pub to: Usage,
}

/// What a hop goes through: a shared identifier of one kind, or a payment to a self-funding creator.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HopKind {
    Device,
    Card,
    Email,
    Phone,
    Ip,
    Payment,
}

impl From<IdKind> for HopKind {
    fn from(kind: IdKind) -> Self {
        match kind {
            IdKind::Device => HopKind::Device,
            IdKind::Card => HopKind::Card,
            IdKind::Email => HopKind::Email,
            IdKind::Phone => HopKind::Phone,
            IdKind::Ip => HopKind::Ip,
        }
    }
}

impl std::fmt::Display for HopKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HopKind::Payment => f.write_str("payment"),
            HopKind::Device => f.write_str(IdKind::Device.as_str()),
            HopKind::Card => f.write_str(IdKind::Card.as_str()),
            HopKind::Email => f.write_str(IdKind::Email.as_str()),
            HopKind::Phone => f.write_str(IdKind::Phone.as_str()),
            HopKind::Ip => f.write_str(IdKind::Ip.as_str()),
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub from: String,
    pub to: String,
    pub linked: bool,
    pub hops: Vec<Hop>,
}

pub fn explain(case: &Case, g: &LinkGraph, from: &str, to: &str) -> Result<Explanation> {
    let node = |id: &str| {
        g.account(id)
            .ok_or_else(|| Error::UnknownAccount(id.to_string()))
    };
    let (start, goal) = (node(from)?, node(to)?);
    let usable = |n: petgraph::graph::NodeIndex| !g.graph[n].is_hub();
    let links = EdgeFiltered::from_fn(&g.graph, |e| match e.weight() {
        Edge::Uses { .. } => usable(e.source()) && usable(e.target()),
        // Paying a creator links a fan to it only when the fan is one of the creator's self-funding fans.
        Edge::Pays { .. } => g
            .graph
            .edge_endpoints(e.id())
            .is_some_and(|(fan, creator)| g.self_funds(fan, creator)),
    });
    // Entering an identifier costs one hop, plus a little for weak ones, so strong chains win ties; a payment hop
    // (one edge where a shared identifier takes two) costs the same as a strong identifier's.
    let cost = |e: petgraph::graph::EdgeReference<'_, Edge>| -> f64 {
        if matches!(e.weight(), Edge::Pays { .. }) {
            return 2.0;
        }
        [e.source(), e.target()]
            .iter()
            .find_map(|&n| match &g.graph[n] {
                Node::Identifier { reading, .. } => {
                    Some(1.0 + (1.0 - reading.weight.min(1.0)) / 2.0)
                }
                Node::Account { .. } => None,
            })
            .unwrap_or(1.0)
    };
    let path = petgraph::algo::astar(&links, start, |n| n == goal, cost, |_| 0.0);
    let mut hops = vec![];
    if let Some((_, nodes)) = &path {
        let mut i = 0;
        while i + 1 < nodes.len() {
            let (a, next) = (nodes[i], nodes[i + 1]);
            let name = |n| g.account_id(n).unwrap_or_default();
            if let Node::Account { .. } = &g.graph[next] {
                // A payment hop: one of the two is the creator.
                let (fan, creator) = if g.self_funds(a, next) {
                    (a, next)
                } else {
                    (next, a)
                };
                let rows = payments_to(case, name(fan), name(creator))?;
                hops.push(Hop {
                    kind: HopKind::Payment,
                    value: name(creator).to_string(),
                    weight: 1.0,
                    accounts_sharing: 2,
                    why: format!(
                        "{} pays {} with a card shared among that creator's fans, who pay no one else (self-funding)",
                        name(fan),
                        name(creator)
                    ),
                    from: Usage { account: name(a).to_string(), ..rows.clone() },
                    to: Usage { account: name(next).to_string(), ..rows },
                });
                i += 1;
                continue;
            }
            let (ident, b) = (next, nodes[i + 2]);
            i += 2;
            let Node::Identifier {
                kind,
                value,
                accounts,
                reading,
            } = &g.graph[ident]
            else {
                continue;
            };
            let weight = reading.weight;
            hops.push(Hop {
                kind: (*kind).into(),
                value: value.to_string(),
                weight: (weight * 100.0).round() / 100.0,
                accounts_sharing: *accounts as usize,
                why: reading.why.to_string(),
                from: usage(case, *kind, value, name(a))?,
                to: usage(case, *kind, value, name(b))?,
            });
        }
    }
    Ok(Explanation {
        from: from.into(),
        to: to.into(),
        linked: path.is_some() && from != to,
        hops,
    })
}

/// The payment rows in which `fan` paid `creator`.
fn payments_to(case: &Case, fan: &str, creator: &str) -> Result<Usage> {
    let found = case.payment_rows(fan, creator, ROWS_LISTED)?;
    Ok(Usage {
        account: fan.into(),
        rows: found.rows,
        total_rows: found.total,
    })
}

/// The rows in which `account` used the identifier (the first [`ROWS_LISTED`]; `total_rows` counts all).
pub fn usage(case: &Case, kind: IdKind, value: &str, account: &str) -> Result<Usage> {
    usage_limited(case, kind, value, account, ROWS_LISTED)
}

/// [`usage`] listing up to `limit` rows.
pub fn usage_limited(
    case: &Case,
    kind: IdKind,
    value: &str,
    account: &str,
    limit: usize,
) -> Result<Usage> {
    let found = case.identifier_rows(kind, value, account, limit)?;
    Ok(Usage {
        account: account.into(),
        rows: found.rows,
        total_rows: found.total,
    })
}
