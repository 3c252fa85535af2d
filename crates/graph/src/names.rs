//! Nodes by their text (an account id or an identifier value), with the text kept once: in the node itself.
//!
//! A map from `String` to node held a second copy of every text of the graph (four million at a million
//! accounts, each its own allocation); this table holds node indices only, hashes the text asked for, and
//! compares it with the node's own text.
//!
//! Each entry keeps 32 bits of its text's hash beside the node: growing the table then rehashes without reading
//! the four million texts back from the nodes (5% of detection's samples at 1M accounts, in cache misses), and
//! a probe that meets another text's entry tells them apart without reading that text.

use crate::build::{Edge, Node};
use petgraph::graph::{NodeIndex, UnGraph};
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// The text a node is found by.
fn text_of(node: &Node) -> &str {
    match node {
        Node::Account { id, .. } => id,
        Node::Identifier { value, .. } => value,
    }
}

/// The 32 bits of a text's hash an entry keeps: both halves folded, so no choice of bits depends on how the
/// hasher's last step spreads them.
fn short_hash(text: &str) -> u32 {
    let hash = FxBuildHasher.hash_one(text);
    (hash ^ (hash >> 32)) as u32
}

/// The table's hash of an entry, rebuilt from its 32 bits: the table takes its bucket from the low bits and its
/// tag from the top seven, so both halves carry them.
fn full_hash(short: u32) -> u64 {
    u64::from(short) << 32 | u64::from(short)
}

#[derive(Default)]
pub(crate) struct Names {
    table: hashbrown::HashTable<(NodeIndex, u32)>,
}

impl Names {
    /// A table with room for `capacity` nodes before it grows.
    pub fn with_capacity(capacity: usize) -> Names {
        Names {
            table: hashbrown::HashTable::with_capacity(capacity),
        }
    }

    pub fn get(&self, graph: &UnGraph<Node, Edge>, text: &str) -> Option<NodeIndex> {
        let short = short_hash(text);
        self.table
            .find(full_hash(short), |&(n, h)| {
                h == short && text_of(&graph[n]) == text
            })
            .map(|&(n, _)| n)
    }

    /// Adds node `n`, found by its own text from now on (the caller knows the text is not there yet).
    pub fn insert(&mut self, graph: &UnGraph<Node, Edge>, n: NodeIndex) {
        let short = short_hash(text_of(&graph[n]));
        self.table
            .insert_unique(full_hash(short), (n, short), |&(_, h)| full_hash(h));
    }

    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.table.iter().map(|&(n, _)| n)
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }
}
