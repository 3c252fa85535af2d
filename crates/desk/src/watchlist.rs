//! Memory across cases: identifiers (devices, cards, emails, phones) of accounts in confirmed rings, with the case,
//! ring and decision they came from; checked against the accounts of another case. Exported and imported as CSV so
//! teams can share it.

use crate::facts::CaseFacts;
use crate::{Desk, Error, Result};
use ringscope_store::Case;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One watched identifier and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchEntry {
    pub kind: String,
    pub value: String,
    pub case_uid: String,
    pub case_file: Option<String>,
    pub case_title: Option<String>,
    pub reference: Option<String>,
    pub ring_id: String,
    pub account_id: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    /// `desk` (a confirmed ring of this desk) or `import` (from a shared watchlist).
    #[serde(default = "imported")]
    pub origin: String,
}

fn imported() -> String {
    "import".into()
}

/// An account of the checked case that uses a watched identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub account_id: String,
    pub kind: String,
    pub value: String,
    pub earlier: WatchEntry,
}

pub(crate) fn replace_from_case(
    tx: &rusqlite::Transaction<'_>,
    file: &str,
    f: &CaseFacts,
) -> Result<()> {
    tx.execute(
        "DELETE FROM watchlist WHERE origin = 'desk' AND (case_file = ?1 OR case_uid = ?2)",
        (file, &f.case_uid),
    )?;
    let mut insert = tx.prepare(
        "INSERT OR IGNORE INTO watchlist (kind, value, case_uid, case_file, case_title, reference, ring_id, account_id,
         decided_at, decided_by, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'desk')",
    )?;
    for ring in &f.confirmed {
        for (account, kind, value) in &ring.identifiers {
            insert.execute(rusqlite::params![
                kind,
                value,
                f.case_uid,
                file,
                f.title,
                f.reference,
                ring.ring_id,
                account,
                ring.decided_at,
                ring.decided_by
            ])?;
        }
    }
    Ok(())
}

const COLUMNS: &str = "kind, value, case_uid, case_file, case_title, reference, ring_id, account_id, decided_at, decided_by, origin";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<WatchEntry> {
    Ok(WatchEntry {
        kind: r.get(0)?,
        value: r.get(1)?,
        case_uid: r.get(2)?,
        case_file: r.get(3)?,
        case_title: r.get(4)?,
        reference: r.get(5)?,
        ring_id: r.get(6)?,
        account_id: r.get(7)?,
        decided_at: r.get(8)?,
        decided_by: r.get(9)?,
        origin: r.get(10)?,
    })
}

impl Desk {
    pub fn watchlist(&self) -> Result<Vec<WatchEntry>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM watchlist ORDER BY kind, value, case_uid, ring_id, account_id"
        ))?;
        let rows = stmt.query_map([], entry)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes the watchlist as CSV.
    pub fn export_watchlist(&self, out: &Path) -> Result<usize> {
        let entries = self.watchlist()?;
        let mut w = csv::Writer::from_path(out)?;
        for e in &entries {
            w.serialize(e)?;
        }
        w.flush().map_err(|error| Error::Io {
            path: out.to_owned(),
            error,
        })?;
        Ok(entries.len())
    }

    /// Adds the entries of a watchlist CSV (as exported by any desk) that this one does not have. Returns how many
    /// were new.
    pub fn import_watchlist(&mut self, file: &Path) -> Result<usize> {
        let mut r = csv::Reader::from_path(file)?;
        let mut entries = vec![];
        for (i, row) in r.deserialize::<WatchEntry>().enumerate() {
            let mut e = row?;
            if ringscope_graph::IdKind::parse(&e.kind).is_none() || e.value.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "{} line {}: kind must be device, card, email, phone or ip, with a value",
                    file.display(),
                    i + 2
                )));
            }
            e.origin = "import".into();
            entries.push(e);
        }
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare(&format!(
                "INSERT OR IGNORE INTO watchlist ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))?;
            for e in &entries {
                added += insert.execute(rusqlite::params![
                    e.kind,
                    e.value,
                    e.case_uid,
                    e.case_file,
                    e.case_title,
                    e.reference,
                    e.ring_id,
                    e.account_id,
                    e.decided_at,
                    e.decided_by,
                    e.origin
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// The accounts of `case` that use a watched identifier from another case.
    pub fn check(&self, case: &Path) -> Result<Vec<Flag>> {
        let case = Case::open(case)?;
        let uid = case.meta()?.case_uid;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM watchlist WHERE kind = ?1 AND value = ?2 AND case_uid != ?3
             ORDER BY decided_at, case_uid, ring_id, account_id"
        ))?;
        let mut flags = vec![];
        for (account, kind, value) in case.linkable_identifiers(None)? {
            let rows = stmt.query_map((&kind, &value, &uid), entry)?;
            for earlier in rows {
                flags.push(Flag {
                    account_id: account.clone(),
                    kind: kind.clone(),
                    value: value.clone(),
                    earlier: earlier?,
                });
            }
        }
        Ok(flags)
    }
}
