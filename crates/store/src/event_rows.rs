//! How events are stored since schema v12: each repeated text (account, event type, IP, device, user agent) once
//! in `idents`, the rows in `event_rows` as integers, and the `events` view giving back the old columns. This module
//! owns the mapping between the two: the importer writes through [`Interner`] and [`LoadedKeys`], detection reads
//! the integer rows through [`crate::Case::for_each_observation`].

use crate::error::Result;
use ringscope_model::{RecordKind, Value};
use rusqlite::Transaction;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rustc_hash::FxHashMap;

/// Bytes of an event's content key: the first 12 of the SHA-256 of its normalized values. 96 bits keep a chance
/// collision between two different events below 10^-15 at 10^7 events; since schema v12 (keys were 16 bytes before,
/// and the migration keeps their first 12: the same hash, so a re-imported old event still matches).
pub(crate) const EVENT_KEY_BYTES: usize = 12;

pub(crate) type EventKey = [u8; EVENT_KEY_BYTES];

/// The table event records are written to (`events` is a view over it).
pub(crate) const EVENT_ROWS: &str = "event_rows";

/// Each stored event column (`RecordKind::Events.stored_columns()`, in order), its column in `event_rows`, and the
/// `idents` kind its text is interned as (none for the timestamp, stored as is).
pub(crate) const EVENT_COLUMNS: [(&str, &str, Option<&str>); 6] = [
    ("account_id", "account", Some("account")),
    ("timestamp_ms", "timestamp_ms", None),
    ("event_type", "event_type", Some("event_type")),
    ("ip", "ip", Some("ip")),
    ("device_id", "device", Some("device")),
    ("user_agent", "user_agent", Some("user_agent")),
];

/// The `event_rows` column holding a stored event column (`None` for a name that is not one).
pub(crate) fn row_column(stored: &str) -> Option<&'static str> {
    EVENT_COLUMNS
        .iter()
        .find(|(name, _, _)| *name == stored)
        .map(|(_, column, _)| *column)
}

/// The table a record kind's rows are written to.
pub(crate) fn stored_table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Events => EVENT_ROWS,
        other => other.table(),
    }
}

/// The `event_rows` insert, with the provenance columns in the order [`crate::ImportTx`] binds them; `dedup` lets
/// the unique event key skip a row already there (a load with the key's index deferred checks [`LoadedKeys`]).
pub(crate) fn insert_sql(dedup: bool) -> String {
    let mut columns: Vec<&str> = EVENT_COLUMNS.iter().map(|(_, c, _)| *c).collect();
    columns.extend([
        "source_id",
        "line",
        "raw",
        "row_start",
        "row_len",
        "event_key",
    ]);
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {EVENT_ROWS} ({}) VALUES ({}){}",
        columns.join(", "),
        marks.join(", "),
        if dedup {
            " ON CONFLICT(event_key) DO NOTHING"
        } else {
            ""
        }
    )
}

/// The events a load into an empty case has written, while the unique index on their keys waits for the commit
/// (a sorted build, instead of millions of random inserts): key's first 8 bytes → row id. The stored key is read
/// back to confirm a match; a different key with the same first 8 bytes goes to `collided`.
#[derive(Default)]
pub(crate) struct LoadedKeys {
    by_prefix: FxHashMap<u64, i64>,
    collided: FxHashMap<EventKey, i64>,
}

impl LoadedKeys {
    fn prefix(key: &EventKey) -> u64 {
        let mut first = [0; 8];
        first.copy_from_slice(&key[..8]);
        u64::from_le_bytes(first)
    }

    /// The row id of the event with this key written earlier in this load.
    pub(crate) fn find(&self, tx: &Transaction<'_>, key: &EventKey) -> Result<Option<i64>> {
        let Some(&id) = self.by_prefix.get(&Self::prefix(key)) else {
            return Ok(None);
        };
        let stored: Vec<u8> = tx
            .prepare_cached("SELECT event_key FROM event_rows WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        if stored == key {
            return Ok(Some(id));
        }
        Ok(self.collided.get(key).copied())
    }

    pub(crate) fn add(&mut self, key: EventKey, id: i64) {
        match self.by_prefix.entry(Self::prefix(&key)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(key, id);
            }
        }
    }
}

