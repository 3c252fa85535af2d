//! A case's workflow: its type and the checklist it was opened under, its status (open, in review, escalated,
//! closed), assignee and due date, and the checklist steps marked done or skipped. Every change is an audit-log entry
//! written in the same transaction (`case.type`, `case.step`, `case.status`, `case.assign`). The desk
//! (`ringscope-desk`) reads these, with the decisions, to list cases and compute program KPIs.

use crate::error::{Error, Result};
use crate::{Case, audit};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    InReview,
    Escalated,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::InReview,
        CaseStatus::Escalated,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::InReview => "in_review",
            CaseStatus::Escalated => "escalated",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One step of a case type's procedure, as the case was opened under it.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistStep {
    pub id: String,
    pub title: String,
    pub required: bool,
    #[serde(default)]
    pub instruction: String,
}

/// A step's latest mark.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepMark {
    /// `done` or `skipped`.
    pub state: String,
    pub reason: Option<String>,
    pub actor: String,
    pub ts: String,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    #[serde(flatten)]
    pub step: ChecklistStep,
    pub mark: Option<StepMark>,
}

/// The case's workflow state.
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    pub case_type: Option<String>,
    pub type_name: Option<String>,
    pub status: CaseStatus,
    pub assignee: Option<String>,
    pub due_at: Option<String>,
    pub checklist: Vec<ChecklistItem>,
}

impl Workflow {
    /// Required steps neither done nor skipped.
    pub fn open_required(&self) -> Vec<&str> {
        self.checklist
            .iter()
            .filter(|i| i.step.required && i.mark.is_none())
            .map(|i| i.step.id.as_str())
            .collect()
    }
}

/// How a case is typed: the type's id and name, its procedure and the deadline from its SLA.
#[derive(Debug, Clone)]
pub struct CaseTyping<'a> {
    pub case_type: &'a str,
    pub type_name: &'a str,
    pub version: i64,
    pub steps: &'a [ChecklistStep],
    pub due_at: Option<&'a str>,
}

