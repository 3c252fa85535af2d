//! Schema migrations. Each entry brings the schema from version `index` to `index + 1`; they run on open, in one
//! transaction. Never edit a released migration: add a new one.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

/// `PRAGMA application_id`: marks a SQLite file as a Ringscope case ("RScp").
pub const APPLICATION_ID: i64 = 0x5253_6370;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE case_info (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    case_uid      TEXT NOT NULL,
    title         TEXT NOT NULL,
    reference     TEXT,
    investigator  TEXT,
    phone_region  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE sources (
    id               INTEGER PRIMARY KEY,
    file_name        TEXT NOT NULL,
    sha256           TEXT NOT NULL UNIQUE,
    size             INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    detected_as      TEXT NOT NULL,
    mapping          TEXT NOT NULL,
    header           TEXT NOT NULL,
    rows_read        INTEGER NOT NULL DEFAULT 0,
    rows_imported    INTEGER NOT NULL DEFAULT 0,
    rows_rejected    INTEGER NOT NULL DEFAULT 0,
    rows_duplicate   INTEGER NOT NULL DEFAULT 0,
    rows_conflicting INTEGER NOT NULL DEFAULT 0,
    imported_by      TEXT NOT NULL,
    imported_at      TEXT NOT NULL
);
CREATE TABLE mappings (
    header_signature TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    mapping          TEXT NOT NULL,
    source_id        INTEGER NOT NULL REFERENCES sources(id)
);
CREATE TABLE accounts (
    account_id    TEXT PRIMARY KEY,
    created_at_ms INTEGER,
    email         TEXT,
    email_canon   TEXT,
    phone         TEXT,
    display_name  TEXT,
    country       TEXT,
    role          TEXT,
    status        TEXT,
    source_id     INTEGER NOT NULL REFERENCES sources(id),
    line          INTEGER NOT NULL,
    raw           TEXT NOT NULL
);
CREATE TABLE payments (
    payment_id            TEXT PRIMARY KEY,
    created_at_ms         INTEGER NOT NULL,
    amount_minor          INTEGER NOT NULL,
    currency              TEXT NOT NULL,
    status                TEXT,
    account_id            TEXT,
    creator_id            TEXT,
    customer_id           TEXT,
    customer_email        TEXT,
    customer_email_canon  TEXT,
    card_fingerprint      TEXT,
    card_last4            TEXT,
    card_brand            TEXT,
    card_country          TEXT,
    amount_refunded_minor INTEGER,
    disputed_amount_minor INTEGER,
    dispute_status        TEXT,
    dispute_reason        TEXT,
    dispute_date_ms       INTEGER,
    description           TEXT,
    source_id             INTEGER NOT NULL REFERENCES sources(id),
    line                  INTEGER NOT NULL,
    raw                   TEXT NOT NULL
);
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    event_key    BLOB NOT NULL UNIQUE,
    account_id   TEXT NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    event_type   TEXT,
    ip           TEXT,
    device_id    TEXT,
    user_agent   TEXT,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    line         INTEGER NOT NULL,
    raw          TEXT NOT NULL
);
-- A record seen again (same key) in a later row: where, and which empty fields that row filled in.
CREATE TABLE sightings (
    kind       TEXT NOT NULL,
    record_key TEXT NOT NULL,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    line       INTEGER NOT NULL,
    filled     TEXT
);
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    record_key     TEXT NOT NULL,
    field          TEXT NOT NULL,
    kept_value     TEXT,
    new_value      TEXT,
    kept_source_id INTEGER NOT NULL,
    kept_line      INTEGER NOT NULL,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    line           INTEGER NOT NULL
);
CREATE TABLE rejects (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line      INTEGER NOT NULL,
    col       INTEGER,
    field     TEXT,
    reason    TEXT NOT NULL
);
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    ts        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    item      TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX accounts_email_canon ON accounts(email_canon);
CREATE INDEX accounts_phone ON accounts(phone);
CREATE INDEX payments_account ON payments(account_id);
CREATE INDEX payments_creator ON payments(creator_id);
CREATE INDEX payments_card ON payments(card_fingerprint);
CREATE INDEX events_account ON events(account_id);
CREATE INDEX sightings_record ON sightings(kind, record_key);
"#,
    r#"
