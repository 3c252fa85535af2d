//! Every record's identifiers, as the link graph reads them: account, time and identifiers per record (and what a
//! payment says about its payer), borrowed by the caller's callback one record at a time.
//!
//! The rows are read off SQLite into owned batches by a reading thread on a second connection to the case, while
//! the caller's thread builds from the batches before: at a million accounts SQLite's scans were a quarter of
//! detection, spent waiting on the one thread that also builds the graph. Both ends share one reading function
//! ([`read_batches`]) and one replay ([`Replay`]); only the hand-over differs, so reading on the caller's thread
//! (inside the caller's transaction, whose uncommitted rows a second connection would not see) gives the same
//! observations in the same order.

use crate::Case;
use crate::error::{Error, Result};
use crate::event_rows::{self, EVENT_COLUMNS, EVENT_ROWS};
use crate::linking::disputed_sql;
use ringscope_model::linking::{self, payment};
use ringscope_model::{IdKind, RecordKind};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

/// One record's identifiers, borrowed from the batch being read (no allocation per row).
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

/// Interned texts by id, in one buffer: three million texts at a million accounts were as many allocations, and
/// reading them kept the building thread waiting a second and a half.
struct InternedTexts {
    bytes: String,
    /// By id: where its text is in `bytes`, and its kind (its column's position in [`EVENT_COLUMNS`]; [`NO_KIND`]
    /// for an id of a kind not read, or no id at all).
    spans: Vec<TextSpan>,
}

#[derive(Clone, Copy)]
struct TextSpan {
    start: u64,
    len: u32,
    kind: u8,
}

const NO_KIND: u8 = u8::MAX;

impl InternedTexts {
    /// Text `id` and its kind, if it is one of the kinds read.
    fn get(&self, id: usize) -> Option<(u8, &str)> {
        let span = self.spans.get(id).filter(|s| s.kind != NO_KIND)?;
        let start = span.start as usize;
        // Spans are cut where a text was appended, so slicing never fails; `get` keeps that from being a panic.
        Some((span.kind, self.bytes.get(start..start + span.len as usize)?))
    }
}

/// Most identifier columns one record kind carries (today two each).
const MAX_IDENTIFIERS: usize = 4;

/// A batch ends at this many rows or this many bytes of text, whichever comes first: small enough that the
/// batches in flight stay a few MiB, large enough that handing one over costs nothing per row.
/// (A few rows and bytes in unit tests, so that their small cases cross batches.)
const BATCH_ROWS: usize = if cfg!(test) { 3 } else { 8192 };
const BATCH_TEXT_BYTES: usize = if cfg!(test) { 24 } else { 4 << 20 };

/// Batches the reading thread may run ahead of the building one.
const BATCHES_IN_FLIGHT: usize = 4;

/// A text of a batch: `len` bytes from `start` of its text buffer.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

struct TextRow {
    account: Option<Span>,
    at_ms: Option<i64>,
    identifiers: [Option<Span>; MAX_IDENTIFIERS],
    payment: Option<PaymentRow>,
}

struct PaymentRow {
    creator: Option<Span>,
    amount_minor: Option<i64>,
    declined: bool,
    disputed: bool,
}

/// An `event_rows` row: ids of interned texts, looked up by the replay.
struct EventRow {
    account: Option<i64>,
    at_ms: Option<i64>,
    identifiers: [Option<i64>; MAX_IDENTIFIERS],
    /// The first of the time and identifier columns that did not read as an integer (a damaged case). It fails
    /// the read only if the row is read at all: a row without its account text is left out first, as before.
    unreadable: Option<Box<rusqlite::Error>>,
}

/// The interned texts events refer to, and the text kind each event column expects.
struct EventTexts {
    texts: InternedTexts,
    /// Per selected `event_rows` column, its position in [`EVENT_COLUMNS`].
    expected: Vec<Option<usize>>,
}

enum Batch {
    /// Account or payment records, their texts in one buffer.
    Texts {
        record: RecordKind,
        text: String,
        rows: Vec<TextRow>,
    },
    /// The interned texts, sent before the first batch of events.
    EventTexts(EventTexts),
    Events(Vec<EventRow>),
}

