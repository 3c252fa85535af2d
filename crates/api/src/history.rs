//! Decisions, notes and the case history (the hash-chained audit log).

use crate::context::Context;
use crate::error::{ApiError, ApiResult};
use ringscope_store::{AuditEntry, Case, Decision, DecisionState, Note};
use serde::Serialize;

/// Marks a ring or an account confirmed, dismissed or needs-review, with an optional note.
pub fn decide(
    ctx: &Context,
    item: &str,
    state: DecisionState,
    note: Option<&str>,
) -> ApiResult<Decision> {
    let mut decided = decide_many(ctx, &[item.to_string()], state, note)?;
    Ok(decided.remove(0))
}

/// The same decision on many rings or accounts (a bulk selection), in one transaction: all or none.
pub fn decide_many(
    ctx: &Context,
    items: &[String],
    state: DecisionState,
    note: Option<&str>,
) -> ApiResult<Vec<Decision>> {
    if items.is_empty() {
        return Err(ApiError::invalid("name at least one ring or account"));
    }
    let mut case = ctx.open()?;
    for item in items {
        detect_rings_if_needed(ctx, &mut case, item)?;
    }
    Ok(case.decide_many(items, state, note, ctx.actor(), &ctx.now_text())?)
}

/// Adds a note to a ring or an account.
pub fn note(ctx: &Context, item: &str, text: &str) -> ApiResult<Note> {
    if text.trim().is_empty() {
        return Err(ApiError::invalid("a note needs some text"));
    }
    let mut case = ctx.open()?;
    detect_rings_if_needed(ctx, &mut case, item)?;
    Ok(case.add_note(item, text, ctx.actor(), &ctx.now_text())?)
}

/// Ring ids are given by ring detection. A decision or note on a ring id the case does not know yet (no detection
/// since the last import) runs detection first, so `decide R-0001` works on a freshly imported case.
fn detect_rings_if_needed(ctx: &Context, case: &mut Case, item: &str) -> ApiResult<()> {
    let ring_like = item
        .strip_prefix("R-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if ring_like && case.item_kind(item).is_err() {
        ctx.analysis(case)?;
    }
    Ok(())
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The audit log's hash chain verifies.
    pub chain_ok: bool,
    /// Why it does not, when it does not.
    pub chain_error: Option<String>,
    /// Oldest first.
    pub entries: Vec<AuditEntry>,
    /// With an item: its notes.
    pub notes: Vec<Note>,
}

/// The case history, oldest first, with its hash chain checked; with `item`, only that ring's or account's entries
/// and its notes.
pub fn history(ctx: &Context, item: Option<&str>) -> ApiResult<History> {
    let case = ctx.open()?;
    let chain = case.verify_audit_log();
    let entries = case
        .audit_log()?
        .into_iter()
        .filter(|e| item.is_none_or(|i| e.item == i))
        .collect();
    let notes = match item {
        Some(i) => case.notes(i)?,
        None => vec![],
    };
    Ok(History {
        chain_ok: chain.is_ok(),
        chain_error: chain.err().map(|e| e.to_string()),
        entries,
        notes,
    })
}
