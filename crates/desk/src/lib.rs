//! The investigation desk: a folder holding case files, the team's case types (`case-types.toml`) and a small
//! SQLite index (`desk.sqlite`).
//!
//! The case files stay the truth: each case's type, status, assignee, checklist and decisions live in the case
//! (read and written through `ringscope-store`), and the index only caches per-case facts ([`CaseFacts`]) keyed by
//! the file's size and modification time, so listing 200 cases and computing the program's [`kpis`] reads the
//! index, not 200 case files. The index also holds the watchlist ([`watchlist`]): identifiers of accounts in
//! confirmed rings, with the case, ring and decision they came from.

pub mod facts;
pub mod kpis;
pub mod types;
pub mod watchlist;

pub use facts::{CaseFacts, Money};
pub use kpis::Kpis;
pub use types::{CaseType, CaseTypes};
pub use watchlist::{Flag, WatchEntry};

use ringscope_store::{Case, CaseStatus, CaseTyping, DeskIndex, IndexedCase, NewCase};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub const INDEX_FILE: &str = "desk.sqlite";
/// The extension of case files the desk creates.
pub const CASE_EXT: &str = "ringscope";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} is not a Ringscope desk (no desk.sqlite; create one with `ringscope desk init`)")]
    NotADesk(PathBuf),
    #[error("{0} already holds a desk")]
    AlreadyADesk(PathBuf),
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("case-types.toml: {0}")]
    CaseTypes(String),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the desk index was written by a newer Ringscope (schema v{found}; this one knows v{known})"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error(transparent)]
    Store(#[from] ringscope_store::Error),
    #[error(transparent)]
    Graph(#[from] ringscope_graph::Error),
    #[error("desk index: {0}")]
    Index(#[source] ringscope_store::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |error| Error::Io {
        path: path.to_owned(),
        error,
    }
}

/// A failure of the desk index (not of a case file).
fn index_error(dir: &Path) -> impl FnOnce(ringscope_store::Error) -> Error + '_ {
    move |e| match e {
        ringscope_store::Error::NotADeskIndex { .. } => Error::NotADesk(dir.to_owned()),
        ringscope_store::Error::NewerDeskSchema { found, known } => {
            Error::NewerSchema { found, known }
        }
        other => Error::Index(other),
    }
}

/// An open desk.
pub struct Desk {
    dir: PathBuf,
    index: DeskIndex,
    types: CaseTypes,
}

/// A case to open on the desk.
#[derive(Debug, Clone, Default)]
pub struct NewDeskCase {
    pub title: String,
    pub case_type: String,
    pub reference: Option<String>,
    pub assignee: Option<String>,
    pub phone_region: String,
}

/// A row of the case list.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    /// The case file, relative to the desk folder.
    pub file: String,
    /// Where the case's reference (a Zendesk ticket) opens, from the desk's `ticket_url`.
    #[serde(default)]
    pub ticket_url: Option<String>,
    #[serde(flatten)]
    pub facts: CaseFacts,
}

/// How to filter and sort the case list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<CaseStatus>,
    pub case_type: Option<String>,
    pub assignee: Option<String>,
    /// `opened` (default), `due`, `title`, `status`, `type`, `assignee`, `rings`, `amount`; `-` first for descending.
    pub sort: Option<String>,
}

