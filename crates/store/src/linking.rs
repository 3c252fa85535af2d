//! What the link graph reads besides the observations (`observations.rs`): how large the graph will be, and the
//! source rows behind one account's use of one identifier. Which columns feed which identifier kind, and what a
//! decline or a dispute is, come from `ringscope_model::linking`.

use crate::Case;
use crate::error::Result;
use crate::event_rows;
use ringscope_model::linking::{self, payment};
use ringscope_model::{IdKind, RecordKind};
use serde::Serialize;

// A source row: the file it came from and its line. (No doc comment: ts-rs would copy it into the UI's bindings.)
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    pub file: String,
    pub source_id: i64,
    pub line: i64,
}

/// The first source rows of something, and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRows {
    pub rows: Vec<SourceRow>,
    pub total: i64,
}

/// How large a case's link graph will be (see [`Case::link_graph_size_hint`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphSizeHint {
    /// At most this many identifier uses (each record's identifier columns).
    pub uses: usize,
    /// About this many account and identifier nodes.
    pub nodes: usize,
    /// About this many accounts (the account records; fans and creators named only elsewhere come on top).
    pub accounts: usize,
}

/// SQL for "the payment is disputed", from the model's rule.
pub(crate) fn disputed_sql() -> String {
    format!(
        "({} IS NOT NULL OR {} IS NOT NULL)",
        payment::DISPUTED_AMOUNT,
        payment::DISPUTE_STATUS
    )
}

/// SQL for "the payment was declined", from the model's rule.
pub(crate) fn declined_sql() -> String {
    format!("({} = '{}')", payment::STATUS, payment::DECLINED)
}

impl Case {
    /// How large the link graph of this case will be, from the tables' ends (largest row ids), not a count:
    /// cheap to read, and never more than the file's size allows, so a damaged case's row ids cannot size an
    /// allocation.
    pub fn link_graph_size_hint(&self) -> Result<GraphSizeHint> {
        let file_bytes: i64 = self.conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get(0),
        )?;
        let largest = |table: &str| -> Result<usize> {
            let rows: i64 = self.conn.query_row(
                &format!("SELECT coalesce(max(rowid), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?;
            Ok(usize::try_from(rows).unwrap_or(0))
        };
        let (accounts, events, payments) = (
            largest(event_rows::stored_table(RecordKind::Accounts))?,
            largest(event_rows::stored_table(RecordKind::Events))?,
            largest(event_rows::stored_table(RecordKind::Payments))?,
        );
        let columns = |record| linking::identifier_columns(record).len();
        let uses = accounts
            .saturating_mul(columns(RecordKind::Accounts))
            .saturating_add(events.saturating_mul(columns(RecordKind::Events)))
            .saturating_add(payments.saturating_mul(columns(RecordKind::Payments)));
        // Nodes: the events' distinct texts (interned), each account record's id and identifiers, and a guess
        // for the cards and emails only payments carry (most payers pay with a card they keep).
        let nodes = largest("idents")?
            .saturating_add(accounts.saturating_mul(1 + columns(RecordKind::Accounts)))
            .saturating_add(payments / 2);
        // A stored row with an identifier takes more than 8 bytes of the file; a node (a distinct text and the
        // rows that use it) far more than 64 (about 570 in the bench's 1M case).
        let file_bytes = usize::try_from(file_bytes).unwrap_or(0);
        Ok(GraphSizeHint {
            uses: uses.min(file_bytes / 8),
            nodes: nodes.min(file_bytes / 64),
            // An account record takes a few hundred bytes with its indexes: a damaged row id reserves no more.
            accounts: accounts.min(file_bytes / 256),
        })
    }

    /// The rows in which `account` used the identifier (the first `limit`, by source and line), with the total.
    pub fn identifier_rows(
        &self,
        kind: IdKind,
        value: &str,
        account: &str,
        limit: usize,
    ) -> Result<SourceRows> {
        let rows_of = kind
            .columns()
            .iter()
            .map(|c| {
                format!(
                    "SELECT source_id, line FROM {} WHERE account_id = ?1 AND {} = ?2",
                    c.record.table(),
                    c.column
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        self.rows_matching(&rows_of, account, value, limit)
    }

    /// The payment rows in which `payer` paid `creator` (the first `limit`), with the total.
    pub fn payment_rows(&self, payer: &str, creator: &str, limit: usize) -> Result<SourceRows> {
        self.rows_matching(
            "SELECT source_id, line FROM payments WHERE account_id = ?1 AND creator_id = ?2",
            payer,
            creator,
            limit,
        )
    }

    /// The source rows of `rows_of` (a query of `source_id, line` over `?1`, `?2`), first `limit`, with the total.
    fn rows_matching(&self, rows_of: &str, a: &str, b: &str, limit: usize) -> Result<SourceRows> {
        let total: i64 =
            self.conn
                .query_row(&format!("SELECT count(*) FROM ({rows_of})"), (a, b), |r| {
                    r.get(0)
                })?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT s.file_name, r.source_id, r.line FROM ({rows_of}) r JOIN sources s ON s.id = r.source_id
             ORDER BY r.source_id, r.line LIMIT {limit}"
        ))?;
        let rows = stmt
            .query_map((a, b), |r| {
                Ok(SourceRow {
                    file: r.get(0)?,
                    source_id: r.get(1)?,
                    line: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SourceRows { rows, total })
    }
}
