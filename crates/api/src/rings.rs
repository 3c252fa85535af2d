//! The rings of a case: the list (filtered, sorted and paged here so thousands of rings stay light in any front end),
//! one ring, its subgraph view, its members' table, and why two accounts are linked.

use crate::context::Context;
use crate::error::ApiResult;
use ringscope_graph::explain::Explanation;
use ringscope_graph::view::GraphView;
use ringscope_graph::{IdKind, Ring};
use ringscope_store::{Decision, DecisionState, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the ring list is ordered by.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingSort {
    #[default]
    Score,
    Accounts,
    /// By main currency, then the amount in it: different currencies are never added up.
    Amount,
    Disputes,
    Rank,
}

/// Which rings to keep by their decision.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionFilter {
    /// Not decided yet.
    None,
    Confirmed,
    Dismissed,
    NeedsReview,
}

impl DecisionFilter {
    fn keeps(self, decision: Option<&Decision>) -> bool {
        let wanted = match self {
            DecisionFilter::None => return decision.is_none(),
            DecisionFilter::Confirmed => DecisionState::Confirmed,
            DecisionFilter::Dismissed => DecisionState::Dismissed,
            DecisionFilter::NeedsReview => DecisionState::NeedsReview,
        };
        decision.is_some_and(|d| d.state == wanted)
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct RingQuery {
    pub sort: RingSort,
    pub descending: bool,
    /// Keep rings bound by this identifier kind.
    pub kind: Option<IdKind>,
    pub min_score: Option<f64>,
    /// Keep rings with this decision (`none`: undecided); null keeps every ring.
    pub decision: Option<DecisionFilter>,
    pub offset: usize,
    pub limit: usize,
}

impl Default for RingQuery {
    /// Every ring, best first.
    fn default() -> Self {
        RingQuery {
            sort: RingSort::Score,
            descending: true,
            kind: None,
            min_score: None,
            decision: None,
            offset: 0,
            limit: usize::MAX,
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct RingPage {
    /// Rings matching the filters, before paging.
    pub total: usize,
    pub rings: Vec<Ring>,
    /// Identifiers on so many unrelated accounts that they link nobody.
    pub hub_identifiers: usize,
    /// Values that are not identifiers at all (empty, `unknown`, all zeros, private IPs, ...).
    pub placeholder_values: usize,
}

/// The ring list: detection (kept, or run now), current decisions, filters, sort, one page.
pub fn rings(ctx: &Context, query: &RingQuery) -> ApiResult<RingPage> {
    let mut case = ctx.open()?;
    let found = ctx.found_rings(&mut case)?;
    // Current decisions by ring id: filtered on here, set on the page's rings only.
    let decisions = case.current_decisions()?;
    let decisions: std::collections::HashMap<&str, &Decision> = decisions
        .iter()
        .filter(|d| d.item_kind == ItemKind::Ring)
        .map(|d| (d.item_id.as_str(), d))
        .collect();
    let decision_of = |r: &Ring| decisions.get(r.id.as_str()).copied();
    let mut rings: Vec<&Ring> = found
        .rings()
        .iter()
        .filter(|r| {
            query
                .kind
                .is_none_or(|k| r.binding.iter().any(|b| b.kind == k))
        })
        .filter(|r| query.min_score.is_none_or(|s| r.score >= s))
        .filter(|r| query.decision.is_none_or(|d| d.keeps(decision_of(r))))
        .collect();
    let direction = |o: std::cmp::Ordering| if query.descending { o.reverse() } else { o };
    rings.sort_by(|a, b| {
        match query.sort {
            RingSort::Score => direction(a.score.total_cmp(&b.score)),
            RingSort::Accounts => direction(a.counts.accounts.cmp(&b.counts.accounts)),
            RingSort::Disputes => direction(a.counts.disputes.cmp(&b.counts.disputes)),
            // "Descending" is best first.
            RingSort::Rank => direction(b.rank.cmp(&a.rank)),
            // Grouped by main currency, then by the amount in it (never adding currencies); the direction applies
            // to the amount only.
            RingSort::Amount => ringscope_graph::cmp_by_amount(a, b, query.descending),
        }
        // Ties keep the detection's order.
        .then(a.rank.cmp(&b.rank))
    });
    let total = rings.len();
    let rings = rings
        .into_iter()
        .skip(query.offset)
        .take(query.limit.max(1))
        .map(|r| Ring {
            decision: decision_of(r).cloned(),
            ..r.clone()
        })
        .collect();
    let (hub_identifiers, placeholder_values) = found.hubs_and_placeholders();
    Ok(RingPage {
        total,
        rings,
        hub_identifiers,
        placeholder_values,
    })
}

/// One ring with its current decision.
pub fn ring(ctx: &Context, ring_id: &str) -> ApiResult<Ring> {
    let mut case = ctx.open()?;
    find(ctx, &mut case, ring_id)
}

/// [`ring`] on an open case.
pub(crate) fn ring_of(
    ctx: &Context,
    case: &mut ringscope_store::Case,
    ring_id: &str,
) -> ApiResult<Ring> {
    find(ctx, case, ring_id)
}

/// The rings `keep` selects, copied out with their current decisions; the others are not copied (fourteen
/// thousand of them at a million accounts).
fn rings_where(
    ctx: &Context,
    case: &mut ringscope_store::Case,
    keep: impl Fn(&Ring) -> bool,
) -> ApiResult<Vec<Ring>> {
    let found = ctx.found_rings(case)?;
    let mut rings: Vec<Ring> = found.rings().iter().filter(|r| keep(r)).cloned().collect();
    ringscope_graph::apply_decisions(case, &mut rings)?;
    Ok(rings)
}

fn unknown_ring(ring_id: &str) -> crate::error::ApiError {
    ringscope_graph::Error::UnknownRing(ring_id.to_string()).into()
}

/// One ring by id (any case), with its current decision.
fn find(ctx: &Context, case: &mut ringscope_store::Case, ring_id: &str) -> ApiResult<Ring> {
    rings_where(ctx, case, |r| r.id.eq_ignore_ascii_case(ring_id))?
        .into_iter()
        .next()
        .ok_or_else(|| unknown_ring(ring_id))
}

/// A ring's accounts, every identifier they use and the creators they pay; `expand` adds one hop (the other
/// accounts on non-hub identifiers) around the given node ids.
pub fn ring_graph(ctx: &Context, ring_id: &str, expand: &[String]) -> ApiResult<GraphView> {
    let mut case = ctx.open()?;
    let ring = find(ctx, &mut case, ring_id)?;
    let graph = ctx.link_graph(&case)?;
    Ok(ringscope_graph::view::ring_view(&graph, ring, expand))
}

/// The chain of shared identifiers (or payments) between two accounts, with the source rows behind each hop.
pub fn explain(ctx: &Context, from: &str, to: &str) -> ApiResult<Explanation> {
    let case = ctx.open()?;
    let graph = ctx.link_graph(&case)?;
    Ok(ringscope_graph::explain::explain(&case, &graph, from, to)?)
}

/// One ring member as the deciding table shows it: who, since when, what money went where.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    pub account_id: String,
    pub role: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    /// Paid by this account (successful payments), per currency.
    pub paid: Vec<ringscope_graph::Amount>,
    /// Received by this account as a creator, per currency.
    pub received: Vec<ringscope_graph::Amount>,
    pub payments: u32,
    pub disputes: u32,
    /// The decision on this single account, if any.
    pub decision: Option<Decision>,
}

/// The members of a ring with role, status, sign-up, money paid and received, disputes and decision.
pub fn ring_members(ctx: &Context, ring_id: &str) -> ApiResult<Vec<MemberRow>> {
    let mut case = ctx.open()?;
    let ring = find(ctx, &mut case, ring_id)?;
    let decisions: BTreeMap<String, Decision> = case
        .current_decisions()?
        .into_iter()
        .filter(|d| d.item_kind == ItemKind::Account)
        .map(|d| (d.item_id.clone(), d))
        .collect();
    let mut rows = Vec::with_capacity(ring.members.len());
    for id in &ring.members {
        let f = case.member_facts(id)?;
        rows.push(MemberRow {
            account_id: id.clone(),
            role: f.role,
            status: f.status,
            created_at: f
                .created_at_ms
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            paid: per_currency(f.paid),
            received: per_currency(f.received),
            payments: f.payments,
            disputes: f.disputes,
            decision: decisions.get(id).cloned(),
        });
    }
    Ok(rows)
}

fn per_currency(amounts: Vec<(String, i64, i64)>) -> Vec<ringscope_graph::Amount> {
    amounts
        .into_iter()
        .map(
            |(currency, paid_minor, disputed_minor)| ringscope_graph::Amount {
                currency,
                paid_minor,
                disputed_minor,
            },
        )
        .collect()
}

/// Removes accounts from a ring as false positives (recorded with the reason, reversible); detection then keeps
/// them out of that ring. Returns the ring as detected again (`None` when fewer than two accounts are left in it).
pub fn remove_members(
    ctx: &Context,
    ring_id: &str,
    accounts: &[String],
    reason: Option<&str>,
) -> ApiResult<Option<Ring>> {
    if accounts.is_empty() {
        return Err(crate::ApiError::invalid(
            "name at least one account to remove",
        ));
    }
    let mut case = ctx.open()?;
    let ring = ring_of(ctx, &mut case, ring_id)?;
    for account in accounts {
        case.remove_member(&ring.id, account, reason, ctx.actor(), &ctx.now_text())?;
    }
    Ok(rings_where(ctx, &mut case, |r| r.id == ring.id)?
        .into_iter()
        .next())
}

/// Puts removed members back into a ring; returns the ring as detected again.
pub fn restore_members(ctx: &Context, ring_id: &str, accounts: &[String]) -> ApiResult<Ring> {
    let mut case = ctx.open()?;
    let id = ring_id.to_ascii_uppercase();
    for account in accounts {
        case.restore_member(&id, account, ctx.actor(), &ctx.now_text())?;
    }
    ring_of(ctx, &mut case, &id)
}

/// A split, merge or undo, and the rings it touched as detected again.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct RingEditOutcome {
    pub edit: ringscope_store::RingEdit,
    /// The rings the edit names that exist after it (the kept and split-off or restored rings).
    pub rings: Vec<Ring>,
}

fn edit_outcome(
    ctx: &Context,
    case: &mut ringscope_store::Case,
    edit: ringscope_store::RingEdit,
) -> ApiResult<RingEditOutcome> {
    let rings = rings_where(ctx, case, |r| {
        r.id == edit.ring_id || r.id == edit.other_ring
    })?;
    Ok(RingEditOutcome { edit, rings })
}

/// Moves `accounts` out of a ring into a new ring of their own (kept across re-detection, undoable).
pub fn split_ring(
    ctx: &Context,
    ring_id: &str,
    accounts: &[String],
    reason: Option<&str>,
) -> ApiResult<RingEditOutcome> {
    let mut case = ctx.open()?;
    let ring = ring_of(ctx, &mut case, ring_id)?;
    let edit = case.split_ring(&ring.id, accounts, reason, ctx.actor(), &ctx.now_text())?;
    edit_outcome(ctx, &mut case, edit)
}

/// Folds ring `from` into ring `into` (kept across re-detection, undoable).
pub fn merge_rings(
    ctx: &Context,
    into: &str,
    from: &str,
    reason: Option<&str>,
) -> ApiResult<RingEditOutcome> {
    let mut case = ctx.open()?;
    let named = rings_where(ctx, &mut case, |r| {
        r.id.eq_ignore_ascii_case(into) || r.id.eq_ignore_ascii_case(from)
    })?;
    let id_of = |wanted: &str| {
        named
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(wanted))
            .map(|r| r.id.clone())
            .ok_or_else(|| unknown_ring(wanted))
    };
    let (into, from) = (id_of(into)?, id_of(from)?);
    let edit = case.merge_rings(&into, &from, reason, ctx.actor(), &ctx.now_text())?;
    edit_outcome(ctx, &mut case, edit)
}

/// Undoes a split or merge in force (by its id, listed on the rings it shaped).
pub fn undo_ring_edit(ctx: &Context, edit_id: i64) -> ApiResult<RingEditOutcome> {
    let mut case = ctx.open()?;
    let edit = case.undo_ring_edit(edit_id, ctx.actor(), &ctx.now_text())?;
    edit_outcome(ctx, &mut case, edit)
}

/// The splits and merges in force, oldest first.
pub fn ring_edits(ctx: &Context) -> ApiResult<Vec<ringscope_store::RingEdit>> {
    Ok(ctx.open()?.ring_edits()?)
}
