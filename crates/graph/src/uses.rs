//! The graph build's per-use bookkeeping as flat lists sorted once, rather than hash maps keyed by node pairs.
//!
//! At a million accounts a case has some twenty million identifier uses over six million account–identifier
//! pairs. A hash map per pair grew by rehashing and left its old tables to be freed and faulted in again (the
//! kernel zeroing fresh pages was a quarter of detection); one list of 16-byte entries, sorted in place, is read
//! in pair order, which is also the order the graph wants its edges in.

use petgraph::graph::NodeIndex;

/// "No time": sorts before every real time, so each pair's untimed uses come first.
const NO_TIME: i64 = i64::MIN;

/// Two nodes as one sortable key: `(first, second)` order.
fn pair_key(first: NodeIndex, second: NodeIndex) -> u64 {
    (first.index() as u64) << 32 | second.index() as u64
}

fn pair_of(key: u64) -> (NodeIndex, NodeIndex) {
    (
        NodeIndex::new((key >> 32) as usize),
        NodeIndex::new((key & u32::MAX as u64) as usize),
    )
}

/// Every use of an identifier by an account, with its time, in buckets by identifier: bucket `i` holds the uses of
/// identifier nodes `i << shift ..` up to the next bucket's. Sorted and turned into edges one bucket at a time,
/// each freed once read, so the uses and the edges made from them are never all in memory at once (at 1M
/// accounts, 300 MB of uses beside 450 MB of edges was the peak of detection).
pub(crate) struct Uses {
    buckets: Vec<Vec<(u64, i64)>>,
    shift: u32,
}

/// One account–identifier pair's uses, in (identifier, account) order.
pub(crate) struct PairUses<'a> {
    pub ident: NodeIndex,
    pub account: NodeIndex,
    pub count: u32,
    /// The pair's times, ascending (untimed uses left out).
    pub times: &'a [i64],
}

/// About this many buckets over the graph's nodes.
const BUCKETS: usize = 32;

impl Uses {
    /// Buckets for a graph of about `nodes` nodes, each with room for its share of `uses` if the memory is there
    /// (hints: a bucket grows past its share as needed).
    pub fn with_capacity(uses: usize, nodes: usize) -> Uses {
        let per_bucket = nodes.div_ceil(BUCKETS).max(1 << 10);
        let shift = per_bucket.next_power_of_two().trailing_zeros();
        let buckets = (0..BUCKETS)
            .map(|_| {
                let mut bucket = Vec::new();
                let _ = bucket.try_reserve_exact(uses / BUCKETS);
                bucket
            })
            .collect();
        Uses { buckets, shift }
    }

    pub fn push(&mut self, ident: NodeIndex, account: NodeIndex, at: Option<i64>) {
        // A real time of i64::MIN (no export has one; a damaged case might) is read one millisecond later.
        let at = at.map_or(NO_TIME, |t| t.max(NO_TIME + 1));
        let bucket = ident.index() >> self.shift;
        if bucket >= self.buckets.len() {
            self.buckets.resize_with(bucket + 1, Vec::new);
        }
        self.buckets[bucket].push((pair_key(ident, account), at));
    }

    /// The uses sorted, ready to be read pair by pair.
    pub fn into_sorted(mut self) -> SortedUses {
        for bucket in &mut self.buckets {
            bucket.sort_unstable();
        }
        SortedUses {
            buckets: self.buckets,
        }
    }
}

impl Default for Uses {
    fn default() -> Self {
        Uses::with_capacity(0, 0)
    }
}

/// [`Uses`] in (identifier, account, time) order.
pub(crate) struct SortedUses {
    buckets: Vec<Vec<(u64, i64)>>,
}

fn runs(bucket: &[(u64, i64)]) -> impl Iterator<Item = &[(u64, i64)]> {
    bucket.chunk_by(|a, b| a.0 == b.0)
}

impl SortedUses {
    /// How many account–identifier pairs there are.
    pub fn pairs(&self) -> usize {
        self.buckets.iter().map(|b| runs(b).count()).sum()
    }

