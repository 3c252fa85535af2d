//! Rings: groups of accounts bound by sufficient evidence.
//!
//! 1. A non-hub identifier of weight ≥ 1 (see `identifier.rs`) binds all its accounts at once.
//! 2. Weaker identifiers add up per pair of accounts (IP evidence scaled by how close in time the two used it);
//!    a pair whose evidence reaches 1 is bound. A single weak link never is.
//! 3. Rings are the connected components of those bindings, except that a component held together only by one
//!    such summed (corroborated) pair link, with at least two accounts on each side, is split there: one soft
//!    bridge is not enough to merge two groups.

use crate::build::{Edge, LinkGraph, Node};
use crate::identifier::{IdKind, ip_time_factor};
use petgraph::graph::NodeIndex;
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

/// Evidence is bound when it adds up to this.
pub const BINDING_THRESHOLD: f64 = 1.0;

/// A group of accounts found bound together.
#[derive(Debug, Clone)]
pub struct Group {
    /// Account nodes, sorted by account id.
    pub members: Vec<NodeIndex>,
    /// Non-hub identifiers used by two or more members.
    pub binding: Vec<NodeIndex>,
}

/// The accounts using an identifier.
pub fn accounts_of(g: &LinkGraph, ident: NodeIndex) -> Vec<NodeIndex> {
    g.uses_neighbours(ident)
}

/// Smallest gap between two sorted time lists.
fn min_gap(a: &[i64], b: &[i64]) -> Option<i64> {
    let (mut i, mut j, mut best) = (0, 0, None::<i64>);
    while i < a.len() && j < b.len() {
        let gap = (a[i] - b[j]).abs();
        best = Some(best.map_or(gap, |x| x.min(gap)));
        if a[i] < b[j] { i += 1 } else { j += 1 }
    }
    best
}

/// A pair of accounts bound by weak evidence that added up.
struct Corroborated {
    a: NodeIndex,
    b: NodeIndex,
}

pub fn detect(g: &LinkGraph) -> Vec<Group> {
    let mut uf = UnionFind::<usize>::new(g.graph.node_count());
    let mut strong: Vec<(NodeIndex, Vec<NodeIndex>)> = vec![];
    // Iterated only to collect and sort, so the hasher's order does not matter.
    let mut pair_evidence: FxHashMap<(NodeIndex, NodeIndex), f64> = FxHashMap::default();
    for ident in g.graph.node_indices() {
        let node = &g.graph[ident];
        let Node::Identifier { kind, reading, .. } = node else {
            continue;
        };
        if node.is_hub() {
            continue;
        }
        let weight = &reading.weight;
        let accounts = accounts_of(g, ident);
        if accounts.len() < 2 || *weight <= 0.0 {
            continue;
        }
        if *weight >= BINDING_THRESHOLD {
            for a in &accounts[1..] {
                uf.union(accounts[0].index(), a.index());
            }
            strong.push((ident, accounts));
            continue;
        }
        for (i, &a) in accounts.iter().enumerate() {
            for &b in &accounts[i + 1..] {
                let factor = if *kind == IdKind::Ip {
                    let (ta, tb) = (g.times.get(ident, a), g.times.get(ident, b));
                    ta.zip(tb)
                        .and_then(|(ta, tb)| min_gap(ta, tb))
                        .map_or(0.1, ip_time_factor)
                } else {
                    1.0
                };
                *pair_evidence.entry((a, b)).or_default() += weight * factor;
            }
        }
    }
    for (creator, fans) in g.self_funded.clone() {
        for f in &fans {
            uf.union(creator.index(), f.index());
        }
        let mut accounts = fans;
        accounts.insert(0, creator);
        strong.push((creator, accounts));
    }
    let mut corroborated: Vec<Corroborated> = pair_evidence
        .into_iter()
        .filter(|(_, w)| *w >= BINDING_THRESHOLD)
        .map(|((a, b), _)| Corroborated { a, b })
        .collect();
    corroborated.sort_by_key(|c| (c.a, c.b));
    for c in &corroborated {
        uf.union(c.a.index(), c.b.index());
    }

    let mut components: BTreeMap<usize, Vec<NodeIndex>> = BTreeMap::new();
    for n in g.account_nodes() {
        components.entry(uf.find(n.index())).or_default().push(n);
    }
    // Each component's links and strong lists, by its root, in one pass (in their order), rather than a scan of
    // every link list per component: that scan grew with components × links (×14 time for ×10 accounts).
    let mut links_of: FxHashMap<usize, Vec<&Corroborated>> = FxHashMap::default();
    for c in &corroborated {
        links_of.entry(uf.find(c.a.index())).or_default().push(c);
    }
    let mut strong_of: FxHashMap<usize, Vec<&Vec<NodeIndex>>> = FxHashMap::default();
    for (_, accts) in &strong {
        strong_of
            .entry(uf.find(accts[0].index()))
            .or_default()
            .push(accts);
    }
    let mut groups = vec![];
    for (root, mut members) in components {
        members.sort_unstable();
        if members.len() < 2 {
            continue;
        }
        let links = links_of.remove(&root).unwrap_or_default();
        let strong_here = strong_of.remove(&root).unwrap_or_default();
        for part in split_soft_bridges(&members, &strong_here, &links) {
            groups.push(finish_group(g, part));
        }
    }
    groups
}

