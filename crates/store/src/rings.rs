//! Persisted ring identities: which accounts each ring id stood for when it was last detected.

use crate::Case;
use crate::audit;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A ring id and its members as last saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRing {
    pub ring_id: String,
    pub seq: i64,
    pub active: bool,
    pub members: Vec<String>,
}

/// What changed when a detection result was saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingChanges {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub retired: Vec<String>,
}

impl RingChanges {
    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.changed.is_empty() && self.retired.is_empty()
    }
}

impl Case {
    pub fn saved_rings(&self) -> Result<Vec<SavedRing>> {
        saved_rings(&self.conn)
    }

    /// Saves the current rings: `(ring_id, seq, members)` for every active ring. Rings not listed become inactive.
    /// Writes (and logs to the audit trail) only when something changed.
    /// `generation` is the case's generation the rings were detected at: if an import or an investigator's edit
    /// landed since, the rings are stale and nothing is written.
    pub fn save_rings(
        &mut self,
        current: &[(String, i64, Vec<String>)],
        now: &str,
        actor: &str,
        generation: i64,
    ) -> Result<RingChanges> {
        // Most detections change nothing: find that out as a reader, without waiting for the write lock (an import
        // may hold it for minutes).
        if !would_change(&saved_rings(&self.conn)?, current) {
            return Ok(RingChanges::default());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if crate::detection_cache::generation(&tx)? != generation {
            return Ok(RingChanges::default());
        }
        let saved: BTreeMap<String, SavedRing> = saved_rings(&tx)?
            .into_iter()
            .map(|r| (r.ring_id.clone(), r))
            .collect();
        let mut changes = RingChanges::default();
        for (ring_id, seq, members) in current {
            let mut members = members.clone();
            members.sort();
            match saved.get(ring_id) {
                Some(old) if old.active && old.members == members => continue,
                Some(_) => {
                    tx.execute(
                        "UPDATE rings SET active = 1, last_changed_at = ?2 WHERE ring_id = ?1",
                        (ring_id, now),
                    )?;
                    tx.execute("DELETE FROM ring_members WHERE ring_id = ?1", [ring_id])?;
                    changes.changed.push(ring_id.clone());
                }
                None => {
                    tx.execute(
                        "INSERT INTO rings (ring_id, seq, first_detected_at, last_changed_at, active) VALUES (?1, ?2, ?3, ?3, 1)",
                        (ring_id, seq, now),
                    )?;
                    changes.created.push(ring_id.clone());
                }
            }
            let mut insert = tx
                .prepare_cached("INSERT INTO ring_members (ring_id, account_id) VALUES (?1, ?2)")?;
            for m in &members {
                insert.execute((ring_id, m))?;
            }
        }
        let listed: std::collections::HashSet<&str> =
            current.iter().map(|(id, _, _)| id.as_str()).collect();
        for old in saved
            .values()
            .filter(|r| r.active && !listed.contains(r.ring_id.as_str()))
        {
            tx.execute(
                "UPDATE rings SET active = 0, last_changed_at = ?2 WHERE ring_id = ?1",
                (&old.ring_id, now),
            )?;
            changes.retired.push(old.ring_id.clone());
        }
        if !changes.is_empty() {
            let details = serde_json::to_value(&changes).expect("changes serialize");
            audit::append(&tx, now, actor, "rings.update", "rings", &details)?;
            tx.commit()?;
        }
        Ok(changes)
    }
}

/// Whether saving `current` would change the saved rings.
fn would_change(saved: &[SavedRing], current: &[(String, i64, Vec<String>)]) -> bool {
    let by_id: BTreeMap<&str, &SavedRing> = saved.iter().map(|r| (r.ring_id.as_str(), r)).collect();
    let listed: std::collections::HashSet<&str> =
        current.iter().map(|(id, _, _)| id.as_str()).collect();
    current.iter().any(|(id, _, members)| {
        let mut members = members.clone();
        members.sort();
        by_id
            .get(id.as_str())
            .is_none_or(|old| !old.active || old.members != members)
    }) || saved
        .iter()
        .any(|r| r.active && !listed.contains(r.ring_id.as_str()))
}

/// Every ring ever saved, with its current members (read through any connection or transaction).
pub(crate) fn saved_rings(conn: &rusqlite::Connection) -> Result<Vec<SavedRing>> {
    let mut stmt = conn.prepare(
        "SELECT r.ring_id, r.seq, r.active, m.account_id FROM rings r
             LEFT JOIN ring_members m ON m.ring_id = r.ring_id ORDER BY r.seq, m.account_id",
    )?;
    let mut rings: BTreeMap<i64, SavedRing> = BTreeMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    for row in rows {
        let (ring_id, seq, active, member) = row?;
        let ring = rings.entry(seq).or_insert_with(|| SavedRing {
            ring_id,
            seq,
            active,
            members: vec![],
        });
        ring.members.extend(member);
    }
    Ok(rings.into_values().collect())
}
