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
mod preview;
mod source;
mod tickets;

pub use error::{Error, Result, RowError};
pub use header::{FieldSource, Layout, resolve};
pub use load::MAX_FIELD_BYTES;
pub use mapping::{Mapping, header_signature};
pub use preview::{Preview, preview};
pub use source::{SourceBytes, read_checked, read_file};
pub use tickets::{Ticket, parse_tickets};

use load::{RowNormalizer, Unnormalized};
use ringscope_model::{NormalizeOptions, RecordKind, Value};
use ringscope_store::{
    Case, Chunk, FieldConflict, NewSource, RowCounts, RowOrigin, SourceFile, Upsert,
};
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

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
    let total = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = read_file(path, &mut |done| {
        progress(&Progress {
            file: &name,
            phase: Phase::Reading,
            bytes_done: done,
            bytes_total: total,
            rows: 0,
        })
    })?;
    import_source(case, &source, opts, progress)
}

/// Imports bytes already read (see [`read_file`]).
pub fn import_source(
    case: &mut Case,
    source: &SourceBytes,
    opts: &ImportOptions<'_>,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<ImportReport> {
    if let Some(existing) = case.source_by_sha256(&source.sha256)? {
        return Ok(already_imported(source, existing));
    }
    // The case keeps the file's bytes: they are compressed on the second core while this one parses.
    let abandon = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let compressing = scope.spawn(|| ringscope_store::compress_chunks(&source.bytes, &abandon));
        // A failed import (bad rows, cancelled, a panic) does not wait for the rest of the file to be compressed;
        // a successful one has joined the thread already.
        let _abandon = SetOnDrop(&abandon);
        import_new_source(case, source, opts, progress, compressing)
    })
}

struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn import_new_source(
    case: &mut Case,
    source: &SourceBytes,
    opts: &ImportOptions<'_>,
    progress: &mut dyn FnMut(&Progress<'_>),
    compressing: std::thread::ScopedJoinHandle<'_, std::io::Result<Vec<Chunk>>>,
) -> Result<ImportReport> {
    let file = source.name.as_str();
    let text_start = source::check_text(file, &source.bytes)?;
    let data = &source.bytes[text_start..];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::StringRecord::new();
    let csv_error = |e: csv::Error, line| Error::Csv {
        file: file.into(),
        line,
        reason: e.to_string(),
    };
    if !reader
        .read_record(&mut record)
        .map_err(|e| csv_error(e, 1))?
    {
        return Err(Error::Empty { file: file.into() });
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    check_duplicate_columns(file, &header)?;
    // The scan stops at the header's end, so this only catches a quote opened in the header itself.
    if let Some(column) = source::unterminated_quote(data) {
        return Err(Error::UnterminatedQuote {
            file: file.into(),
            line: 1,
            column,
        });
    }

    let signature = header_signature(&header);
    let saved = case
        .saved_mapping(&signature)?
        .and_then(|(_, json)| Mapping::parse(&json).ok());
    let layout = resolve(file, &header, opts.kind, opts.mapping, saved)?;
    let meta = case.meta()?;
    let norm = NormalizeOptions::with_region(&meta.phone_region).unwrap_or_default();
    let normalizer = RowNormalizer::new(file, &header, &layout, &norm, data);
    let mapping_json = layout.mapping.to_json();
    let header_json = serde_json::to_string(&header).expect("strings serialize");

    let tx = case.begin_import()?;
    // Another process may have imported the same file while this one was waiting for the write lock.
    if let Some(existing) = tx.source_by_sha256(&source.sha256)? {
        return Ok(already_imported(source, existing));
    }
    let source_id = tx.add_source(&NewSource {
        file_name: file,
        sha256: &source.sha256,
        size: source.bytes.len() as i64,
        kind: layout.kind,
        detected_as: &layout.detected_as,
        mapping_json: &mapping_json,
        header_json: &header_json,
        imported_by: &opts.actor,
        imported_at: &opts.now,
    })?;

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(data);
    let mut rows = RowCounts::default();
    let mut listed_errors = vec![];
    let mut conflicts = vec![];
    let mut bad_rows = 0usize;
    let (mut line, mut line_cursor, mut last_start) = (1u64, 0usize, 0usize);
    let mut values: Vec<Value> = Vec::new();
    let (mut errors, mut unnormalized): (Vec<RowError>, Vec<Unnormalized>) = (vec![], vec![]);
    let fields = layout.kind.fields();
    let mut kept: Vec<KeptVerbatim> = fields
        .iter()
        .map(|f| KeptVerbatim {
            field: f.name.to_string(),
            count: 0,
            examples: vec![],
        })
        .collect();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| csv_error(e, line))?;
        if !more {
            break;
        }
        let mut start = record.position().map_or(line_cursor, |p| p.byte() as usize);
        // After a CRLF the csv crate reports the record as starting on the LF; step past line ends.
        while matches!(data.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += source::line_breaks(&data[line_cursor..start]);
        (line_cursor, last_start) = (start, start);
        rows.read += 1;
        if rows.read % 4096 == 0 {
            if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(Error::Cancelled);
            }
            progress(&Progress {
                file,
                phase: Phase::Importing,
                bytes_done: start as u64,
                bytes_total: data.len() as u64,
                rows: rows.read as u64,
            });
        }
        normalizer.normalize(line, &record, &mut values, &mut errors, &mut unnormalized);
        if !errors.is_empty() {
            bad_rows += 1;
            rows.rejected += 1;
            if opts.allow_rejects {
                let end = reader.position().byte() as usize;
                let row_text = row_text(data, start, end);
                for e in &errors {
                    tx.add_reject(
                        source_id,
                        e.line,
                        e.column,
                        e.header.as_deref(),
                        &e.reason,
                        row_text,
                    )?;
                }
            }
            let room = opts.listed.saturating_sub(listed_errors.len());
            listed_errors.extend(errors.drain(..).take(room));
            continue;
        }
        for u in unnormalized.drain(..) {
            let field = &mut kept[u.field];
            field.count += 1;
            if field.examples.len() < KEPT_EXAMPLES {
                field.examples.push(u.at);
            }
        }
        if bad_rows > 0 && !opts.allow_rejects {
            continue; // strict mode: keep checking the rest to report every bad row, but write nothing more
        }
        let origin = RowOrigin::Bytes {
            start: (text_start + start) as u64,
            len: (reader.position().byte() as usize).saturating_sub(start) as u64,
        };
        match tx.upsert(layout.kind, source_id, line, &values, origin)? {
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
                        .map(|k| key_value(&layout, k, &values))
                        .unwrap_or_default();
                    let room = opts.listed.saturating_sub(conflicts.len());
                    conflicts.extend(found.into_iter().take(room).map(|conflict| ConflictReport {
                        line,
                        key: key.clone(),
                        conflict,
                    }));
                }
            }
        }
    }
    if rows.read == 0 {
        return Err(Error::NoRows { file: file.into() });
    }
    if let Some(column) = source::unterminated_quote(&data[last_start..]) {
        return Err(Error::UnterminatedQuote {
            file: file.into(),
            line,
            column,
        });
    }
    if bad_rows > 0 && !opts.allow_rejects {
        return Err(Error::BadRows {
            file: file.into(),
            total: bad_rows,
            errors: listed_errors,
        });
    }
    progress(&Progress {
        file,
        phase: Phase::Importing,
        bytes_done: data.len() as u64,
        bytes_total: data.len() as u64,
        rows: rows.read as u64,
    });

    let chunks = compressing
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .map_err(|error| Error::Io {
            path: file.into(),
            error,
        })?;
    tx.keep_original(source_id, &chunks)?;
    kept.retain(|k| k.count > 0);
    tx.finish_source(source_id, &rows)?;
    if layout.save {
        tx.save_mapping(&signature, layout.kind, &mapping_json, source_id)?;
    }
    let details = serde_json::json!({
        "source_id": source_id, "sha256": source.sha256, "size": source.bytes.len(), "kind": layout.kind,
        "detected_as": layout.detected_as, "rows": rows,
        "kept_verbatim": kept.iter().map(|k| (k.field.clone(), k.count.into())).collect::<serde_json::Map<_, _>>(),
    });
    tx.audit(&opts.now, &opts.actor, "import", file, &details)?;
    tx.commit()?;
    Ok(ImportReport {
        file: file.to_string(),
        sha256: source.sha256.clone(),
        size: source.bytes.len() as u64,
        kind: layout.kind,
        detected_as: layout.detected_as.clone(),
        source_id,
        already_imported: false,
        rows,
        mapping_saved: layout.save,
        rejects: if opts.allow_rejects {
            listed_errors
        } else {
            vec![]
        },
        conflicts,
        kept_verbatim: kept,
    })
}

fn already_imported(source: &SourceBytes, existing: SourceFile) -> ImportReport {
    ImportReport {
        file: source.name.clone(),
        sha256: source.sha256.clone(),
        size: source.bytes.len() as u64,
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

/// A row's text exactly as the file has it, without its line end.
fn row_text(data: &[u8], start: usize, end: usize) -> &str {
    let bytes = data.get(start..end.max(start)).unwrap_or_default();
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    // The whole file was checked to be UTF-8, and rows start and end on line breaks.
    std::str::from_utf8(bytes).unwrap_or_default()
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
