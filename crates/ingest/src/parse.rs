//! The import's parsing thread: reads the file's second pass through the CSV reader, normalizes each row and
//! hands rows to the writing thread in batches. Parsing and normalizing were half of an import's time on the
//! one thread that also wrote to SQLite; now they overlap with the writes.

use crate::error::{Error, Result, RowError};
use crate::header::Layout;
use crate::load::{RowNormalizer, Unnormalized};
use crate::stream::{self, Input, Pieces, Tee, Window};
use crate::{ImportOptions, KEPT_EXAMPLES, KeptVerbatim, source};
use ringscope_model::{NormalizeOptions, Value};
use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;

/// How many rows a batch carries at most, and how many of their bytes: a batch is sent at whichever comes first
/// (and the import checks for cancellation and reports progress). Bytes bound the memory of rows in flight when
/// rows are huge.
pub(crate) const BATCH_ROWS: u64 = 4096;
const BATCH_BYTES: u64 = 8 << 20;

/// One row for the writer: a good row's place and values, or (with `allow_rejects`) a bad row to store.
pub(crate) enum Item {
    Row {
        line: u64,
        /// The row's bytes in the file (from its first byte, after any byte order mark).
        start: u64,
        len: u64,
        /// The row's values are `Batch::values[previous end..values_end]`.
        values_end: usize,
    },
    Rejected {
        errors: Vec<RowError>,
        row_text: String,
    },
}

#[derive(Default)]
pub(crate) struct Batch {
    pub items: Vec<Item>,
    pub values: Vec<Value>,
    /// Progress after this batch, in the file's text.
    pub bytes_done: u64,
    pub rows_read: u64,
}

impl Batch {
    /// Each item with its values (empty for a rejected row).
    pub fn rows(&self) -> impl Iterator<Item = (&Item, &[Value])> {
        let mut from = 0;
        self.items.iter().map(move |item| match item {
            Item::Row { values_end, .. } => {
                let values = &self.values[from..*values_end];
                from = *values_end;
                (item, values)
            }
            Item::Rejected { .. } => (item, &[][..]),
        })
    }
}

/// What the parser counted over the whole file.
pub(crate) struct Parsed {
    pub rows_read: u64,
    pub bad_rows: u64,
    /// The first bad rows' errors (up to `listed`).
    pub listed_errors: Vec<RowError>,
    pub kept: Vec<KeptVerbatim>,
    /// Whether a column was read again from the file for its dates' day/month order: a third read, which the
    /// second pass's hash does not cover.
    pub read_again: bool,
}

/// Everything the parsing thread reads and does not own.
pub(crate) struct Job<'a> {
    pub file: &'a str,
    pub input: &'a dyn Input,
    pub text_start: usize,
    pub text_len: u64,
    pub header: &'a [String],
    pub layout: &'a Layout,
    pub norm: &'a NormalizeOptions,
    pub opts: &'a ImportOptions<'a>,
}

