//! A source row by its `file:line`: the original values the investigator is shown when a reference is clicked.

use crate::originals::OriginalRows;
use crate::{Case, Result};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// What became of a row of an imported file.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowFate {
    /// The row is a record of the case.
    Imported,
    /// The row repeated a record already in the case (its values are the record's, first seen elsewhere).
    Repeated,
    /// The row was rejected; its text is kept as the file had it.
    Rejected,
}

/// Column name → value pairs of a row.
type Values = Vec<(String, String)>;

/// One row of an imported file, with its original values (column name → value, in the file's column order).
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginalRow {
    pub file: String,
    pub source_id: i64,
    /// The file's SHA-256 as imported.
    pub sha256: String,
    pub line: u64,
    /// accounts, payments or events.
    pub kind: String,
    pub fate: RowFate,
    pub values: Vec<(String, String)>,
    /// Why it was rejected, or where the record it repeats was first seen.
    pub note: Option<String>,
}

impl Case {
    /// The row at `line` of every imported file named `file` (several sources may share a name).
    pub fn source_rows(&self, file: &str, line: u64) -> Result<Vec<OriginalRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, sha256, kind FROM sources WHERE file_name = ?1 ORDER BY id",
        )?;
        let sources: Vec<(i64, String, String)> = stmt
            .query_map([file], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = vec![];
        for (source_id, sha256, kind) in sources {
            let row = |fate, values, note| OriginalRow {
                file: file.to_string(),
                source_id,
                sha256: sha256.clone(),
                line,
                kind: kind.clone(),
                fate,
                values,
                note,
            };
            if let Some(raw) = self.raw_at(&kind, source_id, line)? {
                out.push(row(RowFate::Imported, raw, None));
            } else if let Some((raw, first)) = self.repeated_at(&kind, source_id, line)? {
                out.push(row(
                    RowFate::Repeated,
                    raw,
                    Some(format!("repeats the record first seen at {first}")),
                ));
            } else if let Some((text, reason)) = self.rejected_at(source_id, line)? {
                out.push(row(
                    RowFate::Rejected,
                    vec![("row".into(), text)],
                    Some(reason),
                ));
            }
        }
        Ok(out)
    }

    fn raw_at(
        &self,
        kind: &str,
        source_id: i64,
        line: u64,
    ) -> Result<Option<Vec<(String, String)>>> {
        let Some(table) = record_table(kind) else {
            return Ok(None);
        };
        let found: Option<(String, Option<i64>, Option<i64>)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT raw, row_start, row_len FROM {table} WHERE source_id = ?1 AND line = ?2"
            ))?
            .query_row(rusqlite::params![source_id, line as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((raw, start, len)) = found else {
            return Ok(None);
        };
        let raw = OriginalRows::new(&self.conn).json(source_id, raw, start, len)?;
        Ok(Some(values_of(&raw)))
    }

    /// A repeated row: the record's values (from its first sighting) and where that was.
    fn repeated_at(
        &self,
        kind: &str,
        source_id: i64,
        line: u64,
    ) -> Result<Option<(Values, String)>> {
        let Some(table) = record_table(kind) else {
            return Ok(None);
        };
        // Accounts and payments are keyed by their ids, events by their row id.
        let join = match table {
            "accounts" => "r.account_id = g.record_key",
            "payments" => "r.payment_id = g.record_key",
            _ => "r.id = CAST(g.record_key AS INTEGER)",
        };
        type Found = (String, String, i64, i64, Option<i64>, Option<i64>);
        let found: Option<Found> = self
            .conn
            .prepare_cached(&format!(
                "SELECT r.raw, s.file_name, r.line, r.source_id, r.row_start, r.row_len FROM sightings g
                 JOIN {table} r ON {join} JOIN sources s ON s.id = r.source_id
                 WHERE g.source_id = ?1 AND g.line = ?2 AND g.kind = ?3"
            ))?
            .query_row(rusqlite::params![source_id, line as i64, kind], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .optional()?;
        let Some((raw, file, first, first_source, start, len)) = found else {
            return Ok(None);
        };
        let raw = OriginalRows::new(&self.conn).json(first_source, raw, start, len)?;
        Ok(Some((values_of(&raw), format!("{file}:{first}"))))
    }

    fn rejected_at(&self, source_id: i64, line: u64) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce(row_text, ''), reason FROM rejects WHERE source_id = ?1 AND line = ?2 ORDER BY id LIMIT 1",
            )?
            .query_row(rusqlite::params![source_id, line as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

fn record_table(kind: &str) -> Option<&'static str> {
    match kind {
        "accounts" => Some("accounts"),
        "payments" => Some("payments"),
        "events" => Some("events"),
        _ => None,
    }
}

/// The original row, stored as a JSON object in the file's column order.
fn values_of(raw: &str) -> Values {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw) {
        Ok(map) => map
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect(),
        Err(_) => vec![("row".into(), raw.to_string())],
    }
}