/// type, type name, procedure (JSON), status, assignee, due date
type WorkflowRow = (
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

impl Case {
    fn ensure_workflow_row(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<usize> {
        tx.execute("INSERT OR IGNORE INTO case_workflow (id) VALUES (1)", [])
    }

    pub fn workflow(&self) -> Result<Workflow> {
        let row: Option<WorkflowRow> = self
            .conn
            .query_row(
                "SELECT case_type, type_name, procedure, status, assignee, due_at FROM case_workflow WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let (case_type, type_name, procedure, status, assignee, due_at) =
            row.unwrap_or((None, None, "[]".into(), "open".into(), None, None));
        let steps: Vec<ChecklistStep> = serde_json::from_str(&procedure).unwrap_or_default();
        let mut marks: BTreeMap<String, StepMark> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT step_id, state, reason, actor, ts FROM checklist_marks ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                StepMark {
                    state: r.get(1)?,
                    reason: r.get(2)?,
                    actor: r.get(3)?,
                    ts: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (id, mark) = row?;
            marks.insert(id, mark);
        }
        Ok(Workflow {
            case_type,
            type_name,
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Open),
            assignee,
            due_at,
            checklist: steps
                .into_iter()
                .map(|step| ChecklistItem {
                    mark: marks.remove(&step.id),
                    step,
                })
                .collect(),
        })
    }

    /// Sets the case's type, its checklist and its due date (logged as `case.type`).
    pub fn set_case_type(&mut self, typing: &CaseTyping<'_>, actor: &str, ts: &str) -> Result<()> {
        let procedure = serde_json::to_string(typing.steps).expect("steps serialize");
        let details = serde_json::json!({
            "type": typing.case_type,
            "name": typing.type_name,
            "version": typing.version,
            "steps": typing.steps,
            "due_at": typing.due_at,
        });
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        audit::append(&tx, ts, actor, "case.type", typing.case_type, &details)?;
        Case::ensure_workflow_row(&tx)?;
        tx.execute(
            "UPDATE case_workflow SET case_type = ?1, type_name = ?2, procedure = ?3, due_at = ?4 WHERE id = 1",
            (typing.case_type, typing.type_name, procedure, typing.due_at),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a checklist step done (`skip_reason` `None`) or skipped with a reason (logged as `case.step`).
    pub fn mark_step(
        &mut self,
        step_id: &str,
        skip_reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<StepMark> {
        let workflow = self.workflow()?;
        let Some(item) = workflow.checklist.iter().find(|i| i.step.id == step_id) else {
            let known: Vec<&str> = workflow
                .checklist
                .iter()
                .map(|i| i.step.id.as_str())
                .collect();
            return Err(Error::InvalidMeta(if known.is_empty() {
                "this case has no checklist (give it a type first)".into()
            } else {
                format!(
                    "no step {step_id:?} in this case's checklist (steps: {})",
                    known.join(", ")
                )
            }));
        };
        let reason = skip_reason.map(str::trim);
        if reason == Some("") {
            return Err(Error::InvalidMeta("skipping a step needs a reason".into()));
        }
        let state = if reason.is_some() { "skipped" } else { "done" };
        let details =
            serde_json::json!({"state": state, "reason": reason, "title": item.step.title});
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let entry = audit::append(&tx, ts, actor, "case.step", step_id, &details)?;
        tx.execute(
            "INSERT INTO checklist_marks (step_id, state, reason, actor, ts, audit_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            (step_id, state, reason, actor, ts, entry.seq),
        )?;
        tx.commit()?;
        Ok(StepMark {
            state: state.into(),
            reason: reason.map(String::from),
            actor: actor.into(),
            ts: ts.into(),
        })
    }

    /// Changes the case's status (logged as `case.status`). Closing with required steps neither done nor skipped
    /// needs a reason.
    pub fn set_status(
        &mut self,
        status: CaseStatus,
        reason: Option<&str>,
        actor: &str,
        ts: &str,
    ) -> Result<()> {
        let workflow = self.workflow()?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let open = workflow.open_required();
        if status == CaseStatus::Closed && !open.is_empty() && reason.is_none() {
            return Err(Error::InvalidMeta(format!(
                "required steps are still open ({}): closing needs a reason (--reason)",
                open.join(", ")
            )));
        }
        let details = serde_json::json!({
            "from": workflow.status,
            "to": status,
            "reason": reason,
            "open_required_steps": if status == CaseStatus::Closed { open } else { vec![] },
        });
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        audit::append(&tx, ts, actor, "case.status", status.as_str(), &details)?;
        Case::ensure_workflow_row(&tx)?;
        tx.execute(
            "UPDATE case_workflow SET status = ?1 WHERE id = 1",
            [status.as_str()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Assigns the case (logged as `case.assign`).
    pub fn assign(&mut self, assignee: &str, actor: &str, ts: &str) -> Result<()> {
        let assignee = assignee.trim();
        if assignee.is_empty() {
            return Err(Error::InvalidMeta("an assignee needs a name".into()));
        }
        let before = self.workflow()?.assignee;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        audit::append(
            &tx,
            ts,
            actor,
            "case.assign",
            assignee,
            &serde_json::json!({"from": before}),
        )?;
        Case::ensure_workflow_row(&tx)?;
        tx.execute(
            "UPDATE case_workflow SET assignee = ?1 WHERE id = 1",
            [assignee],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every decision ever made, oldest first (the latest per item is its state; earlier ones show overturns).
    pub fn decision_history(&self) -> Result<Vec<crate::Decision>> {
        let mut stmt = self.conn.prepare(
            "SELECT item_kind, item_id, state, note, actor, ts FROM decisions ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(0)?;
            let state: String = r.get(2)?;
            Ok(crate::Decision {
                item_kind: if kind == "ring" {
                    crate::ItemKind::Ring
                } else {
                    crate::ItemKind::Account
                },
                item_id: r.get(1)?,
                state: crate::DecisionState::parse(&state)
                    .unwrap_or(crate::DecisionState::NeedsReview),
                note: r.get(3)?,
                actor: r.get(4)?,
                ts: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What the given accounts paid, per currency (minor units), currencies in order.
    pub fn paid_by(&self, accounts: &[String]) -> Result<Vec<(String, i64)>> {
        let mut totals: BTreeMap<String, i64> = BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT currency, coalesce(sum(amount_minor), 0) FROM payments WHERE account_id = ?1 GROUP BY currency",
        )?;
        for account in accounts {
            let rows = stmt.query_map([account], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (currency, sum) = row?;
                *totals.entry(currency).or_default() += sum;
            }
        }
        Ok(totals.into_iter().collect())
    }

    /// The linkable identifiers each account uses: `(account, kind, value)` with kind `device`, `card`, `email` or
    /// `phone` (normalized values, as the graph links them), sorted and without repeats. `None` means every account.
    pub fn linkable_identifiers(
        &self,
        accounts: Option<&[String]>,
    ) -> Result<Vec<(String, String, String)>> {
        let mut out = std::collections::BTreeSet::new();
        // IPs are left out: shared by whole carriers, they would flag strangers.
        let sql = ringscope_model::IdKind::ALL
            .into_iter()
            .filter(|&kind| kind != ringscope_model::IdKind::Ip)
            .flat_map(|kind| kind.columns().iter().map(move |c| (kind, c)))
            .map(|(kind, c)| {
                format!(
                    "SELECT account_id, '{kind}', {column} FROM {table}
                     WHERE account_id IS NOT NULL AND {column} IS NOT NULL AND {column} != ''",
                    table = c.record.table(),
                    column = c.column,
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ");
        let mut stmt = self.conn.prepare(&sql)?;
        let wanted: Option<std::collections::HashSet<&str>> =
            accounts.map(|a| a.iter().map(String::as_str).collect());
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let row = row?;
            if wanted.as_ref().is_none_or(|w| w.contains(row.0.as_str())) {
                out.insert(row);
            }
        }
        Ok(out.into_iter().collect())
    }

    /// A consistent copy of the case file at `dest` (which must not exist), for adding a case to a desk.
    pub fn copy_to(&self, dest: &std::path::Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
        let target = dest
            .to_str()
            .ok_or_else(|| Error::InvalidMeta(format!("path {} is not UTF-8", dest.display())))?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }
}
