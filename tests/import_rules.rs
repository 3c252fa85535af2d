//! How rows become records: normalization, merges and conflicts, strict and lenient modes.

use crate::util::{Sandbox, bad};

const ACCOUNTS: &str = "account_id,created_at,email,phone,display_name,country,role,status\n";

#[test]
fn values_are_normalized_for_linking_and_kept_verbatim_for_evidence() {
    let s = Sandbox::new();
    let file = s.write(
        "accounts.csv",
        format!(
            "{ACCOUNTS}u1,2026-03-01T10:00:00+02:00, J.Doe+Fans@GoogleMail.com ,(415) 555-2671,Jo,us,Fan,Active\n\
             u2,1772359200,jdoe@gmail.com,+44 20 7946 0958,Jo2,GB,fan,banned\n\
             u3,1772359200123,x@example.org,,,,creator,\n"
        ),
    );
    s.import([&file]).ok();
    let q = |sql: &str| s.query_string(sql);
    assert_eq!(
        q("SELECT email FROM accounts WHERE account_id='u1'").unwrap(),
        "j.doe+fans@googlemail.com"
    );
    assert_eq!(
        q("SELECT email_canon FROM accounts WHERE account_id='u1'"),
        q("SELECT email_canon FROM accounts WHERE account_id='u2'")
    );
    assert_eq!(
        q("SELECT phone FROM accounts WHERE account_id='u1'").unwrap(),
        "+14155552671"
    );
    assert_eq!(
        q("SELECT phone FROM accounts WHERE account_id='u2'").unwrap(),
        "+442079460958"
    );
    assert_eq!(
        q("SELECT country || '/' || role || '/' || status FROM accounts WHERE account_id='u1'")
            .unwrap(),
        "US/fan/active"
    );
    assert_eq!(
        q("SELECT CAST(created_at_ms AS TEXT) FROM accounts WHERE account_id='u1'").unwrap(),
        "1772352000000"
    );
    assert_eq!(
        q("SELECT CAST(created_at_ms AS TEXT) FROM accounts WHERE account_id='u2'").unwrap(),
        "1772359200000"
    );
    assert_eq!(
        q("SELECT CAST(created_at_ms AS TEXT) FROM accounts WHERE account_id='u3'").unwrap(),
        "1772359200123"
    );
    assert_eq!(
        q("SELECT display_name FROM accounts WHERE account_id='u3'"),
        None,
        "blank is NULL, not ''"
    );
    // The original text is kept, untouched, for evidence.
    assert_eq!(
        q("SELECT json_extract(raw, '$.email') FROM accounts WHERE account_id='u1'").unwrap(),
        " J.Doe+Fans@GoogleMail.com "
    );
    assert_eq!(
        q("SELECT json_extract(raw, '$.created_at') FROM accounts WHERE account_id='u1'").unwrap(),
        "2026-03-01T10:00:00+02:00"
    );
}

#[test]
fn events_ips_and_timestamps() {
    let s = Sandbox::new();
    let file = s.write(
        "events.csv",
        "user_id,ts,ip_address,device_id,event\n\
         u1,2026-03-01 10:00:00,::ffff:192.0.2.7,d1,Login\n\
         u1,2026-03-01T10:00:00Z,2001:DB8::1,d1,login\n",
    );
    s.import([&file]).ok();
    let q = |sql: &str| s.query_string(sql);
    assert_eq!(
        q("SELECT ip FROM events WHERE line = 2").unwrap(),
        "192.0.2.7"
    );
    assert_eq!(
        q("SELECT ip FROM events WHERE line = 3").unwrap(),
        "2001:db8::1"
    );
    assert_eq!(
        q("SELECT CAST(count(DISTINCT timestamp_ms) AS TEXT) FROM events").unwrap(),
        "1",
        "both forms are the same instant"
    );
    assert_eq!(
        q("SELECT event_type FROM events WHERE line = 2").unwrap(),
        "login"
    );
}