/// Splits a component at corroborated links that are its only connection between two parts of ≥ 2 accounts.
/// Bridges come from one linear-time DFS (Tarjan), so a dense farm with 100k weak pair links stays cheap.
fn split_soft_bridges(
    members: &[NodeIndex],
    strong: &[&Vec<NodeIndex>],
    links: &[&Corroborated],
) -> Vec<Vec<NodeIndex>> {
    let index: HashMap<NodeIndex, usize> =
        members.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    // Edges: stars for strong identifiers (never cut), then one edge per corroborated link (may be cut).
    let mut edges: Vec<(usize, usize)> = vec![];
    for accts in strong {
        for &a in &accts[1..] {
            edges.push((index[&accts[0]], index[&a]));
        }
    }
    let first_link = edges.len();
    edges.extend(links.iter().map(|c| (index[&c.a], index[&c.b])));
    let n = members.len();
    let mut adjacency: Vec<Vec<(usize, usize)>> = vec![vec![]; n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        adjacency[a].push((b, e));
        adjacency[b].push((a, e));
    }
    let cut = cuttable_bridges(&adjacency, first_link);
    let removed: HashSet<usize> = cut.iter().map(|&e| e - first_link).collect();
    let mut result = parts(members, strong, links, &removed);
    // Cutting several bridges can strand a lone account after all; keep those joined.
    if result.iter().any(|p| p.len() < 2) {
        let mut kept = removed.clone();
        for &e in &cut {
            let (a, b) = edges[e];
            let lone = |x: usize| {
                result
                    .iter()
                    .any(|p| p.len() < 2 && p.contains(&members[x]))
            };
            if lone(a) || lone(b) {
                kept.remove(&(e - first_link));
            }
        }
        result = parts(members, strong, links, &kept);
    }
    result
}

/// Bridges with at least two accounts on each side, among edges numbered `first_cuttable..`.
fn cuttable_bridges(adjacency: &[Vec<(usize, usize)>], first_cuttable: usize) -> Vec<usize> {
    let n = adjacency.len();
    let (mut disc, mut low, mut size) = (vec![usize::MAX; n], vec![0; n], vec![1usize; n]);
    let mut time = 0;
    let mut bridges = vec![];
    for root in 0..n {
        if disc[root] != usize::MAX {
            continue;
        }
        // (node, edge it was reached by, next neighbour to look at)
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
        disc[root] = time;
        low[root] = time;
        time += 1;
        while let Some(&mut (node, via, ref mut next)) = stack.last_mut() {
            if let Some(&(to, edge)) = adjacency[node].get(*next) {
                *next += 1;
                if edge == via {
                    continue;
                }
                if disc[to] == usize::MAX {
                    disc[to] = time;
                    low[to] = time;
                    time += 1;
                    stack.push((to, edge, 0));
                } else {
                    low[node] = low[node].min(disc[to]);
                }
            } else {
                stack.pop();
                if let Some(&(parent, _, _)) = stack.last() {
                    low[parent] = low[parent].min(low[node]);
                    size[parent] += size[node];
                    let component = n; // sides are judged within the whole component
                    if low[node] > disc[parent]
                        && via >= first_cuttable
                        && size[node] >= 2
                        && component - size[node] >= 2
                    {
                        bridges.push(via);
                    }
                }
            }
        }
    }
    bridges
}