impl Case {
    /// Calls `f` for every record of `record` kind, in table order, with its account, time and identifiers
    /// (payments without a payer are skipped: nobody used them).
    pub fn for_each_observation(
        &self,
        record: RecordKind,
        mut f: impl FnMut(&Observation<'_, '_>),
    ) -> Result<()> {
        self.for_each_observation_of(&[record], |_, o| f(o))
    }

    /// [`Case::for_each_observation`] for each of `records` in turn, all read from one snapshot of the case, on a
    /// second connection and thread unless the case's connection is inside a transaction (or the file at its
    /// path is no longer this case).
    pub fn for_each_observation_of(
        &self,
        records: &[RecordKind],
        f: impl FnMut(RecordKind, &Observation<'_, '_>),
    ) -> Result<()> {
        for record in records {
            assert!(
                linking::identifier_columns(*record).len() <= MAX_IDENTIFIERS,
                "{record}: too many identifier columns"
            );
        }
        let mut replay = Replay::new(f);
        let reader = match self.conn.is_autocommit() {
            true => self.reading_connection(),
            false => None,
        };
        let Some(reader) = reader else {
            let mut replayed = Ok(());
            read_batches(&self.conn, records, |batch| {
                replayed = replay.batch(batch);
                replayed.is_ok()
            })?;
            return replayed;
        };
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || {
                // A failed send means the building side has stopped: nothing more to read for.
                read_batches(&reader, records, |batch| sender.send(batch).is_ok())
            });
            // Stopping at a failed batch drops the receiver, which stops the reading thread.
            let replayed = receiver
                .into_iter()
                .try_for_each(|batch| replay.batch(batch));
            let read = reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            replayed.and(read)
        })
    }

    /// A second connection to this case for reading only (`query_only`: it cannot write even by mistake), or
    /// `None` when there is none to be had: the file SQLite opened has been moved, removed or replaced by another
    /// case since. The caller then reads on the case's own connection.
    pub(crate) fn reading_connection(&self) -> Option<Connection> {
        // The file as SQLite resolved it (absolute): the working directory may have changed since the open.
        let path = self
            .conn
            .path()
            .map_or_else(|| self.path.clone(), Into::into);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()?;
        conn.pragma_update(None, "query_only", true).ok()?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).ok()?;
        let uid = |c: &Connection| -> Option<String> {
            c.query_row("SELECT case_uid FROM case_info WHERE id = 1", [], |r| {
                r.get(0)
            })
            .ok()
        };
        let theirs = uid(&conn)?;
        (Some(theirs) == uid(&self.conn)).then_some(conn)
    }
}

/// Reads `records` in turn from one snapshot of `conn`, handing each batch to `emit` (which returns `false` to
/// stop the read).
fn read_batches(
    conn: &Connection,
    records: &[RecordKind],
    mut emit: impl FnMut(Batch) -> bool,
) -> Result<()> {
    // One snapshot for every table read (a read needs no commit: dropped at the end).
    let _snapshot = match conn.is_autocommit() {
        true => Some(conn.unchecked_transaction()?),
        false => None,
    };
    for &record in records {
        let more = match record {
            RecordKind::Events => read_events(conn, &mut emit)?,
            _ => read_text_records(conn, record, &mut emit)?,
        };
        if !more {
            break;
        }
    }
    Ok(())
}

/// A nullable text column, borrowed from the row.
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null()?)
}

/// A text column that must hold text (not null, UTF-8), borrowed from the row.
fn required_text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(i)?.as_str()?)
}

/// Appends column `i`, a nullable text, to the batch's buffer.
fn push_text(buffer: &mut String, r: &rusqlite::Row<'_>, i: usize) -> Result<Option<Span>> {
    let Some(value) = text(r, i)? else {
        return Ok(None);
    };
    let span = Span {
        start: u32::try_from(buffer.len())
            .map_err(|_| Error::Corrupt("batch over 4 GiB".into()))?,
        len: u32::try_from(value.len()).map_err(|_| Error::Corrupt("a text over 4 GiB".into()))?,
    };
    buffer.push_str(value);
    Ok(Some(span))
}