/// Interns texts for one import transaction: a value seen before costs a hash lookup, a new one a query (skipped
/// while the case had no interned text at all) and an insert.
#[derive(Default)]
pub(crate) struct Interner {
    /// value → id, one map per interned column of [`EVENT_COLUMNS`] (so a lookup borrows the value).
    known: [FxHashMap<Box<str>, i64>; EVENT_COLUMNS.len()],
    /// Whether `idents` was empty when this transaction first interned: then a value not in `known` is new.
    started_empty: Option<bool>,
}

impl Interner {
    /// Tells the interner `idents` was empty when this transaction began (its unique index is deferred).
    pub(crate) fn start_empty(&mut self) {
        self.started_empty = Some(true);
    }

    /// The id of `value` as an ident of `EVENT_COLUMNS[slot]`'s kind, adding it when new.
    fn id(&mut self, tx: &Transaction<'_>, slot: usize, value: &str) -> Result<i64> {
        if let Some(&id) = self.known[slot].get(value) {
            return Ok(id);
        }
        let Some(kind) = EVENT_COLUMNS.get(slot).and_then(|(_, _, kind)| *kind) else {
            return Err(crate::Error::Corrupt(format!(
                "event column {slot} holds no interned texts"
            )));
        };
        let started_empty = match self.started_empty {
            Some(empty) => empty,
            None => {
                let empty =
                    tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM idents)", [], |r| r.get(0))?;
                *self.started_empty.insert(empty)
            }
        };
        let existing = if started_empty {
            None
        } else {
            use rusqlite::OptionalExtension;
            tx.prepare_cached("SELECT id FROM idents WHERE value = ?1 AND kind = ?2")?
                .query_row((value, kind), |r| r.get(0))
                .optional()?
        };
        let id = match existing {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO idents (kind, value) VALUES (?1, ?2)")?
                    .execute((kind, value))?;
                tx.last_insert_rowid()
            }
        };
        self.known[slot].insert(value.into(), id);
        Ok(id)
    }

    /// An event's stored values (in `RecordKind::Events.stored_columns()` order) as `event_rows` parameters.
    pub(crate) fn row<'v>(
        &mut self,
        tx: &Transaction<'_>,
        values: &'v [Value],
    ) -> Result<Vec<ToSqlOutput<'v>>> {
        debug_assert_eq!(values.len(), EVENT_COLUMNS.len());
        let mut params = Vec::with_capacity(values.len() + 6);
        for (slot, value) in values.iter().enumerate() {
            params.push(match (EVENT_COLUMNS[slot].2, value) {
                (_, Value::Null) => ToSqlOutput::Borrowed(ValueRef::Null),
                (Some(_), Value::Text(s)) => self.id(tx, slot, s)?.into(),
                (Some(_), Value::Int(i)) => self.id(tx, slot, &i.to_string())?.into(),
                (None, Value::Int(i)) => (*i).into(),
                (None, Value::Text(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            });
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaded_keys_tell_keys_with_the_same_first_bytes_apart() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE event_rows (id INTEGER PRIMARY KEY, event_key BLOB NOT NULL)",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        let mut keys = LoadedKeys::default();
        let a = [7u8; EVENT_KEY_BYTES];
        let mut b = a;
        b[EVENT_KEY_BYTES - 1] = 8; // same first 8 bytes, another key
        for (id, key) in [(1, a), (2, b)] {
            assert_eq!(keys.find(&tx, &key).unwrap(), None);
            tx.execute(
                "INSERT INTO event_rows (id, event_key) VALUES (?1, ?2)",
                (id, &key[..]),
            )
            .unwrap();
            keys.add(key, id);
        }
        assert_eq!(keys.find(&tx, &a).unwrap(), Some(1));
        assert_eq!(keys.find(&tx, &b).unwrap(), Some(2));
        assert_eq!(keys.find(&tx, &[9u8; EVENT_KEY_BYTES]).unwrap(), None);
    }

    #[test]
    fn the_event_columns_follow_the_models_stored_columns() {
        let stored: Vec<String> = RecordKind::Events
            .stored_columns()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let mapped: Vec<&str> = EVENT_COLUMNS.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(stored, mapped);
    }
}
