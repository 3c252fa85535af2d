//! Zendesk ticket exports: the incremental ticket export (`{"tickets": [...], "users": [...]}`, users sideloaded
//! with `include=users`), one page or a JSON array of pages as saved one after another. Each ticket is attached
//! to accounts by its requester's email (the requester's `email` inline, else the sideloaded user's), normalized
//! the way account emails are. A ticket whose requester email is missing or does not normalize is kept (the
//! original stays in `raw`); it just links no account.

use crate::{Error, Result};
pub use ringscope_store::Ticket;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// A serde_json message without its own "at line L column C", which counts from a slice, not the file.
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Where something is in the file, for errors that name `file:line:column`.
struct Located<'a> {
    file: &'a str,
    text: &'a str,
}

impl Located<'_> {
    /// An error at the start of `raw`, a slice of the file's text.
    fn fail_at(&self, raw: &RawValue, reason: impl Into<String>) -> Error {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() as u64 + 1;
        // In bytes, as serde_json counts the columns of syntax errors.
        let column = before.rsplit('\n').next().map_or(0, str::len) as u64 + 1;
        Error::Tickets {
            file: self.file.to_string(),
            line,
            column,
            reason: reason.into(),
        }
    }
}

/// One page of the export: its tickets kept as written, and the sideloaded users' emails.
#[derive(serde::Deserialize)]
struct Page<'a> {
    #[serde(borrow, default)]
    tickets: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    users: Vec<User>,
}

#[derive(serde::Deserialize)]
struct User {
    id: Option<i64>,
    email: Option<String>,
}

/// Parses a ticket export. `file` names it in errors.
pub fn parse_tickets(file: &str, bytes: &[u8]) -> Result<Vec<Ticket>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty {
            file: file.to_string(),
        });
    }
    let syntax = |e: serde_json::Error| Error::Tickets {
        file: file.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        reason: format!("not valid JSON: {}", message(&e)),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        Error::Tickets {
            file: file.to_string(),
            line: before.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
            column: before.rsplit(|&b| b == b'\n').next().map_or(0, <[u8]>::len) as u64 + 1,
            reason: "not UTF-8 text".into(),
        }
    })?;
    let at = Located { file, text };
    let pages: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(syntax)?
    } else {
        vec![serde_json::from_str(text).map_err(syntax)?]
    };
    let mut parsed = vec![];
    for (p, raw) in pages.iter().enumerate() {
        let page: Page = serde_json::from_str(raw.get())
            .map_err(|e| at.fail_at(raw, format!("page {}: {}", p + 1, message(&e))))?;
        let Some(tickets) = page.tickets else {
            return Err(at.fail_at(
                raw,
                format!(
                    "page {} has no \"tickets\" list: this is not a Zendesk ticket export (export with /api/v2/incremental/tickets)",
                    p + 1
                ),
            ));
        };
        parsed.push((tickets, page.users));
    }
    let emails: HashMap<i64, String> = parsed
        .iter()
        .flat_map(|(_, users)| users)
        .filter_map(|u| Some((u.id?, u.email.clone()?)))
        .collect();
    let mut out = vec![];
    for (raw, p) in parsed
        .iter()
        .enumerate()
        .flat_map(|(p, (tickets, _))| tickets.iter().map(move |t| (*t, p)))
    {
        out.push(ticket(&at, raw, p, &emails)?);
    }
    // A ticket changed between pages appears twice: its latest state counts.
    out.sort_by_key(|t| (t.id, t.updated_at_ms.unwrap_or(t.created_at_ms)));
    out.reverse();
    out.dedup_by_key(|t| t.id);
    out.reverse();
    Ok(out)
}