    /// Of the identifiers `wanted` says yes to: how many pairs have a known time, and how many known times there
    /// are in all.
    pub fn timed(&self, wanted: impl Fn(NodeIndex) -> bool) -> (usize, usize) {
        let (mut pairs, mut times) = (0, 0);
        for run in self.buckets.iter().flat_map(|b| runs(b)) {
            if !wanted(pair_of(run[0].0).0) {
                continue;
            }
            // Untimed uses sort first within a pair.
            let timed = run.iter().filter(|&&(_, t)| t != NO_TIME).count();
            pairs += usize::from(timed > 0);
            times += timed;
        }
        (pairs, times)
    }

    /// Calls `f` once per pair, in (identifier, account) order, freeing each bucket once it is read.
    pub fn for_each_pair(self, mut f: impl FnMut(PairUses<'_>)) {
        let mut times: Vec<i64> = vec![];
        for bucket in self.buckets {
            for run in runs(&bucket) {
                times.clear();
                times.extend(run.iter().map(|&(_, t)| t).filter(|&t| t != NO_TIME));
                let (ident, account) = pair_of(run[0].0);
                f(PairUses {
                    ident,
                    account,
                    count: u32::try_from(run.len()).unwrap_or(u32::MAX),
                    times: &times,
                });
            }
        }
    }
}

/// Each payment of a fan to a creator: (fan, creator) and the amount it counts for (0 when declined).
#[derive(Default)]
pub(crate) struct Payments {
    entries: Vec<(u64, i64)>,
    /// Sorted by [`Payments::pairs`]: not sorted again (an unstable sort may reorder equal keys, and with them the
    /// order saturating sums are added in).
    sorted: bool,
}

impl Payments {
    pub fn push(&mut self, fan: NodeIndex, creator: NodeIndex, counted_minor: i64) {
        self.entries.push((pair_key(fan, creator), counted_minor));
        self.sorted = false;
    }

    fn sort(&mut self) {
        if !self.sorted {
            self.entries.sort_unstable_by_key(|&(k, _)| k);
            self.sorted = true;
        }
    }

    /// How many (fan, creator) pairs there are; sorts the payments to count them, without building the pairs.
    pub fn pairs(&mut self) -> usize {
        self.sort();
        self.entries.chunk_by(|a, b| a.0 == b.0).count()
    }

    /// (fan, creator, payments, amount) per pair, in (fan, creator) order. Counts and sums saturate rather than
    /// wrap (only a damaged or absurd case gets near either limit).
    pub fn into_pairs(mut self) -> Vec<(NodeIndex, NodeIndex, u32, i64)> {
        self.sort();
        let mut out: Vec<(NodeIndex, NodeIndex, u32, i64)> = vec![];
        let mut last = None;
        for (key, amount) in self.entries {
            match out.last_mut() {
                Some(pair) if last == Some(key) => {
                    pair.2 = pair.2.saturating_add(1);
                    pair.3 = pair.3.saturating_add(amount);
                }
                _ => {
                    let (fan, creator) = pair_of(key);
                    out.push((fan, creator, 1, amount));
                    last = Some(key);
                }
            }
        }
        out
    }
}

/// The times of each account's uses of an IP, for time-aware IP links: one flat list, pairs in sorted order.
#[derive(Default)]
pub struct UseTimes {
    pairs: Vec<u64>,
    /// `times[ends[i - 1]..ends[i]]` are pair `i`'s times (from 0 for the first).
    ends: Vec<usize>,
    times: Vec<i64>,
}

impl UseTimes {
    /// Room for `pairs` pairs and `times` times in all (if the memory is there): grown by doubling, these lists
    /// briefly held half as much again as they needed, at detection's memory peak.
    pub(crate) fn with_capacity(pairs: usize, times: usize) -> UseTimes {
        let mut t = UseTimes::default();
        let _ = t.pairs.try_reserve_exact(pairs);
        let _ = t.ends.try_reserve_exact(pairs);
        let _ = t.times.try_reserve_exact(times);
        t
    }

