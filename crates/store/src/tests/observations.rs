//! How detection reads the case (`crate::observations`): whole observations in order across batches and threads,
//! one snapshot, the second connection, damaged rows and failures on either side.

use super::*;

/// Writes one record in `tx` as read from line `line` of `source` (its original row is not kept).
fn put(tx: &ImportTx<'_>, kind: RecordKind, source: i64, line: u64, values: &[Value]) {
    tx.upsert(kind, source, line, values, RowOrigin::Json("{}"))
        .unwrap();
}

/// A record of `kind` with the named stored columns set and the rest empty.
fn record_with(kind: RecordKind, set: &[(&str, Value)]) -> Vec<Value> {
    kind.stored_columns()
        .iter()
        .map(|(name, _)| {
            set.iter()
                .find(|(n, _)| n == name)
                .map_or(Value::Null, |(_, v)| v.clone())
        })
        .collect()
}

/// Every observation of the case as one line each, in the order they are handed over.
fn observation_lines(case: &Case) -> Vec<String> {
    let mut seen = vec![];
    case.for_each_observation_of(
        &[
            RecordKind::Accounts,
            RecordKind::Events,
            RecordKind::Payments,
        ],
        |kind, o| {
            let ids: Vec<String> = o
                .identifiers
                .iter()
                .map(|(k, v)| format!("{k:?}={}", v.unwrap_or("-")))
                .collect();
            let paid = o.payment.as_ref().map(|p| {
                format!(
                    " creator={} amount={:?} declined={} disputed={}",
                    p.creator.unwrap_or("-"),
                    p.amount_minor,
                    p.declined,
                    p.disputed
                )
            });
            let interned = o
                .text_ids
                .map(|t| format!(" ids={:?}/{:?}", t.account, t.identifiers));
            seen.push(format!(
                "{kind} {} {:?} {}{}{}",
                o.account,
                o.at_ms,
                ids.join(" "),
                paid.unwrap_or_default(),
                interned.unwrap_or_default()
            ));
        },
    )
    .unwrap();
    seen
}

#[test]
fn observations_come_whole_and_in_order_across_batches_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(&dir);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "cc");
    let text = |v: &str| Value::Text(v.into());
    // Texts longer than a test batch's text budget, and more rows than a test batch holds.
    let long = "a-very-long-address-that-fills-a-batch@example.com";
    for (line, (id, email)) in [
        ("u1", long),
        ("u2", "b@example.com"),
        ("u3", long),
        ("u4", "d@x.io"),
    ]
    .into_iter()
    .enumerate()
    {
        put(
            &tx,
            RecordKind::Accounts,
            s,
            line as u64 + 2,
            &account(id, Some(email), None),
        );
    }
    for (line, (id, ts, device)) in [
        ("u1", 5, "dev-1"),
        ("u2", 6, "dev-1"),
        ("u1", 7, "dev-2"),
        ("u4", 8, "dev-9"),
    ]
    .into_iter()
    .enumerate()
    {
        put(
            &tx,
            RecordKind::Events,
            s,
            line as u64 + 10,
            &event(id, ts, None, Some("203.0.113.9"), Some(device)),
        );
    }
    for (line, (id, status, card)) in [
        ("u1", "succeeded", "card-1"),
        ("u2", "failed", "card-1"),
        ("u3", "succeeded", "card-3"),
    ]
    .into_iter()
    .enumerate()
    {
        let payment = record_with(
            RecordKind::Payments,
            &[
                ("payment_id", text(&format!("p{line}"))),
                ("account_id", text(id)),
                ("creator_id", text("c9")),
                ("created_at_ms", Value::Int(100 + line as i64)),
                ("amount_minor", Value::Int(500)),
                ("currency", text("USD")),
                ("status", text(status)),
                ("card_fingerprint", text(card)),
            ],
        );
        put(&tx, RecordKind::Payments, s, line as u64 + 20, &payment);
    }
    tx.commit().unwrap();

    let read_ahead = observation_lines(&case);
    let lines: Vec<&str> = read_ahead.iter().map(String::as_str).collect();
    assert_eq!(lines.len(), 11, "{lines:#?}");
    assert!(
        lines[0].starts_with("accounts u1 None Email=a-very-long-address"),
        "{}",
        lines[0]
    );
    assert!(
        lines[3].starts_with("accounts u4 None Email=d@x.io"),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("events u1 Some(5) "), "{}", lines[4]);
    assert!(
        lines[4].contains("dev-1") && lines[4].contains("203.0.113.9"),
        "{}",
        lines[4]
    );
    assert!(lines[7].starts_with("events u4 Some(8) "), "{}", lines[7]);
    assert!(
        lines[7].contains("dev-9") && lines[7].contains(" ids=Some("),
        "{}",
        lines[7]
    );
    assert!(lines[9].starts_with("payments u2 "), "{}", lines[9]);
    assert!(lines[9].contains("Card=card-1"), "{}", lines[9]);
    assert!(
        lines[9].contains("creator=c9 amount=Some(500) declined=true disputed=false"),
        "{}",
        lines[9]
    );
    assert!(
        lines[10].contains("Card=card-3") && lines[10].contains("declined=false"),
        "{}",
        lines[10]
    );

    // Inside the caller's transaction the read stays on its connection, and sees what the transaction wrote.
    case.conn.execute_batch("BEGIN").unwrap();
    assert_eq!(observation_lines(&case), read_ahead);
    case.conn
        .execute("UPDATE accounts SET email = 'changed@x.io', email_canon = 'changed@x.io' WHERE account_id = 'u4'", [])
        .unwrap();
    let inside = observation_lines(&case);
    case.conn.execute_batch("ROLLBACK").unwrap();
    assert!(inside[3].contains("Email=changed@x.io"), "{}", inside[3]);
    assert_eq!(observation_lines(&case), read_ahead);
}

