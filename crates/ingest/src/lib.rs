//! CSV import into a Ringscope case.
//!
//! One file is one transaction: it is read whole (and hashed), checked as text, its header resolved to a kind and
//! layout, and every row normalized. A row is bad for its structure or a required field; an optional value that does
//! not normalize keeps its row and is reported ([`KeptVerbatim`]). In strict mode (the default) a single bad row
//! aborts the import and nothing is written; the error lists the bad rows as `file:line:column: reason`. With
//! `allow_rejects`, good rows are imported and bad rows are stored as rejects, with their text. A file whose SHA-256
//! the case already has is not imported again.

mod error;
mod header;
mod load;
mod mapping;
mod parse;
mod preview;
mod source;
mod stream;
mod tickets;

pub use error::{Error, Result, RowError};
pub use header::{FieldSource, Layout, resolve};
pub use load::MAX_FIELD_BYTES;
pub use mapping::{Mapping, header_signature};
pub use preview::{Preview, preview};
pub use source::{SourceBytes, read_checked, read_file};
pub use tickets::{Ticket, parse_tickets};

use ringscope_model::{NormalizeOptions, RecordKind, Value};
use ringscope_store::{
    Case, Chunk, FieldConflict, ImportTx, NewSource, RowCounts, RowOrigin, SourceFile, Upsert,
};
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use stream::{FileInput, Input, Pieces};

/// How many bad rows or conflicts an error or report lists; the counts are always complete.
pub const DEFAULT_LISTED: usize = 100;

/// How many examples the report gives per field of values kept verbatim; the counts are always complete.
pub const KEPT_EXAMPLES: usize = 5;

pub struct ImportOptions<'a> {
    pub kind: Option<RecordKind>,
    pub mapping: Option<&'a Mapping>,
    pub allow_rejects: bool,
    /// Who is importing, for the source table and the audit log.
    pub actor: String,
    /// The import time (RFC 3339, UTC).
    pub now: String,
    pub listed: usize,
    /// Set from another thread to stop the import; the case is left untouched.
    pub cancel: Option<&'a AtomicBool>,
}

impl<'a> ImportOptions<'a> {
    pub fn new(actor: impl Into<String>, now: impl Into<String>) -> Self {
        ImportOptions {
            kind: None,
            mapping: None,
            allow_rejects: false,
            actor: actor.into(),
            now: now.into(),
            listed: DEFAULT_LISTED,
            cancel: None,
        }
    }
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Reading,
    Importing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Progress<'a> {
    pub file: &'a str,
    pub phase: Phase,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows: u64,
}

/// A later row that disagreed with a record's first value.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ConflictReport {
    pub line: u64,
    pub key: String,
    #[serde(flatten)]
    pub conflict: FieldConflict,
}

/// The values of one optional field that did not normalize. Their rows were imported: each value is kept verbatim
/// in its row's `raw`, and its normalized column holds the best linkable form or nothing.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct KeptVerbatim {
    pub field: String,
    pub count: u64,
    /// The first few, each as `file:line:column: reason`.
    pub examples: Vec<RowError>,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub kind: RecordKind,
    pub detected_as: String,
    pub source_id: i64,
    /// True when the case already had this exact file: nothing changed.
    pub already_imported: bool,
    pub rows: RowCounts,
    pub mapping_saved: bool,
    /// The first rejected rows (with `allow_rejects`); `rows.rejected` has the count.
    pub rejects: Vec<RowError>,
    pub conflicts: Vec<ConflictReport>,
    /// Per field, the optional values that did not normalize (field order; only fields that had some).
    pub kept_verbatim: Vec<KeptVerbatim>,
}

/// Imports one file into the case.
pub fn import_file(
    case: &mut Case,
    path: &Path,
    opts: &ImportOptions<'_>,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<ImportReport> {
    import_input(case, &FileInput(path.to_owned()), opts, progress)
}

/// Batches and file chunks in flight between the threads: enough to keep each busy, few enough to bound memory
/// (4 × 4096 rows; 32 × 128 KiB).
const BATCHES_IN_FLIGHT: usize = 4;
const PIECES_IN_FLIGHT: usize = 32;

