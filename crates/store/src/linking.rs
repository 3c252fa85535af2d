//! What the link graph reads: every identifier observation with the account and time behind it, what each payment
//! says about its payer, and the source rows behind one account's use of one identifier. Which columns feed which
//! identifier kind, and what a decline or a dispute is, come from `ringscope_model::linking`.

use crate::Case;
use crate::error::Result;
use crate::event_rows::{self, EVENT_COLUMNS, EVENT_ROWS};
use ringscope_model::linking::{self, payment};
use ringscope_model::{IdKind, RecordKind};
use rusqlite::types::ValueRef;
use serde::Serialize;

/// One record's identifiers, borrowed from the row being read (no allocation per row).
pub struct Observation<'a, 'r> {
    /// The account (empty when the record names none).
    pub account: &'r str,
    /// When the identifiers were seen (sign-up, payment or event time; UTC ms).
    pub at_ms: Option<i64>,
    /// The record's identifiers in [`linking::identifier_columns`] order, `None` where the column is empty.
    pub identifiers: &'a [(IdKind, Option<&'r str>)],
    /// Payments only: what the payment says about its payer.
    pub payment: Option<PaymentStanding<'r>>,
    /// Events only: the ids of the account's and the identifiers' texts, stored once each in the case. The same
    /// text has the same id throughout one read, so a reader can keep what it derives from a text by id instead
    /// of hashing the text on every row.
    pub text_ids: Option<TextIds<'a>>,
}

/// Ids of interned texts, dense from 1 and bounded by the case's count of texts. An id is given only for a text
/// stored as its column's kind, so one id always stands for one (kind, text).
#[derive(Clone, Copy)]
pub struct TextIds<'a> {
    pub account: Option<u32>,
    /// In the order of [`Observation::identifiers`], `None` where the identifier is or has no id.
    pub identifiers: &'a [Option<u32>],
}

/// A payment as the link graph reads it.
pub struct PaymentStanding<'r> {
    pub creator: Option<&'r str>,
    pub amount_minor: Option<i64>,
    pub declined: bool,
    pub disputed: bool,
}

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
}

/// Interned texts by id: each with its kind (its column's position in [`EVENT_COLUMNS`]).
type InternedTexts = Vec<Option<(u8, Box<str>)>>;

/// Most identifier columns one record kind carries (today two each).
const MAX_IDENTIFIERS: usize = 4;

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

/// A nullable text column, borrowed from the row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null()?)
}

