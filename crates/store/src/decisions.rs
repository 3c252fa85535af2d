//! Decisions (confirmed / dismissed / needs review) and notes on rings and accounts. The latest decision is an
//! item's state; every decision and note is kept, and written to the audit log in the same transaction.

use crate::error::{Error, Result};
use crate::{Case, audit};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Ring,
    Account,
}

impl ItemKind {
    fn from_db(s: &str) -> ItemKind {
        if s == "ring" {
            ItemKind::Ring
        } else {
            ItemKind::Account
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Ring => "ring",
            ItemKind::Account => "account",
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    Confirmed,
    Dismissed,
    NeedsReview,
}

impl DecisionState {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionState::Confirmed => "confirmed",
            DecisionState::Dismissed => "dismissed",
            DecisionState::NeedsReview => "needs_review",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionState> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "confirmed" => Some(DecisionState::Confirmed),
            "dismissed" => Some(DecisionState::Dismissed),
            "needs_review" => Some(DecisionState::NeedsReview),
            _ => None,
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub item_kind: ItemKind,
    pub item_id: String,
    pub state: DecisionState,
    pub note: Option<String>,
    pub actor: String,
    pub ts: String,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub item_kind: ItemKind,
    pub item_id: String,
    pub text: String,
    pub actor: String,
    pub ts: String,
}

impl Case {
    /// Whether `id` names a ring (saved by a detection run) or an account of this case.
    pub fn item_kind(&self, id: &str) -> Result<ItemKind> {
        let ring: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM rings WHERE ring_id = ?1", [id], |r| r.get(0))
            .optional()?;
        if ring.is_some() {
            return Ok(ItemKind::Ring);
        }
        let account: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 WHERE EXISTS (SELECT 1 FROM accounts WHERE account_id = ?1) OR EXISTS (SELECT 1 FROM events WHERE account_id = ?1)
                 OR EXISTS (SELECT 1 FROM payments WHERE account_id = ?1)",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match account {
            Some(_) => Ok(ItemKind::Account),
            None => Err(Error::InvalidMeta(format!(
                "no ring or account {id:?} in this case"
            ))),
        }
    }

    pub fn decide(
        &mut self,
        id: &str,
        state: DecisionState,
        note: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<Decision> {
        let mut decided = self.decide_many(&[id.to_string()], state, note, actor, ts)?;
        Ok(decided.remove(0))
    }

    /// The same decision on many rings or accounts, each with its audit entry, in one transaction: all or none.
    pub fn decide_many(
        &mut self,
        ids: &[String],
        state: DecisionState,
        note: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<Vec<Decision>> {
        let kinds = ids
            .iter()
            .map(|id| self.item_kind(id))
            .collect::<Result<Vec<_>>>()?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut decided = Vec::with_capacity(ids.len());
        for (id, kind) in ids.iter().zip(kinds) {
            let details = serde_json::json!({"kind": kind, "state": state, "note": note});
            let entry = audit::append(&tx, ts, actor, "decide", id, &details)?;
            tx.execute(
                "INSERT INTO decisions (item_kind, item_id, state, note, actor, ts, audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (kind.as_str(), id, state.as_str(), note, actor, ts, entry.seq),
            )?;
            decided.push(Decision {
                item_kind: kind,
                item_id: id.clone(),
                state,
                note: note.map(String::from),
                actor: actor.into(),
                ts: ts.into(),
            });
        }
        tx.commit()?;
        Ok(decided)
    }

    pub fn add_note(&mut self, id: &str, text: &str, actor: &str, ts: &str) -> Result<Note> {
        let kind = self.item_kind(id)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::InvalidMeta("a note needs some text".into()));
        }
        let details = serde_json::json!({"kind": kind, "text": text});
        self.logged(ts, actor, "note", id, &details, |tx, seq| {
            tx.execute(
                "INSERT INTO notes (item_kind, item_id, text, actor, ts, audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (kind.as_str(), id, text, actor, ts, seq),
            )
        })?;
        Ok(Note {
            item_kind: kind,
            item_id: id.into(),
            text: text.into(),
            actor: actor.into(),
            ts: ts.into(),
        })
    }

    /// Writes an audit entry and the row it describes in one transaction.
    pub(crate) fn logged(
        &mut self,
        ts: &str,
        actor: &str,
        action: &str,
        id: &str,
        details: &serde_json::Value,
        insert: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> rusqlite::Result<usize>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let entry = audit::append(&tx, ts, actor, action, id, details)?;
        insert(&tx, entry.seq)?;
        tx.commit()?;
        Ok(())
    }

    /// Records an action whose effect lies outside the case (an exported packet landing in its folder) so that
    /// the two go together: takes the case's write lock (an immediate transaction), appends the audit entry, runs
    /// `effect`, and commits only if it succeeded. If the lock cannot be had (another writer, a read-only case), the
    /// entry cannot be written, or `effect` fails, nothing is committed and `effect` has not run or has failed. If
    /// the commit itself fails after `effect` ran, `undo` is called, so the effect does not outlive its entry.
    #[allow(clippy::too_many_arguments)]
    pub fn record_action_with<T, E: From<Error>>(
        &mut self,
        ts: &str,
        actor: &str,
        action: &str,
        item: &str,
        details: &serde_json::Value,
        effect: impl FnOnce() -> std::result::Result<T, E>,
        undo: impl FnOnce(),
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::from)?;
        audit::append(&tx, ts, actor, action, item, details)?;
        let value = effect()?;
        if let Err(e) = tx.commit() {
            undo();
            return Err(Error::from(e).into());
        }
        Ok(value)
    }

    /// The current decision on every item that has one.
    pub fn current_decisions(&self) -> Result<Vec<Decision>> {
        let mut stmt = self.conn.prepare(
            "SELECT item_kind, item_id, state, note, actor, ts FROM decisions d
             WHERE id = (SELECT max(id) FROM decisions e WHERE e.item_kind = d.item_kind AND e.item_id = d.item_id)
             ORDER BY item_kind, item_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(0)?;
            let state: String = r.get(2)?;
            Ok(Decision {
                item_kind: ItemKind::from_db(&kind),
                item_id: r.get(1)?,
                state: DecisionState::parse(&state).unwrap_or(DecisionState::NeedsReview),
                note: r.get(3)?,
                actor: r.get(4)?,
                ts: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn notes(&self, id: &str) -> Result<Vec<Note>> {
        let mut stmt = self.conn.prepare(
            "SELECT item_kind, item_id, text, actor, ts FROM notes WHERE item_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let kind: String = r.get(0)?;
            Ok(Note {
                item_kind: ItemKind::from_db(&kind),
                item_id: r.get(1)?,
                text: r.get(2)?,
                actor: r.get(3)?,
                ts: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
