//! The subgraph view of a ring, as the app draws it and `ringscope ring-graph` exports it: the ring's accounts,
//! every identifier they use and the creators they pay, optionally expanded one hop around chosen nodes. Also
//! written as GraphML or GEXF for Gephi users.

use crate::build::{Edge, LinkGraph, Node};
use crate::identifier::IdKind;
use crate::ring::Ring;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a node of the view is: an account, a creator it pays, or an identifier of one kind.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Account,
    Creator,
    Device,
    Card,
    Email,
    Phone,
    Ip,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Account => "account",
            NodeKind::Creator => "creator",
            NodeKind::Device => "device",
            NodeKind::Card => "card",
            NodeKind::Email => "email",
            NodeKind::Phone => "phone",
            NodeKind::Ip => "ip",
        }
    }
}

impl From<IdKind> for NodeKind {
    fn from(kind: IdKind) -> Self {
        match kind {
            IdKind::Device => NodeKind::Device,
            IdKind::Card => NodeKind::Card,
            IdKind::Email => NodeKind::Email,
            IdKind::Phone => NodeKind::Phone,
            IdKind::Ip => NodeKind::Ip,
        }
    }
}

/// What an edge of the view is: an account using an identifier, or paying a creator.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    Uses,
    Pays,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Uses => "uses",
            EdgeKind::Pays => "pays",
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub member: bool,
    pub hub: bool,
    pub accounts_total: usize,
    pub weight: f64,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    pub kind: EdgeKind,
    pub count: u32,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    pub ring: Ring,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// The id a view gives a node: `account:ID` or `KIND:VALUE`.
pub fn node_id(g: &LinkGraph, n: NodeIndex) -> String {
    match &g.graph[n] {
        Node::Account { id, .. } => format!("account:{id}"),
        Node::Identifier { kind, value, .. } => format!("{kind}:{value}"),
    }
}

