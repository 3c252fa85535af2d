//! Building the link graph from a case: account nodes, identifier nodes, `uses` edges (with counts, first/last
//! seen) and `pays` edges from fans to creators.

use crate::Result;
use crate::identifier::{IdKind, placeholder_reason};
use crate::names::Names;
use crate::reading::{self, Member, Reading, Verdict};
use crate::uses::{Payments, UseTimes, Uses};
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
        /// The account's place among the graph's accounts (0, 1, ...), indexing its [`AccountFacts`]. Free: the
        /// identifier variant makes the node larger anyway.
        #[serde(skip)]
        number: u32,
    },
    Identifier {
        kind: IdKind,
        /// Boxed, like the reading's `why`: four million identifier nodes at a million accounts.
        value: Box<str>,
        accounts: u32,
        /// Hub, weak or binding, decided from how its accounts behave, with its weight as evidence (a hub is
        /// never evidence: [`Node::is_hub`]). The node keeps no copy of either: four million nodes at 1M accounts.
        reading: Reading,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Edge {
    /// An account used an identifier `count` times between `first` and `last` (UTC ms; absent when undated).
    Uses {
        count: u32,
        first: UseTime,
        last: UseTime,
    },
    /// A fan paid a creator.
    Pays { count: u32, amount_minor: i64 },
}

impl Node {
    /// An identifier read as a hub: shared by more unrelated accounts than any group, so never evidence.
    pub fn is_hub(&self) -> bool {
        matches!(self, Node::Identifier { reading, .. } if reading.verdict == Verdict::Hub)
    }
}

/// A time of use, or none: an `Option<i64>` in 8 bytes rather than 16, since a graph at a million accounts has
/// nine million edges. No export has a time of `i64::MIN` (the uses list reads one as a millisecond later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseTime(i64);

impl UseTime {
    pub fn new(at: Option<i64>) -> UseTime {
        UseTime(at.map_or(i64::MIN, |t| t.max(i64::MIN + 1)))
    }

    pub fn get(self) -> Option<i64> {
        (self.0 != i64::MIN).then_some(self.0)
    }
}

impl Serialize for UseTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
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
    /// Account nodes by id (see [`LinkGraph::account`]).
    accounts: Names,
    /// Identifier nodes by value, one table per kind in [`IdKind::ALL`] order (see [`LinkGraph::identifier`]).
    identifiers: [Names; 5],
    /// When each account used each IP, for time-aware IP links.
    pub(crate) times: UseTimes,
    pub placeholders: Vec<Placeholder>,
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

struct Builder {
    graph: UnGraph<Node, Edge>,
    accounts: Names,
    /// One table per identifier kind.
    identifiers: [Names; 5],
    uses: Uses,
    pays: Payments,
    /// Placeholder values seen, one map per identifier kind like `identifiers`: value → (reason, observations).
    placeholders: [FxHashMap<String, (&'static str, u64)>; 5],
    /// By account number. A map by node, grown from empty, rehashed a tenth of detection's fresh pages at 1M
    /// accounts, and held twice the memory at its final size.
    facts: Vec<AccountFacts>,
    /// What each interned text of the case resolved to, by text id ([`TextIds`]): `UNSEEN`, `PLACEHOLDER`, or a
    /// node index + 1. Events repeat a few million texts over many millions of rows; this resolves each once.
    text_nodes: Vec<u32>,
}

const UNSEEN: u32 = 0;
const PLACEHOLDER: u32 = u32::MAX;

fn kind_slot(kind: IdKind) -> usize {
    IdKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Builder {
    fn account(&mut self, id: &str) -> NodeIndex {
        if let Some(n) = self.accounts.get(&self.graph, id) {
            return n;
        }
        // Below the node count, which petgraph's u32 indices bound.
        let number = self.facts.len() as u32;
        let n = self.graph.add_node(Node::Account {
            id: id.to_string(),
            number,
        });
        self.accounts.insert(&self.graph, n);
        self.facts.push(AccountFacts::default());
        n
    }

    /// The facts of account node `a` (`None` for an identifier node).
    fn facts_mut(&mut self, a: NodeIndex) -> Option<&mut AccountFacts> {
        account_number(&self.graph[a]).and_then(|i| self.facts.get_mut(i))
    }

    /// The identifier's node, or `None` for a placeholder (counted as seen).
    fn identifier(&mut self, kind: IdKind, value: &str) -> Option<NodeIndex> {
        let slot = kind_slot(kind);
        // A value already in the graph is no placeholder: the rules run once per distinct value, not per use.
        if let Some(n) = self.identifiers[slot].get(&self.graph, value) {
            return Some(n);
        }
        if let Some(seen) = self.placeholders[slot].get_mut(value) {
            seen.1 += 1;
            return None;
        }
        if let Some(reason) = placeholder_reason(kind, value) {
            self.placeholders[slot].insert(value.to_string(), (reason, 1));
            return None;
        }
        let n = self.graph.add_node(Node::Identifier {
            kind,
            value: value.into(),
            accounts: 0,
            reading: Reading {
                verdict: Verdict::Weak,
                weight: 0.0,
                why: Box::default(),
            },
        });
        self.identifiers[slot].insert(&self.graph, n);
        Some(n)
    }

    /// `resolve`'s answer for the text `id`, remembered: what a text resolves to never changes within a build.
    fn by_text_id(
        &mut self,
        id: u32,
        resolve: impl FnOnce(&mut Self) -> Option<NodeIndex>,
    ) -> Option<NodeIndex> {
        let slot = id as usize;
        if slot >= self.text_nodes.len() {
            self.text_nodes.resize(slot + 1, UNSEEN);
        }
        match self.text_nodes[slot] {
            UNSEEN => {
                let n = resolve(self);
                self.text_nodes[slot] = n.map_or(PLACEHOLDER, |n| n.index() as u32 + 1);
                n
            }
            PLACEHOLDER => {
                // Counted again as seen, through the text (placeholders are few and their map small).
                resolve(self)
            }
            n => Some(NodeIndex::new((n - 1) as usize)),
        }
    }
}

impl LinkGraph {
    /// Reads every identifier observation of the case: account records (sign-up, emails, phones), then events
    /// (devices, IPs), then payments (cards, emails, and what each payment says about its payer).
    pub fn build(case: &Case) -> Result<LinkGraph> {
        // Sized up front: growing a vector of millions of nodes copies it into fresh pages at each doubling.
        let size = case.link_graph_size_hint()?;
        let mut b = Builder {
            graph: UnGraph::with_capacity(size.nodes, 0),
            accounts: Names::with_capacity(size.accounts),
            identifiers: Default::default(),
            uses: Uses::with_capacity(size.uses, size.nodes),
            pays: Payments::default(),
            placeholders: Default::default(),
            facts: Vec::with_capacity(size.accounts),
            text_nodes: vec![],
        };
        case.for_each_observation_of(
            &[
                RecordKind::Accounts,
                RecordKind::Events,
                RecordKind::Payments,
            ],
            |record, o| b.record(record, o),
        )?;
        Ok(b.finish())
    }
}

impl Builder {
    fn record(&mut self, record: RecordKind, o: &Observation<'_, '_>) {
        // An account that only used placeholders is still an account.
        let a = match o.text_ids.and_then(|ids| ids.account) {
            Some(id) => self.by_text_id(id, |b| Some(b.account(o.account))),
            None => None,
        }
        .unwrap_or_else(|| self.account(o.account));
        if record == RecordKind::Accounts
            && let Some(facts) = self.facts_mut(a)
        {
            facts.signup = o.at_ms;
        }
        for (i, &(kind, value)) in o.identifiers.iter().enumerate() {
            let Some(value) = value else { continue };
            let text_id = o
                .text_ids
                .and_then(|ids| ids.identifiers.get(i).copied().flatten());
            let ident = match text_id {
                Some(id) => self.by_text_id(id, |b| b.identifier(kind, value)),
                None => self.identifier(kind, value),
            };
            if let Some(ident) = ident {
                self.uses.push(ident, a, o.at_ms);
            }
        }
        let Some(p) = &o.payment else { return };
        if let Some(facts) = self.facts_mut(a) {
            facts.payments += 1;
            facts.bad_payments += u32::from(p.declined || p.disputed);
        }
        if let Some(creator) = p.creator {
            let creator = self.account(creator);
            if let Some(facts) = self.facts_mut(a) {
                facts.creators.push(creator.index() as u32);
            }
            let counted = match p.declined {
                true => 0,
                false => p.amount_minor.unwrap_or(0),
            };
            self.pays.push(a, creator, counted);
        }
    }
}

impl Builder {
    fn finish(mut self) -> LinkGraph {
        // Edges in (identifier, account) order: a deterministic graph for a given case.
        // Accounts per identifier; 8 bytes an entry, three million entries.
        let mut degree: Vec<(NodeIndex, u32)> = vec![];
        // What is not needed to make the edges goes first: the finish is detection's peak of memory.
        self.text_nodes = Vec::new();
        let mut pays = std::mem::take(&mut self.pays);
        let uses = std::mem::take(&mut self.uses).into_sorted();
        self.graph.reserve_exact_edges(uses.pairs() + pays.pairs());
        let (ip_pairs, ip_times) = uses.timed(|n| is_ip(&self.graph, n));
        let mut times = UseTimes::with_capacity(ip_pairs, ip_times);
        uses.for_each_pair(|pair| {
            match degree.last_mut() {
                Some((ident, n)) if *ident == pair.ident => *n = n.saturating_add(1),
                _ => degree.push((pair.ident, 1)),
            }
            if is_ip(&self.graph, pair.ident) && !pair.times.is_empty() {
                times.push(pair.ident, pair.account, pair.times);
            }
            self.graph.add_edge(
                pair.account,
                pair.ident,
                Edge::Uses {
                    count: pair.count,
                    first: UseTime::new(pair.times.first().copied()),
                    last: UseTime::new(pair.times.last().copied()),
                },
            );
        });
        for facts in &mut self.facts {
            facts.creators.sort_unstable();
            facts.creators.dedup();
        }
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
                let facts = account_number(&self.graph[account]).and_then(|i| self.facts.get(i));
                let first_use = match e.weight() {
                    Edge::Uses { first, .. } => first.get(),
                    Edge::Pays { .. } => None,
                };
                members.push(Member {
                    signup: facts.and_then(|f| f.signup).or(first_use),
                    payments: facts.map_or(0, |f| f.payments),
                    bad_payments: facts.map_or(0, |f| f.bad_payments),
                    creators: facts.map_or(&[], |f| f.creators.as_slice()),
                });
            }
            let read = match members.len() {
                1 => reading::read_alone(kind),
                _ => reading::read(kind, &members),
            };
            if let Node::Identifier {
                accounts, reading, ..
            } = &mut self.graph[ident]
            {
                *accounts = n;
                *reading = read;
            }
        }
        // The accounts' facts served the readings only.
        drop(members);
        self.facts = Vec::new();
        for (fan, creator, count, amount_minor) in pays.into_pairs() {
            self.graph.add_edge(
                fan,
                creator,
                Edge::Pays {
                    count,
                    amount_minor,
                },
            );
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
        let mut graph = LinkGraph {
            graph: self.graph,
            accounts: self.accounts,
            identifiers: self.identifiers,
            times,
            placeholders,
            self_funded: vec![],
        };
        graph.self_funded = self_funding(&graph);
        graph
    }
}

/// An account node's place in the per-account tables (`None` for an identifier node).
fn account_number(node: &Node) -> Option<usize> {
    match node {
        Node::Account { number, .. } => Some(*number as usize),
        Node::Identifier { .. } => None,
    }
}

fn is_ip(graph: &UnGraph<Node, Edge>, n: NodeIndex) -> bool {
    matches!(
        graph[n],
        Node::Identifier {
            kind: IdKind::Ip,
            ..
        }
    )
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

    /// The node of the identifier `value` of `kind`, if the case has it (placeholders have none).
    pub fn identifier(&self, kind: IdKind, value: &str) -> Option<NodeIndex> {
        self.identifiers[kind_slot(kind)].get(&self.graph, value)
    }

    /// The node of account `account_id`, if the case has it.
    pub fn account(&self, account_id: &str) -> Option<NodeIndex> {
        self.accounts.get(&self.graph, account_id)
    }

    /// Every account node, in no particular order.
    pub fn account_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.accounts.nodes()
    }

    /// How many accounts the graph has.
    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    pub fn has_account(&self, account_id: &str) -> bool {
        self.account(account_id).is_some()
    }

    pub fn account_id(&self, n: NodeIndex) -> Option<&str> {
        match &self.graph[n] {
            Node::Account { id, .. } => Some(id),
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
                reading,
            } if reading.verdict == Verdict::Hub => Some((*kind, &**value, *accounts as usize)),
            _ => None,
        })
    }
}