-- Rings keep their id across re-detection while their membership mostly stays (see ringscope-graph's ids.rs).
CREATE TABLE rings (
    ring_id           TEXT PRIMARY KEY,
    seq               INTEGER NOT NULL UNIQUE,
    first_detected_at TEXT NOT NULL,
    last_changed_at   TEXT NOT NULL,
    active            INTEGER NOT NULL
);
CREATE TABLE ring_members (
    ring_id    TEXT NOT NULL REFERENCES rings(ring_id),
    account_id TEXT NOT NULL,
    PRIMARY KEY (ring_id, account_id)
) WITHOUT ROWID;
CREATE INDEX events_device ON events(device_id);
CREATE INDEX events_ip ON events(ip);
"#,
    r#"
-- An investigator's decisions and notes on rings and accounts; each is also an audit-log entry.
CREATE TABLE decisions (
    id        INTEGER PRIMARY KEY,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('ring', 'account')),
    item_id   TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('confirmed', 'dismissed', 'needs_review')),
    note      TEXT,
    actor     TEXT NOT NULL,
    ts        TEXT NOT NULL,
    audit_seq INTEGER NOT NULL REFERENCES audit_log(seq)
);
CREATE INDEX decisions_item ON decisions(item_kind, item_id, id);
CREATE TABLE notes (
    id        INTEGER PRIMARY KEY,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('ring', 'account')),
    item_id   TEXT NOT NULL,
    text      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    ts        TEXT NOT NULL,
    audit_seq INTEGER NOT NULL REFERENCES audit_log(seq)
);
CREATE INDEX notes_item ON notes(item_kind, item_id, id);
"#,
    r#"
-- A rejected row's text exactly as the file has it (NULL for rows rejected before this column existed).
ALTER TABLE rejects ADD COLUMN row_text TEXT;
"#,
    r#"
-- The case's place in a desk's workflow: its type (with the procedure it was opened under), status, assignee and
-- deadline, and the checklist steps marked done or skipped. Every change is also an audit-log entry.
CREATE TABLE case_workflow (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    case_type  TEXT,
    type_name  TEXT,
    procedure  TEXT NOT NULL DEFAULT '[]',
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_review', 'escalated', 'closed')),
    assignee   TEXT,
    due_at     TEXT
);
CREATE TABLE checklist_marks (
    id        INTEGER PRIMARY KEY,
    step_id   TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('done', 'skipped')),
    reason    TEXT,
    actor     TEXT NOT NULL,
    ts        TEXT NOT NULL,
    audit_seq INTEGER NOT NULL REFERENCES audit_log(seq)
);
"#,
    r#"
-- The last ring detection's result (the ranked rings as JSON), reused while nothing detection reads has changed:
-- the case's generation (the audit log's last import) and the detector's build are the same.
CREATE TABLE detection_cache (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    detector   TEXT NOT NULL,
    generation INTEGER NOT NULL,
    rings      TEXT NOT NULL
);
"#,
    r#"
-- Members an investigator removed from a ring as false positives, and restored: the last row for a ring and an
-- account decides. Ring detection leaves a removed account out of that ring. Every row is also an audit entry.
CREATE TABLE ring_exclusions (
    id         INTEGER PRIMARY KEY,
    ring_id    TEXT NOT NULL,
    account_id TEXT NOT NULL,
    removed    INTEGER NOT NULL CHECK (removed IN (0, 1)),
    reason     TEXT,
    actor      TEXT NOT NULL,
    ts         TEXT NOT NULL,
    audit_seq  INTEGER NOT NULL REFERENCES audit_log(seq)
);
"#,
    r#"