/// A ring's accounts, every identifier they use, and the creators they pay; `expand` adds one hop (the other
/// accounts using non-hub identifiers) around the given node ids.
pub fn ring_view(g: &LinkGraph, ring: Ring, expand: &[String]) -> GraphView {
    let members: BTreeSet<_> = ring.members.iter().filter_map(|m| g.account(m)).collect();
    let mut accounts: BTreeSet<_> = members.clone();
    for id in expand {
        let Some(n) = g.graph.node_indices().find(|&n| node_id(g, n) == *id) else {
            continue;
        };
        let idents: Vec<_> = match &g.graph[n] {
            Node::Account { .. } => g.graph.neighbors(n).collect(),
            Node::Identifier { .. } => vec![n],
        };
        for i in idents {
            if let node @ Node::Identifier { .. } = &g.graph[i]
                && !node.is_hub()
            {
                accounts.extend(crate::detect::accounts_of(g, i));
            }
        }
    }
    let mut nodes: BTreeMap<String, GraphNode> = BTreeMap::new();
    let mut edges = vec![];
    for &a in &accounts {
        let id = node_id(g, a);
        let label = g.account_id(a).unwrap_or_default().to_string();
        nodes.insert(
            id.clone(),
            GraphNode {
                id: id.clone(),
                kind: NodeKind::Account,
                label,
                member: members.contains(&a),
                hub: false,
                accounts_total: 1,
                weight: 0.0,
            },
        );
        for e in g.graph.edges(a) {
            let other = e.target(); // undirected: references from `edges(a)` start at `a`
            match (e.weight(), &g.graph[other]) {
                (
                    Edge::Uses { count, .. },
                    node @ Node::Identifier {
                        kind,
                        value,
                        accounts: total,
                        reading,
                    },
                ) => {
                    let oid = node_id(g, other);
                    nodes.entry(oid.clone()).or_insert(GraphNode {
                        id: oid.clone(),
                        kind: (*kind).into(),
                        label: value.to_string(),
                        member: false,
                        hub: node.is_hub(),
                        accounts_total: *total as usize,
                        weight: reading.weight,
                    });
                    edges.push(GraphEdge {
                        source: id.clone(),
                        target: oid,
                        kind: EdgeKind::Uses,
                        count: *count,
                    });
                }
                (Edge::Pays { count, .. }, Node::Account { id: other_id, .. })
                    if g.graph
                        .edge_endpoints(e.id())
                        .is_some_and(|(_, to)| to == other) =>
                {
                    let oid = node_id(g, other);
                    nodes.entry(oid.clone()).or_insert(GraphNode {
                        id: oid.clone(),
                        kind: NodeKind::Creator,
                        label: other_id.clone(),
                        member: members.contains(&other),
                        hub: false,
                        accounts_total: 1,
                        weight: 0.0,
                    });
                    edges.push(GraphEdge {
                        source: id.clone(),
                        target: oid,
                        kind: EdgeKind::Pays,
                        count: *count,
                    });
                }
                _ => {}
            }
        }
    }
    GraphView {
        ring,
        nodes: nodes.into_values().collect(),
        edges,
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

impl GraphView {
    /// GraphML (yEd, Gephi, networkx): node kind, label, member, hub, accounts_total and weight as attributes;
    /// edges with kind and count. Every value is escaped.
    pub fn to_graphml(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
             <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n\
             <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
             <key id=\"member\" for=\"node\" attr.name=\"member\" attr.type=\"boolean\"/>\n\
             <key id=\"hub\" for=\"node\" attr.name=\"hub\" attr.type=\"boolean\"/>\n\
             <key id=\"accounts_total\" for=\"node\" attr.name=\"accounts_total\" attr.type=\"long\"/>\n\
             <key id=\"weight\" for=\"node\" attr.name=\"weight\" attr.type=\"double\"/>\n\
             <key id=\"ekind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n\
             <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"long\"/>\n",
        );
        out.push_str(&format!(
            "<graph id=\"{}\" edgedefault=\"directed\">\n",
            xml(&self.ring.id)
        ));
        for n in &self.nodes {
            out.push_str(&format!(
                "<node id=\"{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data><data key=\"member\">{}</data><data key=\"hub\">{}</data><data key=\"accounts_total\">{}</data><data key=\"weight\">{}</data></node>\n",
                xml(&n.id), n.kind.as_str(), xml(&n.label), n.member, n.hub, n.accounts_total, n.weight
            ));
        }
        for (i, e) in self.edges.iter().enumerate() {
            out.push_str(&format!(
                "<edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"ekind\">{}</data><data key=\"count\">{}</data></edge>\n",
                xml(&e.source), xml(&e.target), e.kind.as_str(), e.count
            ));
        }
        out.push_str("</graph>\n</graphml>\n");
        out
    }

    /// GEXF 1.3 (Gephi), with the same attributes as [`GraphView::to_graphml`].
    pub fn to_gexf(&self) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n\
             <graph defaultedgetype=\"directed\">\n<attributes class=\"node\">\n\
             <attribute id=\"0\" title=\"kind\" type=\"string\"/>\n<attribute id=\"1\" title=\"member\" type=\"boolean\"/>\n\
             <attribute id=\"2\" title=\"hub\" type=\"boolean\"/>\n<attribute id=\"3\" title=\"accounts_total\" type=\"long\"/>\n\
             <attribute id=\"4\" title=\"weight\" type=\"double\"/>\n</attributes>\n\
             <attributes class=\"edge\">\n<attribute id=\"0\" title=\"kind\" type=\"string\"/>\n</attributes>\n<nodes>\n",
        );
        for n in &self.nodes {
            out.push_str(&format!(
                "<node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"0\" value=\"{}\"/><attvalue for=\"1\" value=\"{}\"/><attvalue for=\"2\" value=\"{}\"/><attvalue for=\"3\" value=\"{}\"/><attvalue for=\"4\" value=\"{}\"/></attvalues></node>\n",
                xml(&n.id), xml(&n.label), n.kind.as_str(), n.member, n.hub, n.accounts_total, n.weight
            ));
        }
        out.push_str("</nodes>\n<edges>\n");
        for (i, e) in self.edges.iter().enumerate() {
            out.push_str(&format!(
                "<edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{}\"><attvalues><attvalue for=\"0\" value=\"{}\"/></attvalues></edge>\n",
                xml(&e.source), xml(&e.target), e.count, e.kind.as_str()
            ));
        }
        out.push_str("</edges>\n</graph>\n</gexf>\n");
        out
    }
}
