//! Building the link graph from a case: account nodes, identifier nodes, `uses` edges (with counts, first/last
//! seen) and `pays` edges from fans to creators.

use crate::Result;
use crate::identifier::{IdKind, placeholder_reason};
use crate::reading::{self, Member, Reading, Verdict};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use ringscope_model::RecordKind;
use ringscope_store::{Case, Observation};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Account {
        id: String,
    },
    Identifier {
        kind: IdKind,
        value: String,
        accounts: usize,
        /// Read as a hub: never evidence (`reading` says why).
        hub: bool,
        weight: f64,
        /// Hub, weak or binding, decided from how its accounts behave.
        reading: Reading,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Edge {
    /// An account used an identifier `count` times between `first` and `last` (UTC ms; absent when undated).
    Uses {
        count: u32,
        first: Option<i64>,
        last: Option<i64>,
    },
    /// A fan paid a creator.
    Pays { count: u32, amount_minor: i64 },
}

/// Placeholder values seen in the case, which link nothing.
#[derive(Debug, Clone, Serialize)]
pub struct Placeholder {
    pub kind: IdKind,
    pub value: String,
    pub reason: &'static str,
    pub observations: u64,
}

pub struct LinkGraph {
    pub graph: UnGraph<Node, Edge>,
    pub accounts: FxHashMap<String, NodeIndex>,
    pub identifiers: FxHashMap<(IdKind, String), NodeIndex>,
    /// Every use of an identifier with a time, for time-aware IP links: (identifier, account) → sorted times.
    pub(crate) times: FxHashMap<(NodeIndex, NodeIndex), Vec<i64>>,
    pub placeholders: Vec<Placeholder>,
    /// What each account brings to the reading of its identifiers, by account node.
    pub facts: FxHashMap<NodeIndex, AccountFacts>,
    /// Self-funding creators and the fans bound to them (see [`crate::reading::self_funding_fans`]).
    pub self_funded: Vec<(NodeIndex, Vec<NodeIndex>)>,
}

/// An account's sign-up and payment behaviour, as the identifier reading needs it.
#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    pub signup: Option<i64>,
    pub payments: u32,
    /// Declined or disputed payments.
    pub bad_payments: u32,
    /// Creator nodes paid (as indices), sorted, no repeats.
    pub creators: Vec<u32>,
}

/// How often an account used an identifier, and first/last time.
type UseStats = (u32, Option<i64>, Option<i64>);