-- Rings an investigator split or merged, and edits undone. A split moves `accounts` out of `ring_id` into the new
-- ring `other_ring`; a merge folds `other_ring` (its members then: `accounts`) into `ring_id` (its members then:
-- `ring_accounts`). Detection keeps each edit that is not undone. Every row is an audit entry.
CREATE TABLE ring_edits (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('split', 'merge', 'undo')),
    ring_id    TEXT NOT NULL,
    other_ring TEXT,
    accounts   TEXT NOT NULL DEFAULT '[]',
    ring_accounts TEXT NOT NULL DEFAULT '[]',
    undoes     INTEGER REFERENCES ring_edits(id),
    reason     TEXT,
    actor      TEXT NOT NULL,
    ts         TEXT NOT NULL,
    audit_seq  INTEGER NOT NULL REFERENCES audit_log(seq)
);
"#,
    r#"
-- Support tickets (Zendesk ticket exports) and the files they came from. A ticket links to the accounts whose
-- canonical email is its requester's; `raw` keeps the ticket exactly as exported.
CREATE TABLE ticket_sources (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    tickets     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL REFERENCES audit_log(seq)
);
CREATE TABLE tickets (
    ticket_id             INTEGER PRIMARY KEY,
    subject               TEXT,
    status                TEXT,
    requester_email       TEXT,
    requester_email_canon TEXT,
    created_at            TEXT NOT NULL,
    created_at_ms         INTEGER NOT NULL,
    updated_at            TEXT,
    updated_at_ms         INTEGER,
    tags                  TEXT NOT NULL,
    source_id             INTEGER NOT NULL REFERENCES ticket_sources(id),
    raw                   TEXT NOT NULL
);
CREATE INDEX tickets_requester ON tickets(requester_email_canon);
"#,
    r#"
-- An edit is undone at most once.
CREATE UNIQUE INDEX ring_edits_undone_once ON ring_edits(undoes) WHERE undoes IS NOT NULL;
"#,
    r#"
-- Every imported file's bytes, zstd-compressed in chunks of 128 KiB (the last shorter); `start` is the chunk's
-- first byte in the file. Records imported from now on point at their row in these bytes (row_start, row_len) and
-- keep `raw` empty; records from older imports keep their row as a JSON object in `raw`. `sources.bytes_kept` says
-- the import stored them, so missing chunks are damage, not an older import.
CREATE TABLE source_chunks (
    source_id INTEGER NOT NULL REFERENCES sources(id),
    start     INTEGER NOT NULL,
    size      INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (source_id, start)
) WITHOUT ROWID;
ALTER TABLE accounts ADD COLUMN row_start INTEGER;
ALTER TABLE accounts ADD COLUMN row_len INTEGER;
ALTER TABLE payments ADD COLUMN row_start INTEGER;
ALTER TABLE payments ADD COLUMN row_len INTEGER;
ALTER TABLE events ADD COLUMN row_start INTEGER;
ALTER TABLE events ADD COLUMN row_len INTEGER;
ALTER TABLE sources ADD COLUMN bytes_kept INTEGER NOT NULL DEFAULT 0;
"#,
    EVENTS_INTERNED,
];

