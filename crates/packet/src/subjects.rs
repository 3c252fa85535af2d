//! The evidence about a set of subject accounts: their records with provenance, the sources they came from, and
//! the identifiers linking them.

use crate::error::{Error, Result};
use ringscope_graph::build::Node;
use ringscope_graph::detect::accounts_of;
use ringscope_graph::{IdKind, LinkGraph, Ring};
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

/// An identifier shared by two or more subjects.
#[derive(Debug, Clone)]
pub struct SharedIdentifier {
    pub kind: IdKind,
    pub value: String,
    pub weight: f64,
    pub hub: bool,
    pub accounts_total: usize,
    pub subjects: Vec<String>,
}

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

fn json(v: rusqlite::types::Value) -> Value {
    match v {
        rusqlite::types::Value::Null => Value::Null,
        rusqlite::types::Value::Integer(i) => Value::from(i),
        rusqlite::types::Value::Real(f) => Value::from(f),
        rusqlite::types::Value::Text(s) => Value::String(s),
        rusqlite::types::Value::Blob(b) => Value::String(hex::encode(b)),
    }
}

fn records(case: &Case, kind: RecordKind, accounts: &[String]) -> Result<Vec<Record>> {
    let columns: Vec<String> = kind.stored_columns().into_iter().map(|(n, _)| n).collect();
    let placeholders = vec!["?"; accounts.len()].join(",");
    let order = match kind {
        RecordKind::Accounts => "account_id",
        RecordKind::Payments => "created_at_ms, payment_id",
        RecordKind::Events => "timestamp_ms, source_id, line",
    };
    let sql = format!(
        "SELECT {}, source_id, line, raw FROM {} WHERE account_id IN ({placeholders}) ORDER BY {order}",
        columns.join(", "),
        kind.table()
    );
    let mut stmt = case.conn().prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(accounts), |r| {
        let mut fields = Vec::with_capacity(columns.len());
        for (i, name) in columns.iter().enumerate() {
            let value = json(r.get(i)?);
            match (name.strip_suffix("_ms"), &value) {
                (Some(base), Value::Number(n)) => fields.push((
                    base.to_string(),
                    Value::String(utc(n.as_i64().unwrap_or(0))),
                )),
                (Some(base), _) => fields.push((base.to_string(), Value::Null)),
                (None, _) => fields.push((name.clone(), value)),
            }
        }
        let raw: String = r.get(columns.len() + 2)?;
        Ok(Record {
            kind,
            account_id: String::new(),
            fields,
            original: serde_json::from_str(&raw).unwrap_or(Value::String(raw)),
            source_id: r.get(columns.len())?,
            line: r.get(columns.len() + 1)?,
        })
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for r in &mut out {
        r.account_id = r
            .fields
            .iter()
            .find(|(n, _)| n == "account_id")
            .and_then(|(_, v)| v.as_str())
            .unwrap_or_default()
            .to_string();
    }
    Ok(out)
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
        if let Some(missing) = accounts.iter().find(|a| !graph.accounts.contains_key(*a)) {
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
        let subject_set: BTreeSet<&str> = accounts.iter().map(String::as_str).collect();
        let mut shared = vec![];
        for (&(kind, ref value), &ident) in &graph.identifiers {
            let Node::Identifier {
                weight,
                hub,
                accounts: total,
                ..
            } = &graph.graph[ident]
            else {
                continue;
            };
            let mut users: Vec<String> = accounts_of(graph, ident)
                .into_iter()
                .filter_map(|a| graph.account_id(a))
                .filter(|a| subject_set.contains(a))
                .map(String::from)
                .collect();
            if users.len() >= 2 {
                users.sort();
                shared.push(SharedIdentifier {
                    kind,
                    value: value.clone(),
                    weight: *weight,
                    hub: *hub,
                    accounts_total: *total,
                    subjects: users,
                });
            }
        }
        shared.sort_by(|a, b| {
            b.subjects
                .len()
                .cmp(&a.subjects.len())
                .then(a.kind.cmp(&b.kind))
                .then(a.value.cmp(&b.value))
        });
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
