//! The packet's custody log: one JSON object per line, `{seq, ts, actor, action, item, sha256, prev}`, where
//! `prev` is the SHA-256 of the previous line's bytes (the first line's is 64 zeros). Anyone can check the chain
//! with a JSON reader and sha256; an edited, removed or reordered line breaks it.

use crate::bagit::sha256_hex;
use ringscope_store::GENESIS_HASH;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyEntry {
    pub seq: i64,
    pub ts: String,
    pub actor: String,
    pub action: String,
    pub item: String,
    /// The hash of what the action was about (an imported file, the packet's records), where there is one.
    pub sha256: Option<String>,
    pub prev: String,
}

/// An action to record, before chaining.
pub struct Action {
    pub ts: String,
    pub actor: String,
    pub action: String,
    pub item: String,
    pub sha256: Option<String>,
}

pub fn chain(actions: Vec<Action>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = GENESIS_HASH.to_string();
    for (i, a) in actions.into_iter().enumerate() {
        let entry = CustodyEntry {
            seq: i as i64 + 1,
            ts: a.ts,
            actor: a.actor,
            action: a.action,
            item: a.item,
            sha256: a.sha256,
            prev,
        };
        let line = serde_json::to_string(&entry).expect("entries serialize");
        prev = sha256_hex(line.as_bytes());
        out.extend(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Every break in the chain, as `line N: why`.
pub fn check(log: &[u8]) -> Vec<String> {
    let mut problems = vec![];
    let mut prev = GENESIS_HASH.to_string();
    let text = match std::str::from_utf8(log) {
        Ok(t) => t,
        Err(_) => return vec!["custody log is not UTF-8".into()],
    };
    for (i, line) in text.split_terminator('\n').enumerate() {
        let n = i + 1;
        match serde_json::from_str::<CustodyEntry>(line) {
            Ok(e) => {
                if e.seq != n as i64 {
                    problems.push(format!("line {n}: seq is {} (expected {n})", e.seq));
                }
                if e.prev != prev {
                    problems.push(format!(
                        "line {n}: prev does not match the SHA-256 of line {}",
                        n - 1
                    ));
                }
            }
            Err(err) => problems.push(format!("line {n}: not a custody entry ({err})")),
        }
        prev = sha256_hex(line.as_bytes());
    }
    if text.is_empty() {
        problems.push("custody log is empty".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(item: &str) -> Action {
        Action {
            ts: "2026-01-01T00:00:00Z".into(),
            actor: "ana".into(),
            action: "import".into(),
            item: item.into(),
            sha256: None,
        }
    }

    #[test]
    fn edits_and_removals_break_the_chain() {
        let log = chain(vec![action("a.csv"), action("b.csv"), action("c.csv")]);
        assert!(check(&log).is_empty());
        let text = String::from_utf8(log).unwrap();
        assert!(!check(text.replace("b.csv", "x.csv").as_bytes()).is_empty());
        let lines: Vec<&str> = text.lines().collect();
        assert!(!check(format!("{}\n{}\n", lines[0], lines[2]).as_bytes()).is_empty());
    }
}