/// Schema v12. A login log repeats the same account, device, IP, user agent and event type on millions of rows:
/// each text is now stored once in `idents` and the event rows (`event_rows`) hold integers, so the events take a
/// fraction of the pages (and of the WAL an import writes) and detection reads integers. Event keys keep their
/// first 12 bytes (`event_rows::EVENT_KEY_BYTES`). `events` stays as a view
/// with the old columns, so readers (and `sqlite3` users) see the same table as before.
const EVENTS_INTERNED: &str = r#"
CREATE TABLE idents (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('account', 'event_type', 'ip', 'device', 'user_agent')),
    value TEXT NOT NULL
);
-- Value first: a reader of the `events` view asking for an account, device or IP finds its id by value.
CREATE UNIQUE INDEX idents_value ON idents(value, kind);
INSERT OR IGNORE INTO idents (kind, value) SELECT 'account', account_id FROM events;
INSERT OR IGNORE INTO idents (kind, value) SELECT 'event_type', event_type FROM events WHERE event_type IS NOT NULL;
INSERT OR IGNORE INTO idents (kind, value) SELECT 'ip', ip FROM events WHERE ip IS NOT NULL;
INSERT OR IGNORE INTO idents (kind, value) SELECT 'device', device_id FROM events WHERE device_id IS NOT NULL;
INSERT OR IGNORE INTO idents (kind, value) SELECT 'user_agent', user_agent FROM events WHERE user_agent IS NOT NULL;
CREATE TABLE event_rows (
    id           INTEGER PRIMARY KEY,
    event_key    BLOB NOT NULL,
    account      INTEGER NOT NULL,
    timestamp_ms INTEGER NOT NULL,
    event_type   INTEGER,
    ip           INTEGER,
    device       INTEGER,
    user_agent   INTEGER,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    line         INTEGER NOT NULL,
    raw          TEXT NOT NULL DEFAULT '',
    row_start    INTEGER,
    row_len      INTEGER
);
INSERT INTO event_rows (id, event_key, account, timestamp_ms, event_type, ip, device, user_agent, source_id, line,
                        raw, row_start, row_len)
SELECT e.id, substr(e.event_key, 1, 12),
       (SELECT id FROM idents WHERE value = e.account_id AND kind = 'account'),
       e.timestamp_ms,
       (SELECT id FROM idents WHERE value = e.event_type AND kind = 'event_type'),
       (SELECT id FROM idents WHERE value = e.ip AND kind = 'ip'),
       (SELECT id FROM idents WHERE value = e.device_id AND kind = 'device'),
       (SELECT id FROM idents WHERE value = e.user_agent AND kind = 'user_agent'),
       e.source_id, e.line, e.raw, e.row_start, e.row_len
FROM events e ORDER BY e.id;
DROP TABLE events;
CREATE UNIQUE INDEX event_rows_key ON event_rows(event_key);
CREATE INDEX event_rows_account ON event_rows(account);
CREATE INDEX event_rows_device ON event_rows(device);
CREATE INDEX event_rows_ip ON event_rows(ip);
CREATE VIEW events AS
SELECT e.id AS id, e.event_key AS event_key, a.value AS account_id, e.timestamp_ms AS timestamp_ms,
       t.value AS event_type, i.value AS ip, d.value AS device_id, u.value AS user_agent,
       e.source_id AS source_id, e.line AS line, e.raw AS raw, e.row_start AS row_start, e.row_len AS row_len
FROM event_rows e
JOIN idents a ON a.id = e.account
LEFT JOIN idents t ON t.id = e.event_type
LEFT JOIN idents i ON i.id = e.ip
LEFT JOIN idents d ON d.id = e.device
LEFT JOIN idents u ON u.id = e.user_agent;
"#;

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    run_migrations(conn, MIGRATIONS, APPLICATION_ID, false, |found| {
        Error::NewerSchema {
            path: path.to_owned(),
            found,
            known: SCHEMA_VERSION,
        }
    })
}

/// Brings a database written by an older build up to `migrations.len()` (`user_version` counts the migrations
/// applied), in one transaction, and stamps `application_id`; refuses a newer database with `newer(found)`.
/// `stamp_anyway` re-stamps an up-to-date database (a file just created). Shared by the case file and the desk
/// index.
pub(crate) fn run_migrations(
    conn: &mut Connection,
    migrations: &[&str],
    application_id: i64,
    stamp_anyway: bool,
    newer: impl FnOnce(i64) -> Error,
) -> Result<()> {
    let known = migrations.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(newer(found));
    }
    if found == known && !stamp_anyway {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for sql in &migrations[found as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.pragma_update(None, "application_id", application_id)?;
    tx.commit()?;
    Ok(())
}
