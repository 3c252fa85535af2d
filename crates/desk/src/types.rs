//! Case types and their procedures: `case-types.toml` in the desk folder, versioned, for the team to edit.
//!
//! ```toml
//! version = 1                  # bump when a procedure changes; a case keeps the steps it was opened under
//! [[types]]
//! id = "chargeback"
//! name = "Chargeback / friendly fraud"
//! sla_hours = 168              # due = opened + SLA
//! [[types.steps]]
//! id = "pull-disputes"
//! title = "Pull the disputed payments"
//! required = true
//! instruction = "Import the payments export with dispute columns."
//! ```

use crate::{Error, Result};
use ringscope_store::ChecklistStep;
use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "case-types.toml";

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseTypes {
    pub version: i64,
    /// Where a case reference (a Zendesk ticket id) opens: `{id}` is replaced by the reference, URL-encoded.
    #[serde(default)]
    pub ticket_url: Option<String>,
    pub types: Vec<CaseType>,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseType {
    pub id: String,
    pub name: String,
    /// Time allowed from opening to close.
    pub sla_hours: i64,
    #[serde(default)]
    pub steps: Vec<ChecklistStep>,
}

impl CaseTypes {
    pub fn parse(text: &str) -> Result<CaseTypes> {
        let types: CaseTypes = toml::from_str(text).map_err(|e| Error::CaseTypes(e.to_string()))?;
        if let Some(url) = types.ticket_url.as_ref().filter(|url| {
            !(url.starts_with("https://") || url.starts_with("http://")) || !url.contains("{id}")
        }) {
            return Err(Error::CaseTypes(format!(
                "ticket_url {url:?} must be an http(s) address with {{id}} where the ticket id goes"
            )));
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &types.types {
            if !seen.insert(t.id.as_str()) {
                return Err(Error::CaseTypes(format!(
                    "case type {:?} is defined twice",
                    t.id
                )));
            }
            if t.sla_hours <= 0 {
                return Err(Error::CaseTypes(format!(
                    "case type {:?}: sla_hours must be positive",
                    t.id
                )));
            }
            let mut steps = std::collections::BTreeSet::new();
            for s in &t.steps {
                if !steps.insert(s.id.as_str()) {
                    return Err(Error::CaseTypes(format!(
                        "case type {:?}: step {:?} is defined twice",
                        t.id, s.id
                    )));
                }
            }
        }
        Ok(types)
    }

    /// The address a case reference opens at, if the desk has a ticket URL template and the case a reference.
    pub fn ticket_link(&self, reference: Option<&str>) -> Option<String> {
        let template = self.ticket_url.as_deref()?;
        let reference = reference?.trim();
        if reference.is_empty() {
            return None;
        }
        // Zendesk's own ids are numbers: a reference written around one (`ZD-123`, `#123 (refund)`,
        // `ZD-881 (2026-11-25)`) opens by its first run of digits; a reference without digits is passed whole, encoded.
        let id = reference
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| !run.is_empty())
            .unwrap_or(reference);
        let encoded: String = id
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        Some(template.replace("{id}", &encoded))
    }

    pub fn get(&self, id: &str) -> Result<&CaseType> {
        self.types.iter().find(|t| t.id == id).ok_or_else(|| {
            Error::Invalid(format!(
                "no case type {id:?} (types: {})",
                self.types
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }
}

/// The case types a new desk starts with.
pub const DEFAULT: &str = r#"# Ringscope case types and their procedures. Edit freely; bump `version` when a procedure changes.
# A case keeps the checklist it was opened under. sla_hours: time allowed from opening to close.
version = 1
# Where a case reference opens (a Zendesk ticket): `{id}` becomes the reference's ticket number.
# ticket_url = "https://yourcompany.zendesk.com/agent/tickets/{id}"

[[types]]
id = "chargeback"
name = "Chargeback / friendly fraud"
sla_hours = 168
[[types.steps]]
id = "import"
title = "Import the payments export with dispute columns"
required = true
instruction = "Stripe dashboard export or the payments CSV; keep the dispute reason and status."
[[types.steps]]
id = "rings"
title = "Review the rings the disputed cards and emails fall into"
required = true
instruction = "ringscope rings CASE; look at dispute rates against the base rate."
[[types.steps]]
id = "contact"
title = "Check the support history of the disputing customers"
required = false
instruction = "Friendly fraud often shows as a refund request refused shortly before the dispute."
[[types.steps]]
id = "decide"
title = "Decide every ring with disputes"
required = true
instruction = "Confirm or dismiss, with a note."

[[types]]
id = "card-testing"
name = "Card testing"
sla_hours = 24
[[types.steps]]
id = "import"
title = "Import payments and login events"
required = true
instruction = "Declines matter most: keep failed payments in the export."
[[types.steps]]
id = "cards"
title = "List the cards with bursts of small declined payments"
required = true
instruction = "Look for many cards on one device or IP within minutes."
[[types.steps]]
id = "block"
title = "Ask payments ops to block the devices and IPs"
required = false
instruction = "Give them the ring's binding identifiers."
[[types.steps]]
id = "decide"
title = "Decide the rings"
required = true
instruction = "Confirm or dismiss, with a note."

[[types]]
id = "ban-evasion"
name = "Ban evasion / multi-accounting"
sla_hours = 72
[[types.steps]]
id = "import"
title = "Import accounts (with status) and login events"
required = true
instruction = "Banned accounts need their status column."
[[types.steps]]
id = "link"
title = "Explain the link from each new account to a banned one"
required = true
instruction = "ringscope explain CASE NEW BANNED"
[[types.steps]]
id = "decide"
title = "Decide the rings"
required = true
instruction = "Confirm or dismiss, with a note."

[[types]]
id = "self-funding"
name = "Self-funding creator"
sla_hours = 120
[[types.steps]]
id = "import"
title = "Import accounts, payments and login events"
required = true
instruction = "All payments to the creator, not only the disputed ones."
[[types.steps]]
id = "fans"
title = "Check the creator's paying fans for shared cards and devices"
required = true
instruction = "Fans paying only this creator, with shared cards, are the pattern."
[[types.steps]]
id = "payouts"
title = "Hold the creator's payouts while the case is open"
required = false
instruction = "Ask finance; note the ticket in the case."
[[types.steps]]
id = "decide"
title = "Decide the creator's ring"
required = true
instruction = "Confirm or dismiss, with a note."

[[types]]
id = "account-takeover"
name = "Account takeover"
sla_hours = 48
[[types.steps]]
id = "import"
title = "Import login events of the affected accounts"
required = true
instruction = "Device ids and IPs around the takeover time."
[[types.steps]]
id = "devices"
title = "Find the devices shared with other taken-over accounts"
required = true
instruction = "A device on several victims is the attacker's."
[[types.steps]]
id = "notify"
title = "Make sure the victims were notified and credentials reset"
required = false
instruction = "Link the support tickets."
[[types.steps]]
id = "decide"
title = "Decide the rings"
required = true
instruction = "Confirm or dismiss, with a note."
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_types_parse_and_cover_the_issue() {
        let t = CaseTypes::parse(DEFAULT).unwrap();
        assert_eq!(
            t.ticket_link(Some("ZD-123")),
            None,
            "no template by default"
        );
        for id in [
            "chargeback",
            "card-testing",
            "ban-evasion",
            "self-funding",
            "account-takeover",
        ] {
            let ty = t.get(id).unwrap();
            assert!(ty.steps.iter().any(|s| s.required));
            assert!(ty.steps.iter().all(|s| !s.instruction.is_empty()));
        }
        assert!(t.get("nope").is_err());
    }

    #[test]
    fn duplicate_types_and_steps_are_refused() {
        let dup = "version = 1\n[[types]]\nid='a'\nname='A'\nsla_hours=1\n[[types]]\nid='a'\nname='B'\nsla_hours=1\n";
        assert!(CaseTypes::parse(dup).is_err());
        let steps = "version = 1\n[[types]]\nid='a'\nname='A'\nsla_hours=1\n[[types.steps]]\nid='s'\ntitle='t'\nrequired=true\n[[types.steps]]\nid='s'\ntitle='t'\nrequired=false\n";
        assert!(CaseTypes::parse(steps).is_err());
    }
}

#[cfg(test)]
mod ticket_links {
    use super::*;

    fn with(url: &str) -> Result<CaseTypes> {
        CaseTypes::parse(&format!("version = 1\nticket_url = {url:?}\ntypes = []\n"))
    }

    #[test]
    fn a_reference_opens_its_ticket_by_number_and_never_injects_into_the_address() {
        let t = with("https://acme.zendesk.com/agent/tickets/{id}").unwrap();
        assert_eq!(
            t.ticket_link(Some("ZD-123")).as_deref(),
            Some("https://acme.zendesk.com/agent/tickets/123")
        );
        assert_eq!(
            t.ticket_link(Some("4567")).as_deref(),
            Some("https://acme.zendesk.com/agent/tickets/4567")
        );
        for written in [
            "ZD-123-2",
            "#123 (refund)",
            "ticket 123",
            "ZD-123 (2026-11-25)",
            "#123 2026",
        ] {
            assert_eq!(
                t.ticket_link(Some(written)).as_deref(),
                Some("https://acme.zendesk.com/agent/tickets/123"),
                "{written}"
            );
        }
        // Whatever a reference holds, it stays inside the path segment.
        let hostile = t.ticket_link(Some("x/../../evil?y=1#z")).unwrap();
        assert!(
            hostile.starts_with("https://acme.zendesk.com/agent/tickets/"),
            "{hostile}"
        );
        assert!(
            !hostile["https://acme.zendesk.com/agent/tickets/".len()..].contains(['/', '?', '#'])
        );
        assert_eq!(t.ticket_link(Some("  ")), None);
        assert_eq!(t.ticket_link(None), None);
        for bad in [
            "javascript:alert(1)//{id}",
            "https://acme.zendesk.com/tickets/",
            "file:///{id}",
        ] {
            assert!(with(bad).is_err(), "{bad}");
        }
    }
}
