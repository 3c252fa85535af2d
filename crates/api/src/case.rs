//! Case files: create one, and summarize one (metadata, schema, counts, sources).

use crate::context::Context;
use crate::error::ApiResult;
use ringscope_store::{Case, CaseCounts, CaseMeta, NewCase, SourceFile};
use serde::Serialize;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub path: String,
    pub schema_version: i64,
    pub meta: CaseMeta,
    pub counts: CaseCounts,
    pub sources: Vec<SourceFile>,
}

fn summarize(case: &Case) -> ApiResult<CaseSummary> {
    Ok(CaseSummary {
        path: case.path().display().to_string(),
        schema_version: case.schema_version()?,
        meta: case.meta()?,
        counts: case.counts()?,
        sources: case.sources()?,
    })
}

/// Creates the context's case file (refusing to overwrite anything).
pub fn create(ctx: &Context, new: &NewCase) -> ApiResult<CaseSummary> {
    summarize(&Case::create(ctx.case_path(), new, &ctx.now_text())?)
}

/// The context's case: metadata, schema version, record counts and imported sources.
pub fn summary(ctx: &Context) -> ApiResult<CaseSummary> {
    summarize(&ctx.open()?)
}

/// Every imported file rebuilt from the bytes the case keeps and checked against its recorded SHA-256
/// (`ringscope case verify`).
pub fn verify_originals(ctx: &Context) -> ApiResult<Vec<ringscope_store::OriginalCheck>> {
    Ok(ctx.open()?.verify_originals()?)
}

/// [`summary`], after checking the case history's hash chain (`ringscope case info`).
pub fn checked_summary(ctx: &Context) -> ApiResult<CaseSummary> {
    let case = ctx.open()?;
    case.verify_audit_log()?;
    summarize(&case)
}
