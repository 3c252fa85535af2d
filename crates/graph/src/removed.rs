//! Members an investigator removed from a ring stay out of it when detection runs again: each detected group is
//! matched to its saved ring id first (the same overlap rule that names rings), and the accounts removed from that
//! ring leave the group before it is scored.

use crate::build::LinkGraph;
use crate::detect::Group;
use crate::ids;
use ringscope_store::{RemovedMember, SavedRing};

/// `groups` without the removed members of the rings they continue; a group left with fewer than two accounts is
/// no ring.
pub fn apply(
    graph: &LinkGraph,
    groups: Vec<Group>,
    removed: &[RemovedMember],
    saved: &[SavedRing],
) -> Vec<Group> {
    if removed.is_empty() {
        return groups;
    }
    let memberships: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            g.members
                .iter()
                .filter_map(|&m| graph.account_id(m))
                .map(String::from)
                .collect()
        })
        .collect();
    let names = ids::assign(&memberships, saved);
    groups
        .into_iter()
        .zip(names)
        .filter_map(|(mut group, (ring_id, _))| {
            group.members.retain(|&m| {
                let account = graph.account_id(m).unwrap_or_default();
                !removed
                    .iter()
                    .any(|r| r.ring_id == ring_id && r.account_id == account)
            });
            (group.members.len() >= 2).then_some(group)
        })
        .collect()
}
