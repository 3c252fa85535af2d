//! Mapping files: which column of a file feeds which Ringscope field.
//!
//! ```toml
//! kind = "events"
//! [columns]            # Ringscope field = column header in the file
//! account_id = "linkedId"
//! timestamp = "requestTime"
//! [defaults]           # constant values for fields the file has no column for
//! event_type = "login"
//! [timestamp_formats]  # chrono strftime, for timestamps no built-in rule reads (or reads unambiguously)
//! timestamp = "%d/%m/%Y %H:%M"
//! ```
//! Payments mappings can also give a money column's number convention:
//! `[number_formats] amount = { decimal = ",", thousands = "." }`.
//! A mapping is explicit: fields it does not name stay empty. It is saved into the case (as JSON) under the file's
//! header signature, so the next file with the same header imports without `--mapping`.

use ringscope_model::normalize::check_timestamp_format;
use ringscope_model::{NumberFormat, RecordKind, ValueKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub kind: RecordKind,
    /// Ringscope field name -> column header in the file.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Ringscope field name -> constant value for every row.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// Timestamp field name -> the chrono strftime format its column is written in.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub timestamp_formats: BTreeMap<String, String>,
    /// Money field name -> its column's decimal mark and thousands separator.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub number_formats: BTreeMap<String, NumberFormat>,
}

impl Mapping {
    /// Parses a mapping file: TOML, or JSON when the text starts with `{`.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| e.to_string())?
        } else {
            toml::from_str(text).map_err(|e| e.to_string())?
        };
        mapping.check_fields()?;
        Ok(mapping)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a mapping always serializes")
    }

    fn check_fields(&self) -> Result<(), String> {
        for name in self.columns.keys().chain(self.defaults.keys()) {
            self.field(name)?;
        }
        for (name, format) in &self.timestamp_formats {
            if self.field(name)?.value != ValueKind::Timestamp {
                return Err(format!(
                    "timestamp_formats: {name:?} is not a timestamp field"
                ));
            }
            check_timestamp_format(format).map_err(|e| format!("timestamp_formats.{name}: {e}"))?;
        }
        for (name, format) in &self.number_formats {
            if self.field(name)?.value != ValueKind::Money {
                return Err(format!("number_formats: {name:?} is not an amount field"));
            }
            format
                .check()
                .map_err(|e| format!("number_formats.{name}: {e}"))?;
        }
        Ok(())
    }

    fn field(&self, name: &str) -> Result<&'static ringscope_model::FieldSpec, String> {
        self.kind.field(name).ok_or_else(|| {
            let known: Vec<&str> = self.kind.fields().iter().map(|f| f.name).collect();
            format!(
                "{name:?} is not a field of {}; fields: {}",
                self.kind,
                known.join(", ")
            )
        })
    }
}

/// Identifies a header layout: files with the same columns in the same order share a saved mapping.
pub fn header_signature(header: &[String]) -> String {
    let mut h = Sha256::new();
    for name in header {
        h.update(name.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_toml_and_json_and_rejects_unknown_fields() {
        let m = Mapping::parse("kind = \"events\"\n[columns]\naccount_id = \"uid\"\ntimestamp = \"t\"\n[defaults]\nevent_type = \"login\"\n").unwrap();
        assert_eq!(m.kind, RecordKind::Events);
        assert_eq!(m.columns["account_id"], "uid");
        assert_eq!(Mapping::parse(&m.to_json()).unwrap(), m);
        let err =
            Mapping::parse("kind = \"events\"\n[columns]\nacount_id = \"uid\"\n").unwrap_err();
        assert!(
            err.contains("\"acount_id\" is not a field of events"),
            "{err}"
        );
        assert!(Mapping::parse("kind = \"widgets\"").is_err());
        assert!(Mapping::parse("kind = \"events\"\ncolumn = 1").is_err());
    }

    #[test]
    fn formats_parse_from_toml_and_json_and_are_checked() {
        let m = Mapping::parse(
            "kind = \"payments\"\n[columns]\npayment_id = \"id\"\n\
             [timestamp_formats]\ncreated_at = \"%d/%m/%Y %H:%M\"\n\
             [number_formats]\namount = { decimal = \",\", thousands = \".\" }\n",
        )
        .unwrap();
        assert_eq!(m.timestamp_formats["created_at"], "%d/%m/%Y %H:%M");
        assert_eq!(
            m.number_formats["amount"],
            NumberFormat {
                decimal: ',',
                thousands: Some('.')
            }
        );
        assert_eq!(Mapping::parse(&m.to_json()).unwrap(), m);
        let json = r#"{"kind":"payments","columns":{"payment_id":"id"},"number_formats":{"amount":{"decimal":","}}}"#;
        assert_eq!(
            Mapping::parse(json).unwrap().number_formats["amount"].thousands,
            None
        );
        for (bad, why) in [
            (
                "[timestamp_formats]\namount = \"%Y\"",
                "\"amount\" is not a timestamp field",
            ),
            (
                "[timestamp_formats]\ncreated_at = \"%Q\"",
                "not a valid chrono strftime format",
            ),
            (
                "[number_formats]\ncreated_at = { decimal = \",\" }",
                "\"created_at\" is not an amount field",
            ),
            (
                "[number_formats]\namount = { decimal = \",\", thousands = \",\" }",
                "is also the decimal mark",
            ),
            (
                "[number_formats]\namount = { decimal = \",\", grouping = \".\" }",
                "unknown field",
            ),
        ] {
            let err = Mapping::parse(&format!("kind = \"payments\"\n{bad}\n")).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        // Mappings saved before formats existed still read, and ones without formats serialize as before.
        let old = r#"{"kind":"events","columns":{"account_id":"uid"},"defaults":{}}"#;
        assert_eq!(Mapping::parse(old).unwrap().to_json(), old);
    }
}
