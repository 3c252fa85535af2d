//! The Ringscope case file: one SQLite database per case.
//!
//! A case holds its metadata, every imported source file (name, SHA-256, size, mapping, row counts, who and when),
//! the normalized records with their provenance (source id + line, plus the original row as JSON), later sightings
//! and conflicting values of the same record, rejected rows, and a hash-chained audit log of every action.
//! Writes happen only through [`ImportTx`], one SQLite transaction, so a file is imported whole or not at all.

mod accounts;
mod audit;
mod decisions;
mod desk_index;
mod detection_cache;
mod error;
mod event_rows;
mod import_tx;
mod linking;
mod observations;
mod originals;
mod records;
mod ring_edits;
mod ring_exclusions;
mod rings;
mod schema;
mod source_rows;
mod tickets;
mod watch_flags;
mod workflow;

pub use accounts::{
    AccountDetail, AccountHit, AccountSearch, IdentifierHit, MemberFacts, PaymentLine,
    TimelineEvent, UsedIdentifier,
};
pub use audit::{AuditEntry, GENESIS_HASH};
pub use decisions::{Decision, DecisionState, ItemKind, Note};
pub use desk_index::{
    DESK_APPLICATION_ID, DESK_SCHEMA_VERSION, DeskIndex, IndexedCase, WatchEntry,
};
pub use error::{Error, Result};
pub use import_tx::{FieldConflict, ImportTx, NewSource, RowCounts, Upsert};
pub use linking::{GraphSizeHint, SourceRow, SourceRows};
pub use observations::{Observation, PaymentStanding, TextIds};
pub use originals::{CHUNK_SIZE, Chunk, ChunkCompressor, RowOrigin};
pub use records::{ColumnValues, RecordColumns, StoredRecord};
pub use ring_edits::{MERGE_RINGS, RingEdit, RingEditKind, SPLIT_RING, UNDO_RING_EDIT};
pub use ring_exclusions::{REMOVE_MEMBER, RESTORE_MEMBER, RemovedMember};
pub use rings::{RingChanges, SavedRing};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use source_rows::{OriginalRow, RowFate};
pub use tickets::{AccountTicket, TICKETS_IMPORT, Ticket, TicketImport};
pub use watch_flags::{WATCHLIST_FLAG, WATCHLIST_UNFLAG, WatchFlag};
pub use workflow::{CaseStatus, CaseTyping, ChecklistItem, ChecklistStep, StepMark, Workflow};

use ringscope_model::RecordKind;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// An open case file.
pub struct Case {
    conn: Connection,
    path: PathBuf,
}

/// What an investigator says about a case when creating it.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub title: String,
    pub reference: Option<String>,
    pub investigator: Option<String>,
    /// Region for phone numbers written without a country code (ISO 3166 alpha-2).
    pub phone_region: String,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMeta {
    pub case_uid: String,
    pub title: String,
    pub reference: Option<String>,
    pub investigator: Option<String>,
    pub phone_region: String,
    pub created_at: String,
}

/// One imported file, as recorded in the case.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub kind: RecordKind,
    pub detected_as: String,
    pub mapping: serde_json::Value,
    pub rows: RowCounts,
    pub imported_by: String,
    pub imported_at: String,
}

/// How many records of each kind, and of the bookkeeping tables, the case holds.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCounts {
    pub accounts: i64,
    pub payments: i64,
    pub events: i64,
    pub sources: i64,
    pub sightings: i64,
    pub conflicts: i64,
    pub rejects: i64,
    pub audit_entries: i64,
}

/// A rejected row kept in the case (only with `--allow-rejects`): one per problem found in the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReject {
    pub source_id: i64,
    pub line: i64,
    pub column: Option<i64>,
    pub field: Option<String>,
    pub reason: String,
    /// The row's text exactly as the file has it (line end excluded); `None` for rows rejected by a
    /// Ringscope that did not keep it (schema v3 and older).
    pub row_text: Option<String>,
}

