//! The link graph of a case and the fraud rings in it.
//!
//! [`LinkGraph::build`] reads every identifier observation (devices and IPs from events, cards and emails from
//! payments, emails and phones from accounts) into a petgraph graph of accounts and identifiers, dropping
//! placeholders and marking hubs. [`detect`](detect::detect) groups accounts bound by sufficient evidence,
//! [`features`] computes per-ring figures with polars over the case frames, [`score`] turns them into a readable sum
//! of reasons, and [`ids`] keeps ring ids stable across runs. [`explain::explain`] gives the chain of shared
//! identifiers between two accounts, down to source file and line.

pub mod build;
pub mod detect;
mod edits;
pub mod explain;
pub mod features;
pub mod identifier;
pub mod ids;
mod names;
pub mod reading;
mod ring;
pub mod score;
pub mod shared;
mod uses;
pub mod view;

pub use build::{LinkGraph, Node};
pub use identifier::IdKind;
pub use ring::{Amount, Binding, CreatorShare, Ring, RingCounts, cmp_by_amount};

use ringscope_store::{Case, RingChanges};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no account {0:?} in this case")]
    UnknownAccount(String),
    #[error("no ring {0:?} in this case (run `ringscope rings` to list them)")]
    UnknownRing(String),
    #[error(transparent)]
    Store(#[from] ringscope_store::Error),
    #[error(transparent)]
    Frames(#[from] ringscope_frames::Error),
    #[error("computing ring features: {0}")]
    Polars(#[from] polars::error::PolarsError),
    #[error("saving the detection: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A case's graph and its rings, best first.
pub struct Analysis {
    pub graph: LinkGraph,
    pub rings: Vec<Ring>,
    /// How the saved ring ids changed in this run.
    pub changes: RingChanges,
}

impl Analysis {
    pub fn ring(&self, id: &str) -> Result<&Ring> {
        self.rings
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| Error::UnknownRing(id.to_string()))
    }
}

/// Builds the graph, finds and scores the rings, and saves their ids in the case (logged when they change).
/// This build of the detector (a hash of its sources, `build.rs`): a cached detection is used only by the build
/// that made it.
pub const DETECTOR: &str = env!("RINGSCOPE_DETECTOR");

/// What a detection found, as the case keeps it between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Detection {
    /// Best first, with their saved ids.
    pub rings: Vec<Ring>,
    /// Identifiers on so many unrelated accounts that they link nobody.
    pub hub_identifiers: usize,
    /// Values that are no identifier at all (empty, `unknown`, all zeros, private IPs, ...).
    pub placeholder_values: usize,
}

/// A [`Detection`] borrowed from an analysis, to save without a copy of every ring; it serializes as a
/// `Detection` and reads back as one.
#[derive(serde::Serialize)]
struct DetectionRef<'a> {
    rings: &'a [Ring],
    hub_identifiers: usize,
    placeholder_values: usize,
}

/// The last detection, if nothing detection reads has changed since (same generation, same detector build), with
/// current decisions. `None` when detection must run.
pub fn cached_detection(case: &Case) -> Result<Option<Detection>> {
    let Some(json) = case.cached_detection(DETECTOR, case.generation()?)? else {
        return Ok(None);
    };
    // A cache this build cannot read is no cache.
    let Ok(mut detection) = serde_json::from_str::<Detection>(&json) else {
        return Ok(None);
    };
    apply_decisions(case, &mut detection.rings)?;
    Ok(Some(detection))
}

/// Sets each ring's current decision (decisions change without a new detection).
pub fn apply_decisions(case: &Case, rings: &mut [Ring]) -> Result<()> {
    let decisions = case.current_decisions()?;
    for ring in rings {
        ring.decision = decisions
            .iter()
            .find(|d| d.item_kind == ringscope_store::ItemKind::Ring && d.item_id == ring.id)
            .cloned();
    }
    Ok(())
}

