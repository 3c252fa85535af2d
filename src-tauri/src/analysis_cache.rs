//! Ring detection is the expensive step (a minute on a 1M-account case), and the ring list, the ring graph and
//! paging all need it. The result is kept per case and reused until an import adds a source; decisions, which
//! change often and cost nothing to read, are applied fresh on every use.

use crate::commands::import::whoami;
use crate::error::ApiResult;
use crate::state::now;
use ringscope_graph::Analysis;
use ringscope_store::{Case, ItemKind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct Entry {
    case: PathBuf,
    /// Sources in the case when the analysis ran: an import adds one, and makes the entry stale.
    sources: i64,
    analysis: Arc<Analysis>,
}

#[derive(Default, Clone)]
pub struct AnalysisCache(Arc<Mutex<Option<Entry>>>);

impl AnalysisCache {
    /// The case's analysis, computed if missing or stale; call from a blocking thread.
    pub fn get(&self, path: &PathBuf, case: &mut Case) -> ApiResult<Arc<Analysis>> {
        let sources = case.counts()?.sources;
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = slot
            .as_ref()
            .is_some_and(|e| &e.case == path && e.sources == sources);
        if !fresh {
            let analysis = ringscope_graph::analyze(case, &now(), &whoami())?;
            *slot = Some(Entry {
                case: path.clone(),
                sources,
                analysis: Arc::new(analysis),
            });
        }
        Ok(slot
            .as_ref()
            .map(|e| e.analysis.clone())
            .expect("filled above"))
    }
}

/// The rings with their current decisions (which the cached analysis may predate).
pub fn rings_with_decisions(
    analysis: &Analysis,
    case: &Case,
) -> ApiResult<Vec<ringscope_graph::Ring>> {
    let decisions = case.current_decisions()?;
    Ok(analysis
        .rings
        .iter()
        .cloned()
        .map(|mut r| {
            r.decision = decisions
                .iter()
                .find(|d| d.item_kind == ItemKind::Ring && d.item_id == r.id)
                .cloned();
            r
        })
        .collect())
}