/// A case with `accounts` account records `u0`, `u1`, ... (each with an email) and two events each for `u0`, `u1`.
fn case_with_accounts(dir: &tempfile::TempDir, accounts: usize) -> Case {
    let mut case = new_case(dir);
    let tx = case.begin_import().unwrap();
    let s = source(&tx, "dd");
    for i in 0..accounts {
        let (id, email) = (format!("u{i}"), format!("u{i}@example.com"));
        put(
            &tx,
            RecordKind::Accounts,
            s,
            i as u64 + 2,
            &account(&id, Some(&email), None),
        );
    }
    for (line, (id, ts)) in [("u0", 1), ("u1", 2), ("u0", 3), ("u1", 4)]
        .into_iter()
        .enumerate()
    {
        let event = event(id, ts, None, Some("203.0.113.9"), Some("dev-1"));
        put(&tx, RecordKind::Events, s, line as u64 + 100, &event);
    }
    tx.commit().unwrap();
    case
}

#[test]
fn a_damaged_event_fails_the_read_only_if_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_accounts(&dir, 2);
    case.conn
        .execute_batch(
            "UPDATE event_rows SET account = 999999, ip = 'x' WHERE timestamp_ms = 1;
             UPDATE event_rows SET device = 'y' WHERE timestamp_ms = 2;",
        )
        .unwrap();
    // The first row has no account text: left out before its unreadable IP is looked at, as it always was.
    // The second is read, and its device is no integer id: an error, not a guess.
    let err = case
        .for_each_observation(RecordKind::Events, |_| {})
        .unwrap_err();
    assert!(matches!(err, Error::Sqlite(_)), "{err}");
    case.conn
        .execute(
            "UPDATE event_rows SET device = NULL WHERE timestamp_ms = 2",
            [],
        )
        .unwrap();
    let mut accounts = vec![];
    case.for_each_observation(RecordKind::Events, |o| accounts.push(o.account.to_string()))
        .unwrap();
    assert_eq!(accounts, ["u1", "u0", "u1"]);
}

#[test]
fn a_read_error_after_many_batches_reaches_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_accounts(&dir, 30);
    // A value that is not text, far past the batches the reading thread may have in flight.
    case.conn
        .execute(
            "UPDATE accounts SET email = x'ff', email_canon = x'ff' WHERE account_id = 'u27'",
            [],
        )
        .unwrap();
    let mut seen = 0;
    let err = case
        .for_each_observation(RecordKind::Accounts, |_| seen += 1)
        .unwrap_err();
    assert!(matches!(err, Error::Sqlite(_)), "{err}");
    // The thirteen whole batches before the failing row's (a test batch ends at 24 bytes of text: two of these
    // rows), and nothing after them.
    assert_eq!(seen, 26);
    // Nothing was left open.
    assert!(case.conn.is_autocommit());
    assert_eq!(case.counts().unwrap().accounts, 30);
}

#[test]
fn a_panicking_reader_of_observations_leaves_the_case_usable() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_accounts(&dir, 30);
    let mut calls = 0;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        case.for_each_observation(RecordKind::Accounts, |_| {
            calls += 1;
            assert!(calls < 2, "the caller's own failure");
        })
    }));
    assert!(outcome.is_err());
    assert!(case.conn.is_autocommit());
    assert_eq!(observation_lines(&case).len(), 30 + 4);
}

#[test]
fn observations_come_from_one_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_accounts(&dir, 7);
    let path = dir.path().join("c.ringscope");
    let mut other = Some(Case::open(&path).unwrap());
    let mut accounts = vec![];
    case.for_each_observation_of(&[RecordKind::Accounts, RecordKind::Events], |kind, o| {
        // Another process commits a new account and event while the first batch is being built from.
        if let Some(mut other) = other.take() {
            let tx = other.begin_import().unwrap();
            let s = source(&tx, "ee");
            put(
                &tx,
                RecordKind::Accounts,
                s,
                2,
                &account("late", None, None),
            );
            let event = event("late", 9, None, None, Some("dev-1"));
            put(&tx, RecordKind::Events, s, 3, &event);
            tx.commit().unwrap();
        }
        accounts.push(format!("{kind} {}", o.account));
    })
    .unwrap();
    assert_eq!(accounts.len(), 7 + 4, "{accounts:?}");
    assert!(
        !accounts.iter().any(|a| a.ends_with("late")),
        "{accounts:?}"
    );
    assert_eq!(observation_lines(&case).len(), 8 + 5);
}

#[test]
fn the_reading_connection_cannot_write_and_is_only_ever_this_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = case_with_accounts(&dir, 2);
    let reader = case.reading_connection().expect("the case's own file");
    assert!(reader.execute("DELETE FROM accounts", []).is_err());
    drop(reader);
    // Another case put in this one's place: the read stays on the case's own connection, and its own rows.
    let before = observation_lines(&case);
    case.fold_wal_into_file().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    drop(case_with_accounts(&elsewhere, 5));
    std::fs::rename(
        elsewhere.path().join("c.ringscope"),
        dir.path().join("c.ringscope"),
    )
    .unwrap();
    assert!(case.reading_connection().is_none());
    assert_eq!(observation_lines(&case), before);
}
