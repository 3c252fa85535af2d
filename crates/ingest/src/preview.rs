//! A file as the import dialog shows it before anything is imported: its header, first rows, and how Ringscope
//! would read it (kind and column mapping), or why it could not.

use crate::{Layout, Mapping, Result, header_signature, read_file, resolve};
use ringscope_store::Case;
use std::path::Path;

/// The first rows of a file and how its header resolves.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The file's name.
    pub file: String,
    /// Header cells, trimmed.
    pub header: Vec<String>,
    /// Up to the requested number of rows after the header, as written.
    pub rows: Vec<Vec<String>>,
    /// The header resolved to a kind and layout (a saved mapping for this header counts), or why it could not be.
    pub layout: std::result::Result<Layout, String>,
}

/// Reads `path`'s header and first `rows` rows, and resolves the header against `case`'s saved mappings. Lenient
/// where the import is strict: rows that do not parse are skipped and ragged rows are shown as they are.
pub fn preview(case: &Case, path: &Path, rows: usize) -> Result<Preview> {
    let source = read_file(path, &mut |_| {})?;
    let text = String::from_utf8_lossy(&source.bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut records = reader.records().filter_map(std::result::Result::ok);
    let header: Vec<String> = records
        .next()
        .map(|r| r.iter().map(|h| h.trim().to_string()).collect())
        .unwrap_or_default();
    let rows = records
        .take(rows)
        .map(|r| r.iter().map(String::from).collect())
        .collect();
    let saved = case
        .saved_mapping(&header_signature(&header))?
        .and_then(|(_, json)| Mapping::parse(&json).ok());
    let layout = resolve(&source.name, &header, None, None, saved).map_err(|e| e.to_string());
    Ok(Preview {
        file: source.name,
        header,
        rows,
        layout,
    })
}
