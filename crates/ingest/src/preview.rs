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

#[cfg(test)]
mod tests {
    use super::*;
    use ringscope_model::RecordKind;
    use ringscope_store::NewCase;

    #[test]
    fn a_preview_shows_the_trimmed_header_the_first_rows_and_the_kind() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case::create(
            &dir.path().join("c.ringscope"),
            &NewCase {
                title: "t".into(),
                phone_region: "US".into(),
                ..Default::default()
            },
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
        let file = dir.path().join("people.csv");
        std::fs::write(
            &file,
            "\u{feff}account_id , email\nu1,a@x.io\nu2,b@x.io,extra\nu3,c@x.io\n",
        )
        .unwrap();
        let p = preview(&case, &file, 2).unwrap();
        assert_eq!(p.file, "people.csv");
        assert_eq!(p.header, ["account_id", "email"]);
        assert_eq!(
            p.rows,
            [vec!["u1", "a@x.io"], vec!["u2", "b@x.io", "extra"]]
        );
        assert_eq!(p.layout.unwrap().kind, RecordKind::Accounts);

        std::fs::write(&file, "what,is,this\n1,2,3\n").unwrap();
        let p = preview(&case, &file, 8).unwrap();
        assert_eq!(p.rows.len(), 1);
        assert!(p.layout.is_err());
    }
}