impl Desk {
    /// Creates a desk in `dir` (created if missing): the index and the default case types.
    pub fn init(dir: &Path, now: &str) -> Result<Desk> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let index = dir.join(INDEX_FILE);
        if index.exists() {
            return Err(Error::AlreadyADesk(dir.to_owned()));
        }
        let types_path = dir.join(types::FILE_NAME);
        if !types_path.exists() {
            std::fs::write(&types_path, types::DEFAULT).map_err(io(&types_path))?;
        }
        DeskIndex::create(&index, now).map_err(index_error(dir))?;
        Desk::open(dir)
    }

    /// Opens a desk: its index (migrated) and its case types.
    pub fn open(dir: &Path) -> Result<Desk> {
        let index = dir.join(INDEX_FILE);
        if !index.is_file() {
            return Err(Error::NotADesk(dir.to_owned()));
        }
        let index = DeskIndex::open(&index).map_err(index_error(dir))?;
        let types_path = dir.join(types::FILE_NAME);
        let text = match std::fs::read_to_string(&types_path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => types::DEFAULT.to_string(),
            Err(e) => return Err(io(&types_path)(e)),
        };
        Ok(Desk {
            dir: dir.to_owned(),
            index,
            types: CaseTypes::parse(&text)?,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn types(&self) -> &CaseTypes {
        &self.types
    }

    /// Creates a new typed case file in the desk folder and indexes it. `now` is its opening time.
    pub fn new_case(&mut self, new: &NewDeskCase, actor: &str, now: &str) -> Result<CaseRow> {
        let ty = self.types.get(&new.case_type)?.clone();
        let name = slug(new.reference.as_deref().unwrap_or(&new.title));
        let mut file = format!("{name}.{CASE_EXT}");
        let mut n = 2;
        while self.dir.join(&file).exists() {
            file = format!("{name}-{n}.{CASE_EXT}");
            n += 1;
        }
        let path = self.dir.join(&file);
        let region = if new.phone_region.is_empty() {
            "US".into()
        } else {
            new.phone_region.clone()
        };
        let mut case = Case::create(
            &path,
            &NewCase {
                title: new.title.clone(),
                reference: new.reference.clone(),
                investigator: new.assignee.clone().or_else(|| Some(actor.to_string())),
                phone_region: region,
            },
            now,
        )?;
        let opened = chrono::DateTime::parse_from_rfc3339(now)
            .map_err(|e| Error::Invalid(format!("opening time {now:?}: {e}")))?;
        let due = (opened + chrono::Duration::hours(ty.sla_hours))
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        case.set_case_type(
            &CaseTyping {
                case_type: &ty.id,
                type_name: &ty.name,
                version: self.types.version,
                steps: &ty.steps,
                due_at: Some(&due),
            },
            actor,
            now,
        )?;
        if let Some(a) = &new.assignee {
            case.assign(a, actor, now)?;
        }
        drop(case);
        self.index(&file)
    }

    /// Adds an existing case file: a file outside the desk folder is copied in (the original is left as it is).
    /// Gives an untyped case the type `case_type` if one is named.
    pub fn add_case(
        &mut self,
        source: &Path,
        case_type: Option<&str>,
        actor: &str,
        now: &str,
    ) -> Result<CaseRow> {
        let case = Case::open(source)?;
        let inside = source
            .canonicalize()
            .map_err(io(source))?
            .parent()
            .zip(self.dir.canonicalize().ok())
            .is_some_and(|(p, d)| p == d);
        let file = if inside {
            source
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        } else {
            let stem = source
                .file_stem()
                .map(|s| slug(&s.to_string_lossy()))
                .unwrap_or_else(|| "case".into());
            let mut file = format!("{stem}.{CASE_EXT}");
            let mut n = 2;
            while self.dir.join(&file).exists() {
                file = format!("{stem}-{n}.{CASE_EXT}");
                n += 1;
            }
            case.copy_to(&self.dir.join(&file))?;
            file
        };
        drop(case);
        let uid = Case::open(&self.dir.join(&file))?.meta()?.case_uid;
        let clash = self
            .index
            .file_of_uid(&uid, &file)
            .map_err(index_error(&self.dir))?;
        if let Some(other) = clash {
            if !inside {
                let _ = std::fs::remove_file(self.dir.join(&file));
            }
            return Err(Error::Invalid(format!(
                "this case is already on the desk as {other}"
            )));
        }
        if let Some(t) = case_type {
            let ty = self.types.get(t)?.clone();
            let mut case = Case::open(&self.dir.join(&file))?;
            if case.workflow()?.case_type.is_none() {
                let opened = case.meta()?.created_at;
                let due = chrono::DateTime::parse_from_rfc3339(&opened).ok().map(|o| {
                    (o + chrono::Duration::hours(ty.sla_hours))
                        .with_timezone(&chrono::Utc)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                });
                case.set_case_type(
                    &CaseTyping {
                        case_type: &ty.id,
                        type_name: &ty.name,
                        version: self.types.version,
                        steps: &ty.steps,
                        due_at: due.as_deref(),
                    },
                    actor,
                    now,
                )?;
            }
        }
        self.index(&file)
    }

    /// Re-reads one case file into the index (and its confirmed rings into the watchlist).
    pub fn index(&mut self, file: &str) -> Result<CaseRow> {
        let path = self.dir.join(file);
        let facts = facts::read(&path)?;
        let stamp = facts::stamp(&path);
        let facts_json = serde_json::to_string(&facts).expect("facts serialize");
        let entry = IndexedCase {
            file,
            case_uid: &facts.case_uid,
            stamp: &stamp,
            facts_json: &facts_json,
        };
        self.index
            .put_case(&entry, &watchlist::from_case(file, &facts))
            .map_err(index_error(&self.dir))?;
        Ok(CaseRow {
            file: file.to_string(),
            ticket_url: self.types.ticket_link(facts.reference.as_deref()),
            facts,
        })
    }

    /// Re-reads every case whose file changed since it was indexed, and drops cases whose file is gone. Returns how
    /// many were re-read.
    pub fn refresh(&mut self) -> Result<usize> {
        let known = self.index.stamps().map_err(index_error(&self.dir))?;
        let mut reread = 0;
        for (file, stamp) in known {
            let path = self.dir.join(&file);
            if !path.is_file() {
                self.index
                    .forget_case(&file)
                    .map_err(index_error(&self.dir))?;
                continue;
            }
            if facts::stamp(&path) != stamp {
                self.index(&file)?;
                reread += 1;
            }
        }
        Ok(reread)
    }

    /// Every indexed case (as last refreshed).
    pub fn cases(&self) -> Result<Vec<CaseRow>> {
        let mut out = vec![];
        for (file, facts) in self.index.cases().map_err(index_error(&self.dir))? {
            let facts: CaseFacts = serde_json::from_str(&facts).map_err(|e| {
                Error::Invalid(format!("desk index entry for {file} is unreadable: {e}"))
            })?;
            out.push(CaseRow {
                ticket_url: self.types.ticket_link(facts.reference.as_deref()),
                file,
                facts,
            });
        }
        Ok(out)
    }

    /// The case list, filtered and sorted.
    pub fn list(&self, q: &ListQuery) -> Result<Vec<CaseRow>> {
        let mut rows: Vec<CaseRow> = self
            .cases()?
            .into_iter()
            .filter(|r| q.status.is_none_or(|s| r.facts.status == s))
            .filter(|r| {
                q.case_type
                    .as_ref()
                    .is_none_or(|t| r.facts.case_type.as_ref() == Some(t))
            })
            .filter(|r| {
                q.assignee
                    .as_ref()
                    .is_none_or(|a| r.facts.assignee.as_ref() == Some(a))
            })
            .collect();
        let sort = q.sort.as_deref().unwrap_or("opened");
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        let total = |r: &CaseRow| r.facts.amount_at_stake.iter().map(|m| m.minor).sum::<i64>();
        match key {
            "opened" => rows.sort_by(|a, b| a.facts.opened_at.cmp(&b.facts.opened_at)),
            "due" => rows.sort_by(|a, b| {
                (a.facts.due_at.is_none(), &a.facts.due_at)
                    .cmp(&(b.facts.due_at.is_none(), &b.facts.due_at))
            }),
            "title" => rows.sort_by(|a, b| {
                a.facts
                    .title
                    .to_lowercase()
                    .cmp(&b.facts.title.to_lowercase())
            }),
            "status" => rows.sort_by_key(|r| r.facts.status),
            "type" => rows.sort_by(|a, b| a.facts.case_type.cmp(&b.facts.case_type)),
            "assignee" => rows.sort_by(|a, b| a.facts.assignee.cmp(&b.facts.assignee)),
            "rings" => rows.sort_by_key(|r| r.facts.rings_confirmed),
            "amount" => rows.sort_by_key(total),
            other => {
                return Err(Error::Invalid(format!(
                    "cannot sort by {other:?}: use opened, due, title, status, type, assignee, rings or amount"
                )));
            }
        }
        if desc {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The program's KPIs over every indexed case.
    pub fn kpis(&self, as_of: &str) -> Result<Kpis> {
        kpis::compute(&self.cases()?, as_of)
    }

    /// The indexed file name of a case given as a path (inside the desk) or a file name.
    pub fn file_of(&self, case: &Path) -> Result<Option<String>> {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let indexed = self.index.contains(&name).map_err(index_error(&self.dir))?;
        Ok(indexed.then_some(name))
    }
}

/// A file-name-safe form of a title or reference.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "case".into() } else { out }
}

#[cfg(test)]
mod tests;
