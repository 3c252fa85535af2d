//! Program KPIs across the desk, from each case's facts (its audit log and decisions, as indexed).

use crate::facts::{CaseFacts, Money};
use crate::{CaseRow, Result};
use chrono::{DateTime, Datelike, Utc};
use ringscope_store::{CaseStatus, ItemKind};
use serde::Serialize;
use std::collections::BTreeMap;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Week {
    /// ISO week, `2026-W47`.
    pub week: String,
    pub opened: usize,
    pub closed: usize,
}

/// Median and 90th percentile of a duration, in hours (nearest-rank percentiles).
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OldestOpen {
    pub file: String,
    pub title: String,
    pub opened_at: String,
    pub age_days: f64,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Kpis {
    pub as_of: String,
    pub cases: usize,
    pub by_status: BTreeMap<String, usize>,
    pub weeks: Vec<Week>,
    pub time_to_first_decision: Spread,
    pub time_to_close: Spread,
    /// Closed cases with a due date, and how many closed by it.
    pub closed_with_sla: usize,
    pub closed_within_sla: usize,
    pub closed_within_sla_share: Option<f64>,
    pub oldest_open: Option<OldestOpen>,
    pub overturned: usize,
    pub overturned_by_case_type: BTreeMap<String, usize>,
    pub overturned_by_ring_reason: BTreeMap<String, usize>,
    pub confirmed_rings: usize,
    pub confirmed_money: Vec<Money>,
    pub decided: usize,
    pub dismissed: usize,
    pub dismissed_share: Option<f64>,
}

fn time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn hours(from: &str, to: &str) -> Option<f64> {
    Some((time(to)? - time(from)?).num_seconds() as f64 / 3600.0)
}

fn week(s: &str) -> Option<String> {
    let w = time(s)?.iso_week();
    Some(format!("{}-W{:02}", w.year(), w.week()))
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

fn spread(mut v: Vec<f64>) -> Spread {
    v.sort_by(f64::total_cmp);
    let round = |x: f64| (x * 100.0).round() / 100.0;
    Spread {
        count: v.len(),
        median_hours: percentile(&v, 50.0).map(round),
        p90_hours: percentile(&v, 90.0).map(round),
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 1000.0).round() / 1000.0)
}

pub fn compute(cases: &[CaseRow], as_of: &str) -> Result<Kpis> {
    let mut by_status: BTreeMap<String, usize> = CaseStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut weeks: BTreeMap<String, Week> = BTreeMap::new();
    let (mut to_decision, mut to_close) = (vec![], vec![]);
    let (mut with_sla, mut within_sla) = (0, 0);
    let mut oldest: Option<&CaseRow> = None;
    let mut k = Kpis {
        as_of: as_of.to_string(),
        cases: cases.len(),
        by_status: BTreeMap::new(),
        weeks: vec![],
        time_to_first_decision: spread(vec![]),
        time_to_close: spread(vec![]),
        closed_with_sla: 0,
        closed_within_sla: 0,
        closed_within_sla_share: None,
        oldest_open: None,
        overturned: 0,
        overturned_by_case_type: BTreeMap::new(),
        overturned_by_ring_reason: BTreeMap::new(),
        confirmed_rings: 0,
        confirmed_money: vec![],
        decided: 0,
        dismissed: 0,
        dismissed_share: None,
    };
    let mut money: BTreeMap<String, i64> = BTreeMap::new();
    for row in cases {
        let f: &CaseFacts = &row.facts;
        *by_status.entry(f.status.as_str().to_string()).or_default() += 1;
        let mut bump = |at: &str, closed: bool| {
            if let Some(w) = week(at) {
                let e = weeks.entry(w.clone()).or_insert(Week {
                    week: w,
                    opened: 0,
                    closed: 0,
                });
                if closed {
                    e.closed += 1;
                } else {
                    e.opened += 1;
                }
            }
        };
        bump(&f.opened_at, false);
        if let Some(c) = &f.closed_at {
            bump(c, true);
            to_close.extend(hours(&f.opened_at, c));
            if let Some(due) = &f.due_at {
                with_sla += 1;
                if time(c) <= time(due) {
                    within_sla += 1;
                }
            }
        }
        if let Some(d) = &f.first_decision_at {
            to_decision.extend(hours(&f.opened_at, d));
        }
        if f.status != CaseStatus::Closed && oldest.is_none_or(|o| f.opened_at < o.facts.opened_at)
        {
            oldest = Some(row);
        }
        for o in &f.overturns {
            k.overturned += 1;
            *k.overturned_by_case_type
                .entry(f.case_type.clone().unwrap_or_else(|| "untyped".into()))
                .or_default() += 1;
            if o.item_kind == ItemKind::Ring {
                *k.overturned_by_ring_reason
                    .entry(o.ring_reason.clone().unwrap_or_else(|| "unknown".into()))
                    .or_default() += 1;
            }
        }
        k.confirmed_rings += f.rings_confirmed;
        for ring in &f.confirmed {
            for m in &ring.paid {
                *money.entry(m.currency.clone()).or_default() += m.minor;
            }
        }
        k.decided += f.decided;
        k.dismissed += f.dismissed;
    }
    k.by_status = by_status;
    k.weeks = weeks.into_values().collect();
    k.time_to_first_decision = spread(to_decision);
    k.time_to_close = spread(to_close);
    k.closed_with_sla = with_sla;
    k.closed_within_sla = within_sla;
    k.closed_within_sla_share = share(within_sla, with_sla);
    k.oldest_open = oldest.map(|o| OldestOpen {
        file: o.file.clone(),
        title: o.facts.title.clone(),
        opened_at: o.facts.opened_at.clone(),
        age_days: hours(&o.facts.opened_at, as_of)
            .map_or(0.0, |h| (h / 24.0 * 10.0).round() / 10.0),
    });
    k.confirmed_money = money
        .into_iter()
        .map(|(currency, minor)| Money { currency, minor })
        .collect();
    k.dismissed_share = share(k.dismissed, k.decided);
    Ok(k)
}

/// The KPIs as CSV rows `metric,key,value` (one table, easy to pivot in a spreadsheet).
pub fn csv(k: &Kpis) -> Result<String> {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record(["metric", "key", "value"])?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut row = |m: &str, key: &str, v: String| w.write_record([m, key, v.as_str()]);
    row("as_of", "", k.as_of.clone())?;
    row("cases", "", k.cases.to_string())?;
    for (s, n) in &k.by_status {
        row("cases_by_status", s, n.to_string())?;
    }
    for wk in &k.weeks {
        row("opened_per_week", &wk.week, wk.opened.to_string())?;
        row("closed_per_week", &wk.week, wk.closed.to_string())?;
    }
    row(
        "hours_to_first_decision",
        "median",
        opt(k.time_to_first_decision.median_hours),
    )?;
    row(
        "hours_to_first_decision",
        "p90",
        opt(k.time_to_first_decision.p90_hours),
    )?;
    row(
        "hours_to_close",
        "median",
        opt(k.time_to_close.median_hours),
    )?;
    row("hours_to_close", "p90", opt(k.time_to_close.p90_hours))?;
    row(
        "closed_within_sla",
        "cases",
        k.closed_within_sla.to_string(),
    )?;
    row("closed_within_sla", "of", k.closed_with_sla.to_string())?;
    row("closed_within_sla", "share", opt(k.closed_within_sla_share))?;
    if let Some(o) = &k.oldest_open {
        row("oldest_open", &o.file, o.age_days.to_string())?;
    }
    row("overturned", "", k.overturned.to_string())?;
    for (t, n) in &k.overturned_by_case_type {
        row("overturned_by_case_type", t, n.to_string())?;
    }
    for (t, n) in &k.overturned_by_ring_reason {
        row("overturned_by_ring_reason", t, n.to_string())?;
    }
    row("confirmed_rings", "", k.confirmed_rings.to_string())?;
    for m in &k.confirmed_money {
        row("confirmed_money_minor", &m.currency, m.minor.to_string())?;
    }
    row("decided", "", k.decided.to_string())?;
    row("dismissed", "", k.dismissed.to_string())?;
    row("dismissed_share", "", opt(k.dismissed_share))?;
    let bytes = w
        .into_inner()
        .map_err(|e| crate::Error::Invalid(e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 values"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(5.0));
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        assert_eq!(percentile(&[3.0], 90.0), Some(3.0));
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(week("2026-11-25T10:00:00Z").as_deref(), Some("2026-W48"));
    }
}