fn import_input(
    case: &mut Case,
    input: &dyn Input,
    opts: &ImportOptions<'_>,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<ImportReport> {
    let file = source::file_name(input.path());
    let file = file.as_str();
    let total = input.len_now().unwrap_or(0);
    let scanned = stream::scan(input, &mut |done| {
        if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Error::Cancelled);
        }
        progress(&Progress {
            file,
            phase: Phase::Reading,
            bytes_done: done,
            bytes_total: total,
            rows: 0,
        });
        Ok(())
    })?;
    if let Some(existing) = case.source_by_sha256(&scanned.sha256)? {
        return Ok(already_imported(file, &scanned, existing));
    }
    let header: Vec<String> = stream::header_record(file, &scanned)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    check_duplicate_columns(file, &header)?;
    stream::check_header_quotes(file, &scanned)?;
    let signature = header_signature(&header);
    let saved = case
        .saved_mapping(&signature)?
        .and_then(|(_, json)| Mapping::parse(&json).ok());
    let layout = resolve(file, &header, opts.kind, opts.mapping, saved)?;
    let meta = case.meta()?;
    let norm = NormalizeOptions::with_region(&meta.phone_region).unwrap_or_default();
    let mapping_json = layout.mapping.to_json();
    let header_json = serde_json::to_string(&header).expect("strings serialize");

    let tx = case.begin_import()?;
    // Another process may have imported the same file while this one was waiting for the write lock.
    if let Some(existing) = tx.source_by_sha256(&scanned.sha256)? {
        return Ok(already_imported(file, &scanned, existing));
    }
    let source_id = tx.add_source(&NewSource {
        file_name: file,
        sha256: &scanned.sha256,
        size: scanned.size as i64,
        kind: layout.kind,
        detected_as: &layout.detected_as,
        mapping_json: &mapping_json,
        header_json: &header_json,
        imported_by: &opts.actor,
        imported_at: &opts.now,
    })?;
    let job = parse::Job {
        file,
        input,
        text_start: scanned.text_start,
        text_len: scanned.size - scanned.text_start as u64,
        header: &header,
        layout: &layout,
        norm: &norm,
        opts,
    };
    // Three threads: this one writes to the case, one parses and normalizes, one hashes and compresses the
    // file's bytes. Only the parser reads the file.
    let (to_compress, pieces) = std::sync::mpsc::sync_channel(PIECES_IN_FLIGHT);
    let (compressed, chunks) = std::sync::mpsc::channel();
    let (to_write, batches) = std::sync::mpsc::sync_channel(BATCHES_IN_FLIGHT);
    let (written, parsed, stream) = std::thread::scope(|scope| {
        let compressing = scope.spawn(move || stream::compress(pieces, compressed));
        let job = &job;
        let parsing = scope.spawn(move || parse::parse(job, Pieces::new(to_compress), to_write));
        let written = write(&tx, job, source_id, batches, &chunks, progress);
        let parsed = parsing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let stream = compressing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (written, parsed, stream)
    });
    let written = written?;
    let changed = || Error::ChangedWhileReading {
        path: input.path().to_owned(),
    };
    let stream = match (stream, parsed.as_ref()) {
        (Ok(stream), _) => stream,
        // The parser's own error says more than the compressor's failure to go on.
        (Err(_), Err(_)) => stream::Compressed::incomplete(),
        (Err(error), Ok(_)) => {
            return Err(Error::Io {
                path: input.path().to_owned(),
                error,
            });
        }
    };
    // A file read to its end that is not the file the first pass hashed changed in between, whatever its rows
    // say now. A parser that stopped early may have stopped because the file changed (its bytes no longer
    // UTF-8, the file gone): then the file is read once more to tell.
    let same_bytes = stream.size == scanned.size && stream.sha256 == scanned.sha256;
    if stream.complete && !same_bytes {
        return Err(changed());
    }
    let parsed = match parsed {
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(_) if !stream.complete && !stream::unchanged(input, &scanned) => return Err(changed()),
        other => other?,
    };
    if !stream.complete {
        return Err(changed()); // cannot happen: the parser finishes the stream before it succeeds
    }
    // A column read again for its dates' order was read outside both hashed passes: the file must still be the
    // one they hashed, or that order may come from other bytes.
    if parsed.read_again && !stream::unchanged(input, &scanned) {
        return Err(changed());
    }
    tx.add_original_chunks(source_id, &chunks.try_iter().collect::<Vec<_>>())?;
    tx.mark_original_kept(source_id)?;

    let rows = RowCounts {
        read: parsed.rows_read as i64,
        rejected: parsed.bad_rows as i64,
        ..written.rows
    };
    tx.finish_source(source_id, &rows)?;
    if layout.save {
        tx.save_mapping(&signature, layout.kind, &mapping_json, source_id)?;
    }
    let kept = parsed.kept;
    let details = serde_json::json!({
        "source_id": source_id, "sha256": scanned.sha256, "size": scanned.size, "kind": layout.kind,
        "detected_as": layout.detected_as, "rows": rows,
        "kept_verbatim": kept.iter().map(|k| (k.field.clone(), k.count.into())).collect::<serde_json::Map<_, _>>(),
    });
    tx.audit(&opts.now, &opts.actor, "import", file, &details)?;
    tx.commit()?;
    Ok(ImportReport {
        file: file.to_string(),
        sha256: scanned.sha256,
        size: scanned.size,
        kind: layout.kind,
        detected_as: layout.detected_as.clone(),
        source_id,
        already_imported: false,
        rows,
        mapping_saved: layout.save,
        rejects: if opts.allow_rejects {
            parsed.listed_errors
        } else {
            vec![]
        },
        conflicts: written.conflicts,
        kept_verbatim: kept,
    })
}