fn parts(
    members: &[NodeIndex],
    strong: &[&Vec<NodeIndex>],
    links: &[&Corroborated],
    removed: &HashSet<usize>,
) -> Vec<Vec<NodeIndex>> {
    let mut adjacency: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
    for accts in strong {
        // A star through the first account connects the same set as the clique would.
        for &a in &accts[1..] {
            adjacency.entry(accts[0]).or_default().push(a);
            adjacency.entry(a).or_default().push(accts[0]);
        }
    }
    for (i, c) in links.iter().enumerate() {
        if !removed.contains(&i) {
            adjacency.entry(c.a).or_default().push(c.b);
            adjacency.entry(c.b).or_default().push(c.a);
        }
    }
    let mut seen: HashSet<NodeIndex> = HashSet::new();
    let mut out = vec![];
    for &start in members {
        if !seen.insert(start) {
            continue;
        }
        let mut part = vec![start];
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            for &m in adjacency.get(&n).into_iter().flatten() {
                if seen.insert(m) {
                    part.push(m);
                    queue.push_back(m);
                }
            }
        }
        out.push(part);
    }
    out
}

pub(crate) fn finish_group(g: &LinkGraph, mut members: Vec<NodeIndex>) -> Group {
    members.sort_by(|a, b| g.account_id(*a).cmp(&g.account_id(*b)));
    let mut shared: HashMap<NodeIndex, usize> = HashMap::new();
    for &m in &members {
        for e in g.graph.edges(m) {
            let other = if e.source() == m {
                e.target()
            } else {
                e.source()
            };
            if let (Edge::Uses { .. }, node @ Node::Identifier { .. }) =
                (e.weight(), &g.graph[other])
                && !node.is_hub()
            {
                *shared.entry(other).or_default() += 1;
            }
        }
    }
    let mut binding: Vec<NodeIndex> = shared
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(i, _)| i)
        .collect();
    binding.sort_unstable();
    Group { members, binding }
}

#[cfg(test)]
mod tests {
    use super::{Corroborated, split_soft_bridges};
    use petgraph::graph::NodeIndex;

    fn n(i: usize) -> NodeIndex {
        NodeIndex::new(i)
    }

    fn sizes(parts: Vec<Vec<NodeIndex>>) -> Vec<usize> {
        let mut s: Vec<usize> = parts.iter().map(Vec::len).collect();
        s.sort();
        s
    }

    #[test]
    fn one_soft_bridge_splits_two_groups_but_never_strands_an_account() {
        let members: Vec<NodeIndex> = (0..7).map(n).collect();
        let left = vec![n(0), n(1), n(2)];
        let right = vec![n(3), n(4), n(5)];
        let bridge = Corroborated { a: n(2), b: n(3) };
        let lone = Corroborated { a: n(5), b: n(6) };
        let parts = split_soft_bridges(&members, &[&left, &right], &[&bridge, &lone]);
        assert_eq!(
            sizes(parts),
            vec![3, 4],
            "cut between the groups; the lone account stays with its group"
        );
        // Two soft links in parallel are not a bridge.
        let second = Corroborated { a: n(1), b: n(4) };
        let parts = split_soft_bridges(&members[..6], &[&left, &right], &[&bridge, &second]);
        assert_eq!(sizes(parts), vec![6]);
        // A chain of strong links is never cut.
        let (ab, bc) = (vec![n(0), n(1)], vec![n(1), n(2)]);
        assert_eq!(
            sizes(split_soft_bridges(&members[..3], &[&ab, &bc], &[])),
            vec![3]
        );
    }

    #[test]
    fn min_gap_walks_both_lists() {
        assert_eq!(super::min_gap(&[1, 10, 20], &[14, 30]), Some(4));
        assert_eq!(super::min_gap(&[], &[1]), None);
    }
}
