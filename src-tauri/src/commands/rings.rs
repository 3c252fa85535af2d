use crate::analysis_cache::rings_with_decisions;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking};
use ringscope_graph::explain::Explanation;
use ringscope_graph::{IdKind, Ring};
use ringscope_store::{Case, DecisionState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct RingQuery {
    pub sort: RingSort,
    pub descending: bool,
    /// Keep rings bound by this identifier kind.
    pub kind: Option<IdKind>,
    pub min_score: Option<f64>,
    /// Keep rings with this decision (`none`: undecided); null or `any` keeps every ring.
    pub decision: Option<DecisionFilter>,
    pub offset: usize,
    pub limit: usize,
}

/// What the ring list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RingSort {
    Score,
    Accounts,
    /// Grouped by main currency, then by the amount in it (never adding currencies).
    Amount,
    Disputes,
    Rank,
}

/// Which rings the list keeps by their decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DecisionFilter {
    Any,
    /// Rings without a decision.
    None,
    Confirmed,
    Dismissed,
    NeedsReview,
}

impl DecisionFilter {
    fn keeps(self, decision: Option<DecisionState>) -> bool {
        match self {
            DecisionFilter::Any => true,
            DecisionFilter::None => decision.is_none(),
            DecisionFilter::Confirmed => decision == Some(DecisionState::Confirmed),
            DecisionFilter::Dismissed => decision == Some(DecisionState::Dismissed),
            DecisionFilter::NeedsReview => decision == Some(DecisionState::NeedsReview),
        }
    }
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RingPage {
    pub total: usize,
    pub rings: Vec<Ring>,
}

/// The ring list, filtered, sorted and paged on the Rust side so a case with thousands of rings stays light.
#[tauri::command]
#[specta::specta]
pub async fn list_rings(
    state: tauri::State<'_, AppState>,
    query: RingQuery,
) -> ApiResult<RingPage> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    blocking(move || {
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        let mut rings: Vec<Ring> = rings_with_decisions(&analysis, &case)?
            .into_iter()
            .filter(|r| {
                query
                    .kind
                    .is_none_or(|k| r.binding.iter().any(|b| b.kind == k))
            })
            .filter(|r| query.min_score.is_none_or(|s| r.score >= s))
            .filter(|r| {
                query
                    .decision
                    .is_none_or(|f| f.keeps(r.decision.as_ref().map(|d| d.state)))
            })
            .collect();
        match query.sort {
            RingSort::Accounts => rings.sort_by_key(|r| r.counts.accounts),
            // Grouped by main currency, then by the amount in it (never adding currencies); the direction
            // applies to the amount only, so the reverse below is undone for this sort.
            RingSort::Amount => {
                rings.sort_by(|a, b| ringscope_graph::cmp_by_amount(a, b, query.descending));
                if query.descending {
                    rings.reverse();
                }
            }
            RingSort::Disputes => rings.sort_by_key(|r| r.counts.disputes),
            RingSort::Rank => rings.sort_by_key(|r| std::cmp::Reverse(r.rank)),
            RingSort::Score => rings.sort_by(|a, b| a.score.total_cmp(&b.score)),
        }
        if query.descending {
            rings.reverse();
        }
        let total = rings.len();
        let rings = rings
            .into_iter()
            .skip(query.offset)
            .take(query.limit.clamp(1, 500))
            .collect();
        Ok(RingPage { total, rings })
    })
    .await
}

pub use ringscope_graph::view::{GraphEdge, GraphNode, GraphView};

/// A ring's accounts, every identifier they use, and the creators they pay; `expand` adds one hop (the other
/// accounts using non-hub identifiers) around the given node ids (`ringscope_graph::view`).
#[tauri::command]
#[specta::specta]
pub async fn ring_graph(
    state: tauri::State<'_, AppState>,
    ring_id: String,
    expand: Vec<String>,
) -> ApiResult<GraphView> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    blocking(move || {
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        let mut ring = analysis.ring(&ring_id)?.clone();
        ring.decision = rings_with_decisions(&analysis, &case)?
            .into_iter()
            .find(|r| r.id == ring.id)
            .and_then(|r| r.decision);
        Ok(ringscope_graph::view::ring_view(
            &analysis.graph,
            ring,
            &expand,
        ))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn explain_link(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
) -> ApiResult<Explanation> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    blocking(move || {
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        Ok(ringscope_graph::explain::explain(
            &case,
            &analysis.graph,
            &from,
            &to,
        )?)
    })
    .await
}

pub use ringscope_store::TimelineEvent;

/// The sign-ups, logins, payments, declines and disputes of a ring's members (or of one account), oldest first.
#[tauri::command]
#[specta::specta]
pub async fn ring_timeline(
    state: tauri::State<'_, AppState>,
    accounts: Vec<String>,
) -> ApiResult<Vec<TimelineEvent>> {
    let path = state.case_path()?;
    if accounts.is_empty() || accounts.len() > 5_000 {
        return Err(ApiError::new("invalid", "give between 1 and 5000 accounts"));
    }
    blocking(move || Ok(Case::open(&path)?.timeline(&accounts)?)).await
}

/// One ring member as the deciding table shows it: who, since when, what money went where.
#[derive(Debug, Clone, Serialize, specta::Type)]
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
    pub decision: Option<ringscope_store::Decision>,
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

/// The members of a ring with role, status, sign-up, money paid and received, disputes and decision.
#[tauri::command]
#[specta::specta]
pub async fn ring_members(
    state: tauri::State<'_, AppState>,
    ring_id: String,
) -> ApiResult<Vec<MemberRow>> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    blocking(move || {
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        let ring = analysis.ring(&ring_id)?.clone();
        let decisions: BTreeMap<String, ringscope_store::Decision> = case
            .current_decisions()?
            .into_iter()
            .filter(|d| d.item_kind == ringscope_store::ItemKind::Account)
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
    })
    .await
}
