//! Support tickets: import a Zendesk ticket export into the case (tickets attach to accounts by requester email
//! and show on account and ring timelines).

use crate::context::Context;
use crate::error::ApiResult;
use ringscope_store::TicketImport;
use std::path::Path;

/// Imports one ticket export file, whole or not at all.
pub fn import_tickets(ctx: &Context, path: &Path) -> ApiResult<TicketImport> {
    let source = ringscope_ingest::read_file(path, &mut |_| {})?;
    let tickets = ringscope_ingest::parse_tickets(&source.name, &source.bytes)?;
    let mut case = ctx.open()?;
    Ok(case.import_tickets(
        &source.name,
        &source.sha256,
        &tickets,
        ctx.actor(),
        &ctx.now_text(),
    )?)
}
