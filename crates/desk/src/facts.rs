//! What the desk knows about one case, read from the case file (through `ringscope-store`) and cached in the index.

use crate::Result;
use ringscope_store::{Case, CaseStatus, DecisionState, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// An amount in minor units of a currency.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub currency: String,
    pub minor: i64,
}

/// A ring confirmed in a case: the money its members paid, and the identifiers they use.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmedRing {
    pub ring_id: String,
    pub decided_at: String,
    pub decided_by: String,
    pub members: Vec<String>,
    pub paid: Vec<Money>,
    /// `(account, kind, value)`: written to the watchlist when the case is read, not kept in the index's facts.
    #[serde(skip)]
    pub identifiers: Vec<(String, String, String)>,
}

/// A decision changed later: an item decided one way, then another.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overturn {
    pub item_kind: ItemKind,
    pub item_id: String,
    pub from: DecisionState,
    pub to: DecisionState,
    pub at: String,
    /// For a ring: the reason that weighs most in its score.
    pub ring_reason: Option<String>,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub case_uid: String,
    pub title: String,
    pub reference: Option<String>,
    pub case_type: Option<String>,
    pub type_name: Option<String>,
    pub status: CaseStatus,
    pub assignee: Option<String>,
    pub opened_at: String,
    pub due_at: Option<String>,
    /// When the case was last closed (if it is closed now).
    pub closed_at: Option<String>,
    pub first_decision_at: Option<String>,
    pub rings_confirmed: usize,
    /// What members of rings not dismissed paid, per currency.
    pub amount_at_stake: Vec<Money>,
    pub steps_total: usize,
    pub steps_done: usize,
    pub steps_skipped: usize,
    pub required_open: Vec<String>,
    /// Items (rings and accounts) with a current decision, and how many of them are dismissed.
    pub decided: usize,
    pub dismissed: usize,
    #[serde(default)]
    pub overturns: Vec<Overturn>,
    #[serde(default)]
    pub confirmed: Vec<ConfirmedRing>,
}

/// The file's size and modification time (and its WAL's), to tell when the index is stale.
pub(crate) fn stamp(path: &Path) -> String {
    let one = |p: &Path| {
        std::fs::metadata(p).ok().map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{t}", m.len())
        })
    };
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    format!(
        "{}|{}",
        one(path).unwrap_or_default(),
        one(Path::new(&wal)).unwrap_or_default()
    )
}

fn sum(into: &mut BTreeMap<String, i64>, paid: &[(String, i64)]) {
    for (c, m) in paid {
        *into.entry(c.clone()).or_default() += m;
    }
}

fn money(m: BTreeMap<String, i64>) -> Vec<Money> {
    m.into_iter()
        .map(|(currency, minor)| Money { currency, minor })
        .collect()
}

