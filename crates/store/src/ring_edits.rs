//! Rings an investigator split or merged. A split moves accounts out of a ring into a new ring (its id reserved at
//! once); a merge folds one ring into another. Both are kept when detection runs again, until undone. The saved
//! rings follow each edit at once, so ids keep matching the membership an investigator sees. Every edit is an
//! audit entry.

use crate::{Case, Error, Result, audit};
use serde::{Deserialize, Serialize};

pub const SPLIT_RING: &str = "ring.split";
pub const MERGE_RINGS: &str = "ring.merge";
pub const UNDO_RING_EDIT: &str = "ring.undo_edit";

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RingEditKind {
    /// `accounts` left `ring_id` for the new ring `other_ring`.
    Split,
    /// `other_ring` (whose members were `accounts`) was folded into `ring_id`.
    Merge,
}

/// A split or merge in force (not undone).
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingEdit {
    pub id: i64,
    pub kind: RingEditKind,
    pub ring_id: String,
    pub other_ring: String,
    /// Split: the accounts moved out. Merge: the members of the merged ring.
    pub accounts: Vec<String>,
    /// The members of `ring_id` when the edit was made (how detection finds that ring again).
    pub ring_accounts: Vec<String>,
    pub reason: Option<String>,
    pub actor: String,
    pub ts: String,
}