/// A conflicting value kept in the case: the first value stays, the later one is recorded here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConflict {
    pub kind: String,
    pub record_key: String,
    pub field: String,
    pub kept_value: Option<String>,
    pub new_value: Option<String>,
    pub kept_source_id: i64,
    pub kept_line: i64,
    pub source_id: i64,
    pub line: i64,
}

/// One imported file against the bytes the case keeps of it ([`Case::verify_originals`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalCheck {
    pub source_id: i64,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    #[serde(flatten)]
    pub state: OriginalState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "why")]
pub enum OriginalState {
    /// The kept bytes hash to the SHA-256 recorded at import.
    Matches,
    /// They do not: the case was altered after the import.
    Differs,
    /// They no longer read back (a damaged chunk).
    Unreadable(String),
    /// Imported before the case kept files' bytes (schema v11); its records keep their rows as JSON.
    NotKept,
}

/// Where a record came from: its first row, and every later row that repeated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source_id: i64,
    pub file_name: String,
    pub line: i64,
    pub raw: serde_json::Value,
    pub sightings: Vec<(String, i64)>,
}

/// The page size of a new case file, in bytes (SQLite's default is 4096). Measured on the bench's 1M-account
/// import, runs alternated: 16 KiB pages 93.7–106.1 s against 110.6–114.9 s for 4 KiB (a quarter as many pages
/// written to the WAL and copied back, fewer B-tree splits, a third less system time), a 1% re-import 4.4–4.6 s
/// against 5.8–6.2 s, detection unchanged, the file the same size. 32 and 64 KiB pages made the file 13–14%
/// larger. A case created with another page size keeps it.
pub const CASE_PAGE_SIZE: i64 = 16 * 1024;

