//! Stable ring ids: a ring keeps its id across re-detection (more data imported, rings re-run) while its
//! membership mostly stays, so notes and decisions stay attached.
//!
//! Each new group takes the id of the saved ring it overlaps most (Jaccard ≥ `MATCH_AT_LEAST`), best overlaps
//! first, each saved id used once; the rest get fresh ids `R-0001`, `R-0002`, ... in rank order.

use ringscope_store::SavedRing;
use std::collections::{HashMap, HashSet};

pub const MATCH_AT_LEAST: f64 = 0.5;

pub fn format_id(seq: i64) -> String {
    format!("R-{seq:04}")
}

fn jaccard(a: &HashSet<&str>, b: &HashSet<&str>) -> f64 {
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Ids `(ring_id, seq)` for `groups` (members sorted), in the same order.
pub fn assign(groups: &[Vec<String>], saved: &[SavedRing]) -> Vec<(String, i64)> {
    assign_pinned(groups, &vec![None; groups.len()], saved)
}

/// The seq of an id `R-0012` (12).
fn seq_of(id: &str) -> Option<i64> {
    id.strip_prefix("R-")?.parse().ok()
}

/// Like [`assign`], except that a group with a pinned id (an investigator's split or merge shaped it) keeps it;
/// the other groups match the remaining saved rings.
pub fn assign_pinned(
    groups: &[Vec<String>],
    pinned: &[Option<String>],
    saved: &[SavedRing],
) -> Vec<(String, i64)> {
    let mut by_account: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, ring) in saved.iter().enumerate() {
        for m in &ring.members {
            by_account.entry(m.as_str()).or_default().push(j);
        }
    }
    let saved_sets: Vec<HashSet<&str>> = saved
        .iter()
        .map(|r| r.members.iter().map(String::as_str).collect())
        .collect();
    let mut ids: Vec<Option<(String, i64)>> = vec![None; groups.len()];
    let mut used = HashSet::new();
    let mut highest = saved.iter().map(|r| r.seq).max().unwrap_or(0);
    // Each id is honoured once: if edits pinned two groups to one id, the group overlapping that saved ring most
    // keeps it and the other is named like any group.
    let mut pinned: Vec<Option<String>> = pinned.to_vec();
    for i in 0..pinned.len() {
        let Some(pin) = pinned[i].clone() else {
            continue;
        };
        let overlap = |k: usize| {
            saved.iter().find(|r| r.ring_id == pin).map_or(0.0, |r| {
                let a: HashSet<&str> = groups[k].iter().map(String::as_str).collect();
                let b: HashSet<&str> = r.members.iter().map(String::as_str).collect();
                jaccard(&a, &b)
            })
        };
        for k in i + 1..pinned.len() {
            if pinned[k].as_deref() == Some(pin.as_str()) {
                let loser = if overlap(k) > overlap(i) { i } else { k };
                pinned[loser] = None;
                if loser == i {
                    break;
                }
            }
        }
    }
    for (i, pin) in pinned.iter().enumerate() {
        let Some(pin) = pin else { continue };
        let seq = match saved.iter().position(|r| r.ring_id == *pin) {
            Some(j) => {
                used.insert(j);
                saved[j].seq
            }
            None => seq_of(pin).unwrap_or(0),
        };
        highest = highest.max(seq);
        ids[i] = Some((pin.clone(), seq));
    }
    let mut candidates = vec![];
    for (i, group) in groups.iter().enumerate() {
        if ids[i].is_some() {
            continue;
        }
        let set: HashSet<&str> = group.iter().map(String::as_str).collect();
        let touched: HashSet<usize> = group
            .iter()
            .filter_map(|m| by_account.get(m.as_str()))
            .flatten()
            .copied()
            .collect();
        for j in touched {
            let score = jaccard(&set, &saved_sets[j]);
            if score >= MATCH_AT_LEAST {
                candidates.push((score, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (_, i, j) in candidates {
        if ids[i].is_none() && used.insert(j) {
            ids[i] = Some((saved[j].ring_id.clone(), saved[j].seq));
        }
    }
    let mut next = highest + 1;
    ids.into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                next += 1;
                (format_id(next - 1), next - 1)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(id: i64, members: &[&str]) -> SavedRing {
        SavedRing {
            ring_id: format_id(id),
            seq: id,
            active: true,
            members: members.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn group(members: &[&str]) -> Vec<String> {
        members.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_follow_membership() {
        let old = [saved(1, &["a", "b", "c"]), saved(2, &["x", "y"])];
        let ids = assign(
            &[
                group(&["x", "y", "z"]),
                group(&["a", "b", "c", "d"]),
                group(&["p", "q"]),
            ],
            &old,
        );
        assert_eq!(
            ids,
            vec![
                ("R-0002".into(), 2),
                ("R-0001".into(), 1),
                ("R-0003".into(), 3)
            ]
        );
        // Too little overlap: a new ring.
        let ids = assign(&[group(&["a", "p", "q", "r"])], &old);
        assert_eq!(ids[0].0, "R-0003");
        // Two groups split from one ring: the larger overlap keeps the id.
        let ids = assign(
            &[group(&["a"]), group(&["a", "b"])],
            &[saved(1, &["a", "b", "c"])],
        );
        assert_eq!(ids[1].0, "R-0001");
        assert_eq!(ids[0].0, "R-0002");
    }

    #[test]
    fn pinned_groups_keep_their_ids_whatever_the_overlap() {
        // R-0001 was split: most of it went to R-0005 (reserved by the split). Overlap alone would give R-0001 to
        // the larger part.
        let old = [
            saved(1, &["a", "b"]),
            saved(5, &["c", "d", "e", "f"]),
            saved(2, &["x", "y"]),
        ];
        let ids = assign_pinned(
            &[
                group(&["c", "d", "e", "f"]),
                group(&["a", "b"]),
                group(&["x", "y", "z"]),
                group(&["p", "q"]),
            ],
            &[Some("R-0005".into()), Some("R-0001".into()), None, None],
            &old,
        );
        assert_eq!(
            ids,
            vec![
                ("R-0005".into(), 5),
                ("R-0001".into(), 1),
                ("R-0002".into(), 2),
                ("R-0006".into(), 6)
            ]
        );
        // One id pinned twice: the group overlapping its saved ring more keeps it.
        let ids = assign_pinned(
            &[group(&["x", "q"]), group(&["c", "d", "e"])],
            &[Some("R-0005".into()), Some("R-0005".into())],
            &old,
        );
        assert_eq!(ids[1].0, "R-0005");
        assert_ne!(ids[0].0, "R-0005");
        // A pinned id the saved rings do not know yet still keeps fresh ids from colliding with it.
        let ids = assign_pinned(
            &[group(&["a", "b"]), group(&["m", "n"])],
            &[Some("R-0009".into()), None],
            &[],
        );
        assert_eq!(ids, vec![("R-0009".into(), 9), ("R-0010".into(), 10)]);
    }
}
