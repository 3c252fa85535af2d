//! Single accounts: find one anywhere in the case (by id, display name or email), and show its record.
//! Every value here is data from the exports; the UI renders it as text.

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, blocking};
use ringscope_store::Case;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountHit {
    pub account_id: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    /// The ring the account belongs to, if any.
    pub ring: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AccountSearch {
    pub hits: Vec<AccountHit>,
    /// More accounts matched than were returned.
    pub truncated: bool,
}

/// `%text%` for LIKE, with the text's own wildcards taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Accounts whose id, display name or email contains `text` (case-insensitive), ids matching exactly first.
#[tauri::command]
pub async fn search_accounts(
    state: tauri::State<'_, AppState>,
    text: String,
    limit: usize,
) -> ApiResult<AccountSearch> {
    let path = state.case_path()?;
    let cache = state.analyses.clone();
    let text = text.trim().to_string();
    if text.is_empty() || text.chars().count() > 200 {
        return Err(ApiError::new("invalid", "search for 1 to 200 characters"));
    }
    let limit = limit.clamp(1, 200);
    blocking(move || {
        let mut case = Case::open(&path)?;
        let analysis = cache.get(&path, &mut case)?;
        let conn = case.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT account_id, display_name, email, role FROM accounts
                 WHERE account_id LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'
                 ORDER BY account_id <> ?2, account_id LIMIT ?3",
            )
            .map_err(ringscope_store::Error::from)?;
        let rows = stmt
            .query_map(
                rusqlite::params![like_pattern(&text), text, limit as i64 + 1],
                |r| {
                    Ok(AccountHit {
                        account_id: r.get(0)?,
                        display_name: r.get(1)?,
                        email: r.get(2)?,
                        role: r.get(3)?,
                        ring: None,
                    })
                },
            )
            .map_err(ringscope_store::Error::from)?;
        let mut hits = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(ringscope_store::Error::from)?;
        let truncated = hits.len() > limit;
        hits.truncate(limit);
        // One pass over the rings, not one per hit.
        let wanted: HashSet<&str> = hits.iter().map(|h| h.account_id.as_str()).collect();
        let ring_of: HashMap<String, String> = analysis
            .rings
            .iter()
            .flat_map(|r| r.members.iter().map(move |m| (m, &r.id)))
            .filter(|(m, _)| wanted.contains(m.as_str()))
            .map(|(m, id)| (m.clone(), id.clone()))
            .collect();
        for hit in &mut hits {
            hit.ring = ring_of.get(&hit.account_id).cloned();
        }
        Ok(AccountSearch { hits, truncated })
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
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

/// One account's record as imported (values are data: the UI shows them as text).
#[tauri::command]
pub async fn account_detail(
    state: tauri::State<'_, AppState>,
    account_id: String,
) -> ApiResult<AccountDetail> {
    let path = state.case_path()?;
    blocking(move || {
        let case = Case::open(&path)?;
        let conn = case.conn();
        let row = conn.query_row(
            "SELECT a.role, a.status, a.created_at_ms, a.email, a.phone, a.display_name, a.country, s.file_name || ':' || a.line
             FROM accounts a JOIN sources s ON s.id = a.source_id WHERE a.account_id = ?1",
            [&account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        );
        let (role, status, created, email, phone, display_name, country, source) = match row {
            Ok(v) => v,
            // Seen only in payments or events: no account record, still an account.
            Err(rusqlite::Error::QueryReturnedNoRows) => (None, None, None, None, None, None, None, None),
            Err(e) => return Err(ringscope_store::Error::from(e).into()),
        };
        let (payments, disputes): (i64, i64) = conn
            .query_row(
                "SELECT count(*), count(disputed_amount_minor) FROM payments WHERE account_id = ?1",
                [&account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(ringscope_store::Error::from)?;
        let created_at = created.and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        Ok(AccountDetail { account_id, role, status, created_at, email, phone, display_name, country, payments, disputes, source })
    })
    .await
}
