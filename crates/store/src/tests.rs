use super::*;
use ringscope_model::Value;

const NOW: &str = "2026-11-24T10:00:00Z";

/// How detection reads the case: batches, the second connection, damaged rows.
mod observations;

fn new_case(dir: &tempfile::TempDir) -> Case {
    let new = NewCase {
        title: "Chargeback spike".into(),
        reference: Some("ZD-1".into()),
        investigator: Some("ana".into()),
        phone_region: "us".into(),
    };
    Case::create(&dir.path().join("c.ringscope"), &new, NOW).unwrap()
}

fn source(tx: &ImportTx<'_>, sha: &str) -> i64 {
    tx.add_source(&NewSource {
        file_name: "a.csv",
        sha256: sha,
        size: 1,
        kind: RecordKind::Accounts,
        detected_as: "canonical accounts",
        mapping_json: "{}",
        header_json: "[]",
        imported_by: "ana",
        imported_at: NOW,
    })
    .unwrap()
}

fn account(id: &str, email: Option<&str>, status: Option<&str>) -> Vec<Value> {
    let t = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.into()));
    vec![
        Value::Text(id.into()),
        Value::Null,
        t(email),
        t(email),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        t(status),
    ]
}

#[test]
fn create_then_open_keeps_metadata_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let meta = new_case(&dir).meta().unwrap();
    assert_eq!(meta.title, "Chargeback spike");
    assert_eq!(meta.phone_region, "US");
    let case = Case::open(&dir.path().join("c.ringscope")).unwrap();
    assert_eq!(case.meta().unwrap(), meta);
    assert_eq!(case.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = case
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let page_size = |c: &Connection| -> i64 {
        c.pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap()
    };
    assert_eq!(page_size(&case.conn), CASE_PAGE_SIZE);
    // A case made with SQLite's default page size (an older build's) opens with it, unchanged.
    let older = dir.path().join("older.ringscope");
    Connection::open(&older)
        .unwrap()
        .execute_batch(&format!(
            "PRAGMA page_size = 4096; PRAGMA application_id = {APPLICATION_ID}; CREATE TABLE t (x)"
        ))
        .unwrap();
    let older_case = Case::connect(&older, OpenFlags::empty()).unwrap();
    assert_eq!(page_size(&older_case.conn), 4096);
}

#[test]
fn refuses_existing_files_foreign_files_and_newer_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ringscope");
    new_case(&dir);
    assert!(matches!(
        Case::create(
            &path,
            &NewCase {
                title: "x".into(),
                phone_region: "US".into(),
                ..Default::default()
            },
            NOW
        ),
        Err(Error::AlreadyExists { .. })
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "hello, this is not a database at all, just some text...........",
    )
    .unwrap();
    assert!(matches!(Case::open(&text), Err(Error::NotACase { .. })));
    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(Case::open(&other), Err(Error::NotACase { .. })));
    assert!(matches!(
        Case::open(&dir.path().join("missing")),
        Err(Error::NotFound { .. })
    ));

    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Case::open(&path).err().unwrap();
    assert!(matches!(err, Error::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1));
    assert!(
        err.to_string().contains("newer than this Ringscope knows"),
        "{err}"
    );
}

#[test]
fn tables_match_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(&dir);
    for kind in RecordKind::ALL {
        let mut stmt = case
            .conn
            .prepare(&format!("PRAGMA table_info({})", kind.table()))
            .unwrap();
        let have: Vec<String> = stmt
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
        for (column, _) in kind.stored_columns() {
            assert!(
                have.contains(&column),
                "{kind}.{column} missing from schema"
            );
        }
        for bookkeeping in ["source_id", "line", "raw"] {
            assert!(have.contains(&bookkeeping.to_string()));
        }
        assert_eq!(RecordKind::ALL[kind as usize], kind);
    }
}

#[test]
fn repeated_records_merge_fill_and_record_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    let s1 = source(&tx, "aa");
    assert_eq!(
        tx.upsert(
            RecordKind::Accounts,
            s1,
            2,
            &account("u1", None, Some("active")),
            RowOrigin::Json("{}")
        )
        .unwrap(),
        Upsert::Inserted
    );
    let Upsert::Duplicate { filled, conflicts } = tx
        .upsert(
            RecordKind::Accounts,
            s1,
            7,
            &account("u1", Some("a@x.com"), Some("banned")),
            RowOrigin::Json("{}"),
        )
        .unwrap()
    else {
        panic!("expected a duplicate")
    };
    assert_eq!(filled, vec!["email", "email_canon"]);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (
            conflicts[0].field.as_str(),
            conflicts[0].kept.as_str(),
            conflicts[0].new.as_str()
        ),
        ("status", "active", "banned")
    );
    assert_eq!(
        (conflicts[0].kept_source_id, conflicts[0].kept_line),
        (s1, 2)
    );
    tx.commit().unwrap();

    let status: String = case
        .conn
        .query_row(
            "SELECT status FROM accounts WHERE account_id = 'u1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "active", "the first value is kept");
    let prov = case
        .provenance(RecordKind::Accounts, "u1")
        .unwrap()
        .unwrap();
    assert_eq!((prov.file_name.as_str(), prov.line), ("a.csv", 2));
    assert_eq!(prov.sightings, vec![("a.csv".to_string(), 7)]);
    assert_eq!(case.conflicts().unwrap().len(), 1);
}

