//! Members removed from a ring by an investigator (false positives), and restored. Kept across re-detection: the
//! detector leaves a removed account out of the ring with that id. Every change is an audit-log entry.

use crate::{Case, Error, Result};
use serde::{Deserialize, Serialize};

/// An account removed from a ring, and why.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedMember {
    pub ring_id: String,
    pub account_id: String,
    pub reason: Option<String>,
    pub actor: String,
    pub ts: String,
}

/// The audit actions that change what ring detection produces (with imports, they make the case's generation).
pub const REMOVE_MEMBER: &str = "ring.remove_member";
pub const RESTORE_MEMBER: &str = "ring.restore_member";

impl Case {
    /// Removes `account_id` from ring `ring_id` (recorded, reversible with [`Case::restore_member`]).
    pub fn remove_member(
        &mut self,
        ring_id: &str,
        account_id: &str,
        reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<RemovedMember> {
        let saved = self.saved_rings()?;
        let ring = saved
            .iter()
            .find(|r| r.ring_id == ring_id)
            .ok_or_else(|| Error::InvalidMeta(format!("no ring {ring_id:?} in this case")))?;
        if !ring.members.iter().any(|m| m == account_id) {
            return Err(Error::InvalidMeta(format!(
                "{account_id:?} is not a member of {ring_id}"
            )));
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        self.record_exclusion(ring_id, account_id, true, reason, actor, ts)?;
        Ok(RemovedMember {
            ring_id: ring_id.into(),
            account_id: account_id.into(),
            reason: reason.map(String::from),
            actor: actor.into(),
            ts: ts.into(),
        })
    }

    /// Puts a removed member back (the next detection includes it again if the evidence still binds it).
    pub fn restore_member(
        &mut self,
        ring_id: &str,
        account_id: &str,
        actor: &str,
        ts: &str,
    ) -> Result<()> {
        if !self
            .removed_members()?
            .iter()
            .any(|r| r.ring_id == ring_id && r.account_id == account_id)
        {
            return Err(Error::InvalidMeta(format!(
                "{account_id:?} was not removed from {ring_id}"
            )));
        }
        self.record_exclusion(ring_id, account_id, false, None, actor, ts)
    }

    fn record_exclusion(
        &mut self,
        ring_id: &str,
        account_id: &str,
        removed: bool,
        reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<()> {
        let action = if removed {
            REMOVE_MEMBER
        } else {
            RESTORE_MEMBER
        };
        let details = serde_json::json!({"kind": "ring", "account": account_id, "reason": reason});
        self.logged(ts, actor, action, ring_id, &details, |tx, seq| {
            tx.execute(
                "INSERT INTO ring_exclusions (ring_id, account_id, removed, reason, actor, ts, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                (ring_id, account_id, removed, reason, actor, ts, seq),
            )
        })
    }

    /// Every member currently removed from a ring (the last change for each ring and account decides).
    pub fn removed_members(&self) -> Result<Vec<RemovedMember>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.ring_id, e.account_id, e.reason, e.actor, e.ts FROM ring_exclusions e
             WHERE e.removed = 1 AND e.id = (SELECT max(id) FROM ring_exclusions x
                                             WHERE x.ring_id = e.ring_id AND x.account_id = e.account_id)
             ORDER BY e.ring_id, e.account_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RemovedMember {
                ring_id: r.get(0)?,
                account_id: r.get(1)?,
                reason: r.get(2)?,
                actor: r.get(3)?,
                ts: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