/// What the writer counted: rows stored and merged, and the first conflicts.
struct Written {
    rows: RowCounts,
    conflicts: Vec<ConflictReport>,
}

/// The writing side: stores each batch's rows and rejects, and the file's chunks as they are compressed.
fn write(
    tx: &ImportTx<'_>,
    job: &parse::Job<'_>,
    source_id: i64,
    batches: std::sync::mpsc::Receiver<parse::Batch>,
    chunks: &std::sync::mpsc::Receiver<Chunk>,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Written> {
    let layout = job.layout;
    let mut rows = RowCounts::default();
    let mut conflicts = vec![];
    for batch in batches {
        // Stop at once, not after the batches already parsed.
        if job.opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Error::Cancelled);
        }
        progress(&Progress {
            file: job.file,
            phase: Phase::Importing,
            bytes_done: batch.bytes_done,
            bytes_total: job.text_len,
            rows: batch.rows_read,
        });
        for (item, values) in batch.rows() {
            let (line, origin) = match item {
                parse::Item::Rejected { errors, row_text } => {
                    for e in errors {
                        tx.add_reject(
                            source_id,
                            e.line,
                            e.column,
                            e.header.as_deref(),
                            &e.reason,
                            row_text,
                        )?;
                    }
                    continue;
                }
                parse::Item::Row {
                    line, start, len, ..
                } => (
                    *line,
                    RowOrigin::Bytes {
                        start: *start,
                        len: *len,
                    },
                ),
            };
            match tx.upsert(layout.kind, source_id, line, values, origin)? {
                Upsert::Inserted => rows.imported += 1,
                Upsert::Duplicate {
                    conflicts: found, ..
                } => {
                    rows.duplicate += 1;
                    if !found.is_empty() {
                        rows.conflicting += 1;
                        let key = layout
                            .kind
                            .key_field()
                            .map(|k| key_value(layout, k, values))
                            .unwrap_or_default();
                        let room = job.opts.listed.saturating_sub(conflicts.len());
                        conflicts.extend(found.into_iter().take(room).map(|conflict| {
                            ConflictReport {
                                line,
                                key: key.clone(),
                                conflict,
                            }
                        }));
                    }
                }
            }
        }
        tx.add_original_chunks(source_id, &chunks.try_iter().collect::<Vec<_>>())?;
    }
    Ok(Written { rows, conflicts })
}

fn already_imported(file: &str, scanned: &stream::Scanned, existing: SourceFile) -> ImportReport {
    ImportReport {
        file: file.to_string(),
        sha256: scanned.sha256.clone(),
        size: scanned.size,
        kind: existing.kind,
        detected_as: existing.detected_as,
        source_id: existing.id,
        already_imported: true,
        rows: RowCounts::default(),
        mapping_saved: false,
        rejects: vec![],
        conflicts: vec![],
        kept_verbatim: vec![],
    }
}

fn key_value(layout: &Layout, key_field: &str, values: &[Value]) -> String {
    let idx = layout
        .kind
        .stored_columns()
        .iter()
        .position(|(n, _)| n == key_field)
        .unwrap_or(0);
    values.get(idx).map(Value::to_string).unwrap_or_default()
}

