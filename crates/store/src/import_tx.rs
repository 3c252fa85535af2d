//! The write side of an import: one SQLite transaction per imported file.

use crate::audit::{self, AuditEntry};
use crate::error::Result;
use crate::event_rows::{self, Interner, LoadedKeys};
use crate::originals::{Chunk, RowOrigin};
use ringscope_model::{RecordKind, Value};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Row counts of one imported file. `read = imported + rejected + duplicate`; `conflicting` counts the
/// duplicates that disagreed with the first value on some field.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCounts {
    pub read: i64,
    pub imported: i64,
    pub rejected: i64,
    pub duplicate: i64,
    pub conflicting: i64,
}

pub struct NewSource<'a> {
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub kind: RecordKind,
    pub detected_as: &'a str,
    pub mapping_json: &'a str,
    pub header_json: &'a str,
    pub imported_by: &'a str,
    pub imported_at: &'a str,
}

/// A later row disagreeing with the value the case already holds.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    pub kept: String,
    pub new: String,
    pub kept_source_id: i64,
    pub kept_line: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upsert {
    Inserted,
    /// The record was already there; `filled` names fields it had empty that this row supplied.
    Duplicate {
        filled: Vec<String>,
        conflicts: Vec<FieldConflict>,
    },
}

pub struct ImportTx<'c> {
    tx: Transaction<'c>,
    /// Statements per kind, indexed by `RecordKind as usize`, built once rather than per row.
    sql: [KindSql; 3],
    /// Secondary indexes dropped for a load into an empty table, recreated (sorted, in one pass) before commit.
    deferred_indexes: std::cell::RefCell<Vec<String>>,
    /// Event texts stored once (schema v12).
    interner: std::cell::RefCell<Interner>,
    /// Set while events load into an empty case with their key index deferred: the keys written so far.
    loaded_keys: std::cell::RefCell<Option<LoadedKeys>>,
    /// The event insert for that load (no conflict clause: the key's unique index is not there yet).
    event_load_insert: String,
}

struct KindSql {
    columns: Vec<String>,
    key_index: Option<usize>,
    insert: String,
    select: String,
}

impl KindSql {
    fn new(kind: RecordKind) -> Self {
        let columns: Vec<String> = kind.stored_columns().into_iter().map(|(n, _)| n).collect();
        let key_index = kind.key_field().map(|k| {
            columns
                .iter()
                .position(|c| c == k)
                .expect("key is a stored column")
        });
        let mut insert_columns = columns.clone();
        insert_columns
            .extend(["source_id", "line", "raw", "row_start", "row_len"].map(String::from));
        let conflict_target = kind.key_field().unwrap_or("event_key");
        if kind.key_field().is_none() {
            insert_columns.push("event_key".into());
        }
        let placeholders: Vec<String> = (1..=insert_columns.len())
            .map(|i| format!("?{i}"))
            .collect();
        let table = kind.table();
        KindSql {
            insert: if kind == RecordKind::Events {
                event_rows::insert_sql(true)
            } else {
                format!(
                    "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT({conflict_target}) DO NOTHING",
                    insert_columns.join(", "),
                    placeholders.join(", ")
                )
            },
            select: format!(
                "SELECT {}, source_id, line FROM {table} WHERE {conflict_target} = ?1",
                columns.join(", ")
            ),
            columns,
            key_index,
        }
    }
}

/// The page cache of an importing connection, in KiB. Measured on the 1M-account import once records stopped
/// carrying their rows as JSON: 1 GiB 87 s and 3.5 GB peak, 256 MiB 88 s and 2.75 GB, 64 MiB 98 s and 2.55 GB.
const IMPORT_CACHE_KIB: i64 = 1 << 18;

