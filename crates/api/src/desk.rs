//! The desk's use cases: a folder of case files with their index, case types, program KPIs and watchlist
//! (`ringscope-desk`), and the workflow of one case (checklist, status, assignee). Shared by `ringscope desk ...`,
//! `ringscope case step|status|assign|checklist` and the app's desk view.

use crate::context::Context;
use crate::error::{ApiError, ApiResult};
use ringscope_desk::{CaseRow, CaseTypes, Desk, Flag, Kpis, ListQuery, NewDeskCase, WatchEntry};
use ringscope_store::{CaseStatus, StepMark, Workflow};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Which desk, who acts, and when (the clock of a case context, so tests fix it the same way).
#[derive(Clone)]
pub struct DeskContext {
    dir: PathBuf,
    clock: Context,
}

impl DeskContext {
    pub fn new(dir: impl Into<PathBuf>, actor: impl Into<String>) -> DeskContext {
        let dir = dir.into();
        DeskContext {
            clock: Context::new(dir.join(ringscope_desk::INDEX_FILE), actor),
            dir,
        }
    }

    pub fn with_clock(mut self, clock: crate::Clock) -> DeskContext {
        self.clock = self.clock.with_clock(clock);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn actor(&self) -> &str {
        self.clock.actor()
    }

    pub fn now(&self) -> String {
        self.clock.now_text()
    }

    /// The desk, with every case file changed since it was indexed read again.
    fn open(&self) -> ApiResult<Desk> {
        let mut desk = Desk::open(&self.dir)?;
        desk.refresh()?;
        Ok(desk)
    }

    /// A case context for a case of this desk, acting as the same person.
    pub fn case(&self, file: &str) -> ApiResult<Context> {
        Ok(Context::new(self.case_path(file)?, self.actor()))
    }

    /// The path of a case file the desk's index lists (never a path outside the desk folder).
    pub fn case_path(&self, file: &str) -> ApiResult<PathBuf> {
        let desk = Desk::open(&self.dir)?;
        match desk.file_of(Path::new(file))? {
            Some(name) if name == file => Ok(self.dir.join(name)),
            _ => Err(ApiError::new(
                "not_found",
                format!("no case {file:?} on the desk {}", self.dir.display()),
            )),
        }
    }
}

/// What the desk view shows when it opens.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct DeskOverview {
    pub dir: String,
    pub types: CaseTypes,
    pub cases: Vec<CaseRow>,
    pub kpis: Kpis,
}

/// A case to open on the desk.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct NewCaseOnDesk {
    pub title: String,
    pub case_type: String,
    pub reference: Option<String>,
    /// Who works it [default: the actor].
    pub assignee: Option<String>,
    /// Region for phone numbers written without a country code [default: US].
    pub phone_region: Option<String>,
    /// Opening time (RFC 3339) for back-filling a desk [default: now].
    pub opened: Option<String>,
}

/// Creates a desk in `dir`: its index and the default case types.
pub fn init(ctx: &DeskContext) -> ApiResult<DeskOverview> {
    Desk::init(&ctx.dir, &ctx.now())?;
    overview(ctx)
}

/// The desk's case types, cases (opened first) and KPIs as of now.
pub fn overview(ctx: &DeskContext) -> ApiResult<DeskOverview> {
    let desk = ctx.open()?;
    Ok(DeskOverview {
        dir: ctx.dir.display().to_string(),
        types: desk.types().clone(),
        cases: desk.list(&ListQuery::default())?,
        kpis: desk.kpis(&ctx.now())?,
    })
}

pub fn types(ctx: &DeskContext) -> ApiResult<CaseTypes> {
    Ok(Desk::open(&ctx.dir)?.types().clone())
}

pub fn list(ctx: &DeskContext, query: &ListQuery) -> ApiResult<Vec<CaseRow>> {
    Ok(ctx.open()?.list(query)?)
}

pub fn kpis(ctx: &DeskContext) -> ApiResult<Kpis> {
    Ok(ctx.open()?.kpis(&ctx.now())?)
}

pub fn kpis_csv(kpis: &Kpis) -> ApiResult<String> {
    Ok(ringscope_desk::kpis::csv(kpis)?)
}

/// Opens a new typed case in the desk folder (due at opening + the type's SLA).
pub fn new_case(ctx: &DeskContext, new: &NewCaseOnDesk) -> ApiResult<CaseRow> {
    if new.title.trim().is_empty() {
        return Err(ApiError::invalid("a case needs a title"));
    }
    let mut desk = ctx.open()?;
    let opened = new.opened.clone().unwrap_or_else(|| ctx.now());
    Ok(desk.new_case(
        &NewDeskCase {
            title: new.title.trim().to_string(),
            case_type: new.case_type.clone(),
            reference: new.reference.clone().filter(|r| !r.trim().is_empty()),
            assignee: Some(
                new.assignee
                    .clone()
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or_else(|| ctx.actor().to_string()),
            ),
            phone_region: new.phone_region.clone().unwrap_or_else(|| "US".into()),
        },
        ctx.actor(),
        &opened,
    )?)
}

