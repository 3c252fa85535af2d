//! A case's accounts, payments and events as polars DataFrames, for the analytics later stages run (ring
//! features, timelines, summaries).
//!
//! Columns follow the store: every normalized column of the kind (see `RecordKind::stored_columns`), then
//! `source_id` and `line` (provenance). `*_ms` timestamp columns become `Datetime(ms, UTC)` columns named without
//! the suffix; money stays integer minor units (`*_minor`) beside its `currency`.

use polars::prelude::*;
use ringscope_model::{RecordKind, StoredColumn};
use ringscope_store::Case;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading the case: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("building a frame: {0}")]
    Polars(#[from] PolarsError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// All three record kinds of a case.
pub struct Frames {
    pub accounts: DataFrame,
    pub payments: DataFrame,
    pub events: DataFrame,
}

impl Frames {
    pub fn load(case: &Case) -> Result<Frames> {
        Ok(Frames {
            accounts: frame(case, RecordKind::Accounts)?,
            payments: frame(case, RecordKind::Payments)?,
            events: frame(case, RecordKind::Events)?,
        })
    }

    /// Only the records of the given accounts (the rows whose `account_id` is one of them), in insertion order.
    /// Ring features join members to the frames, so loading members only gives the same figures for a fraction
    /// of the memory: a 1M-account case holds 10M records, its rings a few percent of them.
    pub fn load_for(case: &Case, accounts: &[&str]) -> Result<Frames> {
        let conn = case.conn();
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS frame_accounts (account_id TEXT PRIMARY KEY) WITHOUT ROWID;
             DELETE FROM temp.frame_accounts;",
        )?;
        {
            let tx = conn.unchecked_transaction()?;
            let mut insert =
                tx.prepare("INSERT OR IGNORE INTO temp.frame_accounts (account_id) VALUES (?1)")?;
            for a in accounts {
                insert.execute([a])?;
            }
            drop(insert);
            tx.commit()?;
        }
        let only = "account_id IN (SELECT account_id FROM temp.frame_accounts)";
        let frames = Frames {
            accounts: frame_where(case, RecordKind::Accounts, only)?,
            payments: frame_where(case, RecordKind::Payments, only)?,
            events: frame_where(case, RecordKind::Events, only)?,
        };
        conn.execute_batch("DELETE FROM temp.frame_accounts")?;
        Ok(frames)
    }

    pub fn get(&self, kind: RecordKind) -> &DataFrame {
        match kind {
            RecordKind::Accounts => &self.accounts,
            RecordKind::Payments => &self.payments,
            RecordKind::Events => &self.events,
        }
    }
}

enum Builder {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}

/// Reads one kind's table into a DataFrame, in insertion order.
pub fn frame(case: &Case, kind: RecordKind) -> Result<DataFrame> {
    frame_where(case, kind, "1")
}

