//! Turning CSV rows into normalized records inside one import transaction.

use crate::error::RowError;
use crate::header::{FieldSource, Layout};
use ringscope_model::normalize::normalize_field;
use ringscope_model::{NormalizeOptions, Value, ValueKind};

/// Fields larger than this are refused: no export has a legitimate 1 MiB cell, and a huge one is usually a
/// broken quote or a file that is not what it claims to be.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Normalizes one row into `values` (stored-column order) and appends its raw JSON object to `raw`.
/// Returns every problem in the row, not just the first.
pub struct RowNormalizer<'a> {
    pub file: &'a str,
    pub header: &'a [String],
    pub layout: &'a Layout,
    pub opts: &'a NormalizeOptions,
    currency_index: Option<usize>,
    /// The header names as JSON string literals, escaped once rather than per row.
    header_json: Vec<String>,
}

impl<'a> RowNormalizer<'a> {
    pub fn new(
        file: &'a str,
        header: &'a [String],
        layout: &'a Layout,
        opts: &'a NormalizeOptions,
    ) -> Self {
        let currency_index = layout
            .kind
            .fields()
            .iter()
            .position(|f| f.value == ValueKind::Currency);
        let header_json = header
            .iter()
            .map(|h| serde_json::to_string(h).expect("strings serialize"))
            .collect();
        RowNormalizer {
            file,
            header,
            layout,
            opts,
            currency_index,
            header_json,
        }
    }

    fn error(&self, line: u64, column: Option<usize>, reason: String) -> RowError {
        RowError {
            file: self.file.to_string(),
            line,
            column: column.map(|c| c as u64 + 1),
            header: column.and_then(|c| self.header.get(c).cloned()),
            reason,
        }
    }

    pub fn normalize(
        &self,
        line: u64,
        record: &csv::StringRecord,
        values: &mut Vec<Value>,
        raw: &mut String,
    ) -> Vec<RowError> {
        values.clear();
        raw.clear();
        let mut errors = vec![];
        if record.len() != self.header.len() {
            let column = record.len().min(self.header.len());
            errors.push(self.error(
                line,
                Some(column),
                format!(
                    "expected {} fields, found {}",
                    self.header.len(),
                    record.len()
                ),
            ));
            return errors;
        }
        if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            let reason = format!(
                "field is {} bytes, over the {} byte limit",
                record[i].len(),
                MAX_FIELD_BYTES
            );
            errors.push(self.error(line, Some(i), reason));
            return errors;
        }
        let currency = self.currency_index.and_then(|i| {
            let (_, text) = text_of(record, &self.layout.sources[i]);
            ringscope_model::normalize::currency(text).ok()
        });
        for (spec, source) in self.layout.kind.fields().iter().zip(&self.layout.sources) {
            let (column, text) = text_of(record, source);
            if spec.required && text.trim().is_empty() {
                errors.push(self.error(
                    line,
                    column,
                    format!("required field {} is empty", spec.name),
                ));
                continue;
            }
            if spec.value == ValueKind::Money && currency.is_none() {
                values.push(Value::Null); // the currency's own error says what is wrong
                continue;
            }
            if let Err(e) = normalize_field(spec, text, currency.as_deref(), self.opts, values) {
                // A row with errors is never stored, so its remaining values need no alignment.
                errors.push(self.error(line, column, e.to_string()));
            }
        }
        raw.push('{');
        for (i, (name, value)) in self.header_json.iter().zip(record.iter()).enumerate() {
            if i > 0 {
                raw.push(',');
            }
            raw.push_str(name);
            raw.push(':');
            raw.push_str(&serde_json::to_string(value).expect("strings serialize"));
        }
        raw.push('}');
        errors
    }
}

/// The text feeding a field in this row, and the column it came from.
fn text_of<'r>(
    record: &'r csv::StringRecord,
    source: &'r Option<FieldSource>,
) -> (Option<usize>, &'r str) {
    match source {
        Some(FieldSource::Column(i)) => (Some(*i), &record[*i]),
        Some(FieldSource::Constant(c)) => (None, c.as_str()),
        None => (None, ""),
    }
}