/// Adds an existing case file (copied into the desk folder unless it is there already).
pub fn add_case(ctx: &DeskContext, case: &Path, case_type: Option<&str>) -> ApiResult<CaseRow> {
    let mut desk = ctx.open()?;
    Ok(desk.add_case(case, case_type, ctx.actor(), &ctx.now())?)
}

/// The address of a listed case's ticket (its reference through the desk's `ticket_url`).
pub fn ticket_url(ctx: &DeskContext, file: &str) -> ApiResult<String> {
    ctx.case_path(file)?;
    let row = ctx
        .open()?
        .cases()?
        .into_iter()
        .find(|r| r.file == file)
        .ok_or_else(|| ApiError::new("not_found", format!("no case {file:?} on the desk")))?;
    row.ticket_url.ok_or_else(|| {
        ApiError::invalid(if row.facts.reference.is_none() {
            "this case has no reference to open".to_string()
        } else {
            "the desk has no ticket_url: add one to case-types.toml, e.g. ticket_url = \"https://yourcompany.zendesk.com/agent/tickets/{id}\"".to_string()
        })
    })
}

pub fn watchlist(ctx: &DeskContext) -> ApiResult<Vec<WatchEntry>> {
    Ok(ctx.open()?.watchlist()?)
}

pub fn export_watchlist(ctx: &DeskContext, out: &Path) -> ApiResult<usize> {
    Ok(ctx.open()?.export_watchlist(out)?)
}

pub fn import_watchlist(ctx: &DeskContext, file: &Path) -> ApiResult<usize> {
    Ok(ctx.open()?.import_watchlist(file)?)
}

/// The accounts of a case that use an identifier watched from an earlier case (nothing is written).
pub fn check(ctx: &DeskContext, case: &Path) -> ApiResult<Vec<Flag>> {
    Ok(ctx.open()?.check(case)?)
}

/// Flags the accounts of `case` that use a watched identifier: each flag once in the case's audit log
/// (`watchlist.flag`, with the earlier case, ring and decision), where ring detection reads it as a reason. Returns
/// every current flag.
pub fn flag_watched(desk: &DeskContext, case: &Context) -> ApiResult<Vec<Flag>> {
    let opened = desk.open()?;
    let flags = opened.check(case.case_path())?;
    // Only this desk's own cases can take a flag back: a flag from a case the desk does not index (moved away,
    // another desk, an imported watchlist) stays.
    let indexed: std::collections::HashSet<String> = opened
        .cases()?
        .into_iter()
        .map(|r| r.facts.case_uid)
        .collect();
    let mut c = case.open()?;
    let in_force = c.watch_flags()?;
    if flags.is_empty() && in_force.is_empty() {
        return Ok(flags);
    }
    let logged: std::collections::HashSet<(String, String, String, String)> = in_force
        .iter()
        .map(|f| {
            (
                f.account_id.clone(),
                f.value.clone(),
                f.case_uid.clone(),
                f.ring_id.clone(),
            )
        })
        .collect();
    let current: std::collections::HashSet<(&str, &str, &str, &str)> = flags
        .iter()
        .map(|f| {
            (
                f.account_id.as_str(),
                f.value.as_str(),
                f.earlier.case_uid.as_str(),
                f.earlier.ring_id.as_str(),
            )
        })
        .collect();
    // A flag whose earlier decision no longer stands (overturned, the ring no longer confirmed) is withdrawn, and
    // its ring loses the watchlist reason.
    let withdrawn: Vec<(String, serde_json::Value)> = in_force
        .iter()
        .filter(|f| {
            indexed.contains(&f.case_uid)
                && !current.contains(&(
                    f.account_id.as_str(),
                    f.value.as_str(),
                    f.case_uid.as_str(),
                    f.ring_id.as_str(),
                ))
        })
        .map(|f| {
            (
                f.account_id.clone(),
                serde_json::json!({"kind": f.kind, "value": f.value, "case_uid": f.case_uid,
                                   "case_title": f.case_title, "ring_id": f.ring_id}),
            )
        })
        .collect();
    let mut new = vec![];
    for f in &flags {
        let key = (
            f.account_id.clone(),
            f.value.clone(),
            f.earlier.case_uid.clone(),
            f.earlier.ring_id.clone(),
        );
        if !logged.contains(&key) {
            let mut details = serde_json::to_value(&f.earlier)
                .map_err(|e| ApiError::new("internal", format!("watch entry: {e}")))?;
            details["value"] = f.value.clone().into();
            details["kind"] = f.kind.clone().into();
            new.push((f.account_id.clone(), details));
        }
    }
    // One transaction for all of them: a returning farm flags thousands.
    if !new.is_empty() || !withdrawn.is_empty() {
        c.record_watch_flags(&new, &withdrawn, case.actor(), &case.now_text())?;
    }
    Ok(flags)
}

/// The case's type, status, assignee, due date and checklist.
pub fn workflow(case: &Context) -> ApiResult<Workflow> {
    Ok(case.open()?.workflow()?)
}