impl Case {
    /// Calls `f` for every record of `record` kind, in table order, with its account, time and identifiers
    /// (payments without a payer are skipped: nobody used them).
    pub fn for_each_observation(
        &self,
        record: RecordKind,
        mut f: impl FnMut(&Observation<'_, '_>),
    ) -> Result<()> {
        let ids = linking::identifier_columns(record);
        assert!(
            ids.len() <= MAX_IDENTIFIERS,
            "{record}: too many identifier columns"
        );
        if record == RecordKind::Events {
            return self.for_each_event_observation(&ids, f);
        }
        let mut columns = vec!["account_id", linking::observed_at_column(record)];
        columns.extend(ids.iter().map(|(_, column)| *column));
        let is_payment = record == RecordKind::Payments;
        let sql = if is_payment {
            format!(
                "SELECT {}, creator_id, amount_minor, {}, {} FROM payments WHERE account_id IS NOT NULL",
                columns.join(", "),
                payment::STATUS,
                disputed_sql()
            )
        } else {
            format!("SELECT {} FROM {}", columns.join(", "), record.table())
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let first_id = 2;
        let after_ids = first_id + ids.len();
        while let Some(r) = rows.next()? {
            let mut found = [(IdKind::Device, None); MAX_IDENTIFIERS];
            for (i, (kind, _)) in ids.iter().enumerate() {
                found[i] = (*kind, text(r, first_id + i)?);
            }
            let payment = if is_payment {
                Some(PaymentStanding {
                    creator: text(r, after_ids)?,
                    amount_minor: r.get(after_ids + 1)?,
                    declined: payment::is_declined(text(r, after_ids + 2)?),
                    disputed: r.get(after_ids + 3)?,
                })
            } else {
                None
            };
            f(&Observation {
                account: text(r, 0)?.unwrap_or_default(),
                at_ms: r.get(1)?,
                identifiers: &found[..ids.len()],
                payment,
                text_ids: None,
            });
        }
        Ok(())
    }

    /// Events as detection reads them: the integer rows of `event_rows`, each interned text looked up in memory
    /// (read once from `idents`), rather than the `events` view's joins per row.
    fn for_each_event_observation(
        &self,
        ids: &[(IdKind, &'static str)],
        mut f: impl FnMut(&Observation<'_, '_>),
    ) -> Result<()> {
        let stored = [
            "account_id",
            linking::observed_at_column(RecordKind::Events),
        ]
        .into_iter()
        .chain(ids.iter().map(|(_, stored)| *stored));
        let columns = stored
            .map(|name| {
                event_rows::row_column(name).ok_or_else(|| {
                    crate::Error::Corrupt(format!("no event_rows column for events.{name}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The texts and the rows from one snapshot: an import committing between the two reads would otherwise
        // add rows whose texts were not read. (Dropped at the end: a read needs no commit.)
        let _snapshot = match self.conn.is_autocommit() {
            true => Some(self.conn.unchecked_transaction()?),
            false => None,
        };
        let texts = self.interned_texts(&columns)?;
        let kind_of = |column: &str| EVENT_COLUMNS.iter().position(|(_, c, _)| *c == column);
        let expected: Vec<Option<usize>> = columns.iter().map(|c| kind_of(c)).collect();
        // An id indexes `texts`, whose length `interned_texts` bounds; anything else reads as no text. A text
        // of another kind than its column's (a damaged case) is read as the view reads it, but without its id:
        // a reader keying on ids must not take a device's id for an account's.
        let known = |id: Option<i64>, column: usize| -> (Option<u32>, Option<&str>) {
            let Some(id) = id.and_then(|id| u32::try_from(id).ok()) else {
                return (None, None);
            };
            match texts.get(id as usize) {
                Some(Some((kind, text))) => {
                    let id = (Some(*kind as usize) == expected[column]).then_some(id);
                    (id, Some(text))
                }
                _ => (None, None),
            }
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM {EVENT_ROWS} ORDER BY id",
            columns.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            // A row whose account text is missing (a damaged case) is left out, as the `events` view leaves it.
            let (account_id, Some(account)) = known(r.get(0)?, 0) else {
                continue;
            };
            let mut found = [(IdKind::Device, None); MAX_IDENTIFIERS];
            let mut found_ids = [None; MAX_IDENTIFIERS];
            for (i, (kind, _)) in ids.iter().enumerate() {
                let (id, text) = known(r.get(2 + i)?, 2 + i);
                found[i] = (*kind, text);
                found_ids[i] = id;
            }
            f(&Observation {
                account,
                at_ms: r.get(1)?,
                identifiers: &found[..ids.len()],
                payment: None,
                text_ids: Some(TextIds {
                    account: account_id,
                    identifiers: &found_ids[..ids.len()],
                }),
            });
        }
        Ok(())
    }

    /// The interned texts of the given `event_rows` columns' kinds, indexed by ident id (`None` for other kinds),
    /// each with its kind as the position of its column in [`EVENT_COLUMNS`].
    fn interned_texts(&self, row_columns: &[&str]) -> Result<InternedTexts> {
        let kinds: Vec<(u8, &str)> = EVENT_COLUMNS
            .iter()
            .enumerate()
            .filter(|(_, (_, column, _))| row_columns.contains(column))
            .filter_map(|(i, (_, _, kind))| Some((i as u8, (*kind)?)))
            .collect();
        // Ids are rowids handed out one by one, so the largest is about the count; a stored id far beyond it
        // (a damaged case) must not size the allocation.
        let (count, largest): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM idents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if largest < 0 || largest > 2 * count + 1024 {
            return Err(crate::Error::Corrupt(format!(
                "interned text ids run to {largest} for {count} texts"
            )));
        }
        let mut texts: InternedTexts = Vec::with_capacity(largest as usize + 1);
        let quoted: Vec<String> = kinds.iter().map(|(_, k)| format!("'{k}'")).collect();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, kind, value FROM idents WHERE kind IN ({})",
            quoted.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Ok(id) = usize::try_from(r.get::<_, i64>(0)?) else {
                continue;
            };
            // The kind compared as the row's bytes: no String per text.
            let ValueRef::Text(kind) = r.get_ref(1)? else {
                continue;
            };
            let Some(&(slot, _)) = kinds.iter().find(|(_, k)| k.as_bytes() == kind) else {
                continue;
            };
            if id >= texts.len() {
                texts.resize(id + 1, None);
            }
            texts[id] = Some((slot, r.get::<_, String>(2)?.into_boxed_str()));
        }
        Ok(texts)
    }

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
