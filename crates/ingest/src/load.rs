//! Turning CSV rows into normalized records inside one import transaction.

use crate::error::RowError;
use crate::header::{FieldSource, Layout};
use ringscope_model::normalize::{self, normalize_field};
use ringscope_model::{DateOrder, FieldContext, NormalizeOptions, NumberFormat, Value, ValueKind};
use std::cell::OnceCell;

/// Fields larger than this are refused: no export has a legitimate 1 MiB cell, and a huge one is usually a
/// broken quote or a file that is not what it claims to be.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// A value of an optional field that did not normalize. Its row is imported all the same: the value stays verbatim
/// in the row's `raw`, and its normalized columns hold the best linkable form or nothing.
pub struct Unnormalized {
    /// Index of the field in [`ringscope_model::RecordKind::fields`].
    pub field: usize,
    pub at: RowError,
}

/// Normalizes one row into `values` (stored-column order) and appends its raw JSON object to `raw`.
/// Reports every problem in the row, not just the first.
pub struct RowNormalizer<'a> {
    pub file: &'a str,
    pub header: &'a [String],
    pub layout: &'a Layout,
    pub opts: &'a NormalizeOptions,
    /// Reads one column of the whole file for the day/month order its dates prove ([`column_date_order`]).
    date_scan: &'a dyn Fn(usize) -> Option<DateOrder>,
    currency_index: Option<usize>,
    country_index: Option<usize>,
    /// Per field: the mapping's timestamp format and number convention.
    formats: Vec<(Option<&'a str>, Option<NumberFormat>)>,
    /// Per field: the day/month order its column's dates prove, worked out the first time a date needs it.
    date_orders: Vec<OnceCell<Option<DateOrder>>>,
}

impl<'a> RowNormalizer<'a> {
    pub fn new(
        file: &'a str,
        header: &'a [String],
        layout: &'a Layout,
        opts: &'a NormalizeOptions,
        date_scan: &'a dyn Fn(usize) -> Option<DateOrder>,
    ) -> Self {
        let fields = layout.kind.fields();
        let currency_index = fields.iter().position(|f| f.value == ValueKind::Currency);
        // The account's own country; a payment's card country says nothing about where a phone is.
        let country_index = fields.iter().position(|f| f.name == "country");
        let formats = fields
            .iter()
            .map(|f| {
                (
                    layout
                        .mapping
                        .timestamp_formats
                        .get(f.name)
                        .map(String::as_str),
                    layout.mapping.number_formats.get(f.name).copied(),
                )
            })
            .collect();
        RowNormalizer {
            file,
            header,
            layout,
            opts,
            date_scan,
            currency_index,
            country_index,
            formats,
            date_orders: fields.iter().map(|_| OnceCell::new()).collect(),
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

    /// Fills `errors` with what makes the row unusable (structure, required fields) and `unnormalized` with the
    /// optional values kept verbatim; the row is stored when `errors` stays empty.
    pub fn normalize(
        &self,
        line: u64,
        record: &csv::StringRecord,
        values: &mut Vec<Value>,
        errors: &mut Vec<RowError>,
        unnormalized: &mut Vec<Unnormalized>,
    ) {
        values.clear();
        errors.clear();
        unnormalized.clear();
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
            return;
        }
        if let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            let reason = format!(
                "field is {} bytes, over the {} byte limit",
                record[i].len(),
                MAX_FIELD_BYTES
            );
            errors.push(self.error(line, Some(i), reason));
            return;
        }
        let row_value =
            |index: Option<usize>, parse: fn(&str) -> ringscope_model::Result<String>| {
                index.and_then(|i| parse(text_of(record, &self.layout.sources[i]).1).ok())
            };
        let currency = row_value(self.currency_index, normalize::currency);
        let country = row_value(self.country_index, normalize::country);
        for (i, (spec, source)) in self
            .layout
            .kind
            .fields()
            .iter()
            .zip(&self.layout.sources)
            .enumerate()
        {
            let (column, text) = text_of(record, source);
            if spec.required && text.trim().is_empty() {
                errors.push(self.error(
                    line,
                    column,
                    format!("required field {} is empty", spec.name),
                ));
                values.push(Value::Null);
                continue;
            }
            if spec.value == ValueKind::Money && currency.is_none() {
                values.push(Value::Null); // the currency's own error says what is wrong
                continue;
            }
            let (timestamp_format, number_format) = self.formats[i];
            let mut ctx = FieldContext {
                currency: currency.as_deref(),
                country: country.as_deref(),
                timestamp_format,
                number_format,
                date_order: None,
            };
            if spec.value == ValueKind::Timestamp
                && timestamp_format.is_none()
                && let Some(col) = column
                && normalize::has_ambiguous_date_order(text)
            {
                ctx.date_order = *self.date_orders[i].get_or_init(|| (self.date_scan)(col));
            }
            let first_column = values.len();
            if let Err(e) = normalize_field(spec, text, &ctx, self.opts, values) {
                if spec.required {
                    errors.push(self.error(line, column, e.to_string()));
                } else {
                    let kept = values[first_column..].iter().find(|v| !v.is_null());
                    let reason = match kept {
                        Some(v) => format!("{e}; kept verbatim, linked as {v}"),
                        None => format!("{e}; kept verbatim, not normalized"),
                    };
                    unnormalized.push(Unnormalized {
                        field: i,
                        at: self.error(line, column, reason),
                    });
                }
            }
        }
    }
}

/// The day/month order the numeric dates in one column prove (`25/11/2026` day-first, `11/25/2026` month-first);
/// none when they prove nothing or contradict each other. Read only when a date needs it, so files without
/// ambiguous dates are parsed once.
pub(crate) fn column_date_order(text: impl std::io::Read, column: usize) -> Option<DateOrder> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    let mut found = None;
    while let Ok(true) = reader.read_record(&mut record) {
        match (
            found,
            record.get(column).and_then(normalize::date_order_evidence),
        ) {
            (_, None) => {}
            (None, evidence) => found = evidence,
            (Some(seen), Some(order)) if seen != order => return None,
            _ => {}
        }
    }
    found
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