#[test]
fn money_is_integer_minor_units_with_currency() {
    let s = Sandbox::new();
    let file = s.write(
        "payments.csv",
        "payment_id,created_at,amount,currency,account_id,disputed_amount\n\
         p1,2026-01-01 10:00:00,12.50,usd,u1,\n\
         p2,2026-01-01 10:00:00,\"1,500\",JPY,u1,1500\n\
         p3,2026-01-01 10:00:00,0.1,EUR,u1,0.10\n",
    );
    s.import([&file]).ok();
    let q = |sql: &str| s.query_string(sql);
    assert_eq!(
        q("SELECT CAST(amount_minor AS TEXT) || currency FROM payments WHERE payment_id='p1'")
            .unwrap(),
        "1250USD"
    );
    assert_eq!(
        q("SELECT CAST(amount_minor AS TEXT) || currency FROM payments WHERE payment_id='p2'")
            .unwrap(),
        "1500JPY"
    );
    assert_eq!(
        q("SELECT CAST(disputed_amount_minor AS TEXT) FROM payments WHERE payment_id='p3'")
            .unwrap(),
        "10"
    );
    assert_eq!(
        q("SELECT typeof(amount_minor) FROM payments WHERE payment_id='p3'").unwrap(),
        "integer"
    );
}

#[test]
fn strict_mode_lists_every_bad_row_and_writes_nothing() {
    let s = Sandbox::new();
    let before = s.state();
    let run = s.import([bad("bad_values.csv")]).fails();
    let e = &run.stderr;
    assert!(
        e.contains("bad_values.csv: 4 bad row(s); nothing was imported"),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:2:3: [email] invalid email \"not-an-email\""),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:3:2: [created_at] invalid timestamp \"yesterday\""),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:4:4: [phone] invalid phone number \"12\""),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:4:6: [country] invalid country \"USA\""),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:6:1: [account_id] required field account_id is empty"),
        "{e}"
    );
    assert_eq!(s.state(), before);

    let run = s
        .import([bad("bad_payments.csv").as_os_str(), "--json".as_ref()])
        .fails();
    let json = run.json();
    assert_eq!(json[0]["error"]["code"], "bad_rows");
    let rows: Vec<(u64, u64)> = json[0]["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(rows, vec![(3, 3), (4, 3), (5, 4)]);
    assert_eq!(s.state(), before);
}