/// Account records or payments, as text rows.
fn read_text_records(
    conn: &Connection,
    record: RecordKind,
    emit: &mut impl FnMut(Batch) -> bool,
) -> Result<bool> {
    let ids = linking::identifier_columns(record);
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
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let first_id = 2;
    let after_ids = first_id + ids.len();
    let mut buffer = String::new();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(r) = rows.next()? {
        let mut found = [None; MAX_IDENTIFIERS];
        for (i, slot) in found.iter_mut().enumerate().take(ids.len()) {
            *slot = push_text(&mut buffer, r, first_id + i)?;
        }
        let payment = match is_payment {
            true => Some(PaymentRow {
                creator: push_text(&mut buffer, r, after_ids)?,
                amount_minor: r.get(after_ids + 1)?,
                declined: payment::is_declined(text(r, after_ids + 2)?),
                disputed: r.get(after_ids + 3)?,
            }),
            false => None,
        };
        batch.push(TextRow {
            account: push_text(&mut buffer, r, 0)?,
            at_ms: r.get(1)?,
            identifiers: found,
            payment,
        });
        if batch.len() == BATCH_ROWS || buffer.len() >= BATCH_TEXT_BYTES {
            let rows = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            let text = std::mem::take(&mut buffer);
            if !emit(Batch::Texts { record, text, rows }) {
                return Ok(false);
            }
        }
    }
    Ok(batch.is_empty()
        || emit(Batch::Texts {
            record,
            text: buffer,
            rows: batch,
        }))
}

