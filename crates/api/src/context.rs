//! What every use case runs in: which case, who is acting (for the audit log), what time it is, and the cached
//! ring analysis. The CLI builds one per process; the app keeps one cache for its lifetime and builds a context per
//! command.

use crate::error::ApiResult;
use chrono::{DateTime, Timelike, Utc};
use ringscope_graph::{Analysis, Detection, LinkGraph};
use ringscope_store::Case;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The time use cases stamp the audit log and packets with.
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    /// A fixed time: tests, and re-exports that must be byte-identical.
    Fixed(DateTime<Utc>),
}

#[derive(Clone)]
pub struct Context {
    case_path: PathBuf,
    actor: String,
    clock: Clock,
    analyses: AnalysisCache,
}

impl Context {
    pub fn new(case_path: impl Into<PathBuf>, actor: impl Into<String>) -> Context {
        Context {
            case_path: case_path.into(),
            actor: actor.into(),
            clock: Clock::System,
            analyses: AnalysisCache::default(),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Context {
        self.clock = clock;
        self
    }

    /// Share a cache between contexts (the app: one per command, one cache for the session).
    pub fn with_analyses(mut self, analyses: AnalysisCache) -> Context {
        self.analyses = analyses;
        self
    }

    pub fn case_path(&self) -> &Path {
        &self.case_path
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Now, in whole seconds (the audit log and packets record seconds).
    pub fn now(&self) -> DateTime<Utc> {
        let t = match self.clock {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        };
        t.with_nanosecond(0).unwrap_or(t)
    }

    /// [`Context::now`] as the RFC 3339 text the store writes.
    pub fn now_text(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    pub fn open(&self) -> ApiResult<Case> {
        Ok(Case::open(&self.case_path)?)
    }

    /// The case's ring analysis (graph and rings): computed on first use and again after an import changed the
    /// case.
    pub fn analysis(&self, case: &mut Case) -> ApiResult<Arc<Analysis>> {
        self.analyses.get(self, case)
    }

    /// The case's rings, best first: this session's analysis, shared (decisions not applied), else the detection
    /// the case keeps (same generation, same detector build; decisions applied), else detected now. Shared, not
    /// copied: a million-account case has fourteen thousand rings, and a page or one ring should not copy them all.
    pub fn found_rings(&self, case: &mut Case) -> ApiResult<FoundRings> {
        let generation = case.generation()?;
        Ok(match self.analyses.fresh(self, generation) {
            Some(analysis) => FoundRings::Analysed(analysis),
            None => match ringscope_graph::cached_detection(case)? {
                Some(kept) => FoundRings::Kept(kept),
                None => FoundRings::Analysed(self.analysis(case)?),
            },
        })
    }

    /// The case's link graph: the cached analysis's when it is fresh, else built (without running ring
    /// detection, which writes ring ids into the case).
    pub fn link_graph(&self, case: &Case) -> ApiResult<LinkGraphRef> {
        Ok(match self.analyses.fresh(self, case.generation()?) {
            Some(analysis) => LinkGraphRef::Cached(analysis),
            None => LinkGraphRef::Built(Box::new(LinkGraph::build(case)?)),
        })
    }
}

/// The rings as [`Context::found_rings`] finds them.
pub enum FoundRings {
    /// This session's analysis: rings without their decisions.
    Analysed(Arc<Analysis>),
    /// The detection the case keeps, with current decisions.
    Kept(Detection),
}

impl FoundRings {
    pub fn rings(&self) -> &[ringscope_graph::Ring] {
        match self {
            FoundRings::Analysed(a) => &a.rings,
            FoundRings::Kept(d) => &d.rings,
        }
    }

    /// Identifiers on so many unrelated accounts that they link nobody, and values that are no identifier.
    pub fn hubs_and_placeholders(&self) -> (usize, usize) {
        match self {
            FoundRings::Analysed(a) => (a.graph.hubs().count(), a.graph.placeholders.len()),
            FoundRings::Kept(d) => (d.hub_identifiers, d.placeholder_values),
        }
    }
}

/// A link graph borrowed from a cached analysis or built for one use.
pub enum LinkGraphRef {
    Cached(Arc<Analysis>),
    Built(Box<LinkGraph>),
}

impl std::ops::Deref for LinkGraphRef {
    type Target = LinkGraph;
    fn deref(&self) -> &LinkGraph {
        match self {
            LinkGraphRef::Cached(a) => &a.graph,
            LinkGraphRef::Built(g) => g,
        }
    }
}

/// The user's name for the audit log when none is given: `$RINGSCOPE_ACTOR`, else `$USER`.
pub fn default_actor() -> String {
    std::env::var("RINGSCOPE_ACTOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "investigator".into())
}

struct Entry {
    case: PathBuf,
    /// The case's generation when the analysis ran (`Case::generation`: the last import).
    generation: i64,
    analysis: Arc<Analysis>,
}

/// Ring detection is the expensive step (a minute on a 1M-account case), and the ring list, ring graph, members,
/// explanations and exports all need it. The result is kept per case and reused until an import changes the case;
/// decisions, which change often and cost nothing to read, are applied fresh on every use.
#[derive(Default, Clone)]
pub struct AnalysisCache(Arc<Mutex<Option<Entry>>>);

impl AnalysisCache {
    fn fresh(&self, ctx: &Context, generation: i64) -> Option<Arc<Analysis>> {
        let slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        slot.as_ref()
            .filter(|e| e.case == ctx.case_path && e.generation == generation)
            .map(|e| e.analysis.clone())
    }

    fn get(&self, ctx: &Context, case: &mut Case) -> ApiResult<Arc<Analysis>> {
        let generation = case.generation()?;
        // Held while detecting, so two commands asking at once run detection once.
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = slot.as_ref()
            && e.case == ctx.case_path
            && e.generation == generation
        {
            return Ok(e.analysis.clone());
        }
        let analysis = Arc::new(ringscope_graph::analyze(case, &ctx.now_text(), &ctx.actor)?);
        *slot = Some(Entry {
            case: ctx.case_path.clone(),
            generation,
            analysis: analysis.clone(),
        });
        Ok(analysis)
    }
}