/// An event's stored values: account, time, type, IP, device, no user agent.
fn event(
    account: &str,
    ts: i64,
    kind: Option<&str>,
    ip: Option<&str>,
    device: Option<&str>,
) -> Vec<Value> {
    let text = |v: Option<&str>| v.map_or(Value::Null, |v| Value::Text(v.into()));
    vec![
        Value::Text(account.into()),
        Value::Int(ts),
        text(kind),
        text(ip),
        text(device),
        Value::Null,
    ]
}

#[test]
fn identical_events_are_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "bb");
    let event = event("u1", 1, Some("login"), None, None);
    assert_eq!(
        tx.upsert(RecordKind::Events, s, 2, &event, RowOrigin::Json("{}"))
            .unwrap(),
        Upsert::Inserted
    );
    assert!(matches!(
        tx.upsert(RecordKind::Events, s, 3, &event, RowOrigin::Json("{}"))
            .unwrap(),
        Upsert::Duplicate { .. }
    ));
    let mut other = event.clone();
    other[1] = Value::Int(2);
    assert_eq!(
        tx.upsert(RecordKind::Events, s, 4, &other, RowOrigin::Json("{}"))
            .unwrap(),
        Upsert::Inserted
    );
    tx.commit().unwrap();
    assert_eq!(case.counts().unwrap().events, 2);
}

#[test]
fn a_damaged_interned_id_is_an_error_not_an_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "bb");
    let event = event("u1", 1, None, Some("203.0.113.9"), Some("dev-1"));
    tx.upsert(RecordKind::Events, s, 2, &event, RowOrigin::Json("{}"))
        .unwrap();
    tx.commit().unwrap();
    let mut seen = vec![];
    case.for_each_observation(RecordKind::Events, |o| {
        seen.push((o.account.to_string(), o.identifiers.len()))
    })
    .unwrap();
    assert_eq!(seen, [("u1".to_string(), 2)]);
    // A tampered id would size the lookup table at terabytes.
    case.conn
        .execute_batch(
            "UPDATE event_rows SET device = 1 << 40 WHERE device IS NOT NULL;
             UPDATE idents SET id = 1 << 40 WHERE kind = 'device';",
        )
        .unwrap();
    let err = case
        .for_each_observation(RecordKind::Events, |_| {})
        .unwrap_err();
    assert!(matches!(err, Error::Corrupt(_)), "{err}");
}

#[test]
fn an_uncommitted_import_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let before = case.counts().unwrap();
    {
        let tx = case.begin_import().unwrap();
        let s = source(&tx, "cc");
        tx.upsert(
            RecordKind::Accounts,
            s,
            2,
            &account("u1", None, None),
            RowOrigin::Json("{}"),
        )
        .unwrap();
        tx.audit(NOW, "ana", "import", "a.csv", &serde_json::json!({}))
            .unwrap();
    } // dropped: rolled back
    assert_eq!(case.counts().unwrap(), before);
}

#[test]
fn audit_chain_detects_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    tx.audit(
        NOW,
        "ana",
        "import",
        "a.csv",
        &serde_json::json!({"rows": 3}),
    )
    .unwrap();
    tx.audit(
        NOW,
        "ana",
        "import",
        "b.csv",
        &serde_json::json!({"rows": 4}),
    )
    .unwrap();
    tx.commit().unwrap();
    let log = case.audit_log().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].prev_hash, GENESIS_HASH);
    assert_eq!(log[1].prev_hash, log[0].hash);
    case.verify_audit_log().unwrap();

    case.conn
        .execute("UPDATE audit_log SET item = 'c.csv' WHERE seq = 2", [])
        .unwrap();
    assert!(matches!(
        case.verify_audit_log(),
        Err(Error::BrokenAuditChain { seq: 2, .. })
    ));
    case.conn
        .execute("UPDATE audit_log SET item = 'a.csv' WHERE seq = 2", [])
        .unwrap();
    case.verify_audit_log().unwrap();
    case.conn
        .execute("DELETE FROM audit_log WHERE seq = 2", [])
        .unwrap();
    assert!(matches!(
        case.verify_audit_log(),
        Err(Error::BrokenAuditChain { seq: 3, .. })
    ));
}