/// The rows of one kind's table matching an SQL condition (our own constant text, never user input).
fn frame_where(case: &Case, kind: RecordKind, condition: &str) -> Result<DataFrame> {
    let mut columns = kind.stored_columns();
    columns.push(("source_id".into(), StoredColumn::Integer));
    columns.push(("line".into(), StoredColumn::Integer));
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {condition} ORDER BY rowid",
        names.join(", "),
        kind.table()
    );
    let mut builders: Vec<Builder> = columns
        .iter()
        .map(|(_, t)| match t {
            StoredColumn::Text => Builder::Text(Vec::new()),
            StoredColumn::Integer => Builder::Int(Vec::new()),
        })
        .collect();
    let mut stmt = case.conn().prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut height = 0;
    while let Some(row) = rows.next()? {
        for (i, b) in builders.iter_mut().enumerate() {
            match b {
                Builder::Text(v) => v.push(row.get(i)?),
                Builder::Int(v) => v.push(row.get(i)?),
            }
        }
        height += 1;
    }
    let cols = columns
        .iter()
        .zip(builders)
        .map(|((name, _), b)| -> Result<Column> {
            Ok(match b {
                Builder::Text(v) => Column::new(name.as_str().into(), v),
                Builder::Int(v) => match name.strip_suffix("_ms") {
                    Some(base) => Int64Chunked::new(base.into(), v)
                        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
                        .into_series()
                        .into(),
                    None => Column::new(name.as_str().into(), v),
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(DataFrame::new(height, cols)?)
}

/// A lazy view of one kind, for query plans that filter or aggregate before materializing.
pub fn lazy(case: &Case, kind: RecordKind) -> Result<LazyFrame> {
    Ok(frame(case, kind)?.lazy())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringscope_model::Value;
    use ringscope_store::{ImportTx, NewCase, NewSource};

    /// A new case with one payments file imported: `fill` upserts its rows, given the source id.
    fn case_with_payments(dir: &tempfile::TempDir, fill: impl FnOnce(&ImportTx<'_>, i64)) -> Case {
        let new = NewCase {
            title: "t".into(),
            phone_region: "US".into(),
            ..Default::default()
        };
        let mut case = Case::create(&dir.path().join("c"), &new, "2026-01-01T00:00:00Z").unwrap();
        let tx = case.begin_import().unwrap();
        let s = tx
            .add_source(&NewSource {
                file_name: "p.csv",
                sha256: "x",
                size: 1,
                kind: RecordKind::Payments,
                detected_as: "test",
                mapping_json: "{}",
                header_json: "[]",
                imported_by: "t",
                imported_at: "2026-01-01T00:00:00Z",
            })
            .unwrap();
        fill(&tx, s);
        tx.commit().unwrap();
        case
    }

    #[test]
    fn frames_carry_types_and_provenance() {
        let dir = tempfile::tempdir().unwrap();
        let case = case_with_payments(&dir, |tx, s| {
            let mut values = vec![Value::Null; RecordKind::Payments.stored_columns().len()];
            values[0] = Value::Text("ch_1".into());
            values[1] = Value::Int(1_700_000_000_000);
            values[2] = Value::Int(1234);
            values[3] = Value::Text("USD".into());
            tx.upsert(RecordKind::Payments, s, 7, &values, "{}")
                .unwrap();
        });

        let frames = Frames::load(&case).unwrap();
        let p = &frames.payments;
        assert_eq!(p.height(), 1);
        assert_eq!(frames.accounts.height(), 0);
        assert_eq!(
            p.column("created_at").unwrap().dtype(),
            &DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        );
        assert_eq!(
            p.column("amount_minor").unwrap().i64().unwrap().get(0),
            Some(1234)
        );
        assert_eq!(p.column("line").unwrap().i64().unwrap().get(0), Some(7));
        let total = lazy(&case, RecordKind::Payments)
            .unwrap()
            .select([col("amount_minor").sum()])
            .collect()
            .unwrap();
        assert_eq!(
            total.column("amount_minor").unwrap().i64().unwrap().get(0),
            Some(1234)
        );
    }

    #[test]
    fn frames_for_some_accounts_hold_only_their_rows_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let case = case_with_payments(&dir, |tx, s| {
            let columns = RecordKind::Payments.stored_columns();
            let account_at = columns.iter().position(|(n, _)| n == "account_id").unwrap();
            for (i, account) in ["a", "b", "c", "a"].iter().enumerate() {
                let mut values = vec![Value::Null; columns.len()];
                values[0] = Value::Text(format!("ch_{i}"));
                values[1] = Value::Int(1_700_000_000_000);
                values[2] = Value::Int(100);
                values[3] = Value::Text("USD".into());
                values[account_at] = Value::Text(account.to_string());
                tx.upsert(RecordKind::Payments, s, i as u64 + 2, &values, "{}")
                    .unwrap();
            }
        });

        let ids = |f: &Frames| -> Vec<String> {
            let c = f
                .payments
                .column("payment_id")
                .unwrap()
                .str()
                .unwrap()
                .clone();
            c.iter()
                .map(|v| v.unwrap_or_default().to_string())
                .collect()
        };
        let some = Frames::load_for(&case, &["a", "c", "a"]).unwrap();
        assert_eq!(ids(&some), ["ch_0", "ch_2", "ch_3"]);
        let other = Frames::load_for(&case, &["b"]).unwrap();
        assert_eq!(ids(&other), ["ch_1"]);
        assert_eq!(Frames::load_for(&case, &[]).unwrap().payments.height(), 0);
        assert_eq!(Frames::load(&case).unwrap().payments.height(), 4);
    }
}
