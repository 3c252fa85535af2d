//! Accounts of this case flagged for using an identifier watched from an earlier case of its desk. The desk
//! logs each flag once (`watchlist.flag`, with the earlier case, ring and decision); ring detection reads them
//! back as a reason, so a flag is part of what detection reads (the case's generation).

use crate::{Case, Result, audit};
use serde::{Deserialize, Serialize};

pub const WATCHLIST_FLAG: &str = "watchlist.flag";
/// A flag withdrawn: the earlier case's decision no longer stands (the identifier left the desk's watchlist).
pub const WATCHLIST_UNFLAG: &str = "watchlist.unflag";

/// One account's use of a watched identifier, and where the identifier was confirmed.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchFlag {
    pub account_id: String,
    pub kind: String,
    pub value: String,
    pub case_uid: String,
    pub case_title: Option<String>,
    pub ring_id: String,
}

impl Case {
    /// Logs new flags and withdrawn ones (`(account, details)`: the earlier case, ring, decision, identifier
    /// kind and value) in one transaction.
    pub fn record_watch_flags(
        &mut self,
        flags: &[(String, serde_json::Value)],
        withdrawn: &[(String, serde_json::Value)],
        actor: &str,
        ts: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (account, details) in flags {
            audit::append(&tx, ts, actor, WATCHLIST_FLAG, account, details)?;
        }
        for (account, details) in withdrawn {
            audit::append(&tx, ts, actor, WATCHLIST_UNFLAG, account, details)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The flags in force, oldest first, each (account, value, earlier case, ring) once: logged and not withdrawn
    /// since (`watchlist.unflag`, when the earlier decision no longer stands).
    pub fn watch_flags(&self) -> Result<Vec<WatchFlag>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT action, item, details FROM audit_log WHERE action IN (?1, ?2) ORDER BY seq",
        )?;
        let rows = stmt.query_map([WATCHLIST_FLAG, WATCHLIST_UNFLAG], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        // Keyed by (account, value, earlier case, ring): a withdrawal removes the flag; a flag logged again
        // takes its place in time.
        let mut in_force: std::collections::HashMap<
            (String, String, String, String),
            (usize, WatchFlag),
        > = std::collections::HashMap::new();
        for (order, row) in rows.enumerate() {
            let (action, account_id, details) = row?;
            let d: serde_json::Value = serde_json::from_str(&details).unwrap_or_default();
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            let flag = WatchFlag {
                account_id,
                kind: text("kind"),
                value: text("value"),
                case_uid: text("case_uid"),
                case_title: d["case_title"].as_str().map(String::from),
                ring_id: text("ring_id"),
            };
            let key = (
                flag.account_id.clone(),
                flag.value.clone(),
                flag.case_uid.clone(),
                flag.ring_id.clone(),
            );
            if action == WATCHLIST_FLAG {
                in_force.entry(key).or_insert((order, flag));
            } else {
                in_force.remove(&key);
            }
        }
        let mut out: Vec<(usize, WatchFlag)> = in_force.into_values().collect();
        out.sort_by_key(|(order, _)| *order);
        let out = out.into_iter().map(|(_, f)| f).collect();
        Ok(out)
    }
}
