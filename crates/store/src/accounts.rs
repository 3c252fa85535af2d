//! Single accounts and their activity, read for the front ends: account search, one account's record, and the
//! timeline of a set of accounts. The app's commands and the CLI both call these (no SQL outside the store).

use crate::Case;
use crate::error::Result;
use crate::linking::{declined_sql, disputed_sql};
use ringscope_model::{IdKind, payment};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An account found by [`Case::search_accounts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AccountHit {
    pub account_id: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    /// The ring the account belongs to, if any (as last saved by a detection).
    pub ring: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AccountSearch {
    pub hits: Vec<AccountHit>,
    /// More accounts matched than were returned.
    pub truncated: bool,
    /// Accounts that used the searched text as an identifier (email, phone, device, IP or card), read as
    /// linking normalizes it.
    pub identifiers: Vec<IdentifierHit>,
}

/// One account's record as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AccountDetail {
    pub account_id: String,
    pub role: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub display_name: Option<String>,
    pub country: Option<String>,
    pub payments: i64,
    pub disputes: i64,
    /// Where the account record came from, as `file:line`.
    pub source: Option<String>,
}

/// One moment of an account's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TimelineEvent {
    /// UTC milliseconds.
    pub ts: i64,
    pub account: String,
    /// signup, login, event, payment, decline, dispute, ticket.
    pub kind: String,
    /// Sign-ups: the email; events: IP and device; payments: amount, currency and creator.
    pub detail: String,
    /// Payments, declines and disputes: the amount in integer minor units and its currency.
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
}

/// `%text%` for LIKE, with the text's own wildcards taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// An account that used the identifier searched for, and which kind of identifier it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct IdentifierHit {
    pub account_id: String,
    /// email, phone, device, ip or card.
    pub kind: String,
    /// The identifier in the normalized form linking uses.
    pub value: String,
}

/// One payment as the front ends list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct PaymentLine {
    pub payment_id: String,
    pub created_at_ms: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub status: Option<String>,
    pub payer: Option<String>,
    pub creator: Option<String>,
    pub card_fingerprint: Option<String>,
    pub disputed: bool,
}

/// An identifier an account used, how often, in the normalized form linking uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct UsedIdentifier {
    /// email, phone, device, ip or card.
    pub kind: String,
    pub value: String,
    pub times: i64,
}

impl Case {
    /// The identifiers one account used (devices and IPs from events, cards and customer emails from payments,
    /// email and phone from its record), most used first within each kind.
    pub fn account_identifiers(&self, account_id: &str) -> Result<Vec<UsedIdentifier>> {
        let uses = IdKind::ALL
            .into_iter()
            .flat_map(|kind| kind.columns().iter().map(move |c| (kind, c)))
            .map(|(kind, c)| {
                format!(
                    "SELECT '{kind}' AS kind, {column} AS value, count(*) AS times FROM {table}
                     WHERE account_id = ?1 AND {column} IS NOT NULL GROUP BY {column}",
                    table = c.record.table(),
                    column = c.column,
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT kind, value, sum(times) FROM ({uses}) GROUP BY kind, value ORDER BY 1, 3 DESC, 2"
        ))?;
        let rows = stmt.query_map([account_id], |r| {
            Ok(UsedIdentifier {
                kind: r.get(0)?,
                value: r.get(1)?,
                times: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Payments one account made (as payer) and received (as creator), oldest first.
    pub fn account_payments(
        &self,
        account_id: &str,
    ) -> Result<(Vec<PaymentLine>, Vec<PaymentLine>)> {
        let read = |column: &str| -> Result<Vec<PaymentLine>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT payment_id, created_at_ms, amount_minor, currency, status, account_id, creator_id, card_fingerprint,
                        {disputed}
                 FROM payments WHERE {column} = ?1 ORDER BY created_at_ms, payment_id",
                disputed = disputed_sql(),
            ))?;
            let rows = stmt.query_map([account_id], |r| {
                Ok(PaymentLine {
                    payment_id: r.get(0)?,
                    created_at_ms: r.get(1)?,
                    amount_minor: r.get(2)?,
                    currency: r.get(3)?,
                    status: r.get(4)?,
                    payer: r.get(5)?,
                    creator: r.get(6)?,
                    card_fingerprint: r.get(7)?,
                    disputed: r.get(8)?,
                })
            })?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        };
        Ok((read("account_id")?, read("creator_id")?))
    }

    /// Accounts that used `text` as an identifier of any kind, read with the normalization linking uses (device ids
    /// lowercased with GUID braces dropped, phones to E.164 in the case's region, emails folded to their canonical
    /// form (Gmail dots and `+tags`), IPs in canonical form; card fingerprints as given). Exact matches only.
    pub fn accounts_by_identifier(&self, text: &str) -> Result<Vec<IdentifierHit>> {
        use ringscope_model::normalize;
        let text = text.trim();
        let mut wanted: Vec<(IdKind, String)> = vec![
            (IdKind::Device, normalize::device_id(text)),
            (IdKind::Card, text.to_string()),
        ];
        if let Ok((_, canon)) = normalize::email(text) {
            wanted.push((IdKind::Email, canon));
        }
        let region = self.meta()?.phone_region;
        let e164 = normalize::NormalizeOptions::with_region(&region)
            .ok()
            .and_then(|opts| normalize::phone(text, None, &opts).ok());
        if let Some(e164) = e164 {
            wanted.push((IdKind::Phone, e164));
        }
        if let Ok(addr) = normalize::ip(text) {
            wanted.push((IdKind::Ip, addr.to_string()));
        }
        let mut hits = vec![];
        for (kind, value) in wanted {
            if value.is_empty() {
                continue;
            }
            let users = kind
                .columns()
                .iter()
                .map(|c| {
                    format!(
                        "SELECT DISTINCT account_id FROM {} WHERE {} = ?1 AND account_id IS NOT NULL",
                        c.record.table(),
                        c.column
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ");
            let mut stmt = self.conn.prepare_cached(&format!("{users} ORDER BY 1"))?;
            let ids = stmt.query_map([&value], |r| r.get::<_, String>(0))?;
            for id in ids {
                hits.push(IdentifierHit {
                    account_id: id?,
                    kind: kind.as_str().to_string(),
                    value: value.clone(),
                });
            }
        }
        Ok(hits)
    }

    /// Accounts whose id, display name or email contains `text` (case-insensitive), ids matching exactly first,
    /// at most `limit`, each labelled with its saved ring.
    pub fn search_accounts(&self, text: &str, limit: usize) -> Result<AccountSearch> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT account_id, display_name, email, role FROM accounts
             WHERE account_id LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'
             ORDER BY account_id <> ?2, account_id LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![like_pattern(text), text, limit as i64 + 1],
            |r| {
                Ok(AccountHit {
                    account_id: r.get(0)?,
                    display_name: r.get(1)?,
                    email: r.get(2)?,
                    role: r.get(3)?,
                    ring: None,
                })
            },
        )?;
        let mut hits = rows.collect::<std::result::Result<Vec<_>, _>>()?;
        let truncated = hits.len() > limit;
        hits.truncate(limit);
        let ids: Vec<String> = hits.iter().map(|h| h.account_id.clone()).collect();
        let rings = self.saved_ring_of(&ids)?;
        for hit in &mut hits {
            hit.ring = rings.get(&hit.account_id).cloned();
        }
        Ok(AccountSearch {
            hits,
            truncated,
            identifiers: self.accounts_by_identifier(text)?,
        })
    }

    /// The active saved ring of each of `accounts` that has one.
    pub fn saved_ring_of(&self, accounts: &[String]) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.ring_id FROM ring_members m JOIN rings r ON r.ring_id = m.ring_id
             WHERE r.active AND m.account_id = ?1 ORDER BY r.seq LIMIT 1",
        )?;
        let mut out = HashMap::new();
        for a in accounts {
            if let Some(ring) = stmt.query_row([a], |r| r.get::<_, String>(0)).optional()? {
                out.insert(a.clone(), ring);
            }
        }
        Ok(out)
    }

    /// One account's record; an account seen only in payments or events has no record but is still an account
    /// (its fields are then empty).
    pub fn account_detail(&self, account_id: &str) -> Result<AccountDetail> {
        type Row = (
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT a.role, a.status, a.created_at_ms, a.email, a.phone, a.display_name, a.country, s.file_name || ':' || a.line
                 FROM accounts a JOIN sources s ON s.id = a.source_id WHERE a.account_id = ?1",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
            )
            .optional()?;
        let (role, status, created, email, phone, display_name, country, source) =
            row.unwrap_or_default();
        let (payments, disputes): (i64, i64) = self.conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum({}), 0) FROM payments WHERE account_id = ?1",
                disputed_sql()
            ),
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let created_at = created
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        Ok(AccountDetail {
            account_id: account_id.to_string(),
            role,
            status,
            created_at,
            email,
            phone,
            display_name,
            country,
            payments,
            disputes,
            source,
        })
    }

    /// The sign-ups, logins, payments, declines, disputes and support tickets of `accounts`, oldest first. Amounts are shown with
    /// their currency's exponent (`ringscope_model::money`).
    pub fn timeline(&self, accounts: &[String]) -> Result<Vec<TimelineEvent>> {
        let marks = vec!["?"; accounts.len()].join(",");
        let sql = format!(
            "SELECT created_at_ms, account_id, 'signup', coalesce(email, ''), NULL, NULL, NULL FROM accounts WHERE account_id IN ({marks}) AND created_at_ms IS NOT NULL
             UNION ALL SELECT timestamp_ms, account_id, coalesce(event_type, 'event'), coalesce(ip, '') || ' ' || coalesce(device_id, ''), NULL, NULL, NULL FROM events WHERE account_id IN ({marks}) AND coalesce(event_type, '') <> 'signup'
             UNION ALL SELECT created_at_ms, account_id,
                CASE WHEN {declined} THEN 'decline' WHEN {disputed} THEN 'dispute' ELSE 'payment' END,
                NULL, amount_minor, currency, creator_id FROM payments WHERE account_id IN ({marks})
             UNION ALL SELECT t.created_at_ms, a.account_id, 'ticket',
                'ticket #' || t.ticket_id || ' opened: ' || coalesce(t.subject, ''), NULL, NULL, NULL
                FROM tickets t JOIN accounts a ON a.email_canon = t.requester_email_canon WHERE a.account_id IN ({marks})
             UNION ALL SELECT t.updated_at_ms, a.account_id, 'ticket',
                'ticket #' || t.ticket_id || ' ' || coalesce(t.status, 'updated') || ': ' || coalesce(t.subject, ''), NULL, NULL, NULL
                FROM tickets t JOIN accounts a ON a.email_canon = t.requester_email_canon
                WHERE a.account_id IN ({marks}) AND t.updated_at_ms > t.created_at_ms
             ORDER BY 1, 2",
            declined = declined_sql(),
            disputed = disputed_sql(),
        );
        let params = accounts
            .iter()
            .chain(accounts)
            .chain(accounts)
            .chain(accounts)
            .chain(accounts);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let detail: Option<String> = r.get(3)?;
            let amount_minor: Option<i64> = r.get(4)?;
            let currency: Option<String> = r.get(5)?;
            let creator: Option<String> = r.get(6)?;
            let detail = match detail {
                Some(d) => d,
                None => format!(
                    "{} to {}",
                    ringscope_model::money::format(
                        amount_minor.unwrap_or(0),
                        currency.as_deref().unwrap_or("")
                    ),
                    creator.as_deref().unwrap_or("?")
                ),
            };
            Ok(TimelineEvent {
                ts: r.get(0)?,
                account: r.get(1)?,
                kind: r.get(2)?,
                detail,
                amount_minor,
                currency,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }
}

/// One account's standing and money, as a ring's member table shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFacts {
    pub role: Option<String>,
    pub status: Option<String>,
    pub created_at_ms: Option<i64>,
    /// Per currency: (paid minor units of successful payments, disputed minor units), as payer.
    pub paid: Vec<(String, i64, i64)>,
    /// The same, received as a creator.
    pub received: Vec<(String, i64, i64)>,
    pub payments: u32,
    pub disputes: u32,
}

impl Case {
    /// Role, status, sign-up and money paid and received by one account (an unknown account gives empty facts).
    pub fn member_facts(&self, account_id: &str) -> Result<MemberFacts> {
        let mut facts = MemberFacts::default();
        let mut account = self.conn.prepare_cached(
            "SELECT role, status, created_at_ms FROM accounts WHERE account_id = ?1",
        )?;
        let mut rows = account.query([account_id])?;
        if let Some(r) = rows.next()? {
            (facts.role, facts.status, facts.created_at_ms) = (r.get(0)?, r.get(1)?, r.get(2)?);
        }
        // Per currency: (currency, paid, disputed amount, payments, payments with a dispute).
        type Money = (String, i64, i64, i64, i64);
        let money = |column: &str| -> Result<Vec<Money>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT currency, coalesce(sum(CASE WHEN {declined} THEN 0 ELSE amount_minor END), 0),
                        coalesce(sum({disputed_amount}), 0), count(*),
                        coalesce(sum({disputed}), 0)
                 FROM payments WHERE {column} = ?1 GROUP BY currency ORDER BY currency",
                declined = declined_sql(),
                disputed_amount = payment::DISPUTED_AMOUNT,
                disputed = disputed_sql(),
            ))?;
            let rows = stmt.query_map([account_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        };
        for (currency, paid, disputed, n, with_dispute) in money("account_id")? {
            facts.payments += n as u32;
            facts.disputes += with_dispute as u32;
            facts.paid.push((currency, paid, disputed));
        }
        facts.received = money("creator_id")?
            .into_iter()
            .map(|(currency, paid, disputed, _, _)| (currency, paid, disputed))
            .collect();
        Ok(facts)
    }
}
