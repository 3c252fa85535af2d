//! What an investigator changed about rings stays changed when detection runs again. Splits and merges find their
//! rings by the memberships they recorded (the group continuing each, by the overlap rule that names rings), not by
//! saved ids, which the edits themselves moved; an edit whose rings detection no longer sees lapses: a split moves its accounts out into the split-off ring, a merge folds the merged ring's group
//! into the kept ring's. The groups they shape keep the edit's ring ids (pinned), so a lopsided split or merge
//! cannot hand an id to the wrong side. Then every group is named (the overlap rule that names rings) and removed
//! members leave the ring of that name.

use crate::build::LinkGraph;
use crate::detect::{Group, finish_group};
use crate::ids;
use petgraph::graph::NodeIndex;
use ringscope_store::{RemovedMember, RingEdit, RingEditKind, SavedRing};
use std::collections::HashSet;

/// A group and the ring id an edit pinned it to.
pub struct Edited {
    pub group: Group,
    pub pinned: Option<String>,
}

struct Shaped {
    group: Group,
    pinned: Option<String>,
    /// Membership changed: what binds the group is read again.
    changed: bool,
}

/// The group that continues the recorded membership `accounts`: the best overlap (Jaccard) at least
/// [`ids::MATCH_AT_LEAST`], the rule that names rings. A group holding only a few of them is another ring.
fn continuing(
    graph: &LinkGraph,
    groups: &[Shaped],
    accounts: &[String],
    except: Option<usize>,
) -> Option<usize> {
    let wanted: HashSet<&str> = accounts.iter().map(String::as_str).collect();
    groups
        .iter()
        .enumerate()
        .filter(|(i, s)| Some(*i) != except && !s.group.members.is_empty())
        .map(|(i, s)| {
            let inter = s
                .group
                .members
                .iter()
                .filter(|&&m| wanted.contains(graph.account_id(m).unwrap_or_default()))
                .count();
            let union = wanted.len() + s.group.members.len() - inter;
            (inter as f64 / union.max(1) as f64, i)
        })
        .filter(|(j, _)| *j >= ids::MATCH_AT_LEAST)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, i)| i)
}

/// `groups` after the splits and merges in force (in order) and the removals. A group left with fewer than two
/// accounts is no ring.
pub fn apply(
    graph: &LinkGraph,
    groups: Vec<Group>,
    removed: &[RemovedMember],
    edits: &[RingEdit],
    saved: &[SavedRing],
) -> Vec<Edited> {
    let mut shaped: Vec<Shaped> = groups
        .into_iter()
        .map(|group| Shaped {
            group,
            pinned: None,
            changed: false,
        })
        .collect();
    let account = |m: NodeIndex| graph.account_id(m).unwrap_or_default();
    for edit in edits {
        match edit.kind {
            RingEditKind::Split => {
                // The ring as it was split, found again; only the recorded accounts in it move.
                let Some(at) = continuing(graph, &shaped, &edit.ring_accounts, None) else {
                    continue;
                };
                let moving: HashSet<&str> = edit.accounts.iter().map(String::as_str).collect();
                let (out, stay): (Vec<NodeIndex>, Vec<NodeIndex>) = shaped[at]
                    .group
                    .members
                    .iter()
                    .partition(|&&m| moving.contains(account(m)));
                if out.is_empty() {
                    continue;
                }
                shaped[at].group.members = stay;
                shaped[at].changed = true;
                shaped[at].pinned = Some(edit.ring_id.clone());
                shaped.push(Shaped {
                    group: Group {
                        members: out,
                        binding: vec![],
                    },
                    pinned: Some(edit.other_ring.clone()),
                    changed: true,
                });
            }
            RingEditKind::Merge => {
                let kept = continuing(graph, &shaped, &edit.ring_accounts, None);
                let Some(from) = continuing(graph, &shaped, &edit.accounts, kept) else {
                    if let Some(k) = kept {
                        shaped[k].pinned = Some(edit.ring_id.clone());
                    }
                    continue;
                };
                match kept {
                    Some(k) => {
                        let merged = std::mem::take(&mut shaped[from].group.members);
                        shaped[k].group.members.extend(merged);
                        shaped[k].changed = true;
                        shaped[k].pinned = Some(edit.ring_id.clone());
                    }
                    // The kept ring is no longer detected: the merged one carries on under its id.
                    None => shaped[from].pinned = Some(edit.ring_id.clone()),
                }
            }
        }
    }
    shaped.retain(|s| s.group.members.len() >= 2);
    if !removed.is_empty() {
        let memberships: Vec<Vec<String>> = shaped
            .iter()
            .map(|s| {
                let mut m: Vec<String> = s
                    .group
                    .members
                    .iter()
                    .map(|&m| account(m).to_string())
                    .collect();
                m.sort();
                m
            })
            .collect();
        let pins: Vec<Option<String>> = shaped.iter().map(|s| s.pinned.clone()).collect();
        let names = ids::assign_pinned(&memberships, &pins, saved);
        for (s, (ring_id, _)) in shaped.iter_mut().zip(names) {
            let before = s.group.members.len();
            s.group.members.retain(|&m| {
                !removed
                    .iter()
                    .any(|r| r.ring_id == ring_id && r.account_id == account(m))
            });
            s.changed |= s.group.members.len() != before;
        }
    }
    shaped
        .into_iter()
        .filter(|s| s.group.members.len() >= 2)
        .map(|s| Edited {
            group: if s.changed {
                finish_group(graph, s.group.members)
            } else {
                s.group
            },
            pinned: s.pinned,
        })
        .collect()
}