impl Case {
    /// Creates a new case file; refuses to touch an existing file. A creation that fails (a full disk, a
    /// read-only folder) removes what it wrote, so it does not block the next attempt.
    pub fn create(path: &Path, new: &NewCase, now: &str) -> Result<Case> {
        if new.title.trim().is_empty() {
            return Err(Error::InvalidMeta("title must not be empty".into()));
        }
        let region = new.phone_region.trim().to_ascii_uppercase();
        ringscope_model::NormalizeOptions::with_region(&region)
            .map_err(|e| Error::InvalidMeta(e.to_string()))?;
        // `create_new` refuses an existing file atomically, so the file removed on failure is always our own.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
                    path: path.to_owned(),
                },
                _ => Error::Create {
                    path: path.to_owned(),
                    error,
                },
            })?;
        Case::initialize(path, new, &region, now).inspect_err(|_| {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut file = path.as_os_str().to_owned();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        })
    }

    fn initialize(path: &Path, new: &NewCase, region: &str, now: &str) -> Result<Case> {
        let mut case = Case::connect(path, OpenFlags::SQLITE_OPEN_CREATE)?;
        let tx = case.conn.transaction()?;
        tx.execute(
            "INSERT INTO case_info (id, case_uid, title, reference, investigator, phone_region, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            (uuid::Uuid::new_v4().to_string(), new.title.trim(), &new.reference, &new.investigator, region, now),
        )?;
        let actor = new.investigator.as_deref().unwrap_or("unknown");
        audit::append(
            &tx,
            now,
            actor,
            "case.create",
            new.title.trim(),
            &serde_json::json!({ "reference": new.reference }),
        )?;
        tx.commit()?;
        Ok(case)
    }

    /// Opens an existing case file, running any pending migrations.
    pub fn open(path: &Path) -> Result<Case> {
        if !path.is_file() {
            return Err(Error::NotFound {
                path: path.to_owned(),
            });
        }
        Case::connect(path, OpenFlags::empty())
    }

    fn connect(path: &Path, extra: OpenFlags) -> Result<Case> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let not_a_case = || Error::NotACase {
            path: path.to_owned(),
        };
        let mut conn = Connection::open_with_flags(path, flags)?;
        // Any read fails with NOTADB on a file that is not SQLite at all.
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|_| not_a_case())?;
        let fresh = extra.contains(OpenFlags::SQLITE_OPEN_CREATE);
        if !fresh && app_id != APPLICATION_ID {
            return Err(not_a_case());
        }
        if fresh {
            // Before anything is written: a database's page size is fixed once it has pages (in WAL mode).
            conn.pragma_update(None, "page_size", CASE_PAGE_SIZE)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // With WAL, NORMAL never corrupts the database; a power cut may lose the last commit, a killed process cannot.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        schema::migrate(&mut conn, path)?;
        Ok(Case {
            conn,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for tests that inspect or tamper with the file as another program would. Nothing else
    /// outside this crate sees it: the store is the only owner of the schema.
    #[cfg(feature = "test-support")]
    pub fn connection_for_tests(&self) -> &Connection {
        &self.conn
    }

    /// SQLite's own consistency check of the file: `"ok"`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Folds the write-ahead log into the database file and leaves WAL mode, so the one file is the whole case
    /// (for copying a case file around); the next open turns WAL back on.
    pub fn fold_wal_into_file(&self) -> Result<()> {
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn meta(&self) -> Result<CaseMeta> {
        Ok(self.conn.query_row(
            "SELECT case_uid, title, reference, investigator, phone_region, created_at FROM case_info WHERE id = 1",
            [],
            |r| {
                Ok(CaseMeta {
                    case_uid: r.get(0)?,
                    title: r.get(1)?,
                    reference: r.get(2)?,
                    investigator: r.get(3)?,
                    phone_region: r.get(4)?,
                    created_at: r.get(5)?,
                })
            },
        )?)
    }

    pub fn counts(&self) -> Result<CaseCounts> {
        let count = |table: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(CaseCounts {
            accounts: count("accounts")?,
            payments: count("payments")?,
            events: count(event_rows::EVENT_ROWS)?,
            sources: count("sources")?,
            sightings: count("sightings")?,
            conflicts: count("conflicts")?,
            rejects: count("rejects")?,
            audit_entries: count("audit_log")?,
        })
    }

    pub fn sources(&self) -> Result<Vec<SourceFile>> {
        let mut stmt = self.conn.prepare(&format!("{SOURCE_SELECT} ORDER BY id"))?;
        let rows = stmt.query_map([], source_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn source_by_sha256(&self, sha256: &str) -> Result<Option<SourceFile>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SOURCE_SELECT} WHERE sha256 = ?1"),
                [sha256],
                source_from_row,
            )
            .optional()?)
    }

    /// The mapping saved for a header (see the ingest crate's header signature), if any.
    pub fn saved_mapping(&self, header_signature: &str) -> Result<Option<(RecordKind, String)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT kind, mapping FROM mappings WHERE header_signature = ?1",
                [header_signature],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(kind, mapping)| RecordKind::parse(&kind).map(|k| (k, mapping))))
    }

    pub fn rejects(&self, source_id: Option<i64>) -> Result<Vec<StoredReject>> {
        let mut stmt = self.conn.prepare(
            "SELECT source_id, line, col, field, reason, row_text FROM rejects WHERE ?1 IS NULL OR source_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([source_id], |r| {
            Ok(StoredReject {
                source_id: r.get(0)?,
                line: r.get(1)?,
                column: r.get(2)?,
                field: r.get(3)?,
                reason: r.get(4)?,
                row_text: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn conflicts(&self) -> Result<Vec<StoredConflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, record_key, field, kept_value, new_value, kept_source_id, kept_line, source_id, line
             FROM conflicts ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredConflict {
                kind: r.get(0)?,
                record_key: r.get(1)?,
                field: r.get(2)?,
                kept_value: r.get(3)?,
                new_value: r.get(4)?,
                kept_source_id: r.get(5)?,
                kept_line: r.get(6)?,
                source_id: r.get(7)?,
                line: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Where an account or payment came from. Events are addressed by their row id as text.
    pub fn provenance(&self, kind: RecordKind, key: &str) -> Result<Option<Provenance>> {
        let key_col = kind.key_field().unwrap_or("id");
        let sql = format!(
            "SELECT r.source_id, s.file_name, r.line, r.raw, r.row_start, r.row_len FROM {} r JOIN sources s ON s.id = r.source_id WHERE r.{key_col} = ?1",
            kind.table()
        );
        let first = self
            .conn
            .query_row(&sql, [key], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            })
            .optional()?;
        let Some((source_id, file_name, line, raw, start, len)) = first else {
            return Ok(None);
        };
        let raw = originals::OriginalRows::new(&self.conn).json(source_id, raw, start, len)?;
        let mut stmt = self.conn.prepare(
            "SELECT s.file_name, g.line FROM sightings g JOIN sources s ON s.id = g.source_id
             WHERE g.kind = ?1 AND g.record_key = ?2 ORDER BY g.rowid",
        )?;
        let sightings = stmt
            .query_map((kind.as_str(), key), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let raw = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
        Ok(Some(Provenance {
            source_id,
            file_name,
            line,
            raw,
            sightings,
        }))
    }

    /// Starts the one transaction an import writes through.
    pub fn begin_import(&mut self) -> Result<ImportTx<'_>> {
        ImportTx::begin(&mut self.conn)
    }

    /// Appends an investigator's action (an export, a decision, a note) to the audit log.
    pub fn record_action(
        &mut self,
        ts: &str,
        actor: &str,
        action: &str,
        item: &str,
        details: &serde_json::Value,
    ) -> Result<AuditEntry> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let entry = audit::append(&tx, ts, actor, action, item, details)?;
        tx.commit()?;
        Ok(entry)
    }

    pub fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        audit::all(&self.conn)
    }

    /// Each imported file rebuilt from the bytes the case keeps, checked against the SHA-256 recorded when it was
    /// imported. Files imported before the case kept bytes (schema v11) say so.
    pub fn verify_originals(&self) -> Result<Vec<OriginalCheck>> {
        let sources: Vec<(i64, String, String, i64, bool)> = self
            .conn
            .prepare("SELECT id, file_name, sha256, size, bytes_kept FROM sources ORDER BY id")?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let originals = originals::OriginalRows::new(&self.conn);
        let mut out = vec![];
        for (source_id, file_name, sha256, size, bytes_kept) in sources {
            let state = match originals.file_digest(source_id)? {
                None if bytes_kept => {
                    OriginalState::Unreadable("its bytes are missing from the case".into())
                }
                None => OriginalState::NotKept,
                Some(Err(why)) => OriginalState::Unreadable(why),
                Some(Ok((digest, n))) if digest == sha256 && n == size => OriginalState::Matches,
                Some(Ok(_)) => OriginalState::Differs,
            };
            out.push(OriginalCheck {
                source_id,
                file_name,
                sha256,
                size,
                state,
            });
        }
        Ok(out)
    }

    /// Recomputes the audit log's hash chain; an edited, removed or reordered entry is an error.
    pub fn verify_audit_log(&self) -> Result<()> {
        audit::verify(&self.audit_log()?)
    }
}

pub(crate) const SOURCE_SELECT: &str =
    "SELECT id, file_name, sha256, size, kind, detected_as, mapping, rows_read, rows_imported,
    rows_rejected, rows_duplicate, rows_conflicting, imported_by, imported_at FROM sources";

pub(crate) fn source_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceFile> {
    let mapping: String = r.get(6)?;
    let kind: String = r.get(4)?;
    let kind = RecordKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Text,
            format!("unknown record kind {kind:?}").into(),
        )
    })?;
    Ok(SourceFile {
        id: r.get(0)?,
        file_name: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get(3)?,
        kind,
        detected_as: r.get(5)?,
        mapping: serde_json::from_str(&mapping).unwrap_or(serde_json::Value::String(mapping)),
        rows: RowCounts {
            read: r.get(7)?,
            imported: r.get(8)?,
            rejected: r.get(9)?,
            duplicate: r.get(10)?,
            conflicting: r.get(11)?,
        },
        imported_by: r.get(12)?,
        imported_at: r.get(13)?,
    })
}

#[cfg(test)]
mod tests;