/// Events as detection reads them: the integer rows of `event_rows`, with each interned text read once from
/// `idents`, rather than the `events` view's joins per row.
fn read_events(conn: &Connection, emit: &mut impl FnMut(Batch) -> bool) -> Result<bool> {
    let ids = linking::identifier_columns(RecordKind::Events);
    let stored = [
        "account_id",
        linking::observed_at_column(RecordKind::Events),
    ]
    .into_iter()
    .chain(ids.iter().map(|(_, stored)| *stored));
    let columns = stored
        .map(|name| {
            event_rows::row_column(name)
                .ok_or_else(|| Error::Corrupt(format!("no event_rows column for events.{name}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let kind_of = |column: &str| EVENT_COLUMNS.iter().position(|(_, c, _)| *c == column);
    let texts = EventTexts {
        texts: interned_texts(conn, &columns)?,
        expected: columns.iter().map(|c| kind_of(c)).collect(),
    };
    if !emit(Batch::EventTexts(texts)) {
        return Ok(false);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM {EVENT_ROWS} ORDER BY id",
        columns.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(r) = rows.next()? {
        let mut unreadable = None;
        let mut int = |i: usize| -> Option<i64> {
            r.get(i)
                .map_err(|e| unreadable.get_or_insert_with(|| Box::new(e)))
                .ok()
                .flatten()
        };
        let at_ms = int(1);
        let mut identifiers = [None; MAX_IDENTIFIERS];
        for (i, slot) in identifiers.iter_mut().enumerate().take(ids.len()) {
            *slot = int(2 + i);
        }
        batch.push(EventRow {
            account: r.get(0)?,
            at_ms,
            identifiers,
            unreadable,
        });
        if batch.len() == BATCH_ROWS {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
            if !emit(Batch::Events(full)) {
                return Ok(false);
            }
        }
    }
    Ok(batch.is_empty() || emit(Batch::Events(batch)))
}

/// The interned texts of the given `event_rows` columns' kinds, indexed by ident id (`None` for other kinds),
/// each with its kind as the position of its column in [`EVENT_COLUMNS`].
fn interned_texts(conn: &Connection, row_columns: &[&str]) -> Result<InternedTexts> {
    let kinds: Vec<(u8, &str)> = EVENT_COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, (_, column, _))| row_columns.contains(column))
        .filter_map(|(i, (_, _, kind))| Some((i as u8, (*kind)?)))
        .collect();
    // Ids are rowids handed out one by one, so the largest is about the count; a stored id far beyond it
    // (a damaged case) must not size the allocation.
    let (count, largest): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(max(id), 0) FROM idents",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if largest < 0 || largest > 2 * count + 1024 {
        return Err(Error::Corrupt(format!(
            "interned text ids run to {largest} for {count} texts"
        )));
    }
    let none = TextSpan {
        start: 0,
        len: 0,
        kind: NO_KIND,
    };
    let mut texts = InternedTexts {
        bytes: String::new(),
        spans: Vec::with_capacity(largest as usize + 1),
    };
    let quoted: Vec<String> = kinds.iter().map(|(_, k)| format!("'{k}'")).collect();
    let mut stmt = conn.prepare(&format!(
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
        if id >= texts.spans.len() {
            texts.spans.resize(id + 1, none);
        }
        let value = required_text(r, 2)?;
        texts.spans[id] = TextSpan {
            start: texts.bytes.len() as u64,
            len: u32::try_from(value.len())
                .map_err(|_| Error::Corrupt(format!("interned text {id} is over 4 GiB")))?,
            kind: slot,
        };
        texts.bytes.push_str(value);
    }
    Ok(texts)
}

/// Turns batches back into observations for the caller's callback, in the order they were read.
struct Replay<F> {
    f: F,
    /// The interned texts, once events start.
    events: Option<EventTexts>,
}

impl<F: FnMut(RecordKind, &Observation<'_, '_>)> Replay<F> {
    fn new(f: F) -> Self {
        Replay { f, events: None }
    }

    fn batch(&mut self, batch: Batch) -> Result<()> {
        match batch {
            Batch::Texts { record, text, rows } => {
                // Events are read in one run: their texts (100 MB at 1M accounts) are done with.
                self.events = None;
                self.text_rows(record, &text, &rows);
            }
            Batch::EventTexts(texts) => self.events = Some(texts),
            Batch::Events(rows) => self.event_rows(rows)?,
        }
        Ok(())
    }

    fn text_rows(&mut self, record: RecordKind, text: &str, rows: &[TextRow]) {
        let ids = linking::identifier_columns(record);
        // Spans are cut at the buffer's own char boundaries, so slicing never fails.
        let at = |span: Option<Span>| {
            span.map(|s| &text[s.start as usize..s.start as usize + s.len as usize])
        };
        for row in rows {
            let mut found = [(IdKind::Device, None); MAX_IDENTIFIERS];
            for (i, (kind, _)) in ids.iter().enumerate() {
                found[i] = (*kind, at(row.identifiers[i]));
            }
            (self.f)(
                record,
                &Observation {
                    account: at(row.account).unwrap_or_default(),
                    at_ms: row.at_ms,
                    identifiers: &found[..ids.len()],
                    payment: row.payment.as_ref().map(|p| PaymentStanding {
                        creator: at(p.creator),
                        amount_minor: p.amount_minor,
                        declined: p.declined,
                        disputed: p.disputed,
                    }),
                    text_ids: None,
                },
            );
        }
    }

    fn event_rows(&mut self, rows: Vec<EventRow>) -> Result<()> {
        let Some(EventTexts { texts, expected }) = &self.events else {
            return Ok(());
        };
        let ids = linking::identifier_columns(RecordKind::Events);
        // An id indexes `texts`, whose length `interned_texts` bounds; anything else reads as no text. A text
        // of another kind than its column's (a damaged case) is read as the view reads it, but without its id:
        // a reader keying on ids must not take a device's id for an account's.
        let known = |id: Option<i64>, column: usize| -> (Option<u32>, Option<&str>) {
            let Some(id) = id.and_then(|id| u32::try_from(id).ok()) else {
                return (None, None);
            };
            match texts.get(id as usize) {
                Some((kind, text)) => {
                    let id = (Some(kind as usize) == expected[column]).then_some(id);
                    (id, Some(text))
                }
                None => (None, None),
            }
        };
        for row in rows {
            // A row whose account text is missing (a damaged case) is left out, as the `events` view leaves it.
            let (account_id, Some(account)) = known(row.account, 0) else {
                continue;
            };
            if let Some(unreadable) = row.unreadable {
                return Err((*unreadable).into());
            }
            let mut found = [(IdKind::Device, None); MAX_IDENTIFIERS];
            let mut found_ids = [None; MAX_IDENTIFIERS];
            for (i, (kind, _)) in ids.iter().enumerate() {
                let (id, text) = known(row.identifiers[i], 2 + i);
                found[i] = (*kind, text);
                found_ids[i] = id;
            }
            (self.f)(
                RecordKind::Events,
                &Observation {
                    account,
                    at_ms: row.at_ms,
                    identifiers: &found[..ids.len()],
                    payment: None,
                    text_ids: Some(TextIds {
                        account: account_id,
                        identifiers: &found_ids[..ids.len()],
                    }),
                },
            );
        }
        Ok(())
    }
}
