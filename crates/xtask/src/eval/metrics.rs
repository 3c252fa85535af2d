//! Scoring a ranked ring list against the planted answer. Pure functions over id sets, unit-tested below.
//!
//! - A reported ring *recovers* a planted ring when their Jaccard similarity is at least [`MATCH_JACCARD`].
//! - **Recall**: planted rings recovered by some reported ring.
//! - **Top-K precision** (K = planted rings): of the first K reported rings, those that recover a planted ring
//!   no earlier ring recovered.
//! - **Average precision**: walking the list, each first recovery of a planted ring scores the precision at its
//!   rank; the sum is divided by the number of planted rings (an unrecovered ring counts 0).
//! - A **benign group** is *reported* at the best rank of a ring overlapping it at Jaccard ≥ [`BENIGN_JACCARD`],
//!   or holding at least half of the ring's members from the group when the group is a hub's crowd.

use serde::Serialize;
use std::collections::HashSet;

pub const MATCH_JACCARD: f64 = 0.8;
pub const BENIGN_JACCARD: f64 = 0.5;

pub type Set<'a> = HashSet<&'a str>;

pub fn jaccard(a: &Set<'_>, b: &Set<'_>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// What became of one planted ring.
#[derive(Debug, Clone, Serialize)]
pub struct PlantedOutcome {
    /// Best Jaccard similarity of any reported ring.
    pub best_jaccard: f64,
    /// Rank (1-based) of the first reported ring recovering it.
    pub rank: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub planted: usize,
    pub reported: usize,
    pub recall: f64,
    pub top_k_precision: f64,
    pub average_precision: f64,
    pub outcomes: Vec<PlantedOutcome>,
    /// Per benign group: the best rank at which a ring reports it, if any.
    pub benign_ranks: Vec<Option<usize>>,
    /// Benign groups reported above the lowest-ranked recovered planted ring.
    pub benign_above_fraud: usize,
}

/// Scores `reported` (best first) against `planted` rings and `benign` groups.
pub fn score(reported: &[Set<'_>], planted: &[Set<'_>], benign: &[Set<'_>]) -> Scores {
    let k = planted.len();
    let mut outcomes: Vec<PlantedOutcome> = planted
        .iter()
        .map(|p| PlantedOutcome {
            best_jaccard: reported.iter().map(|r| jaccard(p, r)).fold(0.0, f64::max),
            rank: None,
        })
        .collect();
    let (mut hits, mut ap_sum, mut top_k_hits) = (0usize, 0.0, 0usize);
    for (i, r) in reported.iter().enumerate() {
        let rank = i + 1;
        // The first still-unclaimed planted ring this one recovers, the most similar first.
        let claim = planted
            .iter()
            .enumerate()
            .filter(|(j, _)| outcomes[*j].rank.is_none())
            .map(|(j, p)| (j, jaccard(p, r)))
            .filter(|(_, s)| *s >= MATCH_JACCARD)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = claim {
            outcomes[j].rank = Some(rank);
            hits += 1;
            ap_sum += hits as f64 / rank as f64;
            if rank <= k {
                top_k_hits += 1;
            }
        }
    }
    // A ring that is (mostly) a planted ring does not report a benign crowd its members also touched (farm
    // accounts that sometimes log in through a carrier NAT).
    let is_fraud = |r: &Set<'_>| planted.iter().any(|p| jaccard(p, r) >= BENIGN_JACCARD);
    let benign_ranks: Vec<Option<usize>> = benign
        .iter()
        .map(|b| {
            reported
                .iter()
                .position(|r| {
                    let inside = r.intersection(b).count();
                    jaccard(b, r) >= BENIGN_JACCARD
                        || (inside * 2 >= r.len() && inside >= 10 && !is_fraud(r))
                })
                .map(|i| i + 1)
        })
        .collect();
    let worst_fraud = outcomes.iter().filter_map(|o| o.rank).max().unwrap_or(0);
    let benign_above_fraud = benign_ranks
        .iter()
        .flatten()
        .filter(|&&rank| rank < worst_fraud)
        .count();
    let ratio = |n: usize| if k == 0 { 1.0 } else { n as f64 / k as f64 };
    Scores {
        planted: k,
        reported: reported.len(),
        recall: ratio(hits),
        top_k_precision: ratio(top_k_hits),
        average_precision: if k == 0 { 1.0 } else { ap_sum / k as f64 },
        outcomes,
        benign_ranks,
        benign_above_fraud,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(ids: &[&'a str]) -> Set<'a> {
        ids.iter().copied().collect()
    }

    #[test]
    fn a_perfect_list_scores_one_and_a_fragment_does_not_count() {
        let planted = [set(&["a", "b", "c", "d", "e"]), set(&["x", "y"])];
        let perfect = [planted[0].clone(), planted[1].clone(), set(&["h1", "h2"])];
        let s = score(&perfect, &planted, &[set(&["h1", "h2"])]);
        assert_eq!(
            (s.recall, s.top_k_precision, s.average_precision),
            (1.0, 1.0, 1.0)
        );
        assert_eq!(s.benign_ranks, vec![Some(3)]);

        // A 3-of-5 fragment first (Jaccard 0.6): not a recovery; the pair then at rank 2 scores 1/2.
        let fragmented = [set(&["a", "b", "c"]), set(&["x", "y"])];
        let s = score(&fragmented, &planted, &[]);
        assert_eq!(s.recall, 0.5);
        assert_eq!(s.top_k_precision, 0.5);
        assert!(
            (s.average_precision - 0.25).abs() < 1e-9,
            "{}",
            s.average_precision
        );
        assert!((s.outcomes[0].best_jaccard - 0.6).abs() < 1e-9);
    }

    #[test]
    fn a_duplicate_report_is_not_a_second_hit() {
        let planted = [set(&["a", "b"])];
        let s = score(&[set(&["a", "b"]), set(&["a", "b"])], &planted, &[]);
        assert_eq!(s.outcomes[0].rank, Some(1));
        assert_eq!(s.top_k_precision, 1.0);
        assert_eq!(s.average_precision, 1.0);
    }

    #[test]
    fn a_benign_crowd_is_reported_when_a_ring_is_mostly_made_of_it() {
        let crowd: Vec<String> = (0..200).map(|i| format!("f{i}")).collect();
        let crowd_set: Set<'_> = crowd.iter().map(String::as_str).collect();
        let part: Set<'_> = crowd.iter().take(30).map(String::as_str).collect();
        let s = score(&[set(&["a", "b"]), part], &[], &[crowd_set]);
        assert_eq!(s.benign_ranks, vec![Some(2)]);
    }
}
