//! Building the link graph from a case: account nodes, identifier nodes, `uses` edges (with counts, first/last
//! seen) and `pays` edges from fans to creators.

use crate::Result;
use crate::identifier::{IdKind, placeholder_reason};
use petgraph::graph::{NodeIndex, UnGraph};
use ringscope_store::Case;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
        hub: bool,
        weight: f64,
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
    pub accounts: HashMap<String, NodeIndex>,
    pub identifiers: HashMap<(IdKind, String), NodeIndex>,
    /// Every use of an identifier with a time, for time-aware IP links: (identifier, account) → sorted times.
    pub(crate) times: HashMap<(NodeIndex, NodeIndex), Vec<i64>>,
    pub placeholders: Vec<Placeholder>,
}

/// How often an account used an identifier, and first/last time.
type UseStats = (u32, Option<i64>, Option<i64>);

struct Builder {
    graph: UnGraph<Node, Edge>,
    accounts: HashMap<String, NodeIndex>,
    identifiers: HashMap<(IdKind, String), NodeIndex>,
    uses: HashMap<(NodeIndex, NodeIndex), UseStats>,
    times: HashMap<(NodeIndex, NodeIndex), Vec<i64>>,
    pays: HashMap<(NodeIndex, NodeIndex), (u32, i64)>,
    placeholders: BTreeMap<(IdKind, String), (&'static str, u64)>,
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

    fn observe(&mut self, account: &str, kind: IdKind, value: Option<String>, ts: Option<i64>) {
        let a = self.account(account); // an account that only used placeholders is still an account
        let Some(value) = value else { return };
        if let Some(reason) = placeholder_reason(kind, &value) {
            self.placeholders
                .entry((kind, value))
                .or_insert((reason, 0))
                .1 += 1;
            return;
        }
        let key = (kind, value);
        let ident = match self.identifiers.get(&key) {
            Some(&n) => n,
            None => {
                let n = self.graph.add_node(Node::Identifier {
                    kind,
                    value: key.1.clone(),
                    accounts: 0,
                    hub: false,
                    weight: 0.0,
                });
                self.identifiers.insert(key, n);
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
    /// Reads every identifier observation of the case.
    pub fn build(case: &Case) -> Result<LinkGraph> {
        let mut b = Builder {
            graph: UnGraph::default(),
            accounts: HashMap::new(),
            identifiers: HashMap::new(),
            uses: HashMap::new(),
            times: HashMap::new(),
            pays: HashMap::new(),
            placeholders: BTreeMap::new(),
        };
        let conn = case.conn();
        let mut stmt =
            conn.prepare("SELECT account_id, created_at_ms, email_canon, phone FROM accounts")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            b.account(&account);
            let ts: Option<i64> = r.get(1)?;
            b.observe(&account, IdKind::Email, r.get(2)?, ts);
            b.observe(&account, IdKind::Phone, r.get(3)?, ts);
        }
        let mut stmt =
            conn.prepare("SELECT account_id, timestamp_ms, device_id, ip FROM events")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            let ts: Option<i64> = r.get(1)?;
            b.observe(&account, IdKind::Device, r.get(2)?, ts);
            b.observe(&account, IdKind::Ip, r.get(3)?, ts);
        }
        let mut stmt = conn.prepare(
            "SELECT account_id, created_at_ms, card_fingerprint, customer_email_canon, creator_id, amount_minor, status
             FROM payments WHERE account_id IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            let ts: Option<i64> = r.get(1)?;
            b.observe(&account, IdKind::Card, r.get(2)?, ts);
            b.observe(&account, IdKind::Email, r.get(3)?, ts);
            if let Some(creator) = r.get::<_, Option<String>>(4)? {
                let (fan, creator) = (b.account(&account), b.account(&creator));
                let paid = r.get::<_, Option<String>>(6)?.is_none_or(|s| s != "failed");
                let e = b.pays.entry((fan, creator)).or_insert((0, 0));
                e.0 += 1;
                if paid {
                    e.1 += r.get::<_, i64>(5)?;
                }
            }
        }
        Ok(b.finish())
    }
}

impl Builder {
    fn finish(mut self) -> LinkGraph {
        let mut degree: HashMap<NodeIndex, usize> = HashMap::new();
        let mut uses: Vec<_> = self.uses.into_iter().collect();
        uses.sort_by_key(|((i, a), _)| (*i, *a)); // a deterministic graph for a given case
        for ((ident, account), (count, first, last)) in uses {
            *degree.entry(ident).or_default() += 1;
            self.graph
                .add_edge(account, ident, Edge::Uses { count, first, last });
        }
        for (ident, n) in degree {
            if let Node::Identifier {
                kind,
                accounts,
                hub,
                weight,
                ..
            } = &mut self.graph[ident]
            {
                *accounts = n;
                *hub = n > kind.hub_limit();
                *weight = kind.weight(n);
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
        let placeholders = self
            .placeholders
            .into_iter()
            .map(|((kind, value), (reason, observations))| Placeholder {
                kind,
                value,
                reason,
                observations,
            })
            .collect();
        LinkGraph {
            graph: self.graph,
            accounts: self.accounts,
            identifiers: self.identifiers,
            times: self.times,
            placeholders,
        }
    }
}

impl LinkGraph {
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