/// Marks a checklist step done, or skipped with a reason.
pub fn mark_step(case: &Context, step: &str, skip_reason: Option<&str>) -> ApiResult<Workflow> {
    let mut c = case.open()?;
    let _: StepMark = c.mark_step(step, skip_reason, case.actor(), &case.now_text())?;
    Ok(c.workflow()?)
}

/// Changes the case's status; closing with required steps open needs a reason.
pub fn set_status(case: &Context, status: CaseStatus, reason: Option<&str>) -> ApiResult<Workflow> {
    let mut c = case.open()?;
    c.set_status(status, reason, case.actor(), &case.now_text())?;
    Ok(c.workflow()?)
}

pub fn assign(case: &Context, assignee: &str) -> ApiResult<Workflow> {
    let mut c = case.open()?;
    c.assign(assignee, case.actor(), &case.now_text())?;
    Ok(c.workflow()?)
}

/// A status from its name (`open`, `in-review`, `escalated`, `closed`).
pub fn parse_status(s: &str) -> ApiResult<CaseStatus> {
    CaseStatus::parse(s).ok_or_else(|| {
        ApiError::invalid(format!(
            "unknown status {s:?}: use open, in-review, escalated or closed"
        ))
    })
}

/// The file name of this week's program review (`program-review-2026-W48.pdf`).
pub fn review_file_name(ctx: &DeskContext) -> String {
    use chrono::Datelike;
    let iso = ctx.clock.now().iso_week();
    format!("program-review-{}-W{:02}.pdf", iso.year(), iso.week())
}

/// The weekly program review as a PDF: the KPIs as of now and the open cases by due date. Written to `out`
/// (a file path); returns the KPIs it shows.
pub fn kpi_report(ctx: &DeskContext, out: &Path) -> ApiResult<Kpis> {
    let desk = ctx.open()?;
    let now = ctx.clock.now();
    let kpis = desk.kpis(&ctx.now())?;
    let cases = desk.list(&ListQuery {
        sort: Some("due".into()),
        ..Default::default()
    })?;
    let data = review_data(ctx, &kpis, &cases, now);
    let pdf = ringscope_packet::render_kpis(&data, now)?;
    let tmp = out.with_extension("pdf.partial");
    std::fs::write(&tmp, pdf)
        .and_then(|()| std::fs::rename(&tmp, out))
        .map_err(|e| ApiError::new("io", format!("{}: {e}", out.display())))?;
    Ok(kpis)
}

/// What the review shows, as plain values (the template only lays them out).
fn review_data(
    ctx: &DeskContext,
    k: &Kpis,
    cases: &[CaseRow],
    now: chrono::DateTime<chrono::Utc>,
) -> serde_json::Value {
    use chrono::Datelike;
    let iso = now.iso_week();
    let week = format!("{}-W{:02}", iso.year(), iso.week());
    let this_week = k.weeks.iter().find(|w| w.week == week);
    let status_text = k
        .by_status
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {}", s.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ");
    let money = k
        .confirmed_money
        .iter()
        .map(|m| ringscope_model::money::format(m.minor, &m.currency))
        .collect::<Vec<_>>()
        .join(", ");
    let by = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(key, n)| serde_json::json!({"key": key, "n": n}))
            .collect::<Vec<_>>()
    };
    let as_of = ctx.now();
    const SHOWN: usize = 25;
    let open: Vec<&CaseRow> = cases
        .iter()
        .filter(|c| c.facts.status != CaseStatus::Closed)
        .collect();
    let open_rows: Vec<serde_json::Value> = open
        .iter()
        .take(SHOWN)
        .map(|c| {
            let f = &c.facts;
            serde_json::json!({
                "title": f.title,
                "reference": f.reference.clone().unwrap_or_else(|| "–".into()),
                "type": f.type_name.clone().or_else(|| f.case_type.clone()).unwrap_or_else(|| "untyped".into()),
                "status": f.status.as_str().replace('_', " "),
                "assignee": f.assignee.clone().unwrap_or_else(|| "–".into()),
                "due": f.due_at.as_deref().and_then(|d| d.get(..10)).unwrap_or("–"),
                "overdue": f.due_at.as_deref().is_some_and(|d| d < as_of.as_str()),
            })
        })
        .collect();
    serde_json::json!({
        "desk": ctx.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        "as_of": as_of,
        "week": week,
        "software": ringscope_packet::SOFTWARE,
        "k": k,
        "this_week": {"opened": this_week.map_or(0, |w| w.opened), "closed": this_week.map_or(0, |w| w.closed)},
        "status_text": if status_text.is_empty() { "no cases".to_string() } else { status_text },
        "oldest": k.oldest_open.as_ref().map_or("–".to_string(), |o| format!("{} ({}), {:.0} days", o.title, o.file, o.age_days)),
        "money": if money.is_empty() { "–".to_string() } else { money },
        "overturned_by_type": by(&k.overturned_by_case_type),
        "overturned_by_reason": by(&k.overturned_by_ring_reason),
        "open": open_rows,
        "open_more": open.len().saturating_sub(SHOWN),
    })
}