fn check_duplicate_columns(file: &str, header: &[String]) -> Result<()> {
    for (i, name) in header.iter().enumerate() {
        if let Some(first) = header[..i]
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
        {
            return Err(Error::DuplicateColumn {
                file: file.into(),
                name: name.clone(),
                column: i as u64 + 1,
                first: first as u64 + 1,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::sync::atomic::AtomicUsize;

    /// A file whose bytes are `first` when opened the first time and `later` after: it changed between the
    /// import's two passes.
    struct Changing {
        first: Vec<u8>,
        /// `None`: gone after the first pass.
        later: Option<Vec<u8>>,
        /// How many opens see `first` (the first pass's, by default).
        opens_before_change: usize,
        opened: AtomicUsize,
    }

    impl Changing {
        fn new(first: &[u8], later: Option<&[u8]>) -> Changing {
            Changing {
                first: first.to_vec(),
                later: later.map(<[u8]>::to_vec),
                opens_before_change: 1,
                opened: AtomicUsize::new(0),
            }
        }
    }

    impl Input for Changing {
        fn path(&self) -> &Path {
            Path::new("accounts.csv")
        }
        fn open(&self) -> std::io::Result<Box<dyn Read + Send + '_>> {
            let bytes = match (self.opened.fetch_add(1, Ordering::SeqCst), &self.later) {
                (n, _) if n < self.opens_before_change => &self.first,
                (_, Some(later)) => later,
                (_, None) => return Err(std::io::ErrorKind::NotFound.into()),
            };
            Ok(Box::new(bytes.as_slice()))
        }
        fn len_now(&self) -> std::io::Result<u64> {
            Ok(self.first.len() as u64)
        }
    }

    fn case(dir: &Path) -> Case {
        let new = ringscope_store::NewCase {
            title: "t".into(),
            reference: None,
            investigator: None,
            phone_region: "US".into(),
        };
        Case::create(&dir.join("c.ringscope"), &new, "2026-12-07T00:00:00Z").unwrap()
    }

    fn import(case: &mut Case, input: &Changing) -> Result<ImportReport> {
        let opts = ImportOptions::new("test", "2026-12-07T00:00:00Z");
        import_input(case, input, &opts, &mut |_| {})
    }

    #[test]
    fn a_file_that_changes_between_the_two_passes_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = case(dir.path());
        let first = b"account_id,email\nu1,a@example.com\nu2,b@example.com\n".to_vec();
        let changes = [
            // Same length, one byte different: only the hash can tell.
            b"account_id,email\nu1,a@example.com\nu3,b@example.com\n".to_vec(),
            // Cut short, and grown.
            first[..first.len() - 5].to_vec(),
            [first.as_slice(), b"u4,d@example.com\n"].concat(),
            // Changed so that its rows no longer parse: still reported as a change, not as bad rows.
            b"account_id,email\nu1,a@example.com\n\"u2,b@example.com\n".to_vec(),
            // No longer UTF-8: the second pass's reader stops before the end, and the file is read again to tell.
            b"account_id,email\nu1,a@example.com\nu2,b@exampl\xff.com\n".to_vec(),
        ];
        let check = |case: &mut Case, input: &Changing| {
            let err = import(case, input).unwrap_err();
            assert!(
                matches!(err, Error::ChangedWhileReading { .. }),
                "{:?}: {err}",
                input.later.as_deref().map(String::from_utf8_lossy)
            );
            assert!(case.sources().unwrap().is_empty());
            assert_eq!(case.counts().unwrap().accounts, 0);
        };
        for later in &changes {
            check(&mut case, &Changing::new(&first, Some(later)));
        }
        // Gone after the first pass.
        check(&mut case, &Changing::new(&first, None));
        // Unchanged through both passes, changed before its dates' column is read again (a third read).
        let dated = b"account_id,created_at\nu1,03/04/2026\nu2,05/06/2026\n";
        let redated = b"account_id,created_at\nu1,03/04/2026\nu2,25/06/2026\n";
        let mut input = Changing::new(dated, Some(redated));
        input.opens_before_change = 2;
        check(&mut case, &input);
        // Unchanged, the same input imports.
        let report = import(&mut case, &Changing::new(&first, Some(&first))).unwrap();
        assert_eq!(report.rows.imported, 2);
    }

    #[test]
    fn a_header_must_end_within_4_mib_and_a_row_within_the_row_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = case(dir.path());
        let refused = |case: &mut Case, bytes: &[u8]| {
            import(case, &Changing::new(bytes, Some(bytes)))
                .unwrap_err()
                .to_string()
        };
        // A header longer than the part of the file it is read from.
        let long_header = format!("account_id,{}\nu1,x\n", "h".repeat(stream::HEADER_PREFIX));
        let err = refused(&mut case, long_header.as_bytes());
        assert!(
            err.contains("accounts.csv:1: no header ends within the file's first 4 MiB"),
            "{err}"
        );
        // Blank lines up to the prefix's end, the header after them.
        let late_header = format!("{}account_id\nu1\n", "\n".repeat(stream::HEADER_PREFIX));
        let err = refused(&mut case, late_header.as_bytes());
        assert!(err.contains("no header ends within"), "{err}");
        // A quote that never closes, opened on line 3: the row is refused once it passes the row limit, naming its
        // line, instead of being read to the end of the file.
        let mut open_quote = b"account_id,email\nu1,a@example.com\nu2,\"b@example.com\n".to_vec();
        open_quote.extend(b"u3,c@example.com\n".repeat(stream::MAX_ROW_BYTES / 4));
        let err = refused(&mut case, &open_quote);
        assert!(
            err.contains("accounts.csv:3: a row runs past 2 MiB without ending"),
            "{err}"
        );
        assert!(case.sources().unwrap().is_empty());
    }
}
