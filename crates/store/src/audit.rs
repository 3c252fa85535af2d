//! The case's audit log: every action, hash-chained so an edited or removed entry shows.
//!
//! `hash = sha256(canonical JSON of [seq, ts, actor, action, item, details, prev_hash])`, hex; the first entry's
//! `prev_hash` is [`GENESIS_HASH`]. Evidence packets copy these entries into their custody log.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub ts: String,
    pub actor: String,
    pub action: String,
    pub item: String,
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    pub fn expected_hash(&self) -> String {
        entry_hash(
            self.seq,
            &self.ts,
            &self.actor,
            &self.action,
            &self.item,
            &self.details,
            &self.prev_hash,
        )
    }
}

fn entry_hash(
    seq: i64,
    ts: &str,
    actor: &str,
    action: &str,
    item: &str,
    details: &serde_json::Value,
    prev: &str,
) -> String {
    let canonical = serde_json::json!([seq, ts, actor, action, item, details, prev]).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

pub(crate) fn append(
    conn: &Connection,
    ts: &str,
    actor: &str,
    action: &str,
    item: &str,
    details: &serde_json::Value,
) -> Result<AuditEntry> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    let hash = entry_hash(seq, ts, actor, action, item, details, &prev_hash);
    conn.execute(
        "INSERT INTO audit_log (seq, ts, actor, action, item, details, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        (seq, ts, actor, action, item, details.to_string(), &prev_hash, &hash),
    )?;
    Ok(AuditEntry {
        seq,
        ts: ts.into(),
        actor: actor.into(),
        action: action.into(),
        item: item.into(),
        details: details.clone(),
        prev_hash,
        hash,
    })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, ts, actor, action, item, details, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        let details: String = r.get(5)?;
        Ok(AuditEntry {
            seq: r.get(0)?,
            ts: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            item: r.get(4)?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::String(details)),
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn verify(entries: &[AuditEntry]) -> Result<()> {
    let mut prev = GENESIS_HASH.to_string();
    for (i, e) in entries.iter().enumerate() {
        let broken = |why: String| Err(Error::BrokenAuditChain { seq: e.seq, why });
        if e.seq != i as i64 + 1 {
            return broken(format!("expected sequence number {}", i + 1));
        }
        if e.prev_hash != prev {
            return broken("prev_hash does not match the previous entry".into());
        }
        if e.hash != e.expected_hash() {
            return broken("hash does not match the entry's content".into());
        }
        prev = e.hash.clone();
    }
    Ok(())
}
