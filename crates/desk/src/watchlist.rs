//! Memory across cases: identifiers (devices, cards, emails, phones) of accounts in confirmed rings, with the case,
//! ring and decision they came from; checked against the accounts of another case. Exported and imported as CSV so
//! teams can share it.

use crate::facts::CaseFacts;
use crate::{Desk, Error, Result, index_error};
use ringscope_store::Case;
pub use ringscope_store::WatchEntry;
use serde::Serialize;
use std::path::Path;

/// An account of the checked case that uses a watched identifier.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub account_id: String,
    pub kind: String,
    pub value: String,
    pub earlier: WatchEntry,
}

/// The watch entries a case contributes: every identifier of its confirmed rings' members (origin `desk`).
pub(crate) fn from_case(file: &str, f: &CaseFacts) -> Vec<WatchEntry> {
    let mut out = vec![];
    for ring in &f.confirmed {
        for (account, kind, value) in &ring.identifiers {
            out.push(WatchEntry {
                kind: kind.clone(),
                value: value.clone(),
                case_uid: f.case_uid.clone(),
                case_file: Some(file.to_string()),
                case_title: Some(f.title.clone()),
                reference: f.reference.clone(),
                ring_id: ring.ring_id.clone(),
                account_id: account.clone(),
                decided_at: Some(ring.decided_at.clone()),
                decided_by: Some(ring.decided_by.clone()),
                origin: "desk".into(),
            });
        }
    }
    out
}

impl Desk {
    pub fn watchlist(&self) -> Result<Vec<WatchEntry>> {
        self.index.watchlist().map_err(index_error(&self.dir))
    }

    /// Writes the watchlist as CSV.
    pub fn export_watchlist(&self, out: &Path) -> Result<usize> {
        let entries = self.watchlist()?;
        let mut w = csv::Writer::from_path(out)?;
        for e in &entries {
            w.serialize(e)?;
        }
        w.flush().map_err(|error| Error::Io {
            path: out.to_owned(),
            error,
        })?;
        Ok(entries.len())
    }

    /// Adds the entries of a watchlist CSV (as exported by any desk) that this one does not have. Returns how many
    /// were new.
    pub fn import_watchlist(&mut self, file: &Path) -> Result<usize> {
        let mut r = csv::Reader::from_path(file)?;
        let mut entries = vec![];
        for (i, row) in r.deserialize::<WatchEntry>().enumerate() {
            let mut e = row?;
            if ringscope_graph::IdKind::parse(&e.kind).is_none() || e.value.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "{} line {}: kind must be device, card, email, phone or ip, with a value",
                    file.display(),
                    i + 2
                )));
            }
            e.origin = "import".into();
            // The other team's file name means nothing here (and could name an unrelated case of this desk).
            e.case_file = None;
            entries.push(e);
        }
        self.index
            .add_watched(&entries)
            .map_err(index_error(&self.dir))
    }

    /// The accounts of `case` that use a watched identifier from another case: one flag per account, identifier
    /// and earlier ring (a device of a confirmed farm is watched once per farm member; it flags once).
    pub fn check(&self, case: &Path) -> Result<Vec<Flag>> {
        let case = Case::open(case)?;
        let uid = case.meta()?.case_uid;
        // The watchlist is small next to a case's identifiers: read it once, look each identifier up in memory.
        let mut watched: std::collections::HashMap<(String, String), Vec<WatchEntry>> =
            std::collections::HashMap::new();
        for e in self.watchlist()? {
            if e.case_uid != uid {
                watched
                    .entry((e.kind.clone(), e.value.clone()))
                    .or_default()
                    .push(e);
            }
        }
        if watched.is_empty() {
            return Ok(vec![]);
        }
        for entries in watched.values_mut() {
            entries.sort_by(|a, b| {
                (&a.decided_at, &a.case_uid, &a.ring_id, &a.account_id).cmp(&(
                    &b.decided_at,
                    &b.case_uid,
                    &b.ring_id,
                    &b.account_id,
                ))
            });
        }
        let mut flags = vec![];
        let mut seen = std::collections::HashSet::new();
        for (account, kind, value) in case.linkable_identifiers(None)? {
            let Some(earlier) = watched.get(&(kind.clone(), value.clone())) else {
                continue;
            };
            for earlier in earlier {
                let key = (
                    account.clone(),
                    kind.clone(),
                    value.clone(),
                    earlier.case_uid.clone(),
                    earlier.ring_id.clone(),
                );
                if !seen.insert(key) {
                    continue;
                }
                flags.push(Flag {
                    account_id: account.clone(),
                    kind: kind.clone(),
                    value: value.clone(),
                    earlier: earlier.clone(),
                });
            }
        }
        Ok(flags)
    }
}
