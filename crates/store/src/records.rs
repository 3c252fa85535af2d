//! Whole records read back for analysis and evidence: one kind's stored columns as column vectors (for the
//! frames), and the records of a set of accounts with their original rows (for the packet).

use crate::Case;
use crate::error::Result;
use crate::event_rows::EVENT_ROWS;
use crate::originals::OriginalRows;
use ringscope_model::{RecordKind, StoredColumn};

/// One stored column's values, in row order.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}

/// Records of one kind as columns: every stored column (see `RecordKind::stored_columns`), then `source_id` and
/// `line`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordColumns {
    pub columns: Vec<(String, ColumnValues)>,
    pub rows: usize,
}

/// One record as imported: its stored columns (named as stored, `*_ms` times as integers), the original row as the
/// file had it (JSON text), and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub fields: Vec<(String, serde_json::Value)>,
    pub raw: String,
    pub source_id: i64,
    pub line: i64,
}

fn json(v: rusqlite::types::Value) -> serde_json::Value {
    use rusqlite::types::Value;
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(i),
        Value::Real(f) => serde_json::Value::from(f),
        Value::Text(s) => serde_json::Value::String(s),
        Value::Blob(b) => serde_json::Value::String(hex::encode(b)),
    }
}

impl Case {
    /// Every record of one kind as columns, in insertion order; with `accounts`, only the records of those
    /// accounts (a ring's members hold a few percent of a large case's records).
    pub fn record_columns(
        &self,
        kind: RecordKind,
        accounts: Option<&[&str]>,
    ) -> Result<RecordColumns> {
        self.some_record_columns(kind, accounts, None)
    }

    /// [`Case::record_columns`] with only the `named` stored columns (in that order, without `source_id` and
    /// `line` unless named): ring features read eight of the payments' columns, and every column of 1.7M member
    /// payments was most of detection's memory at its end. A name that is no stored column of `kind` is an error.
    pub fn record_columns_named(
        &self,
        kind: RecordKind,
        accounts: Option<&[&str]>,
        named: &[&str],
    ) -> Result<RecordColumns> {
        self.some_record_columns(kind, accounts, Some(named))
    }

    fn some_record_columns(
        &self,
        kind: RecordKind,
        accounts: Option<&[&str]>,
        named: Option<&[&str]>,
    ) -> Result<RecordColumns> {
        let Some(accounts) = accounts else {
            return self.columns_where(kind, "1", named);
        };
        self.with_frame_accounts(accounts, || {
            self.columns_where(
                kind,
                "account_id IN (SELECT account_id FROM temp.frame_accounts)",
                named,
            )
        })
    }

