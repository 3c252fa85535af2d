//! The evidence about a set of subject accounts: their records with provenance, the sources they came from, and
//! the identifiers linking them.

use crate::error::{Error, Result};
use ringscope_graph::{LinkGraph, Ring};
use ringscope_model::RecordKind;
use ringscope_store::{Case, SourceFile};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One record as imported: normalized fields, the original row, and where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: RecordKind,
    pub account_id: String,
    /// Normalized columns in store order (timestamps as RFC 3339 UTC text, money as integer minor units).
    pub fields: Vec<(String, Value)>,
    pub original: Value,
    pub source_id: i64,
    pub line: i64,
}

pub use ringscope_graph::shared::SharedIdentifier;

pub struct Subjects {
    pub accounts: Vec<String>,
    pub ring: Option<Ring>,
    pub records: BTreeMap<RecordKind, Vec<Record>>,
    pub sources: Vec<SourceFile>,
    pub shared: Vec<SharedIdentifier>,
}

pub fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// The records of `accounts` of one kind, times as RFC 3339 UTC text (the store keeps them as `*_ms` integers).
fn records(case: &Case, kind: RecordKind, accounts: &[String]) -> Result<Vec<Record>> {
    let stored = case.records_of(kind, accounts)?;
    Ok(stored
        .into_iter()
        .map(|r| {
            let fields: Vec<(String, Value)> = r
                .fields
                .into_iter()
                .map(|(name, value)| match (name.strip_suffix("_ms"), &value) {
                    (Some(base), Value::Number(n)) => (
                        base.to_string(),
                        Value::String(utc(n.as_i64().unwrap_or(0))),
                    ),
                    (Some(base), _) => (base.to_string(), Value::Null),
                    (None, _) => (name, value),
                })
                .collect();
            let account_id = fields
                .iter()
                .find(|(n, _)| n == "account_id")
                .and_then(|(_, v)| v.as_str())
                .unwrap_or_default()
                .to_string();
            Record {
                kind,
                account_id,
                fields,
                original: serde_json::from_str(&r.raw).unwrap_or(Value::String(r.raw)),
                source_id: r.source_id,
                line: r.line,
            }
        })
        .collect())
}

impl Subjects {
    pub fn gather(
        case: &Case,
        graph: &LinkGraph,
        accounts: Vec<String>,
        ring: Option<Ring>,
    ) -> Result<Subjects> {
        let mut accounts: Vec<String> = accounts
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        accounts.retain(|a| !a.trim().is_empty());
        if accounts.is_empty() {
            return Err(Error::Subjects("no subject accounts".into()));
        }
        if let Some(missing) = accounts.iter().find(|a| !graph.has_account(a)) {
            return Err(Error::Subjects(format!(
                "no account {missing:?} in this case"
            )));
        }
        let mut by_kind = BTreeMap::new();
        let mut used_sources = BTreeSet::new();
        for kind in RecordKind::ALL {
            let rs = records(case, kind, &accounts)?;
            used_sources.extend(rs.iter().map(|r| r.source_id));
            by_kind.insert(kind, rs);
        }
        let sources = case
            .sources()?
            .into_iter()
            .filter(|s| used_sources.contains(&s.id))
            .collect();
        let shared = ringscope_graph::shared::shared_identifiers(graph, &accounts);
        Ok(Subjects {
            accounts,
            ring,
            records: by_kind,
            sources,
            shared,
        })
    }

    pub fn source(&self, id: i64) -> Option<&SourceFile> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn field<'a>(record: &'a Record, name: &str) -> Option<&'a Value> {
        record
            .fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// Convenience for building JSON objects in field order.
pub fn object(pairs: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(pairs.into_iter().collect::<Map<_, _>>())
}
