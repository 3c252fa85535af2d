//! Why two accounts are linked: the shortest chain of shared identifiers between them, each hop with the source
//! rows (file + line) that show each account using the identifier.

use crate::build::{Edge, LinkGraph, Node};
use crate::identifier::IdKind;
use crate::{Error, Result};
use petgraph::visit::{EdgeFiltered, EdgeRef};
use ringscope_store::Case;
use serde::Serialize;

/// Rows listed per account and hop; the total count is always given.
pub const ROWS_LISTED: usize = 20;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    pub file: String,
    pub source_id: i64,
    pub line: i64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    pub account: String,
    pub rows: Vec<SourceRow>,
    pub total_rows: i64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub kind: IdKind,
    pub value: String,
    /// Evidence weight of the identifier (see ARCHITECTURE.md); ≥ 1 is a strong link on its own.
    pub weight: f64,
    pub accounts_sharing: usize,
    pub from: Usage,
    pub to: Usage,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub from: String,
    pub to: String,
    pub linked: bool,
    pub hops: Vec<Hop>,
}

pub fn explain(case: &Case, g: &LinkGraph, from: &str, to: &str) -> Result<Explanation> {
    let node = |id: &str| {
        g.accounts
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownAccount(id.to_string()))
    };
    let (start, goal) = (node(from)?, node(to)?);
    let usable = |n| !matches!(&g.graph[n], Node::Identifier { hub: true, .. });
    let links = EdgeFiltered::from_fn(&g.graph, |e| {
        matches!(e.weight(), Edge::Uses { .. }) && usable(e.source()) && usable(e.target())
    });
    // Entering an identifier costs one hop, plus a little for weak ones, so strong chains win ties.
    let cost = |e: petgraph::graph::EdgeReference<'_, Edge>| -> f64 {
        [e.source(), e.target()]
            .iter()
            .find_map(|&n| match &g.graph[n] {
                Node::Identifier { weight, .. } => Some(1.0 + (1.0 - weight.min(1.0)) / 2.0),
                Node::Account { .. } => None,
            })
            .unwrap_or(1.0)
    };
    let path = petgraph::algo::astar(&links, start, |n| n == goal, cost, |_| 0.0);
    let mut hops = vec![];
    if let Some((_, nodes)) = &path {
        for triple in nodes.windows(3).step_by(2) {
            let (a, ident, b) = (triple[0], triple[1], triple[2]);
            let Node::Identifier {
                kind,
                value,
                weight,
                accounts,
                ..
            } = &g.graph[ident]
            else {
                continue;
            };
            let (a, b) = (
                g.account_id(a).unwrap_or_default(),
                g.account_id(b).unwrap_or_default(),
            );
            hops.push(Hop {
                kind: *kind,
                value: value.clone(),
                weight: (weight * 100.0).round() / 100.0,
                accounts_sharing: *accounts,
                from: usage(case, *kind, value, a)?,
                to: usage(case, *kind, value, b)?,
            });
        }
    }
    Ok(Explanation {
        from: from.into(),
        to: to.into(),
        linked: path.is_some() && from != to,
        hops,
    })
}

/// The rows in which `account` used the identifier (the first [`ROWS_LISTED`]; `total_rows` counts all).
pub fn usage(case: &Case, kind: IdKind, value: &str, account: &str) -> Result<Usage> {
    usage_limited(case, kind, value, account, ROWS_LISTED)
}

/// [`usage`] listing up to `limit` rows.
pub fn usage_limited(
    case: &Case,
    kind: IdKind,
    value: &str,
    account: &str,
    limit: usize,
) -> Result<Usage> {
    let rows_of = match kind {
        IdKind::Device => "SELECT source_id, line FROM events WHERE account_id = ?1 AND device_id = ?2",
        IdKind::Ip => "SELECT source_id, line FROM events WHERE account_id = ?1 AND ip = ?2",
        IdKind::Card => "SELECT source_id, line FROM payments WHERE account_id = ?1 AND card_fingerprint = ?2",
        IdKind::Phone => "SELECT source_id, line FROM accounts WHERE account_id = ?1 AND phone = ?2",
        IdKind::Email => {
            "SELECT source_id, line FROM accounts WHERE account_id = ?1 AND email_canon = ?2
             UNION ALL SELECT source_id, line FROM payments WHERE account_id = ?1 AND customer_email_canon = ?2"
        }
    };
    let conn = case.conn();
    let total_rows: i64 = conn.query_row(
        &format!("SELECT count(*) FROM ({rows_of})"),
        (account, value),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT s.file_name, r.source_id, r.line FROM ({rows_of}) r JOIN sources s ON s.id = r.source_id
         ORDER BY r.source_id, r.line LIMIT {limit}"
    ))?;
    let rows = stmt
        .query_map((account, value), |r| {
            Ok(SourceRow {
                file: r.get(0)?,
                source_id: r.get(1)?,
                line: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Usage {
        account: account.into(),
        rows,
        total_rows,
    })
}