impl Case {
    /// Moves `accounts` (members of `ring_id`) into a new ring; returns the edit, naming the new ring.
    pub fn split_ring(
        &mut self,
        ring_id: &str,
        accounts: &[String],
        reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<RingEdit> {
        // Read what is saved inside the write transaction: two splits at once cannot reserve the same id.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let saved = crate::rings::saved_rings(&tx)?;
        let ring = saved
            .iter()
            .find(|r| r.ring_id == ring_id && r.active)
            .ok_or_else(|| Error::InvalidMeta(format!("no ring {ring_id:?} in this case")))?;
        let mut moved: Vec<String> = accounts.to_vec();
        moved.sort();
        moved.dedup();
        if let Some(stranger) = moved.iter().find(|a| !ring.members.contains(a)) {
            return Err(Error::InvalidMeta(format!(
                "{stranger:?} is not a member of {ring_id}"
            )));
        }
        if moved.len() < 2 || ring.members.len() - moved.len() < 2 {
            return Err(Error::InvalidMeta(format!(
                "a split needs at least two accounts on each side ({} of {} chosen); to drop one account, remove it from the ring",
                moved.len(),
                ring.members.len()
            )));
        }
        let seq = saved.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        let new_ring = format!("R-{seq:04}");
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let accounts_json = serde_json::to_string(&moved).expect("ids serialize");
        let ring_members = ring.members.clone();
        let ring_json = serde_json::to_string(&ring_members).expect("ids serialize");
        let details =
            serde_json::json!({"new_ring": new_ring, "accounts": moved, "reason": reason});
        let entry = audit::append(&tx, ts, actor, SPLIT_RING, ring_id, &details)?;
        tx.execute(
            "INSERT INTO rings (ring_id, seq, first_detected_at, last_changed_at, active) VALUES (?1, ?2, ?3, ?3, 1)",
            (&new_ring, seq, ts),
        )?;
        for a in &moved {
            tx.execute(
                "UPDATE ring_members SET ring_id = ?1 WHERE ring_id = ?2 AND account_id = ?3",
                (&new_ring, ring_id, a),
            )?;
        }
        tx.execute(
            "UPDATE rings SET last_changed_at = ?2 WHERE ring_id = ?1",
            (ring_id, ts),
        )?;
        tx.execute(
            "INSERT INTO ring_edits (kind, ring_id, other_ring, accounts, ring_accounts, reason, actor, ts, audit_seq)
             VALUES ('split', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            (ring_id, &new_ring, &accounts_json, &ring_json, reason, actor, ts, entry.seq),
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(RingEdit {
            id,
            kind: RingEditKind::Split,
            ring_id: ring_id.into(),
            other_ring: new_ring,
            accounts: moved,
            ring_accounts: ring_members,
            reason: reason.map(String::from),
            actor: actor.into(),
            ts: ts.into(),
        })
    }

    /// Folds ring `from` into ring `into` (its members join `into`; `from` is retired).
    pub fn merge_rings(
        &mut self,
        into: &str,
        from: &str,
        reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<RingEdit> {
        if into == from {
            return Err(Error::InvalidMeta(format!(
                "{into} cannot be merged into itself"
            )));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let saved = crate::rings::saved_rings(&tx)?;
        let active = |id: &str| saved.iter().find(|r| r.ring_id == id && r.active);
        let kept = active(into)
            .ok_or_else(|| Error::InvalidMeta(format!("no ring {into:?} in this case")))?
            .members
            .clone();
        let merged = active(from)
            .ok_or_else(|| Error::InvalidMeta(format!("no ring {from:?} in this case")))?
            .members
            .clone();
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let accounts_json = serde_json::to_string(&merged).expect("ids serialize");
        let ring_json = serde_json::to_string(&kept).expect("ids serialize");
        let details =
            serde_json::json!({"merged": from, "accounts": merged.len(), "reason": reason});
        let entry = audit::append(&tx, ts, actor, MERGE_RINGS, into, &details)?;
        tx.execute(
            "UPDATE OR IGNORE ring_members SET ring_id = ?1 WHERE ring_id = ?2",
            (into, from),
        )?;
        tx.execute("DELETE FROM ring_members WHERE ring_id = ?1", [from])?;
        tx.execute(
            "UPDATE rings SET active = 0, last_changed_at = ?2 WHERE ring_id = ?1",
            (from, ts),
        )?;
        tx.execute(
            "UPDATE rings SET last_changed_at = ?2 WHERE ring_id = ?1",
            (into, ts),
        )?;
        tx.execute(
            "INSERT INTO ring_edits (kind, ring_id, other_ring, accounts, ring_accounts, reason, actor, ts, audit_seq)
             VALUES ('merge', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            (into, from, &accounts_json, &ring_json, reason, actor, ts, entry.seq),
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(RingEdit {
            id,
            kind: RingEditKind::Merge,
            ring_id: into.into(),
            other_ring: from.into(),
            accounts: merged,
            ring_accounts: kept,
            reason: reason.map(String::from),
            actor: actor.into(),
            ts: ts.into(),
        })
    }

    /// Undoes a split (the accounts go back) or a merge (the merged ring comes back with its members). An edit
    /// that a later edit in force builds on (one naming the same rings) is refused: undo the later one first.
    pub fn undo_ring_edit(&mut self, edit_id: i64, actor: &str, ts: &str) -> Result<RingEdit> {
        // Read inside the write transaction: two undos at once cannot both pass.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let edits = ring_edits(&tx)?;
        let edit = edits
            .iter()
            .find(|e| e.id == edit_id)
            .cloned()
            .ok_or_else(|| {
                Error::InvalidMeta(format!(
                    "no split or merge #{edit_id} in force in this case"
                ))
            })?;
        let names = |e: &RingEdit, id: &str| e.ring_id == id || e.other_ring == id;
        if let Some(later) = edits
            .iter()
            .find(|e| e.id > edit_id && (names(e, &edit.ring_id) || names(e, &edit.other_ring)))
        {
            return Err(Error::InvalidMeta(format!(
                "#{} ({} {} and {}) was made after #{edit_id} and builds on it: undo #{} first",
                later.id,
                match later.kind {
                    RingEditKind::Split => "a split of",
                    RingEditKind::Merge => "a merge of",
                },
                later.ring_id,
                later.other_ring,
                later.id
            )));
        }
        let (back_to, out_of) = match edit.kind {
            RingEditKind::Split => (&edit.ring_id, &edit.other_ring),
            RingEditKind::Merge => (&edit.other_ring, &edit.ring_id),
        };
        // Accounts going back that an investigator removed from the edited ring while the edit stood stay removed
        // from the ring they go back to (a removal from before the edit belongs to that ring, not this one).
        let kept_removed: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT e.account_id FROM ring_exclusions e
                 WHERE e.ring_id = ?1 AND e.removed = 1 AND e.account_id IN (SELECT value FROM json_each(?2))
                   AND e.audit_seq > (SELECT audit_seq FROM ring_edits WHERE id = ?3)
                   AND e.id = (SELECT max(id) FROM ring_exclusions x WHERE x.ring_id = e.ring_id AND x.account_id = e.account_id)
                 ORDER BY e.account_id",
            )?;
            let rows = stmt.query_map(
                (
                    out_of,
                    serde_json::to_string(&edit.accounts).expect("ids serialize"),
                    edit_id,
                ),
                |r| r.get(0),
            )?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let details = serde_json::json!({"edit": edit_id, "kind": edit.kind, "other_ring": edit.other_ring,
                                         "kept_removed": kept_removed});
        let entry = audit::append(&tx, ts, actor, UNDO_RING_EDIT, &edit.ring_id, &details)?;
        for a in &edit.accounts {
            tx.execute(
                "DELETE FROM ring_members WHERE ring_id = ?1 AND account_id = ?2",
                (out_of, a),
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO ring_members (ring_id, account_id) VALUES (?1, ?2)",
                (back_to, a),
            )?;
        }
        for account in &kept_removed {
            tx.execute(
                "INSERT INTO ring_exclusions (ring_id, account_id, removed, reason, actor, ts, audit_seq)
                 SELECT ?1, account_id, 1, reason, actor, ts, ?3 FROM ring_exclusions
                 WHERE ring_id = ?2 AND account_id = ?4 ORDER BY id DESC LIMIT 1",
                (back_to, out_of, entry.seq, account),
            )?;
        }
        // The split-off ring is retired and the merged one comes back; the other ring keeps its state.
        tx.execute(
            "UPDATE rings SET active = ?2, last_changed_at = ?3 WHERE ring_id = ?1",
            (&edit.other_ring, edit.kind == RingEditKind::Merge, ts),
        )?;
        tx.execute(
            "UPDATE rings SET last_changed_at = ?2 WHERE ring_id = ?1",
            (&edit.ring_id, ts),
        )?;
        tx.execute(
            "INSERT INTO ring_edits (kind, ring_id, other_ring, undoes, actor, ts, audit_seq)
             VALUES ('undo', ?1, ?2, ?3, ?4, ?5, ?6)",
            (
                &edit.ring_id,
                &edit.other_ring,
                edit_id,
                actor,
                ts,
                entry.seq,
            ),
        )?;
        tx.commit()?;
        Ok(edit)
    }

    /// The splits and merges in force, oldest first.
    pub fn ring_edits(&self) -> Result<Vec<RingEdit>> {
        ring_edits(&self.conn)
    }
}

/// The splits and merges in force, through any connection or transaction.
fn ring_edits(conn: &rusqlite::Connection) -> Result<Vec<RingEdit>> {
    let mut stmt = conn.prepare_cached(
            "SELECT id, kind, ring_id, other_ring, accounts, reason, actor, ts, ring_accounts FROM ring_edits e
             WHERE kind IN ('split', 'merge') AND NOT EXISTS (SELECT 1 FROM ring_edits u WHERE u.undoes = e.id)
             ORDER BY id",
        )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        let accounts: String = r.get(4)?;
        Ok(RingEdit {
            id: r.get(0)?,
            kind: if kind == "split" {
                RingEditKind::Split
            } else {
                RingEditKind::Merge
            },
            ring_id: r.get(2)?,
            other_ring: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            accounts: serde_json::from_str(&accounts).unwrap_or_default(),
            ring_accounts: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
            reason: r.get(5)?,
            actor: r.get(6)?,
            ts: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
