//! A file as the import dialog shows it before anything is imported: its header, first rows, and how Ringscope
//! would read it (kind and column mapping), or why it could not.

use crate::{Error, Layout, Mapping, Result, header_signature, resolve};
use ringscope_store::Case;
use std::io::Read;
use std::path::Path;

/// How much of a file a preview reads: a header and a screenful of rows, never a whole export (the largest are
/// gigabytes).
const PREVIEW_BYTES: u64 = 4 << 20;

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
pub fn preview(case: &Case, path: &Path, rows_wanted: usize) -> Result<Preview> {
    let io = |error| Error::Io {
        path: path.to_owned(),
        error,
    };
    let name = crate::source::file_name(path);
    let mut bytes = vec![];
    std::fs::File::open(path)
        .and_then(|f| f.take(PREVIEW_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    let cut = bytes.len() as u64 > PREVIEW_BYTES;
    bytes.truncate(PREVIEW_BYTES as usize);
    let text = String::from_utf8_lossy(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut records = reader.records().filter_map(std::result::Result::ok);
    let header: Vec<String> = records
        .next()
        .map(|r| r.iter().map(|h| h.trim().to_string()).collect())
        .unwrap_or_default();
    let mut rows: Vec<Vec<String>> = records
        .take(rows_wanted + 1)
        .map(|r| r.iter().map(String::from).collect())
        .collect();
    // Where the read was cut, the last record read may be cut too; every row before it is whole.
    if rows.len() == rows_wanted + 1 || cut {
        rows.pop();
    }
    rows.truncate(rows_wanted);
    let saved = case
        .saved_mapping(&header_signature(&header))?
        .and_then(|(_, json)| Mapping::parse(&json).ok());
    let layout = resolve(&name, &header, None, None, saved).map_err(|e| e.to_string());
    Ok(Preview {
        file: name,
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

        // A file larger than the preview reads: whole rows only, the one the read cut through left out.
        let row = |i: usize| format!("u{i},{}@x.io\n", "a".repeat(1000));
        let big: String = std::iter::once("account_id,email\n".to_string())
            .chain((0..5000).map(row))
            .collect();
        std::fs::write(&file, &big).unwrap();
        let p = preview(&case, &file, 3).unwrap();
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.rows[2][0], "u2");
        let p = preview(&case, &file, 100_000).unwrap();
        let last = p.rows.last().unwrap();
        assert_eq!(last[1].len(), 1005, "the last row shown is whole");
        assert!(
            p.rows.len() < 5000 && p.rows.len() > 4000,
            "{}",
            p.rows.len()
        );
    }
}
