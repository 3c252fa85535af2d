//! What the PDF report shows, as plain values (`data.json` for the template): the case, the packet, a summary of
//! the subjects' records, the ring's reasons and bindings, the subjects, shared identifiers, a timeline, the
//! evidence and the case's procedure. Masked per the packet's profile.

use crate::redact::{self, Redactor};
use crate::subjects::{self, Subjects};
use crate::{ExportRequest, REPORT_BINDINGS, SOFTWARE};
use ringscope_model::RecordKind;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The narrative as paragraphs (split at blank lines) of lines, so its line breaks survive without control
/// characters reaching the report (the report shows any that are left as code points).
pub(crate) fn paragraphs(narrative: &str) -> Vec<Vec<String>> {
    let text = narrative.replace("\r\n", "\n").replace('\t', "    ");
    text.split("\n\n")
        .map(|p| {
            p.trim_matches('\n')
                .split('\n')
                .map(|l| l.trim_end().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p| p.iter().any(|l| !l.trim().is_empty()))
        .collect()
}

/// A ring's reasons as the report shows them. The watchlist reason names an identifier and another case: an
/// external copy says only how many members, since that identifier and case are not this packet's to disclose.
fn report_reasons(
    reasons: &[ringscope_graph::score::Reason],
    redactor: &Redactor,
) -> Vec<ringscope_graph::score::Reason> {
    reasons
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.feature == "watchlist" && !redactor.keeps_originals() {
                r.detail = format!(
                    "{} member(s) use identifiers confirmed in an earlier case",
                    r.value
                );
            }
            r
        })
        .collect()
}