fn index_sql(case: &Case) -> Vec<(String, String)> {
    case.conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_load_into_an_empty_table_rebuilds_its_indexes_and_a_rollback_restores_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let before = index_sql(&case);
    assert!(before.iter().any(|(n, _)| n == "accounts_email_canon"));
    {
        let tx = case.begin_import().unwrap();
        let s = source(&tx, "dd");
        tx.upsert(
            RecordKind::Accounts,
            s,
            2,
            &account("u1", Some("a@x.com"), None),
            RowOrigin::Json("{}"),
        )
        .unwrap();
    } // rolled back: the dropped indexes come back with it
    assert_eq!(index_sql(&case), before);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "ee");
    tx.upsert(
        RecordKind::Accounts,
        s,
        2,
        &account("u1", Some("a@x.com"), None),
        RowOrigin::Json("{}"),
    )
    .unwrap();
    tx.commit().unwrap();
    assert_eq!(index_sql(&case), before);
    let plan: String = case
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT account_id FROM accounts WHERE email_canon = 'a@x.com'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("accounts_email_canon"), "{plan}");
}

#[test]
fn a_case_from_before_rejects_kept_their_row_opens_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ringscope");
    {
        let mut case = new_case(&dir);
        let tx = case.begin_import().unwrap();
        let id = source(&tx, "aa");
        tx.add_reject(id, 2, Some(1), Some("account_id"), "required", "x,y")
            .unwrap();
        tx.commit().unwrap();
    }
    // Make it the version 3 file an older Ringscope wrote: no row text.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE tickets; DROP TABLE ticket_sources; DROP TABLE ring_edits; DROP TABLE ring_exclusions; DROP TABLE detection_cache; DROP TABLE case_workflow; DROP TABLE checklist_marks; ALTER TABLE rejects DROP COLUMN row_text; DROP TABLE source_chunks; ALTER TABLE accounts DROP COLUMN row_start; ALTER TABLE accounts DROP COLUMN row_len; ALTER TABLE payments DROP COLUMN row_start; ALTER TABLE payments DROP COLUMN row_len; DROP VIEW events; DROP TABLE event_rows; DROP TABLE idents; CREATE TABLE events (id INTEGER PRIMARY KEY, event_key BLOB NOT NULL UNIQUE, account_id TEXT NOT NULL, timestamp_ms INTEGER NOT NULL, event_type TEXT, ip TEXT, device_id TEXT, user_agent TEXT, source_id INTEGER NOT NULL REFERENCES sources(id), line INTEGER NOT NULL, raw TEXT NOT NULL); CREATE INDEX events_account ON events(account_id); CREATE INDEX events_device ON events(device_id); CREATE INDEX events_ip ON events(ip); ALTER TABLE sources DROP COLUMN bytes_kept; PRAGMA user_version = 3;",
    )
        .unwrap();
    drop(conn);

    let mut case = Case::open(&path).unwrap();
    assert_eq!(case.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(case.rejects(None).unwrap()[0].row_text, None);
    let tx = case.begin_import().unwrap();
    let id = source(&tx, "bb");
    tx.add_reject(id, 3, None, None, "ragged", ",,\"a\nb\"")
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        case.rejects(Some(id)).unwrap()[0].row_text.as_deref(),
        Some(",,\"a\nb\"")
    );
}

#[test]
fn a_failed_create_removes_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.ringscope");
    // A folder where the case's WAL file should go makes creation fail after the case file itself exists.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::create_dir(&wal).unwrap();
    let new = NewCase {
        title: "x".into(),
        phone_region: "US".into(),
        ..Default::default()
    };
    assert!(Case::create(&path, &new, NOW).is_err());
    assert!(!path.exists());
    std::fs::remove_dir(&wal).unwrap();
    Case::create(&path, &new, NOW).unwrap();
}

#[test]
fn sqlite_text_is_not_repeated_by_a_chain_printer() {
    let err = Error::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE),
        Some("UNIQUE constraint failed: sources.sha256".into()),
    ));
    assert!(std::error::Error::source(&err).is_none());
    assert_eq!(
        err.to_string(),
        "case database error: UNIQUE constraint failed: sources.sha256"
    );
    let busy = Error::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        None,
    ));
    assert!(matches!(busy, Error::Busy), "{busy}");
}