/// Parses the file, sending batches to `batches` and the file's bytes to `pieces`. Returns when the file is read
/// or the writer has gone (then with an error nobody reads).
pub(crate) fn parse(
    job: &Job<'_>,
    mut pieces: Pieces,
    batches: SyncSender<Batch>,
) -> Result<Parsed> {
    let file = job.file;
    let reader = stream::open_for_parsing(job.input, job.text_start, &mut pieces)?;
    let window = RefCell::new(Window::default());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(Tee::new(reader, &window, pieces));
    let read_error = |e: csv::Error, line| {
        if let csv::ErrorKind::Io(io) = e.kind()
            && let Some(too_long) = io
                .get_ref()
                .and_then(|e| e.downcast_ref::<stream::RowTooLong>())
        {
            return Error::Csv {
                file: file.into(),
                line,
                reason: too_long.to_string(),
            };
        }
        if !e.is_io_error() {
            return Error::Csv {
                file: file.into(),
                line,
                reason: e.to_string(),
            };
        }
        match e.into_kind() {
            csv::ErrorKind::Io(error) => Error::Io {
                path: job.input.path().to_owned(),
                error,
            },
            kind => Error::Csv {
                file: file.into(),
                line,
                reason: format!("{kind:?}"),
            },
        }
    };
    // The header was read from the first pass's copy; this reads past it.
    reader.headers().map_err(|e| read_error(e, 1))?;
    // Where the last row read ended: the next one starts there (for the line of a row that fails to read).
    let mut last_end = reader.position().byte() as usize;

    let read_again = std::cell::Cell::new(false);
    let date_scan = |column: usize| {
        read_again.set(true);
        stream::reopen_text(job.input, job.text_start)
            .ok()
            .and_then(|text| crate::load::column_date_order(text, column))
    };
    let normalizer = RowNormalizer::new(file, job.header, job.layout, job.norm, &date_scan);
    let opts = job.opts;
    let fields = job.layout.kind.fields();
    let mut parsed = Parsed {
        rows_read: 0,
        bad_rows: 0,
        listed_errors: vec![],
        read_again: false,
        kept: fields
            .iter()
            .map(|f| KeptVerbatim {
                field: f.name.to_string(),
                count: 0,
                examples: vec![],
            })
            .collect(),
    };
    let mut record = csv::StringRecord::new();
    let (mut line, mut line_cursor, mut last_start) = (1u64, 0usize, 0usize);
    let mut values: Vec<Value> = Vec::new();
    let (mut errors, mut unnormalized): (Vec<RowError>, Vec<Unnormalized>) = (vec![], vec![]);
    let mut batch = Batch::default();
    let (mut batch_rows, mut batch_bytes) = (0u64, 0u64);
    let send = |batch: &mut Batch, bytes_done: u64, rows_read: u64| -> Result<()> {
        let full = std::mem::take(batch);
        batches
            .send(Batch {
                bytes_done,
                rows_read,
                ..full
            })
            .map_err(|_| Error::Cancelled)
    };
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let next_line = line + window.borrow().line_breaks(line_cursor, last_end);
            read_error(e, next_line)
        })?;
        if !more {
            break;
        }
        let window_now = window.borrow();
        let mut start = record.position().map_or(line_cursor, |p| p.byte() as usize);
        // After a CRLF the csv crate reports the record as starting on the LF; step past line ends.
        while matches!(window_now.byte(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += window_now.line_breaks(line_cursor, start);
        (line_cursor, last_start) = (start, start);
        let end = reader.position().byte() as usize;
        last_end = end;
        parsed.rows_read += 1;
        batch_rows += 1;
        batch_bytes += end.saturating_sub(start) as u64;
        normalizer.normalize(line, &record, &mut values, &mut errors, &mut unnormalized);
        if !errors.is_empty() {
            parsed.bad_rows += 1;
            let room = opts.listed.saturating_sub(parsed.listed_errors.len());
            if opts.allow_rejects {
                let row_text = row_text(window_now.slice(start, end)).to_string();
                parsed
                    .listed_errors
                    .extend(errors.iter().take(room).cloned());
                batch.items.push(Item::Rejected {
                    errors: std::mem::take(&mut errors),
                    row_text,
                });
            } else {
                parsed.listed_errors.extend(errors.drain(..).take(room));
            }
        } else {
            for u in unnormalized.drain(..) {
                let field = &mut parsed.kept[u.field];
                field.count += 1;
                if field.examples.len() < KEPT_EXAMPLES {
                    field.examples.push(u.at);
                }
            }
            // Strict mode after a bad row: keep checking the rest to report every bad row, but write nothing more.
            if parsed.bad_rows == 0 || opts.allow_rejects {
                batch.values.append(&mut values);
                batch.items.push(Item::Row {
                    line,
                    start: (job.text_start + start) as u64,
                    len: end.saturating_sub(start) as u64,
                    values_end: batch.values.len(),
                });
            }
        }
        drop(window_now);
        window.borrow_mut().release_before(start);
        if batch_rows >= BATCH_ROWS || batch_bytes >= BATCH_BYTES {
            if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(Error::Cancelled);
            }
            send(&mut batch, start as u64, parsed.rows_read)?;
            (batch_rows, batch_bytes) = (0, 0);
        }
    }
    // The file is read to its end: whatever is wrong with it now, the import can tell whether it changed.
    reader
        .into_inner()
        .into_pieces()
        .finish()
        .map_err(|_| Error::Cancelled)?;
    if parsed.rows_read == 0 {
        return Err(Error::NoRows { file: file.into() });
    }
    if let Some(column) = source::unterminated_quote(window.borrow().from(last_start)) {
        return Err(Error::UnterminatedQuote {
            file: file.into(),
            line,
            column,
        });
    }
    if parsed.bad_rows > 0 && !opts.allow_rejects {
        return Err(Error::BadRows {
            file: file.into(),
            total: parsed.bad_rows as usize,
            errors: parsed.listed_errors,
        });
    }
    send(&mut batch, job.text_len, parsed.rows_read)?;
    parsed.kept.retain(|k| k.count > 0);
    parsed.read_again = read_again.get();
    Ok(parsed)
}

/// A row's text exactly as the file has it, without its line end.
fn row_text(bytes: &[u8]) -> &str {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    // The whole file was checked to be UTF-8, and rows start and end on line breaks.
    std::str::from_utf8(bytes).unwrap_or_default()
}