    /// Adds a pair's times; pairs come in ascending (identifier, account) order, each once.
    pub(crate) fn push(&mut self, ident: NodeIndex, account: NodeIndex, times: &[i64]) {
        self.pairs.push(pair_key(ident, account));
        self.times.extend_from_slice(times);
        self.ends.push(self.times.len());
    }

    /// When `account` used `ident`, ascending; `None` if it never did at a known time.
    pub fn get(&self, ident: NodeIndex, account: NodeIndex) -> Option<&[i64]> {
        let i = self.pairs.binary_search(&pair_key(ident, account)).ok()?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.times[start..self.ends[i]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: usize) -> NodeIndex {
        NodeIndex::new(i)
    }

    #[test]
    fn pairs_come_sorted_with_counts_and_ascending_known_times() {
        let mut uses = Uses::default();
        uses.push(n(7), n(2), Some(30));
        uses.push(n(3), n(9), None);
        uses.push(n(7), n(2), None);
        uses.push(n(7), n(2), Some(10));
        uses.push(n(3), n(1), Some(i64::MIN));
        let mut seen = vec![];
        uses.into_sorted()
            .for_each_pair(|p| seen.push((p.ident, p.account, p.count, p.times.to_vec())));
        assert_eq!(
            seen,
            vec![
                (n(3), n(1), 1, vec![i64::MIN + 1]),
                (n(3), n(9), 1, vec![]),
                (n(7), n(2), 3, vec![10, 30]),
            ]
        );
    }

    #[test]
    fn pairs_come_in_one_order_across_buckets() {
        // Identifiers far apart land in different buckets (and past the buckets made up front); the order is
        // still one ascending (identifier, account) order.
        let mut uses = Uses::with_capacity(8, 4096);
        let idents = [5000, 3, 1 << 20, 2000, 3, 70_000];
        for (i, &ident) in idents.iter().enumerate() {
            uses.push(n(ident), n(9 - i), Some(i as i64));
        }
        let sorted = uses.into_sorted();
        assert_eq!(sorted.pairs(), 6);
        let mut seen = vec![];
        sorted.for_each_pair(|p| seen.push((p.ident.index(), p.account.index())));
        let mut expected: Vec<(usize, usize)> = idents
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, 9 - i))
            .collect();
        expected.sort_unstable();
        assert_eq!(seen, expected);
    }

    #[test]
    fn timed_counts_the_pairs_with_a_time_and_their_times_of_wanted_identifiers() {
        let mut uses = Uses::with_capacity(8, 4096);
        uses.push(n(7), n(2), Some(30));
        uses.push(n(7), n(2), None);
        uses.push(n(7), n(2), Some(10));
        uses.push(n(7), n(3), None);
        uses.push(n(5000), n(1), Some(1));
        uses.push(n(9), n(1), Some(1));
        let sorted = uses.into_sorted();
        assert_eq!(sorted.timed(|i| i != n(9)), (2, 3));
        assert_eq!(sorted.timed(|_| false), (0, 0));
    }

    #[test]
    fn payments_add_up_per_fan_and_creator() {
        let mut pays = Payments::default();
        pays.push(n(5), n(1), 100);
        pays.push(n(2), n(1), 7);
        pays.push(n(5), n(1), 0);
        pays.push(n(5), n(0), 3);
        assert_eq!(pays.pairs(), 3);
        assert_eq!(
            pays.into_pairs(),
            vec![(n(2), n(1), 1, 7), (n(5), n(0), 1, 3), (n(5), n(1), 2, 100),]
        );
    }

    #[test]
    fn use_times_find_each_pair_and_only_those() {
        let mut t = UseTimes::default();
        t.push(n(1), n(4), &[5, 9]);
        t.push(n(1), n(6), &[1]);
        t.push(n(2), n(4), &[]);
        assert_eq!(t.get(n(1), n(4)), Some(&[5, 9][..]));
        assert_eq!(t.get(n(1), n(6)), Some(&[1][..]));
        assert_eq!(t.get(n(2), n(4)), Some(&[][..]));
        assert_eq!(t.get(n(4), n(1)), None);
    }
}
