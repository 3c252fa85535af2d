//! The desk's index (`desk.sqlite`): a cache of per-case facts keyed by each case file's size and mtime, and the
//! watchlist of identifiers from confirmed rings. The desk crate decides what goes in (facts, KPIs, which
//! identifiers to watch); this module is the only one that knows the index's tables.

mod schema;

pub use schema::{APPLICATION_ID as DESK_APPLICATION_ID, SCHEMA_VERSION as DESK_SCHEMA_VERSION};

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// An open desk index.
pub struct DeskIndex {
    conn: Connection,
}

/// One case as the index keeps it.
#[derive(Debug, Clone, Copy)]
pub struct IndexedCase<'a> {
    /// The case file, relative to the desk folder.
    pub file: &'a str,
    pub case_uid: &'a str,
    /// The file's size and mtime when its facts were read.
    pub stamp: &'a str,
    /// The facts read from the case, as JSON (the desk's `CaseFacts`).
    pub facts_json: &'a str,
}

/// One watched identifier and where it came from.
#[cfg_attr(feature = "ts", derive(specta::Type))]
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
    /// `desk` (a confirmed ring of this desk, rewritten when the case is re-read) or `import` (from a shared
    /// watchlist, kept).
    #[serde(default = "imported")]
    pub origin: String,
}

fn imported() -> String {
    "import".into()
}

const WATCH_COLUMNS: &str = "kind, value, case_uid, case_file, case_title, reference, ring_id, account_id, decided_at, decided_by, origin";

fn watch_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<WatchEntry> {
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

impl DeskIndex {
    /// Creates the index file at `path` with a new desk id.
    pub fn create(path: &Path, now: &str) -> Result<DeskIndex> {
        let mut conn = Connection::open(path)?;
        schema::migrate(&mut conn, true)?;
        conn.execute(
            "INSERT INTO desk_info (id, desk_uid, created_at) VALUES (1, ?1, ?2)",
            (uuid::Uuid::new_v4().to_string(), now),
        )?;
        drop(conn);
        DeskIndex::open(path)
    }

    /// Opens (and migrates) the index at `path`; a file that is not a desk index is [`Error::NotADeskIndex`].
    pub fn open(path: &Path) -> Result<DeskIndex> {
        let not_an_index = || Error::NotADeskIndex {
            path: path.to_owned(),
        };
        let mut conn = Connection::open(path)?;
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|_| not_an_index())?;
        if app_id != schema::APPLICATION_ID {
            return Err(not_an_index());
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrate(&mut conn, false)?;
        Ok(DeskIndex { conn })
    }

    /// Another indexed file holding the case `case_uid`, if any.
    pub fn file_of_uid(&self, case_uid: &str, other_than: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT file FROM cases WHERE case_uid = ?1 AND file != ?2",
                (case_uid, other_than),
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Stores a case's facts and replaces the watch entries it contributed (origin `desk`) by `watched`, in one
    /// transaction.
    pub fn put_case(&mut self, case: &IndexedCase<'_>, watched: &[WatchEntry]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO cases (file, case_uid, stamp, facts) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (file) DO UPDATE SET case_uid = excluded.case_uid, stamp = excluded.stamp, facts = excluded.facts",
            (case.file, case.case_uid, case.stamp, case.facts_json),
        )?;
        tx.execute(
            "DELETE FROM watchlist WHERE origin = 'desk' AND (case_file = ?1 OR case_uid = ?2)",
            (case.file, case.case_uid),
        )?;
        insert_watched(&tx, watched)?;
        tx.commit()?;
        Ok(())
    }

    /// Every indexed file with its stamp, by file name.
    pub fn stamps(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT file, stamp FROM cases ORDER BY file")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Drops a case whose file is gone, with the watch entries it contributed.
    pub fn forget_case(&self, file: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM cases WHERE file = ?1", [file])?;
        self.conn.execute(
            "DELETE FROM watchlist WHERE case_file = ?1 AND origin = 'desk'",
            [file],
        )?;
        Ok(())
    }

    /// Every indexed case as (file, facts JSON), by file name.
    pub fn cases(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT file, facts FROM cases ORDER BY file")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether `file` is indexed.
    pub fn contains(&self, file: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM cases WHERE file = ?1", [file], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The whole watchlist, by kind, value, case, ring and account.
    pub fn watchlist(&self) -> Result<Vec<WatchEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {WATCH_COLUMNS} FROM watchlist ORDER BY kind, value, case_uid, ring_id, account_id"
        ))?;
        let rows = stmt.query_map([], watch_entry)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds the entries the watchlist does not have yet; returns how many were new.
    pub fn add_watched(&mut self, entries: &[WatchEntry]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let added = insert_watched(&tx, entries)?;
        tx.commit()?;
        Ok(added)
    }
}

/// Inserts the entries not already watched (same kind, value, case, ring and account); returns how many.
fn insert_watched(tx: &rusqlite::Transaction<'_>, entries: &[WatchEntry]) -> Result<usize> {
    let mut insert = tx.prepare(&format!(
        "INSERT OR IGNORE INTO watchlist ({WATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?;
    let mut added = 0;
    for e in entries {
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
    Ok(added)
}
