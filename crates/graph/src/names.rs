//! Nodes by their text (an account id or an identifier value), with the text kept once: in the node itself.
//!
//! A map from `String` to node held a second copy of every text of the graph (four million at a million
//! accounts, each its own allocation); this table holds node indices only, hashes the text asked for, and
//! compares it with the node's own text.

use crate::build::{Edge, Node};
use petgraph::graph::{NodeIndex, UnGraph};
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// The text a node is found by.
fn text_of(node: &Node) -> &str {
    match node {
        Node::Account { id } => id,
        Node::Identifier { value, .. } => value,
    }
}

fn hash(text: &str) -> u64 {
    FxBuildHasher.hash_one(text)
}

#[derive(Default)]
pub(crate) struct Names {
    table: hashbrown::HashTable<NodeIndex>,
}

impl Names {
    pub fn get(&self, graph: &UnGraph<Node, Edge>, text: &str) -> Option<NodeIndex> {
        self.table
            .find(hash(text), |&n| text_of(&graph[n]) == text)
            .copied()
    }

    /// Adds node `n`, found by its own text from now on (the caller knows the text is not there yet).
    pub fn insert(&mut self, graph: &UnGraph<Node, Edge>, n: NodeIndex) {
        self.table
            .insert_unique(hash(text_of(&graph[n])), n, |&m| hash(text_of(&graph[m])));
    }

    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.table.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }
}