#[test]
fn allow_rejects_imports_good_rows_and_keeps_the_bad_ones() {
    let s = Sandbox::new();
    let run = s
        .import([
            bad("bad_values.csv").as_os_str(),
            "--allow-rejects".as_ref(),
        ])
        .ok();
    assert!(
        run.stdout
            .contains("5 rows read, 1 imported, 0 duplicate (0 conflicting), 4 rejected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("rejected bad_values.csv:3:2: [created_at] invalid timestamp"),
        "{}",
        run.stdout
    );
    let case = s.open();
    assert_eq!(case.counts().unwrap().accounts, 1);
    let rejects = case.rejects(None).unwrap();
    assert_eq!(rejects.len(), 5, "one per bad value: line 4 has two");
    assert_eq!(
        (
            rejects[0].line,
            rejects[0].column,
            rejects[0].field.as_deref()
        ),
        (2, Some(3), Some("email"))
    );
    let source = &case.sources().unwrap()[0];
    assert_eq!(
        (source.rows.read, source.rows.imported, source.rows.rejected),
        (5, 1, 4)
    );
}

#[test]
fn repeated_records_merge_and_conflicts_are_recorded() {
    let s = Sandbox::new();
    let a = s.write("a.csv", format!("{ACCOUNTS}u1,2026-01-01T00:00:00Z,a@example.com,,Ann,US,fan,active\nu2,,b@example.com,,,US,fan,active\n"));
    let b = s.write("b.csv", format!("{ACCOUNTS}u2,2026-02-01T00:00:00Z,b@example.com,,Bea,US,fan,banned\nu3,,c@example.com,,,US,fan,active\nu3,,c@example.com,,,US,fan,active\n"));
    s.import([&a]).ok();
    let run = s.import([b.as_os_str(), "--json".as_ref()]).ok().json();
    let report = &run[0]["report"];
    assert_eq!(report["rows"]["imported"], 1);
    assert_eq!(report["rows"]["duplicate"], 2);
    assert_eq!(report["rows"]["conflicting"], 1);
    assert_eq!(report["conflicts"][0]["key"], "u2");
    assert_eq!(report["conflicts"][0]["field"], "status");
    assert_eq!(report["conflicts"][0]["kept"], "active");
    assert_eq!(report["conflicts"][0]["new"], "banned");
    assert_eq!(report["conflicts"][0]["kept_line"], 3);

    let case = s.open();
    assert_eq!(case.counts().unwrap().accounts, 3);
    assert_eq!(
        s.query_string("SELECT status FROM accounts WHERE account_id='u2'")
            .unwrap(),
        "active",
        "first value kept"
    );
    assert_eq!(
        s.query_string("SELECT display_name FROM accounts WHERE account_id='u2'")
            .unwrap(),
        "Bea",
        "empty field filled"
    );
    let conflicts = case.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!((conflicts[0].source_id, conflicts[0].line), (2, 2));
    let p = case
        .provenance(ringscope_model::RecordKind::Accounts, "u2")
        .unwrap()
        .unwrap();
    assert_eq!((p.file_name.as_str(), p.line), ("a.csv", 3));
    assert_eq!(p.sightings, vec![("b.csv".to_string(), 2)]);
}

#[test]
fn older_stripe_layout_is_recognized() {
    let s = Sandbox::new();
    let file = s.write(
        "unified_payments.csv",
        "id,Created,Amount,Currency,Status,Card Type,Card Fingerprint,Customer Email,Seller Message,fan_id (metadata)\n\
         ch_1,2024-05-01 09:30:00,4.99,usd,Paid,Visa,fpAAAA,A@Example.com,Payment complete.,u9\n",
    );
    let run = s.import([file.as_os_str(), "--json".as_ref()]).ok().json();
    assert_eq!(
        run[0]["report"]["detected_as"],
        "Stripe payments export (older layout)"
    );
    assert_eq!(
        s.query_string(
            "SELECT card_brand || '/' || account_id || '/' || customer_email_canon FROM payments"
        )
        .unwrap(),
        "visa/u9/a@example.com"
    );
}

#[test]
fn unknown_header_names_columns_and_missing_fields_and_kind_narrows_it() {
    let s = Sandbox::new();
    let file = s.write("vendor.csv", "uid,when,addr\nu1,2026-01-01,1.2.3.4\n");
    let run = s.import([&file]).fails();
    assert!(
        run.stderr
            .contains("columns found: \"uid\", \"when\", \"addr\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("as events, fields still needed: account_id, timestamp"),
        "{}",
        run.stderr
    );
    let run = s
        .import([file.as_os_str(), "--kind".as_ref(), "events".as_ref()])
        .fails();
    assert!(!run.stderr.contains("as payments"), "{}", run.stderr);
    let mapping = s.write("vendor.toml", "kind = \"events\"\n[columns]\naccount_id = \"uid\"\ntimestamp = \"when\"\nip = \"addr\"\n[defaults]\nevent_type = \"login\"\n");
    s.import([file.as_os_str(), "--mapping".as_ref(), mapping.as_os_str()])
        .ok();
    assert_eq!(
        s.query_string("SELECT event_type || ' ' || ip FROM events")
            .unwrap(),
        "login 1.2.3.4"
    );
    let wrong = s.write(
        "wrong.toml",
        "kind = \"events\"\n[columns]\naccount = \"uid\"\n",
    );
    let run = s
        .import([file.as_os_str(), "--mapping".as_ref(), wrong.as_os_str()])
        .fails();
    assert!(
        run.stderr.contains("\"account\" is not a field of events"),
        "{}",
        run.stderr
    );
}