fn ticket(
    at: &Located,
    raw: &RawValue,
    page: usize,
    emails: &HashMap<i64, String>,
) -> Result<Ticket> {
    let t: Value = serde_json::from_str(raw.get()).map_err(|e| {
        at.fail_at(
            raw,
            format!("a ticket of page {}: {}", page + 1, message(&e)),
        )
    })?;
    let id = t
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| at.fail_at(raw, "a ticket without a numeric \"id\""))?;
    let text = |k: &str| t.get(k).and_then(Value::as_str).map(String::from);
    let created_at = text("created_at")
        .ok_or_else(|| at.fail_at(raw, format!("ticket #{id} has no \"created_at\"")))?;
    let created_at_ms = ringscope_model::normalize::timestamp_ms(&created_at)
        .map_err(|e| at.fail_at(raw, format!("ticket #{id}: created_at {created_at:?}: {e}")))?;
    let updated_at = text("updated_at");
    let updated_at_ms = updated_at
        .as_deref()
        .and_then(|u| ringscope_model::normalize::timestamp_ms(u).ok());
    let requester_email = t
        .get("requester")
        .and_then(|r| r.get("email"))
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| {
            t.get("requester_id")
                .and_then(Value::as_i64)
                .and_then(|r| emails.get(&r).cloned())
        });
    let requester_email_canon = requester_email
        .as_deref()
        .and_then(|e| ringscope_model::normalize::email(e).ok())
        .map(|(_, canon)| canon);
    let tags = t
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    Ok(Ticket {
        id,
        subject: text("subject"),
        status: text("status"),
        requester_email,
        requester_email_canon,
        created_at,
        created_at_ms,
        updated_at,
        updated_at_ms,
        tags,
        // Exactly as the file has it.
        raw: raw.get().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_take_their_requester_email_from_the_sideloaded_users() {
        let export = br#"{"tickets": [
            {"id": 7, "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-02T10:00:00Z", "subject": "Refund?",
             "status": "solved", "requester_id": 70, "tags": ["chargeback"]},
            {"id": 8, "created_at": "2026-03-03T10:00:00Z", "subject": "No email", "requester_id": 99}
          ],
          "users": [{"id": 70, "email": "Jane.Doe+fans@Gmail.com"}],
          "end_of_stream": true}"#;
        let t = parse_tickets("zd.json", export).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[0].requester_email.as_deref(),
            Some("Jane.Doe+fans@Gmail.com")
        );
        assert_eq!(
            t[0].requester_email_canon.as_deref(),
            Some("janedoe@gmail.com")
        );
        assert_eq!(t[0].tags, vec!["chargeback"]);
        // Kept, linking nobody.
        assert_eq!(t[1].requester_email, None);
        // The ticket's bytes exactly as exported (spacing and key order kept).
        assert_eq!(
            t[1].raw,
            r#"{"id": 8, "created_at": "2026-03-03T10:00:00Z", "subject": "No email", "requester_id": 99}"#
        );
    }

    #[test]
    fn pages_merge_and_the_latest_state_of_a_ticket_wins() {
        let export = br#"[
            {"tickets": [{"id": 1, "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z", "status": "new"}]},
            {"tickets": [{"id": 1, "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-05T10:00:00Z", "status": "solved"}]}
        ]"#;
        let t = parse_tickets("zd.json", export).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].status.as_deref(), Some("solved"));
    }

    #[test]
    fn bad_exports_are_refused_with_file_line_and_column() {
        let err = parse_tickets("zd.json", b"{\"tickets\": [\n  {\"id\": 1,,}\n]}").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("zd.json:2:"), "{text}");
        assert_eq!(err.code(), "tickets");
        let err = parse_tickets("zd.json", br#"{"users": []}"#).unwrap_err();
        assert!(
            err.to_string().contains("not a Zendesk ticket export"),
            "{err}"
        );
        let err = parse_tickets("zd.json", br#"{"tickets": [{"id": 3}]}"#).unwrap_err();
        assert!(
            err.to_string().contains("ticket #3 has no \"created_at\""),
            "{err}"
        );
        assert_eq!(
            parse_tickets("zd.json", b"  \n").unwrap_err().code(),
            "empty_file"
        );
    }
}