/// Reads a case file's facts.
pub fn read(path: &Path) -> Result<CaseFacts> {
    let mut case = Case::open(path)?;
    let meta = case.meta()?;
    let workflow = case.workflow()?;
    let log = case.audit_log()?;
    let closed_at = (workflow.status == CaseStatus::Closed)
        .then(|| {
            log.iter()
                .rev()
                .find(|e| e.action == "case.status" && e.item == "closed")
                .map(|e| e.ts.clone())
        })
        .flatten();
    let history = case.decision_history()?;
    let first_decision_at = history.iter().map(|d| d.ts.clone()).min();
    let current = case.current_decisions()?;
    let saved = case.saved_rings()?;
    let members_of = |id: &str| {
        saved
            .iter()
            .find(|r| r.ring_id == id)
            .map(|r| r.members.clone())
            .unwrap_or_default()
    };

    // Overturns: an item whose decision changed from confirmed/dismissed to something else.
    let mut last: BTreeMap<(&str, String), DecisionState> = BTreeMap::new();
    let mut overturns = vec![];
    for d in &history {
        let key = (d.item_kind.as_str(), d.item_id.clone());
        if let Some(&before) = last.get(&key)
            && before != d.state
            && before != DecisionState::NeedsReview
        {
            overturns.push(Overturn {
                item_kind: d.item_kind,
                item_id: d.item_id.clone(),
                from: before,
                to: d.state,
                at: d.ts.clone(),
                ring_reason: None,
            });
        }
        last.insert(key, d.state);
    }
    if overturns.iter().any(|o| o.item_kind == ItemKind::Ring) {
        // The ring's reasons need the graph; only cases with an overturned ring pay for it. Re-detection on an
        // unchanged case keeps the ring ids and writes nothing to the log.
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let analysis = ringscope_graph::analyze(&mut case, &now, "ringscope-desk")?;
        for o in overturns
            .iter_mut()
            .filter(|o| o.item_kind == ItemKind::Ring)
        {
            o.ring_reason = analysis.ring(&o.item_id).ok().and_then(|r| {
                r.reasons
                    .iter()
                    .filter(|x| x.contribution > 0.0)
                    .max_by(|a, b| a.contribution.total_cmp(&b.contribution))
                    .map(|x| x.feature.to_string())
            });
        }
    }

    let mut stake = BTreeMap::new();
    let mut confirmed = vec![];
    let ring_state = |id: &str| {
        current
            .iter()
            .find(|d| d.item_kind == ItemKind::Ring && d.item_id == id)
    };
    for ring in saved.iter().filter(|r| r.active) {
        let d = ring_state(&ring.ring_id);
        if d.is_some_and(|d| d.state == DecisionState::Dismissed) {
            continue;
        }
        sum(&mut stake, &case.paid_by(&ring.members)?);
    }
    for d in current
        .iter()
        .filter(|d| d.item_kind == ItemKind::Ring && d.state == DecisionState::Confirmed)
    {
        let members = members_of(&d.item_id);
        let mut paid = BTreeMap::new();
        sum(&mut paid, &case.paid_by(&members)?);
        let identifiers = case
            .linkable_identifiers(Some(&members))?
            .into_iter()
            .filter(|(_, kind, value)| {
                ringscope_graph::IdKind::parse(kind).is_some_and(|k| {
                    ringscope_graph::identifier::placeholder_reason(k, value).is_none()
                })
            })
            .collect();
        confirmed.push(ConfirmedRing {
            ring_id: d.item_id.clone(),
            decided_at: d.ts.clone(),
            decided_by: d.actor.clone(),
            members,
            paid: money(paid),
            identifiers,
        });
    }
    let marked: Vec<_> = workflow
        .checklist
        .iter()
        .filter_map(|i| i.mark.as_ref())
        .collect();
    let decided: BTreeSet<_> = current
        .iter()
        .filter(|d| d.state != DecisionState::NeedsReview)
        .map(|d| (d.item_kind.as_str(), d.item_id.clone()))
        .collect();
    Ok(CaseFacts {
        case_uid: meta.case_uid,
        title: meta.title,
        reference: meta.reference,
        case_type: workflow.case_type.clone(),
        type_name: workflow.type_name.clone(),
        status: workflow.status,
        assignee: workflow.assignee.clone().or(meta.investigator),
        opened_at: meta.created_at,
        due_at: workflow.due_at.clone(),
        closed_at,
        first_decision_at,
        rings_confirmed: confirmed.len(),
        amount_at_stake: money(stake),
        steps_total: workflow.checklist.len(),
        steps_done: marked.iter().filter(|m| m.state == "done").count(),
        steps_skipped: marked.iter().filter(|m| m.state == "skipped").count(),
        required_open: workflow
            .open_required()
            .into_iter()
            .map(String::from)
            .collect(),
        decided: decided.len(),
        dismissed: current
            .iter()
            .filter(|d| d.state == DecisionState::Dismissed)
            .count(),
        overturns,
        confirmed,
    })
}
