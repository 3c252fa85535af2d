//! Single accounts: find one anywhere in the case (by id, display name, email, or any identifier it used), show its
//! record, and lay out the timeline of some accounts. Every value here is data from the exports: front ends show it
//! as text (the CLI through `ringscope_model::display`).

use crate::context::Context;
use crate::error::{ApiError, ApiResult};
use ringscope_store::{AccountDetail, AccountSearch, PaymentLine, TimelineEvent, UsedIdentifier};
use serde::Serialize;

/// The longest search text, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The most accounts a timeline lays out.
pub const MAX_TIMELINE_ACCOUNTS: usize = 5_000;

/// Accounts whose id, display name or email contains `text` (ids matching exactly first), each labelled with its
/// saved ring, and the accounts that used `text` as an identifier.
pub fn search(ctx: &Context, text: &str, limit: usize) -> ApiResult<AccountSearch> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_SEARCH_CHARS {
        return Err(ApiError::invalid(format!(
            "search for 1 to {MAX_SEARCH_CHARS} characters"
        )));
    }
    Ok(ctx.open()?.search_accounts(text, limit.clamp(1, 10_000))?)
}

/// One account in full: its record as imported, its saved ring, the identifiers it used and its payments.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct AccountRecord {
    pub account: AccountDetail,
    pub ring: Option<String>,
    pub identifiers: Vec<UsedIdentifier>,
    pub payments_made: Vec<PaymentLine>,
    pub payments_received: Vec<PaymentLine>,
    /// Support tickets the account's email requested (imported Zendesk exports).
    pub tickets: Vec<ringscope_store::AccountTicket>,
    /// Identifiers of this account confirmed in a ring of an earlier case of its desk.
    pub watch_flags: Vec<ringscope_store::WatchFlag>,
}

pub fn account(ctx: &Context, account_id: &str) -> ApiResult<AccountRecord> {
    let case = ctx.open()?;
    let account = case.account_detail(account_id)?;
    let identifiers = case.account_identifiers(account_id)?;
    let (payments_made, payments_received) = case.account_payments(account_id)?;
    if account.source.is_none()
        && identifiers.is_empty()
        && payments_made.is_empty()
        && payments_received.is_empty()
    {
        return Err(ApiError::new(
            "unknown_account",
            format!("no account {account_id} in this case"),
        ));
    }
    let ring = case
        .saved_ring_of(&[account_id.to_string()])?
        .remove(account_id);
    let tickets = case.tickets_of(&[account_id.to_string()])?;
    let watch_flags = case
        .watch_flags()?
        .into_iter()
        .filter(|f| f.account_id == account_id)
        .collect();
    Ok(AccountRecord {
        account,
        ring,
        identifiers,
        payments_made,
        payments_received,
        tickets,
        watch_flags,
    })
}

/// Whose timeline: a saved ring's members, or accounts named one by one.
#[derive(Debug, Clone)]
pub enum Subjects {
    Ring(String),
    Accounts(Vec<String>),
}

/// The sign-ups, logins, payments, declines and disputes of the subjects, oldest first.
pub fn timeline(ctx: &Context, subjects: &Subjects) -> ApiResult<Vec<TimelineEvent>> {
    let case = ctx.open()?;
    let accounts = match subjects {
        Subjects::Ring(id) => match case.saved_rings()?.into_iter().find(|r| &r.ring_id == id) {
            Some(r) => r.members,
            None => {
                return Err(ApiError::new(
                    "unknown_ring",
                    format!("no ring {id} in this case (list the rings first)"),
                ));
            }
        },
        Subjects::Accounts(accounts) => accounts.clone(),
    };
    if accounts.is_empty() || accounts.len() > MAX_TIMELINE_ACCOUNTS {
        return Err(ApiError::invalid(format!(
            "give between 1 and {MAX_TIMELINE_ACCOUNTS} accounts"
        )));
    }
    Ok(case.timeline(&accounts)?)
}

/// The row a `file:line` reference points at, in every imported file of that name, with its original values.
pub fn source_row(ctx: &Context, reference: &str) -> ApiResult<Vec<ringscope_store::OriginalRow>> {
    let (file, line) = file_and_line(reference)
        .ok_or_else(|| ApiError::invalid(format!("{reference:?} is not FILE:LINE")))?;
    let rows = ctx.open()?.source_rows(file, line)?;
    if rows.is_empty() {
        return Err(ApiError::new(
            "not_found",
            format!("no imported file {file} has a row at line {line}"),
        ));
    }
    Ok(rows)
}

/// `file:line`, or `file:line:column` as row errors are written.
fn file_and_line(reference: &str) -> Option<(&str, u64)> {
    let number = |s: &str| s.trim().parse::<u64>().ok();
    let (rest, last) = reference.rsplit_once(':')?;
    let (file, line) = match rest.rsplit_once(':') {
        Some((file, line)) if number(line).is_some() && number(last).is_some() => {
            (file, number(line)?)
        }
        _ => (rest, number(last)?),
    };
    (!file.is_empty()).then_some((file, line))
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_read_as_file_and_line() {
        use super::file_and_line;
        assert_eq!(
            file_and_line("accounts.csv:1050"),
            Some(("accounts.csv", 1050))
        );
        assert_eq!(
            file_and_line("payments.csv:12:7"),
            Some(("payments.csv", 12))
        );
        assert_eq!(file_and_line("C:x.csv:3"), Some(("C:x.csv", 3)));
        assert_eq!(file_and_line("accounts.csv"), None);
        assert_eq!(file_and_line(":3"), None);
        assert_eq!(file_and_line("a.csv:x"), None);
    }
}