#[test]
fn workflow_changes_are_logged_with_their_row_and_closing_with_open_steps_needs_a_reason() {
    use crate::{CaseStatus, CaseTyping, ChecklistStep};
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let w = case.workflow().unwrap();
    assert_eq!(
        (w.status, w.case_type.clone(), w.checklist.len()),
        (CaseStatus::Open, None, 0)
    );
    assert!(
        case.mark_step("a", None, "x", "2026-01-01T00:00:00Z")
            .is_err()
    );
    let steps = [
        ChecklistStep {
            id: "a".into(),
            title: "A".into(),
            required: true,
            instruction: String::new(),
        },
        ChecklistStep {
            id: "b".into(),
            title: "B".into(),
            required: false,
            instruction: String::new(),
        },
    ];
    let typing = CaseTyping {
        case_type: "t",
        type_name: "T",
        version: 1,
        steps: &steps,
        due_at: Some("2026-01-02T00:00:00Z"),
    };
    case.set_case_type(&typing, "x", "2026-01-01T00:00:00Z")
        .unwrap();
    assert!(
        case.set_status(CaseStatus::Closed, None, "x", "2026-01-01T01:00:00Z")
            .is_err()
    );
    case.mark_step("b", Some("not needed"), "x", "2026-01-01T01:00:00Z")
        .unwrap();
    case.mark_step("a", None, "x", "2026-01-01T01:00:00Z")
        .unwrap();
    case.set_status(CaseStatus::Closed, None, "x", "2026-01-01T02:00:00Z")
        .unwrap();
    case.assign("ana", "x", "2026-01-01T02:00:00Z").unwrap();
    let w = case.workflow().unwrap();
    assert_eq!(w.status, CaseStatus::Closed);
    assert_eq!(w.assignee.as_deref(), Some("ana"));
    assert_eq!(
        w.checklist[1].mark.as_ref().unwrap().reason.as_deref(),
        Some("not needed")
    );
    assert!(w.open_required().is_empty());
    let log = case.audit_log().unwrap();
    assert_eq!(log.last().unwrap().action, "case.assign");
    case.verify_audit_log().unwrap();
    assert_eq!(CaseStatus::parse("In-Review"), Some(CaseStatus::InReview));
    assert_eq!(CaseStatus::parse("done"), None);
}

#[test]
fn identifier_reads_list_each_account_once_and_count_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "cc");
    for (line, (account, ts)) in [("u2", 1), ("u1", 2), ("u2", 3)].into_iter().enumerate() {
        let event = vec![
            Value::Text(account.into()),
            Value::Int(ts),
            Value::Text("login".into()),
            Value::Null,
            Value::Text("dev-1".into()),
            Value::Null,
        ];
        tx.upsert(
            RecordKind::Events,
            s,
            line as u64 + 2,
            &event,
            RowOrigin::Json("{}"),
        )
        .unwrap();
    }
    tx.commit().unwrap();

    let hits: Vec<(String, String)> = case
        .accounts_by_identifier("DEV-1")
        .unwrap()
        .into_iter()
        .map(|h| (h.account_id, h.kind))
        .collect();
    assert_eq!(
        hits,
        [
            ("u1".into(), "device".into()),
            ("u2".into(), "device".into())
        ]
    );

    let rows = case
        .identifier_rows(ringscope_model::IdKind::Device, "dev-1", "u2", 1)
        .unwrap();
    assert_eq!((rows.total, rows.rows.len()), (2, 1));
    assert_eq!(
        (rows.rows[0].file.as_str(), rows.rows[0].line),
        ("a.csv", 2)
    );

    let mut seen = vec![];
    case.for_each_observation(RecordKind::Events, |o| {
        seen.push((o.account.to_string(), o.at_ms, o.identifiers.len()));
        assert!(o.payment.is_none());
    })
    .unwrap();
    assert_eq!(
        seen,
        [
            ("u2".to_string(), Some(1), 2),
            ("u1".to_string(), Some(2), 2),
            ("u2".to_string(), Some(3), 2)
        ]
    );
}

#[test]
fn a_kept_detection_is_compressed_and_reads_back_in_either_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let detection =
        serde_json::json!({"rings": [{"id": "R-0001", "members": ["u1", "u2"]}], "hubs": 3});
    case.save_detection("d1", 7, &detection).unwrap();
    let stored: Vec<u8> = case
        .conn
        .query_row("SELECT rings FROM detection_cache", [], |r| r.get(0))
        .unwrap();
    assert!(stored.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]), "zstd frame");
    let json = case.cached_detection("d1", 7).unwrap().unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        detection
    );
    assert_eq!(
        case.cached_detection("d1", 8).unwrap(),
        None,
        "another generation"
    );
    assert_eq!(
        case.cached_detection("d2", 7).unwrap(),
        None,
        "another detector"
    );
    // JSON text (an earlier build's) reads as it is; a blob that is no zstd frame is no detection.
    case.conn
        .execute("UPDATE detection_cache SET rings = '{\"rings\":[]}'", [])
        .unwrap();
    assert_eq!(
        case.cached_detection("d1", 7).unwrap().as_deref(),
        Some("{\"rings\":[]}")
    );
    case.conn
        .execute("UPDATE detection_cache SET rings = x'00ff00ff'", [])
        .unwrap();
    assert_eq!(case.cached_detection("d1", 7).unwrap(), None);
}
