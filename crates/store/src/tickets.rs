//! Support tickets imported from Zendesk ticket exports, attached to accounts by requester email. A file is
//! imported whole or not at all, in one transaction with its audit entry; the same bytes twice change nothing; a
//! ticket seen again replaces the kept one only when it is newer (`updated_at`).

use crate::{Case, Result, audit};
use serde::{Deserialize, Serialize};

/// One ticket, as the case keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: i64,
    pub subject: Option<String>,
    pub status: Option<String>,
    pub requester_email: Option<String>,
    /// The canonical email accounts are matched by (`ringscope_model::normalize::email`).
    pub requester_email_canon: Option<String>,
    pub created_at: String,
    pub created_at_ms: i64,
    pub updated_at: Option<String>,
    pub updated_at_ms: Option<i64>,
    pub tags: Vec<String>,
    /// The ticket's JSON object exactly as exported.
    pub raw: String,
}

/// What importing a ticket export did.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketImport {
    pub file: String,
    pub sha256: String,
    pub tickets: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The same bytes were imported before: nothing changed.
    pub already_imported: bool,
    /// Tickets whose requester is an account of the case.
    pub linked_tickets: usize,
    /// Tickets without a requester email (kept; they link no account).
    pub without_email: usize,
}

/// A ticket as an account shows it.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountTicket {
    pub account_id: String,
    pub ticket_id: i64,
    pub subject: Option<String>,
    pub status: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub tags: Vec<String>,
}

pub const TICKETS_IMPORT: &str = "tickets.import";

impl Case {
    /// Imports the tickets of one export file.
    pub fn import_tickets(
        &mut self,
        file: &str,
        sha256: &str,
        tickets: &[Ticket],
        actor: &str,
        ts: &str,
    ) -> Result<TicketImport> {
        let mut report = TicketImport {
            file: file.to_string(),
            sha256: sha256.to_string(),
            tickets: tickets.len(),
            without_email: tickets
                .iter()
                .filter(|t| t.requester_email_canon.is_none())
                .count(),
            ..Default::default()
        };
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM ticket_sources WHERE sha256 = ?1)",
            [sha256],
            |r| r.get(0),
        )?;
        if known {
            report.already_imported = true;
            report.unchanged = tickets.len();
            report.linked_tickets = self.linked_tickets(tickets)?;
            return Ok(report);
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut kept = tx.prepare_cached(
                "SELECT coalesce(updated_at_ms, created_at_ms) FROM tickets WHERE ticket_id = ?1",
            )?;
            for t in tickets {
                let before: Option<i64> =
                    kept.query_row([t.id], |r| r.get(0))
                        .map(Some)
                        .or_else(|e| match e {
                            rusqlite::Error::QueryReturnedNoRows => Ok(None),
                            e => Err(e),
                        })?;
                match before {
                    None => report.new += 1,
                    Some(b) if t.updated_at_ms.unwrap_or(t.created_at_ms) > b => {
                        report.updated += 1
                    }
                    Some(_) => report.unchanged += 1,
                }
            }
        }
        let details = serde_json::json!({
            "file": file, "sha256": sha256, "tickets": tickets.len(),
            "new": report.new, "updated": report.updated, "unchanged": report.unchanged,
        });
        let entry = audit::append(&tx, ts, actor, TICKETS_IMPORT, file, &details)?;
        tx.execute(
            "INSERT INTO ticket_sources (file_name, sha256, tickets, imported_at, imported_by, audit_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (file, sha256, tickets.len() as i64, ts, actor, entry.seq),
        )?;
        let source = tx.last_insert_rowid();
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO tickets (ticket_id, subject, status, requester_email, requester_email_canon, created_at,
                    created_at_ms, updated_at, updated_at_ms, tags, source_id, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (ticket_id) DO UPDATE SET subject = excluded.subject, status = excluded.status,
                    requester_email = excluded.requester_email, requester_email_canon = excluded.requester_email_canon,
                    created_at = excluded.created_at, created_at_ms = excluded.created_at_ms,
                    updated_at = excluded.updated_at, updated_at_ms = excluded.updated_at_ms, tags = excluded.tags,
                    source_id = excluded.source_id, raw = excluded.raw
                 WHERE coalesce(excluded.updated_at_ms, excluded.created_at_ms)
                       > coalesce(tickets.updated_at_ms, tickets.created_at_ms)",
            )?;
            for t in tickets {
                upsert.execute(rusqlite::params![
                    t.id,
                    t.subject,
                    t.status,
                    t.requester_email,
                    t.requester_email_canon,
                    t.created_at,
                    t.created_at_ms,
                    t.updated_at,
                    t.updated_at_ms,
                    serde_json::to_string(&t.tags).expect("tags serialize"),
                    source,
                    t.raw,
                ])?;
            }
        }
        tx.commit()?;
        report.linked_tickets = self.linked_tickets(tickets)?;
        Ok(report)
    }

    fn linked_tickets(&self, tickets: &[Ticket]) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM accounts WHERE email_canon = ?1)")?;
        let mut n = 0;
        for t in tickets {
            if let Some(canon) = &t.requester_email_canon {
                n += usize::from(stmt.query_row([canon], |r| r.get::<_, bool>(0))?);
            }
        }
        Ok(n)
    }

    /// The tickets of `accounts` (by requester email), oldest first.
    pub fn tickets_of(&self, accounts: &[String]) -> Result<Vec<AccountTicket>> {
        let marks = vec!["?"; accounts.len()].join(",");
        let sql = format!(
            "SELECT a.account_id, t.ticket_id, t.subject, t.status, t.created_at, t.updated_at, t.tags
             FROM tickets t JOIN accounts a ON a.email_canon = t.requester_email_canon
             WHERE a.account_id IN ({marks}) ORDER BY t.created_at_ms, t.ticket_id, a.account_id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(accounts), |r| {
            let tags: String = r.get(6)?;
            Ok(AccountTicket {
                account_id: r.get(0)?,
                ticket_id: r.get(1)?,
                subject: r.get(2)?,
                status: r.get(3)?,
                created_at: r.get(4)?,
                updated_at: r.get(5)?,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
