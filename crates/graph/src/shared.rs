//! The identifiers a set of accounts share among themselves, as the evidence packet lists and draws them: a view
//! over the link graph, so no other crate reads the graph's internals.

use crate::build::{LinkGraph, Node};
use crate::detect::accounts_of;
use crate::identifier::IdKind;
use std::collections::BTreeSet;

/// An identifier used by two or more of the accounts asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedIdentifier {
    pub kind: IdKind,
    pub value: String,
    /// Its weight as evidence (0 for hubs).
    pub weight: f64,
    pub hub: bool,
    /// Accounts in the whole case that use it.
    pub accounts_total: usize,
    /// The accounts asked about that use it, sorted.
    pub subjects: Vec<String>,
}

/// Every identifier two or more of `accounts` use, the most shared first (then by kind and value).
pub fn shared_identifiers(graph: &LinkGraph, accounts: &[String]) -> Vec<SharedIdentifier> {
    let subjects: BTreeSet<&str> = accounts.iter().map(String::as_str).collect();
    // Only the subjects' identifiers can be shared among them: walk out from the subjects, not over the case.
    let candidates: BTreeSet<_> = subjects
        .iter()
        .filter_map(|a| graph.account(a))
        .flat_map(|a| graph.uses_neighbours(a))
        .collect();
    let mut shared = vec![];
    for ident in candidates {
        let node = &graph.graph[ident];
        let Node::Identifier {
            kind,
            value,
            accounts: total,
            reading,
        } = node
        else {
            continue;
        };
        let mut users: Vec<String> = accounts_of(graph, ident)
            .into_iter()
            .filter_map(|a| graph.account_id(a))
            .filter(|a| subjects.contains(a))
            .map(String::from)
            .collect();
        if users.len() >= 2 {
            users.sort();
            shared.push(SharedIdentifier {
                kind: *kind,
                value: value.to_string(),
                weight: reading.weight,
                hub: node.is_hub(),
                accounts_total: *total as usize,
                subjects: users,
            });
        }
    }
    shared.sort_by(|a, b| {
        b.subjects
            .len()
            .cmp(&a.subjects.len())
            .then(a.kind.cmp(&b.kind))
            .then(a.value.cmp(&b.value))
    });
    shared
}
