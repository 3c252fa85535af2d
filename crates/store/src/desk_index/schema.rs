//! The desk index's schema and migrations (same rules as the case file's: never edit a released migration).

use crate::error::{Error, Result};
use rusqlite::Connection;

/// `PRAGMA application_id` of `desk.sqlite` ("RSdk").
pub const APPLICATION_ID: i64 = 0x5253_646b;

const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE desk_info (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    desk_uid   TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- One row per case file in the folder: the facts read from it (JSON) and the file's size and mtime when read.
CREATE TABLE cases (
    file     TEXT PRIMARY KEY,
    case_uid TEXT NOT NULL,
    stamp    TEXT NOT NULL,
    facts    TEXT NOT NULL
);
-- Identifiers to watch for: from confirmed rings of the desk's cases (origin 'desk', rewritten when the case is
-- re-read) or from an imported watchlist (origin 'import', kept).
CREATE TABLE watchlist (
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    case_uid    TEXT NOT NULL,
    case_file   TEXT,
    case_title  TEXT,
    reference   TEXT,
    ring_id     TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    decided_at  TEXT,
    decided_by  TEXT,
    origin      TEXT NOT NULL CHECK (origin IN ('desk', 'import')),
    PRIMARY KEY (kind, value, case_uid, ring_id, account_id)
) WITHOUT ROWID;
CREATE INDEX watchlist_case ON watchlist(case_file);
"#];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection, fresh: bool) -> Result<()> {
    crate::schema::run_migrations(conn, MIGRATIONS, APPLICATION_ID, fresh, |found| {
        Error::NewerDeskSchema {
            found,
            known: SCHEMA_VERSION,
        }
    })
}