/// The case's procedure for the report: type, status, assignee, due date, and each checklist step with its mark.
pub(crate) fn workflow_data(w: &ringscope_store::Workflow) -> Value {
    let steps: Vec<Value> = w
        .checklist
        .iter()
        .map(|i| {
            let (state, by) = match &i.mark {
                Some(m) => (
                    match &m.reason {
                        Some(r) => format!("skipped: {r}"),
                        None => m.state.clone(),
                    },
                    format!("{} at {}", m.actor, m.ts),
                ),
                None => ("open".to_string(), String::new()),
            };
            json!({"id": i.step.id, "title": i.step.title, "required": i.step.required, "state": state, "by": by})
        })
        .collect();
    json!({
        "type": w.type_name.clone().or_else(|| w.case_type.clone()),
        "status": w.status.as_str().replace('_', " "),
        "assignee": w.assignee.clone().unwrap_or_else(|| "-".into()),
        "due": w.due_at.clone().unwrap_or_else(|| "-".into()),
        "open_required": w.open_required().len(),
        "steps": steps,
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn report_data(
    meta: &ringscope_store::CaseMeta,
    subjects: &Subjects,
    redactor: &Redactor,
    req: &ExportRequest<'_>,
    packet_id: &str,
    export_time: &str,
    evidence_digest: &str,
    payload: Vec<Value>,
) -> Value {
    use ringscope_graph::IdKind;
    use ringscope_graph::identifier::placeholder_reason;
    use ringscope_model::payment;
    let str_of = |r: &subjects::Record, f: &str| {
        Subjects::field(r, f)
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let int_of = |r: &subjects::Record, f: &str| Subjects::field(r, f).and_then(|v| v.as_i64());
    let accounts = &subjects.records[&RecordKind::Accounts];
    let payments = &subjects.records[&RecordKind::Payments];
    let events = &subjects.records[&RecordKind::Events];
    // Distinct linkable values of one identifier kind in one kind of the subjects' records (the summary counts
    // emails of account records only).
    let distinct = |kind: IdKind, record: RecordKind, records: &[subjects::Record]| {
        let column = kind.column_in(record).unwrap_or_default();
        records
            .iter()
            .filter_map(|r| str_of(r, column))
            .filter(|v| placeholder_reason(kind, v).is_none())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let failed = |p: &subjects::Record| payment::is_declined(str_of(p, payment::STATUS).as_deref());
    let disputed = |p: &subjects::Record| {
        payment::is_disputed(
            int_of(p, payment::DISPUTED_AMOUNT),
            str_of(p, payment::DISPUTE_STATUS).as_deref(),
        )
    };
    let mut amounts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for p in payments {
        let e = amounts
            .entry(str_of(p, "currency").unwrap_or_default())
            .or_default();
        if !failed(p) {
            e.0 += int_of(p, "amount_minor").unwrap_or(0);
        }
        e.1 += int_of(p, payment::DISPUTED_AMOUNT).unwrap_or(0);
    }
    let money = ringscope_model::money::format;
    let mut times: Vec<String> = vec![];
    let mut days: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    for a in accounts {
        if let Some(t) = str_of(a, "created_at") {
            days.entry(t[..10].to_string()).or_default()[0] += 1;
            times.push(t);
        }
    }
    for e in events {
        if let Some(t) = str_of(e, "timestamp") {
            if str_of(e, "event_type").as_deref() != Some("signup") {
                days.entry(t[..10].to_string()).or_default()[1] += 1;
            }
            times.push(t);
        }
    }
    for p in payments {
        if let Some(t) = str_of(p, "created_at") {
            let d = days.entry(t[..10].to_string()).or_default();
            d[2] += 1;
            d[3] += i64::from(failed(p));
            d[4] += i64::from(disputed(p));
            times.push(t);
        }
    }
    times.sort();
    const MAX_DAYS: usize = 45;
    let truncated = days.len() > MAX_DAYS;
    let mut busiest: Vec<(&String, &[i64; 5])> = days.iter().collect();
    busiest.sort_by_key(|(d, c)| (std::cmp::Reverse(c.iter().sum::<i64>()), (*d).clone()));
    busiest.truncate(MAX_DAYS);
    busiest.sort_by(|a, b| a.0.cmp(b.0));
    let subject_rows: Vec<Value> = subjects
        .accounts
        .iter()
        .map(|id| {
            let a = accounts.iter().find(|a| &a.account_id == id);
            let get = |f: &str| a.and_then(|a| str_of(a, f)).unwrap_or_default();
            let email = a.and_then(|a| Subjects::field(a, "email")).map(|v| redactor.mask_field("email", v)).and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            let mine: Vec<&subjects::Record> = payments.iter().filter(|p| &p.account_id == id).collect();
            json!({
                "id": id, "role": get("role"), "status": get("status"), "created": get("created_at").get(..10).unwrap_or(""),
                "email": email, "display_name": get("display_name"), "payments": mine.len(), "disputes": mine.iter().filter(|p| disputed(p)).count(),
            })
        })
        .collect();
    let shared: Vec<Value> = subjects
        .shared
        .iter()
        .map(|s| {
            let value = redact::Sensitive::of_identifier(s.kind).map_or_else(|| s.value.clone(), |w| redactor.mask(w, &s.value));
            json!({"kind": s.kind.as_str(), "value": value, "weight": (s.weight * 100.0).round() / 100.0, "hub": s.hub, "total": s.accounts_total, "subjects": s.subjects})
        })
        .collect();
    json!({
        "case": {"title": meta.title, "reference": meta.reference.clone().unwrap_or_else(|| "-".into()), "investigator": meta.investigator.clone().unwrap_or_else(|| req.actor.clone())},
        "packet": {
            "id": packet_id, "export_time": export_time, "profile": req.profile.as_str(), "evidence_digest": evidence_digest, "software": SOFTWARE,
            "subject": match &subjects.ring { Some(r) => format!("Ring {} — {} accounts", r.id, subjects.accounts.len()), None => format!("{} account(s)", subjects.accounts.len()) },
        },
        "narrative": paragraphs(&req.narrative),
        "summary": {
            "accounts": subjects.accounts.len(),
            "creators": accounts.iter().filter(|a| str_of(a, "role").as_deref() == Some("creator")).count(),
            "devices": distinct(IdKind::Device, RecordKind::Events, events),
            "cards": distinct(IdKind::Card, RecordKind::Payments, payments),
            "ips": distinct(IdKind::Ip, RecordKind::Events, events),
            "emails": distinct(IdKind::Email, RecordKind::Accounts, accounts),
            "phones": distinct(IdKind::Phone, RecordKind::Accounts, accounts),
            "payments": payments.len(), "declines": payments.iter().filter(|p| failed(p)).count(), "disputes": payments.iter().filter(|p| disputed(p)).count(),
            "amounts": amounts.iter().map(|(c, (paid, disp))| json!({"currency": c, "paid": money(*paid, c), "disputed": money(*disp, c)})).collect::<Vec<_>>(),
            "first": times.first().map(|t| t[..10].to_string()).unwrap_or_else(|| "-".into()),
            "last": times.last().map(|t| t[..10].to_string()).unwrap_or_else(|| "-".into()),
        },
        "ring": subjects.ring.as_ref().map(|r| json!({
            "id": r.id, "rank": r.rank, "score": r.score, "reasons": report_reasons(&r.reasons, redactor),
            // How each identifier binding the ring was read (ring or weak evidence), with the figures behind it.
            "binding": r.binding.iter().take(REPORT_BINDINGS).map(|b| json!({
                "kind": b.kind, "value": b.value, "in_ring": b.members.len(), "in_case": b.accounts_total, "why": b.reading.why,
            })).collect::<Vec<_>>(),
            "binding_more": r.binding.len().saturating_sub(REPORT_BINDINGS),
        })),
        "subjects": subject_rows,
        "shared": shared,
        "timeline": busiest.iter().map(|(d, c)| json!({"date": d, "signups": c[0], "logins": c[1], "payments": c[2], "declines": c[3], "disputes": c[4]})).collect::<Vec<_>>(),
        "timeline_truncated": truncated,
        "evidence": subjects.sources.iter().map(|s| json!({"file": s.file_name, "sha256": s.sha256, "rows": s.rows.read, "imported_at": s.imported_at, "imported_by": s.imported_by})).collect::<Vec<_>>(),
        "payload": payload,
    })
}
