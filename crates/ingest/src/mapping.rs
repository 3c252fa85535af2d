//! Mapping files: which column of a file feeds which Ringscope field.
//!
//! ```toml
//! kind = "events"
//! [columns]            # Ringscope field = column header in the file
//! account_id = "linkedId"
//! timestamp = "requestTime"
//! [defaults]           # constant values for fields the file has no column for
//! event_type = "login"
//! ```
//! A mapping is explicit: fields it does not name stay empty. It is saved into the case (as JSON) under the file's
//! header signature, so the next file with the same header imports without `--mapping`.

use ringscope_model::RecordKind;
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
            if self.kind.field(name).is_none() {
                let known: Vec<&str> = self.kind.fields().iter().map(|f| f.name).collect();
                return Err(format!(
                    "{name:?} is not a field of {}; fields: {}",
                    self.kind,
                    known.join(", ")
                ));
            }
        }
        Ok(())
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
}