    /// When each of `accounts` had an event: columns `account_id` and `timestamp_ms`, in insertion order. Read
    /// from the integer event rows with only the account's text joined: the `events` view's five joins per row
    /// cost four times as much for what ring features read of events.
    pub fn event_times(&self, accounts: &[&str]) -> Result<RecordColumns> {
        self.with_frame_accounts(accounts, || {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT a.value, e.timestamp_ms FROM {EVENT_ROWS} e JOIN idents a ON a.id = e.account
                 WHERE a.value IN (SELECT account_id FROM temp.frame_accounts) ORDER BY e.id"
            ))?;
            let (mut ids, mut times) = (vec![], vec![]);
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                ids.push(r.get::<_, Option<String>>(0)?);
                times.push(r.get::<_, Option<i64>>(1)?);
            }
            Ok(RecordColumns {
                rows: ids.len(),
                columns: vec![
                    ("account_id".into(), ColumnValues::Text(ids)),
                    ("timestamp_ms".into(), ColumnValues::Int(times)),
                ],
            })
        })
    }

    /// Runs `read` with `temp.frame_accounts` holding `accounts`, emptied again after.
    fn with_frame_accounts<T>(
        &self,
        accounts: &[&str],
        read: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS frame_accounts (account_id TEXT PRIMARY KEY) WITHOUT ROWID;
             DELETE FROM temp.frame_accounts;",
        )?;
        {
            let tx = self.conn.unchecked_transaction()?;
            let mut insert =
                tx.prepare("INSERT OR IGNORE INTO temp.frame_accounts (account_id) VALUES (?1)")?;
            for a in accounts {
                insert.execute([a])?;
            }
            drop(insert);
            tx.commit()?;
        }
        let result = read();
        self.conn.execute_batch("DELETE FROM temp.frame_accounts")?;
        result
    }

    /// The rows of one kind's table matching an SQL condition (our own constant text, never user input).
    fn columns_where(
        &self,
        kind: RecordKind,
        condition: &str,
        named: Option<&[&str]>,
    ) -> Result<RecordColumns> {
        let mut columns = kind.stored_columns();
        columns.push(("source_id".into(), StoredColumn::Integer));
        columns.push(("line".into(), StoredColumn::Integer));
        if let Some(named) = named {
            let twice = named
                .iter()
                .enumerate()
                .any(|(i, n)| named[..i].contains(n));
            if named.is_empty() || twice {
                return Err(crate::Error::BadColumnList {
                    kind: kind.as_str(),
                });
            }
            // Names are checked against the kind's columns before any reaches the SQL.
            columns = named
                .iter()
                .map(|&name| {
                    columns
                        .iter()
                        .find(|(n, _)| n == name)
                        .cloned()
                        .ok_or_else(|| crate::Error::NoSuchColumn {
                            kind: kind.as_str(),
                            column: name.to_string(),
                        })
                })
                .collect::<Result<_>>()?;
        }
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        // The `events` view has no rowid of its own; its `id` is the event row's.
        let order = if kind == RecordKind::Events {
            "id"
        } else {
            "rowid"
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE {condition} ORDER BY {order}",
            names.join(", "),
            kind.table()
        );
        let mut values: Vec<ColumnValues> = columns
            .iter()
            .map(|(_, t)| match t {
                StoredColumn::Text => ColumnValues::Text(Vec::new()),
                StoredColumn::Integer => ColumnValues::Int(Vec::new()),
            })
            .collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut height = 0;
        while let Some(row) = rows.next()? {
            for (i, v) in values.iter_mut().enumerate() {
                match v {
                    ColumnValues::Text(v) => v.push(row.get(i)?),
                    ColumnValues::Int(v) => v.push(row.get(i)?),
                }
            }
            height += 1;
        }
        Ok(RecordColumns {
            columns: columns.into_iter().map(|(n, _)| n).zip(values).collect(),
            rows: height,
        })
    }

    /// The records of `accounts` of one kind: accounts by id, payments by time then id, events by time then
    /// source row.
    pub fn records_of(&self, kind: RecordKind, accounts: &[String]) -> Result<Vec<StoredRecord>> {
        let columns: Vec<String> = kind.stored_columns().into_iter().map(|(n, _)| n).collect();
        let placeholders = vec!["?"; accounts.len()].join(",");
        let order = match kind {
            RecordKind::Accounts => "account_id",
            RecordKind::Payments => "created_at_ms, payment_id",
            RecordKind::Events => "timestamp_ms, source_id, line",
        };
        let sql = format!(
            "SELECT {}, source_id, line, raw, row_start, row_len FROM {} WHERE account_id IN ({placeholders}) ORDER BY {order}",
            columns.join(", "),
            kind.table()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(accounts), |r| {
            let mut fields = Vec::with_capacity(columns.len());
            for (i, name) in columns.iter().enumerate() {
                fields.push((name.clone(), json(r.get(i)?)));
            }
            let n = columns.len();
            Ok((
                StoredRecord {
                    fields,
                    raw: r.get(n + 2)?,
                    source_id: r.get(n)?,
                    line: r.get(n + 1)?,
                },
                r.get::<_, Option<i64>>(n + 3)?,
                r.get::<_, Option<i64>>(n + 4)?,
            ))
        })?;
        let mut originals = OriginalRows::new(&self.conn);
        let mut out = vec![];
        for row in rows {
            let (mut record, start, len) = row?;
            record.raw = originals.json(
                record.source_id,
                std::mem::take(&mut record.raw),
                start,
                len,
            )?;
            out.push(record);
        }
        Ok(out)
    }
}