/// A ring whose members use identifiers confirmed in an earlier case scores for it, naming the first one.
fn add_watchlist_reasons(rings: &mut [Ring], flags: &[ringscope_store::WatchFlag]) {
    if flags.is_empty() {
        return;
    }
    // Each account is in one ring: find it once per flag, not once per ring and flag.
    let mut hits_by_ring: Vec<Vec<&ringscope_store::WatchFlag>> = vec![vec![]; rings.len()];
    {
        let ring_of: std::collections::HashMap<&str, usize> = rings
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.members.iter().map(move |m| (m.as_str(), i)))
            .collect();
        for f in flags {
            if let Some(&i) = ring_of.get(f.account_id.as_str()) {
                hits_by_ring[i].push(f);
            }
        }
    }
    for (ring, hits) in rings.iter_mut().zip(hits_by_ring) {
        let mut flagged: Vec<&str> = hits.iter().map(|f| f.account_id.as_str()).collect();
        flagged.sort_unstable();
        flagged.dedup();
        let Some(first) = hits.first() else { continue };
        let example = format!(
            "{} {} on {}, from case {:?}, ring {}",
            first.kind,
            first.value,
            first.account_id,
            first.case_title.as_deref().unwrap_or(&first.case_uid),
            first.ring_id
        );
        if let Some(reason) = score::watchlist_reason(flagged.len(), &example) {
            ring.reasons.push(reason);
            ring.score = score::total(&ring.reasons);
        }
    }
}

pub fn analyze(case: &mut Case, now: &str, actor: &str) -> Result<Analysis> {
    // Read before detecting: an import landing meanwhile makes this detection stale, not current.
    let generation = case.generation()?;
    let graph = LinkGraph::build(case)?;
    let removed = case.removed_members()?;
    let edits = case.ring_edits()?;
    let (groups, pins): (Vec<_>, Vec<_>) = edits::apply(
        &graph,
        detect::detect(&graph),
        &removed,
        &edits,
        &case.saved_rings()?,
    )
    .into_iter()
    .map(|e| (e.group, e.pinned))
    .unzip();
    let membership: Vec<(String, u32)> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.members.iter().map(move |&m| (i, m)))
        .map(|(i, m)| {
            (
                graph.account_id(m).unwrap_or_default().to_string(),
                i as u32,
            )
        })
        .collect();
    let members: Vec<&str> = membership.iter().map(|(a, _)| a.as_str()).collect();
    let frames = ringscope_frames::Frames::load_columns_for(
        case,
        &members,
        features::ACCOUNT_COLUMNS,
        features::PAYMENT_COLUMNS,
    )?;
    let figures = features::compute(&frames, &membership, groups.len())?;
    // Member frames are the largest thing detection holds besides the graph; the rest of it does not read them.
    drop(frames);
    drop(members);
    drop(membership);
    let mut rings: Vec<Ring> = groups
        .iter()
        .zip(figures)
        .zip(pins)
        .map(|((g, f), pin)| Ring {
            // Carried through the sort; replaced by the assigned id below.
            id: pin.unwrap_or_default(),
            ..ring::assemble(&graph, g, f)
        })
        .collect();
    add_watchlist_reasons(&mut rings, &case.watch_flags()?);
    rings.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.members.cmp(&b.members))
    });
    let memberships: Vec<Vec<String>> = rings.iter().map(|r| r.members.clone()).collect();
    let pinned: Vec<Option<String>> = rings
        .iter()
        .map(|r| (!r.id.is_empty()).then(|| r.id.clone()))
        .collect();
    let ids = ids::assign_pinned(&memberships, &pinned, &case.saved_rings()?);
    // Copies of every member's id (700 thousand at 1M accounts): gone before the next copy is made.
    drop(memberships);
    let mut saved = vec![];
    for (rank, (ring, (id, seq))) in rings.iter_mut().zip(ids).enumerate() {
        ring.rank = rank + 1;
        ring.id = id.clone();
        saved.push((id, seq, ring.members.clone()));
    }
    let changes = case.save_rings(&saved, now, actor, generation)?;
    drop(saved);
    for ring in &mut rings {
        ring.removed = removed
            .iter()
            .filter(|r| r.ring_id == ring.id)
            .cloned()
            .collect();
        ring.edits = edits
            .iter()
            .filter(|e| e.ring_id == ring.id || e.other_ring == ring.id)
            .cloned()
            .collect();
    }
    let mut analysis = Analysis {
        graph,
        rings,
        changes,
    };
    // Saved without decisions: they change without a new detection and are applied on every read.
    let saved = DetectionRef {
        rings: &analysis.rings,
        hub_identifiers: analysis.graph.hubs().count(),
        placeholder_values: analysis.graph.placeholders.len(),
    };
    case.save_detection(DETECTOR, generation, &saved)?;
    apply_decisions(case, &mut analysis.rings)?;
    Ok(analysis)
}