struct Builder {
    graph: UnGraph<Node, Edge>,
    accounts: FxHashMap<String, NodeIndex>,
    /// One map per identifier kind, so a lookup borrows the value instead of allocating a key per observation.
    identifiers: [FxHashMap<String, NodeIndex>; 5],
    uses: FxHashMap<(NodeIndex, NodeIndex), UseStats>,
    times: FxHashMap<(NodeIndex, NodeIndex), Vec<i64>>,
    pays: FxHashMap<(NodeIndex, NodeIndex), (u32, i64)>,
    /// Placeholder values seen, one map per identifier kind like `identifiers`: value → (reason, observations).
    placeholders: [FxHashMap<String, (&'static str, u64)>; 5],
    facts: FxHashMap<NodeIndex, AccountFacts>,
}

fn kind_slot(kind: IdKind) -> usize {
    IdKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Builder {
    fn account(&mut self, id: &str) -> NodeIndex {
        if let Some(&n) = self.accounts.get(id) {
            return n;
        }
        let n = self.graph.add_node(Node::Account { id: id.to_string() });
        self.accounts.insert(id.to_string(), n);
        n
    }

    fn observe(&mut self, a: NodeIndex, kind: IdKind, value: Option<&str>, ts: Option<i64>) {
        let Some(value) = value else { return };
        let slot = kind_slot(kind);
        // A value already in the graph is no placeholder: the rules run once per distinct value, not per use.
        let ident = match self.identifiers[slot].get(value) {
            Some(&n) => n,
            None => {
                if let Some(seen) = self.placeholders[slot].get_mut(value) {
                    seen.1 += 1;
                    return;
                }
                if let Some(reason) = placeholder_reason(kind, value) {
                    self.placeholders[slot].insert(value.to_string(), (reason, 1));
                    return;
                }
                let n = self.graph.add_node(Node::Identifier {
                    kind,
                    value: value.to_string(),
                    accounts: 0,
                    hub: false,
                    weight: 0.0,
                    reading: Reading {
                        verdict: Verdict::Weak,
                        weight: 0.0,
                        why: String::new(),
                    },
                });
                self.identifiers[slot].insert(value.to_string(), n);
                n
            }
        };
        let e = self.uses.entry((ident, a)).or_insert((0, None, None));
        e.0 += 1;
        if let Some(t) = ts {
            e.1 = Some(e.1.map_or(t, |f| f.min(t)));
            e.2 = Some(e.2.map_or(t, |l| l.max(t)));
            if kind == IdKind::Ip {
                self.times.entry((ident, a)).or_default().push(t);
            }
        }
    }
}

impl LinkGraph {
    /// Reads every identifier observation of the case: account records (sign-up, emails, phones), then events
    /// (devices, IPs), then payments (cards, emails, and what each payment says about its payer).
    pub fn build(case: &Case) -> Result<LinkGraph> {
        let mut b = Builder {
            graph: UnGraph::default(),
            accounts: FxHashMap::default(),
            identifiers: Default::default(),
            uses: FxHashMap::default(),
            times: FxHashMap::default(),
            pays: FxHashMap::default(),
            placeholders: Default::default(),
            facts: FxHashMap::default(),
        };
        for record in [
            RecordKind::Accounts,
            RecordKind::Events,
            RecordKind::Payments,
        ] {
            case.for_each_observation(record, |o| b.record(record, o))?;
        }
        Ok(b.finish())
    }
}

impl Builder {
    fn record(&mut self, record: RecordKind, o: &Observation<'_, '_>) {
        // An account that only used placeholders is still an account.
        let a = self.account(o.account);
        if record == RecordKind::Accounts {
            self.facts.entry(a).or_default().signup = o.at_ms;
        }
        for &(kind, value) in o.identifiers {
            self.observe(a, kind, value, o.at_ms);
        }
        let Some(p) = &o.payment else { return };
        let facts = self.facts.entry(a).or_default();
        facts.payments += 1;
        facts.bad_payments += u32::from(p.declined || p.disputed);
        if let Some(creator) = p.creator {
            let creator = self.account(creator);
            self.facts
                .entry(a)
                .or_default()
                .creators
                .push(creator.index() as u32);
            let e = self.pays.entry((a, creator)).or_insert((0, 0));
            e.0 += 1;
            if !p.declined {
                e.1 += p.amount_minor.unwrap_or(0);
            }
        }
    }
}

impl Builder {
    fn finish(mut self) -> LinkGraph {
        let mut degree: FxHashMap<NodeIndex, usize> = FxHashMap::default();
        let mut uses: Vec<_> = self.uses.into_iter().collect();
        uses.sort_by_key(|((i, a), _)| (*i, *a)); // a deterministic graph for a given case
        for ((ident, account), (count, first, last)) in uses {
            *degree.entry(ident).or_default() += 1;
            self.graph
                .add_edge(account, ident, Edge::Uses { count, first, last });
        }
        for facts in self.facts.values_mut() {
            facts.creators.sort_unstable();
            facts.creators.dedup();
        }
        let mut degree: Vec<(NodeIndex, usize)> = degree.into_iter().collect();
        degree.sort_unstable();
        let mut members: Vec<Member<'_>> = vec![];
        for (ident, n) in degree {
            let Node::Identifier { kind, .. } = self.graph[ident] else {
                continue;
            };
            members.clear();
            for e in self.graph.edges(ident) {
                let account = if e.source() == ident {
                    e.target()
                } else {
                    e.source()
                };
                let facts = self.facts.get(&account);
                let first_use = match e.weight() {
                    Edge::Uses { first, .. } => *first,
                    Edge::Pays { .. } => None,
                };
                members.push(Member {
                    signup: facts.and_then(|f| f.signup).or(first_use),
                    payments: facts.map_or(0, |f| f.payments),
                    bad_payments: facts.map_or(0, |f| f.bad_payments),
                    creators: facts.map_or(&[], |f| f.creators.as_slice()),
                });
            }
            let read = reading::read(kind, &members);
            if let Node::Identifier {
                accounts,
                hub,
                weight,
                reading,
                ..
            } = &mut self.graph[ident]
            {
                *accounts = n;
                *hub = read.verdict == Verdict::Hub;
                *weight = read.weight;
                *reading = read;
            }
        }
        let mut pays: Vec<_> = self.pays.into_iter().collect();
        pays.sort_by_key(|(k, _)| *k);
        for ((fan, creator), (count, amount_minor)) in pays {
            self.graph.add_edge(
                fan,
                creator,
                Edge::Pays {
                    count,
                    amount_minor,
                },
            );
        }
        for t in self.times.values_mut() {
            t.sort_unstable();
        }
        let mut placeholders: Vec<Placeholder> = IdKind::ALL
            .into_iter()
            .zip(self.placeholders)
            .flat_map(|(kind, seen)| {
                seen.into_iter()
                    .map(move |(value, (reason, observations))| Placeholder {
                        kind,
                        value,
                        reason,
                        observations,
                    })
            })
            .collect();
        // Sorted by kind, then value, as they are reported.
        placeholders.sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
        let identifiers = IdKind::ALL
            .into_iter()
            .zip(self.identifiers)
            .flat_map(|(kind, map)| map.into_iter().map(move |(v, n)| ((kind, v), n)))
            .collect();
        let mut graph = LinkGraph {
            graph: self.graph,
            accounts: self.accounts,
            identifiers,
            times: self.times,
            placeholders,
            facts: self.facts,
            self_funded: vec![],
        };
        graph.self_funded = self_funding(&graph);
        graph
    }
}

/// Creators and the fans bound to them by paying with cards shared among the creator's fans (see
/// [`crate::reading::self_funding_fans`]).
pub(crate) fn self_funding(g: &LinkGraph) -> Vec<(NodeIndex, Vec<NodeIndex>)> {
    let mut payers: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for e in g.graph.edge_indices() {
        if let (Some(Edge::Pays { .. }), Some((fan, creator))) =
            (g.graph.edge_weight(e), g.graph.edge_endpoints(e))
        {
            payers.entry(creator).or_default().push(fan);
        }
    }
    // Each account's cards, sorted, in one pass over the edges (a fan paying several creators is asked once per
    // creator). Hub cards too: a creator's own card on many fake fans signed up over weeks reads as a hub by itself.
    let mut cards_by_account: FxHashMap<NodeIndex, Vec<u32>> = FxHashMap::default();
    for e in g.graph.edge_references() {
        if !matches!(e.weight(), Edge::Uses { .. }) {
            continue;
        }
        let (ident, account) = match &g.graph[e.source()] {
            Node::Identifier { .. } => (e.source(), e.target()),
            Node::Account { .. } => (e.target(), e.source()),
        };
        if let Node::Identifier {
            kind: IdKind::Card, ..
        } = &g.graph[ident]
        {
            cards_by_account
                .entry(account)
                .or_default()
                .push(ident.index() as u32);
        }
    }
    for cards in cards_by_account.values_mut() {
        cards.sort_unstable();
    }
    let cards_of =
        |fan: NodeIndex| -> &[u32] { cards_by_account.get(&fan).map_or(&[], Vec::as_slice) };
    let mut out = vec![];
    for (creator, mut fans) in payers {
        fans.sort_unstable();
        fans.dedup();
        fans.retain(|&f| f != creator);
        if fans.len() < crate::reading::SELF_FUNDING_MIN_FANS {
            continue;
        }
        let pays_others = |fan: NodeIndex| {
            g.graph.edges(fan).any(|e| {
                matches!(e.weight(), Edge::Pays { .. })
                    && g.graph
                        .edge_endpoints(e.id())
                        .is_some_and(|(from, to)| from == fan && to != creator)
            })
        };
        let refs: Vec<(&[u32], bool)> = fans
            .iter()
            .map(|&f| (cards_of(f), pays_others(f)))
            .collect();
        let bound: Vec<NodeIndex> = crate::reading::self_funding_fans(&refs)
            .into_iter()
            .map(|i| fans[i])
            .collect();
        if !bound.is_empty() {
            out.push((creator, bound));
        }
    }
    out
}

impl LinkGraph {
    /// The nodes at the other end of `n`'s `uses` edges: an identifier's accounts, or an account's identifiers,
    /// sorted.
    pub fn uses_neighbours(&self, n: NodeIndex) -> Vec<NodeIndex> {
        let mut v: Vec<NodeIndex> = self
            .graph
            .edges(n)
            .filter(|e| matches!(e.weight(), Edge::Uses { .. }))
            .map(|e| {
                if e.source() == n {
                    e.target()
                } else {
                    e.source()
                }
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// Whether `fan` is bound to `creator` as one of its self-funding fans.
    pub fn self_funds(&self, fan: NodeIndex, creator: NodeIndex) -> bool {
        self.self_funded
            .iter()
            .any(|(c, fans)| *c == creator && fans.binary_search(&fan).is_ok())
    }

    pub fn has_account(&self, account_id: &str) -> bool {
        self.accounts.contains_key(account_id)
    }

    pub fn account_id(&self, n: NodeIndex) -> Option<&str> {
        match &self.graph[n] {
            Node::Account { id } => Some(id),
            Node::Identifier { .. } => None,
        }
    }

    /// Identifier nodes that are hubs: shared by more accounts than any plausible group.
    pub fn hubs(&self) -> impl Iterator<Item = (IdKind, &str, usize)> {
        self.graph.node_weights().filter_map(|n| match n {
            Node::Identifier {
                kind,
                value,
                accounts,
                hub: true,
                ..
            } => Some((*kind, value.as_str(), *accounts)),
            _ => None,
        })
    }
}