impl<'c> ImportTx<'c> {
    pub(crate) fn begin(conn: &'c mut Connection) -> Result<Self> {
        // With SQLite's default page cache (2 MB) a bulk insert spills dirty pages to the WAL mid-transaction and
        // reads them back: the import profile was 80% page-cache misses. The cache grows only as pages are
        // used, and goes with the connection; reads (graph build, frames) keep the default and the OS's cache.
        conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        // The deferred index builds at commit sort millions of keys; SQLite's sorter can use a helper thread (the
        // second core is free by then: the file's compression has finished).
        conn.pragma_update(None, "threads", 2)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(ImportTx {
            tx,
            sql: RecordKind::ALL.map(KindSql::new),
            deferred_indexes: Default::default(),
            interner: Default::default(),
            loaded_keys: Default::default(),
            event_load_insert: event_rows::insert_sql(false),
        })
    }

    /// Loading into an empty table, the non-unique indexes are dropped and rebuilt once at the end: SQLite builds
    /// an index from sorted keys far faster than it maintains one row by row. Inside the transaction, so a failed
    /// or cancelled import rolls the drop back too. Keys and unique constraints (which dedup rows) stay.
    fn defer_indexes(&self, kind: RecordKind) -> Result<()> {
        let table = event_rows::stored_table(kind);
        let empty: bool = self.tx.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
            [],
            |r| r.get(0),
        )?;
        if !empty {
            return Ok(());
        }
        self.defer_indexes_of(table, false)?;
        // Events into an empty case: the unique indexes on event keys and interned texts wait too, since this
        // transaction knows every key and text it writes (`LoadedKeys`, `Interner`).
        if kind != RecordKind::Events || self.loaded_keys.borrow().is_some() {
            return Ok(());
        }
        let fresh_idents: bool =
            self.tx
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM idents)", [], |r| r.get(0))?;
        if fresh_idents {
            self.defer_indexes_of(event_rows::EVENT_ROWS, true)?;
            self.defer_indexes_of("idents", true)?;
            self.interner.borrow_mut().start_empty();
            *self.loaded_keys.borrow_mut() = Some(LoadedKeys::default());
        }
        Ok(())
    }

    /// Drops `table`'s non-unique indexes (or its unique ones) to recreate them at commit.
    fn defer_indexes_of(&self, table: &str, unique: bool) -> Result<()> {
        let indexes: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL
                 AND (sql LIKE 'CREATE UNIQUE%') = ?2 ORDER BY name",
            )?
            .query_map((table, unique), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, create) in indexes {
            self.tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.deferred_indexes.borrow_mut().push(create);
        }
        Ok(())
    }

    pub fn add_source(&self, s: &NewSource<'_>) -> Result<i64> {
        self.defer_indexes(s.kind)?;
        self.tx.execute(
            "INSERT INTO sources (file_name, sha256, size, kind, detected_as, mapping, header, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            (
                s.file_name,
                s.sha256,
                s.size,
                s.kind.as_str(),
                s.detected_as,
                s.mapping_json,
                s.header_json,
                s.imported_by,
                s.imported_at,
            ),
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn finish_source(&self, source_id: i64, rows: &RowCounts) -> Result<()> {
        self.tx.execute(
            "UPDATE sources SET rows_read = ?2, rows_imported = ?3, rows_rejected = ?4, rows_duplicate = ?5,
             rows_conflicting = ?6 WHERE id = ?1",
            (source_id, rows.read, rows.imported, rows.rejected, rows.duplicate, rows.conflicting),
        )?;
        Ok(())
    }

    /// Remembers the mapping for this header so the next file with the same header imports without one.
    pub fn save_mapping(
        &self,
        header_signature: &str,
        kind: RecordKind,
        mapping_json: &str,
        source_id: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO mappings (header_signature, kind, mapping, source_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(header_signature) DO UPDATE SET kind = excluded.kind, mapping = excluded.mapping,
             source_id = excluded.source_id",
            (header_signature, kind.as_str(), mapping_json, source_id),
        )?;
        Ok(())
    }

    /// Keeps a rejected row: where and why, and the row's text exactly as the file has it.
    pub fn add_reject(
        &self,
        source_id: i64,
        line: u64,
        column: Option<u64>,
        field: Option<&str>,
        reason: &str,
        row_text: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO rejects (source_id, line, col, field, reason, row_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
            .execute((source_id, line as i64, column.map(|c| c as i64), field, reason, row_text))?;
        Ok(())
    }

    /// The source with this SHA-256, as seen inside this transaction (which holds the write lock, so no other
    /// process can add it before this one commits).
    pub fn source_by_sha256(&self, sha256: &str) -> Result<Option<crate::SourceFile>> {
        Ok(self
            .tx
            .query_row(
                &format!("{} WHERE sha256 = ?1", crate::SOURCE_SELECT),
                [sha256],
                crate::source_from_row,
            )
            .optional()?)
    }

    pub fn audit(
        &self,
        ts: &str,
        actor: &str,
        action: &str,
        item: &str,
        details: &serde_json::Value,
    ) -> Result<AuditEntry> {
        audit::append(&self.tx, ts, actor, action, item, details)
    }

    /// Keeps some of the file's bytes (compressed by [`crate::ChunkCompressor`]) in the case, so its records' rows
    /// can point into them; [`Self::mark_original_kept`] once all are in. An importer that streams the file writes
    /// its chunks as they are compressed instead of holding them.
    pub fn add_original_chunks(&self, source_id: i64, chunks: &[Chunk]) -> Result<()> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO source_chunks (source_id, start, size, data) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for c in chunks {
            insert.execute((source_id, c.start as i64, c.size as i64, &c.data))?;
        }
        Ok(())
    }

    /// Records that every byte of the source's file is in `source_chunks`.
    pub fn mark_original_kept(&self, source_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE sources SET bytes_kept = 1 WHERE id = ?1",
            [source_id],
        )?;
        Ok(())
    }

    /// Inserts a record, or merges it into the one with the same key: empty fields are filled from this row, a
    /// differing value keeps the first and is recorded as a conflict. `values` follow
    /// [`RecordKind::stored_columns`]; `origin` is where the original row is (its bytes in the file, kept by
    /// [`Self::add_original_chunks`], or a JSON object).
    pub fn upsert(
        &self,
        kind: RecordKind,
        source_id: i64,
        line: u64,
        values: &[Value],
        origin: RowOrigin<'_>,
    ) -> Result<Upsert> {
        let sql = &self.sql[kind as usize];
        debug_assert_eq!(sql.columns.len(), values.len());
        let line = line as i64;
        let is_event = kind == RecordKind::Events;
        let event_key = if is_event {
            content_key(values)
        } else {
            [0; event_rows::EVENT_KEY_BYTES]
        };
        let mut params: Vec<ToSqlOutput<'_>> = if is_event {
            self.interner.borrow_mut().row(&self.tx, values)?
        } else {
            values.iter().map(sql_value).collect()
        };
        let (raw, start, len) = match origin {
            RowOrigin::Json(raw) => (raw, None, None),
            RowOrigin::Bytes { start, len } => ("", Some(start as i64), Some(len as i64)),
        };
        params.extend([
            source_id.into(),
            line.into(),
            ToSqlOutput::Borrowed(ValueRef::Text(raw.as_bytes())),
            start.map_or(ToSqlOutput::Borrowed(ValueRef::Null), Into::into),
            len.map_or(ToSqlOutput::Borrowed(ValueRef::Null), Into::into),
        ]);
        if is_event {
            params.push(ToSqlOutput::Borrowed(ValueRef::Blob(&event_key)));
            if let Some(keys) = self.loaded_keys.borrow_mut().as_mut() {
                if let Some(existing) = keys.find(&self.tx, &event_key)? {
                    self.add_sighting(kind, &existing.to_string(), source_id, line, &[])?;
                    return Ok(Upsert::Duplicate {
                        filled: vec![],
                        conflicts: vec![],
                    });
                }
                self.tx
                    .prepare_cached(&self.event_load_insert)?
                    .execute(rusqlite::params_from_iter(params.iter()))?;
                keys.add(event_key, self.tx.last_insert_rowid());
                return Ok(Upsert::Inserted);
            }
        }
        if self
            .tx
            .prepare_cached(&sql.insert)?
            .execute(rusqlite::params_from_iter(params.iter()))?
            == 1
        {
            return Ok(Upsert::Inserted);
        }
        let Some(key_index) = sql.key_index else {
            let existing: i64 = self
                .tx
                .prepare_cached("SELECT id FROM event_rows WHERE event_key = ?1")?
                .query_row([&event_key], |r| r.get(0))?;
            self.add_sighting(kind, &existing.to_string(), source_id, line, &[])?;
            return Ok(Upsert::Duplicate {
                filled: vec![],
                conflicts: vec![],
            });
        };
        self.merge(
            kind,
            &values[key_index].to_string(),
            values,
            source_id,
            line,
        )
    }

    fn merge(
        &self,
        kind: RecordKind,
        key: &str,
        values: &[Value],
        source_id: i64,
        line: i64,
    ) -> Result<Upsert> {
        let sql = &self.sql[kind as usize];
        let names = &sql.columns;
        let key_column = kind.key_field().unwrap_or("id");
        let (existing, kept_source_id, kept_line) =
            self.tx.prepare_cached(&sql.select)?.query_row([key], |r| {
                let vals = (0..names.len())
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(model_value))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((
                    vals,
                    r.get::<_, i64>(names.len())?,
                    r.get::<_, i64>(names.len() + 1)?,
                ))
            })?;
        let mut filled = vec![];
        let mut conflicts = vec![];
        for ((name, old), new) in names.iter().zip(&existing).zip(values) {
            if new.is_null() || old == new {
                continue;
            }
            if old.is_null() {
                let sql = format!(
                    "UPDATE {} SET {name} = ?1 WHERE {key_column} = ?2",
                    kind.table()
                );
                self.tx
                    .prepare_cached(&sql)?
                    .execute((sql_value(new), key))?;
                filled.push(name.to_string());
            } else {
                let conflict = FieldConflict {
                    field: name.to_string(),
                    kept: old.to_string(),
                    new: new.to_string(),
                    kept_source_id,
                    kept_line,
                };
                self.tx
                    .prepare_cached(
                        "INSERT INTO conflicts (kind, record_key, field, kept_value, new_value, kept_source_id, kept_line, source_id, line)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute((kind.as_str(), key, name, &conflict.kept, &conflict.new, kept_source_id, kept_line, source_id, line))?;
                conflicts.push(conflict);
            }
        }
        self.add_sighting(kind, key, source_id, line, &filled)?;
        Ok(Upsert::Duplicate { filled, conflicts })
    }

    fn add_sighting(
        &self,
        kind: RecordKind,
        key: &str,
        source_id: i64,
        line: i64,
        filled: &[String],
    ) -> Result<()> {
        let filled = (!filled.is_empty()).then(|| filled.join(","));
        self.tx
            .prepare_cached("INSERT INTO sightings (kind, record_key, source_id, line, filled) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute((kind.as_str(), key, source_id, line, filled))?;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        for create in self.deferred_indexes.take() {
            self.tx.execute_batch(&create)?;
        }
        self.tx.pragma_update(None, "threads", 0)?;
        Ok(self.tx.commit()?)
    }
}

fn sql_value(v: &Value) -> ToSqlOutput<'_> {
    match v {
        Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Value::Int(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
    }
}

fn model_value(v: rusqlite::types::Value) -> Value {
    match v {
        rusqlite::types::Value::Integer(i) => Value::Int(i),
        rusqlite::types::Value::Text(s) => Value::Text(s),
        rusqlite::types::Value::Real(f) => Value::Text(f.to_string()),
        rusqlite::types::Value::Blob(b) => Value::Text(hex::encode(b)),
        rusqlite::types::Value::Null => Value::Null,
    }
}

/// Events have no id of their own: two rows are the same event when every normalized field agrees.
fn content_key(values: &[Value]) -> event_rows::EventKey {
    let mut h = Sha256::new();
    for v in values {
        match v {
            Value::Null => h.update([0u8]),
            Value::Text(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Value::Int(i) => {
                h.update([2u8]);
                h.update(i.to_le_bytes());
            }
        }
    }
    let digest = h.finalize();
    let mut key = [0u8; event_rows::EVENT_KEY_BYTES];
    key.copy_from_slice(&digest[..event_rows::EVENT_KEY_BYTES]);
    key
}
