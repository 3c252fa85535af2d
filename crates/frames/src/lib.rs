//! A case's accounts, payments and events as polars DataFrames, for the analytics later stages run (ring
//! features, timelines, summaries).
//!
//! Columns follow the store: every normalized column of the kind (see `RecordKind::stored_columns`), then
//! `source_id` and `line` (provenance). `*_ms` timestamp columns become `Datetime(ms, UTC)` columns named without
//! the suffix; money stays integer minor units (`*_minor`) beside its `currency`.

use polars::prelude::*;
use ringscope_model::RecordKind;
use ringscope_store::{Case, ColumnValues, RecordColumns};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] ringscope_store::Error),
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

    /// Only the records of the given accounts (the rows whose `account_id` is one of them), in insertion order,
    /// as ring features read them: accounts and payments whole, events as `account_id` and `timestamp` only.
    /// Ring features join members to the frames, so loading members only gives the same figures for a fraction
    /// of the memory: a 1M-account case holds 10M records, its rings a few percent of them.
    pub fn load_for(case: &Case, accounts: &[&str]) -> Result<Frames> {
        let only =
            |kind| -> Result<DataFrame> { to_frame(case.record_columns(kind, Some(accounts))?) };
        Ok(Frames {
            accounts: only(RecordKind::Accounts)?,
            payments: only(RecordKind::Payments)?,
            events: to_frame(case.event_times(accounts)?)?,
        })
    }

    /// [`Frames::load_for`] with only the named stored columns of accounts and of payments (stored names:
    /// `created_at_ms` becomes the frame's `created_at`), for a reader that knows what it reads.
    pub fn load_columns_for(
        case: &Case,
        accounts: &[&str],
        account_columns: &[&str],
        payment_columns: &[&str],
    ) -> Result<Frames> {
        let only = |kind, named| -> Result<DataFrame> {
            to_frame(case.record_columns_named(kind, Some(accounts), named)?)
        };
        Ok(Frames {
            accounts: only(RecordKind::Accounts, account_columns)?,
            payments: only(RecordKind::Payments, payment_columns)?,
            events: to_frame(case.event_times(accounts)?)?,
        })
    }

    pub fn get(&self, kind: RecordKind) -> &DataFrame {
        match kind {
            RecordKind::Accounts => &self.accounts,
            RecordKind::Payments => &self.payments,
            RecordKind::Events => &self.events,
        }
    }
}

/// Reads one kind's records into a DataFrame, in insertion order.
pub fn frame(case: &Case, kind: RecordKind) -> Result<DataFrame> {
    to_frame(case.record_columns(kind, None)?)
}

/// The store's columns as a DataFrame: `*_ms` integers become UTC datetimes named without the suffix.
fn to_frame(records: RecordColumns) -> Result<DataFrame> {
    let cols = records
        .columns
        .into_iter()
        .map(|(name, values)| match values {
            ColumnValues::Text(v) => Column::new(name.as_str().into(), v),
            ColumnValues::Int(v) => match name.strip_suffix("_ms") {
                Some(base) => Int64Chunked::new(base.into(), v)
                    .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
                    .into_series()
                    .into(),
                None => Column::new(name.as_str().into(), v),
            },
        })
        .collect::<Vec<_>>();
    Ok(DataFrame::new(records.rows, cols)?)
}

/// A lazy view of one kind, for query plans that filter or aggregate before materializing.
pub fn lazy(case: &Case, kind: RecordKind) -> Result<LazyFrame> {
    Ok(frame(case, kind)?.lazy())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringscope_model::Value;
    use ringscope_store::{ImportTx, NewCase, NewSource, RowOrigin};

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
            tx.upsert(RecordKind::Payments, s, 7, &values, RowOrigin::Json("{}"))
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
                tx.upsert(
                    RecordKind::Payments,
                    s,
                    i as u64 + 2,
                    &values,
                    RowOrigin::Json("{}"),
                )
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

        // Named columns only, in the order named; a name the kind does not have is refused before any SQL.
        let named = Frames::load_columns_for(
            &case,
            &["a", "c"],
            &["account_id"],
            &["created_at_ms", "payment_id"],
        )
        .unwrap();
        let names: Vec<&str> = named
            .payments
            .get_column_names()
            .into_iter()
            .map(|n| n.as_str())
            .collect();
        assert_eq!(names, ["created_at", "payment_id"]);
        assert_eq!(ids(&named), ["ch_0", "ch_2", "ch_3"]);
        for bad in ["card_number", "payment_id; DROP TABLE payments"] {
            let err = Frames::load_columns_for(&case, &["a"], &["account_id"], &[bad])
                .err()
                .unwrap();
            assert!(err.to_string().contains("records have no column"), "{err}");
        }
        for bad in [&[][..], &["payment_id", "payment_id"][..]] {
            let err = Frames::load_columns_for(&case, &["a"], &["account_id"], bad)
                .err()
                .unwrap();
            assert!(err.to_string().contains("each column once"), "{err}");
        }
    }
}
