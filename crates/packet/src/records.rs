//! The subjects' records as JSONL (original values) and CSV (a spreadsheet view with formulas neutralized).

use crate::redact::Redactor;
use crate::subjects::{Record, Subjects, object};
use serde_json::Value;

/// OWASP CSV-injection guidance: a text cell starting with one of these is prefixed with `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => neutralize(s).into_owned(),
        other => other.to_string(),
    }
}

fn source_object(subjects: &Subjects, r: &Record) -> Value {
    let s = subjects.source(r.source_id);
    serde_json::json!({
        "file": s.map(|s| s.file_name.as_str()),
        "sha256": s.map(|s| s.sha256.as_str()),
        "line": r.line,
    })
}

/// One JSON object per line: `{kind, source: {file, sha256, line}, normalized, original}`.
pub fn jsonl(subjects: &Subjects, records: &[Record], redactor: &Redactor) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let normalized = object(
            r.fields
                .iter()
                .map(|(n, v)| (n.clone(), redactor.mask_field(n, v))),
        );
        let original = if redactor.keeps_originals() {
            r.original.clone()
        } else {
            Value::Null
        };
        let line = serde_json::json!({
            "kind": r.kind.as_str(),
            "source": source_object(subjects, r),
            "normalized": normalized,
            "original": original,
        });
        out.extend(line.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The bytes of a finished in-memory CSV writer.
pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> crate::Result<Vec<u8>> {
    w.into_inner()
        .map_err(|e| crate::Error::Subjects(format!("finishing CSV: {e}")))
}

/// RFC 4180 CSV of the normalized fields, with the source file and line first.
pub fn csv(
    subjects: &Subjects,
    kind: ringscope_model::RecordKind,
    records: &[Record],
    redactor: &Redactor,
) -> crate::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["source_file".to_string(), "source_line".to_string()];
    header.extend(
        kind.stored_columns()
            .into_iter()
            .map(|(n, _)| n.strip_suffix("_ms").map(String::from).unwrap_or(n)),
    );
    w.write_record(&header)?;
    for r in records {
        let file = subjects
            .source(r.source_id)
            .map(|s| s.file_name.clone())
            .unwrap_or_default();
        let mut row = vec![neutralize(&file).into_owned(), r.line.to_string()];
        row.extend(
            r.fields
                .iter()
                .map(|(n, v)| cell(&redactor.mask_field(n, v))),
        );
        w.write_record(&row)?;
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(
            super::neutralize("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for bad in ["+1", "-1+1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(super::neutralize(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(super::neutralize("plain"), "plain");
        assert_eq!(super::neutralize(""), "");
    }
}
