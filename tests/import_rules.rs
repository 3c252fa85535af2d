//! How rows become records: normalization, merges and conflicts, strict and lenient modes.

use crate::util::{Sandbox, bad, fixtures};
use ringscope_model::RecordKind;

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
        s.original(RecordKind::Accounts, "u1", "email"),
        " J.Doe+Fans@GoogleMail.com "
    );
    assert_eq!(
        s.original(RecordKind::Accounts, "u1", "created_at"),
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
        e.contains("bad_values.csv: 1 bad row(s); nothing was imported"),
        "{e}"
    );
    assert!(
        e.contains("bad_values.csv:6:1: [account_id] required field account_id is empty"),
        "{e}"
    );
    assert!(
        !e.contains("invalid email"),
        "an optional value is never a bad row: {e}"
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
    assert_eq!(rows, vec![(3, 3), (4, 3), (5, 4), (6, 4)]);
    assert_eq!(s.state(), before);
}

#[test]
fn allow_rejects_imports_good_rows_and_keeps_the_bad_ones_verbatim() {
    let s = Sandbox::new();
    let run = s
        .import([
            bad("bad_values.csv").as_os_str(),
            "--allow-rejects".as_ref(),
        ])
        .ok();
    let out = &run.stdout;
    assert!(
        out.contains("5 rows read, 4 imported, 0 duplicate (0 conflicting), 1 rejected"),
        "{out}"
    );
    assert!(
        out.contains(
            "rejected bad_values.csv:6:1: [account_id] required field account_id is empty"
        ),
        "{out}"
    );
    assert!(
        out.contains("values kept verbatim but not normalized (their rows were imported): 1 created_at, 1 email, 1 phone"),
        "{out}"
    );
    assert!(
        out.contains("bad_values.csv:3:2: [created_at] invalid timestamp \"yesterday\""),
        "{out}"
    );
    let case = s.open();
    assert_eq!(case.counts().unwrap().accounts, 4);
    let rejects = case.rejects(None).unwrap();
    assert_eq!(rejects.len(), 1);
    assert_eq!(
        (
            rejects[0].line,
            rejects[0].column,
            rejects[0].field.as_deref()
        ),
        (6, Some(1), Some("account_id"))
    );
    assert_eq!(
        rejects[0].row_text.as_deref(),
        Some(",2026-01-05T00:00:00Z,e@example.com,,Ed,US,fan,active"),
        "the rejected row is kept exactly as the file has it"
    );
    let source = &case.sources().unwrap()[0];
    assert_eq!(
        (source.rows.read, source.rows.imported, source.rows.rejected),
        (5, 4, 1)
    );
}

#[test]
fn rejected_rows_keep_their_text_even_when_ragged_quoted_or_crlf() {
    let s = Sandbox::new();
    let file = s.write(
        "rows.csv",
        "payment_id,created_at,amount,currency\r\n\
         p1,2026-01-01 10:00:00,1.00,USD\r\n\
         p2,2026-01-01 10:00:00,\"2.\r\n00\",USD\r\n\
         p3,2026-01-01 10:00:00\r\n\
         p4,2026-01-01 10:00:00,4.00,XYZ",
    );
    s.import([file.as_os_str(), "--allow-rejects".as_ref()])
        .ok();
    let texts: Vec<(i64, Option<String>)> = s
        .open()
        .rejects(None)
        .unwrap()
        .into_iter()
        .map(|r| (r.line, r.row_text))
        .collect();
    assert_eq!(
        texts,
        [
            (3, Some("p2,2026-01-01 10:00:00,\"2.\r\n00\",USD".into())),
            (5, Some("p3,2026-01-01 10:00:00".into())),
            (6, Some("p4,2026-01-01 10:00:00,4.00,XYZ".into())),
        ]
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

fn messy(name: &str) -> std::path::PathBuf {
    fixtures().join("messy").join(name)
}

fn kept_counts(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["kept_verbatim"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["field"].as_str().unwrap().to_string(),
                k["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Every record of a messy multi-country export is imported in strict mode, its values read as far as they
/// reasonably can be, and the rest kept verbatim and reported.
#[test]
fn a_messy_multi_country_export_loses_no_record() {
    let s = Sandbox::new();
    let run = s
        .import([
            messy("accounts.csv").as_os_str(),
            messy("payments.csv").as_os_str(),
            messy("events.csv").as_os_str(),
            "--json".as_ref(),
        ])
        .ok();
    let json = run.json();
    let (accounts, payments, events) = (&json[0]["report"], &json[1]["report"], &json[2]["report"]);
    assert_eq!(accounts["rows"]["imported"], 12);
    assert_eq!(payments["rows"]["imported"], 6);
    assert_eq!(events["rows"]["imported"], 3);
    let owned = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(f, n)| (f.to_string(), *n)).collect()
    };
    assert_eq!(
        kept_counts(accounts),
        owned(&[
            ("created_at", 1),
            ("email", 2),
            ("phone", 4),
            ("country", 1)
        ])
    );
    assert_eq!(kept_counts(payments), owned(&[("disputed_amount", 1)]));
    assert_eq!(kept_counts(events), owned(&[("ip", 1)]));
    assert_eq!(
        payments["kept_verbatim"][0]["examples"][0]["reason"],
        "invalid amount \"€9.99\": € is not the row's currency USD; kept verbatim, not normalized"
    );

    let q = |sql: &str| s.query_string(sql).unwrap_or_default();
    let account = |id: &str, column: &str| {
        q(&format!(
            "SELECT CAST({column} AS TEXT) FROM accounts WHERE account_id = '{id}'"
        ))
    };
    // Phones: every format of one number is one value; national numbers read in the row's own country.
    for id in ["m01", "m02"] {
        assert_eq!(account(id, "phone"), "+14155552671", "{id}");
    }
    assert_eq!(
        account("m03", "phone"),
        "+14155552671;ext=12",
        "the extension is kept"
    );
    assert_eq!(
        account("m04", "phone"),
        "+442079460958",
        "020 ... on a GB row is a London number"
    );
    assert_eq!(account("m05", "phone"), "+442079460958");
    assert_eq!(
        account("m10", "phone"),
        "+49301234567",
        "030 ... on a Deutschland row is a Berlin number"
    );
    // Numbers that parse but are not assigned still link by their digits.
    assert_eq!(account("m06", "phone"), "+12220196219");
    assert_eq!(account("m07", "phone"), "+12220196219");
    assert_eq!(account("m08", "phone"), "+15550109999");
    assert_eq!(account("m09", "phone"), "");
    // Emails.
    assert_eq!(account("m02", "email"), "jane.roe@mail.example");
    assert_eq!(account("m09", "email"), "+cmd@evil.example");
    assert_eq!(account("m11", "email_canon"), "jo@x");
    assert_eq!(account("m08", "email"), "");
    // Countries.
    let countries = q(
        "SELECT group_concat(coalesce(country, '-'), ' ') FROM (SELECT country FROM accounts ORDER BY account_id)",
    );
    assert_eq!(countries, "US US US GB GB US US US - DE DE FR");
    // Timestamps: US, RFC 2822, day-first with dots, and 03/04 read month-first because 11/25 in the same
    // column proves the order.
    let nov_25 = "1795615380000";
    for id in ["m01", "m02", "m03", "m04", "m10"] {
        assert_eq!(account(id, "created_at_ms"), nov_25, "{id}");
    }
    assert_eq!(account("m11", "created_at_ms"), "");
    assert_eq!(
        account("m12", "created_at_ms"),
        "1772614800000",
        "2026-03-04T09:00:00Z"
    );
    // Money.
    let minor = |id: &str| {
        q(&format!(
            "SELECT CAST(amount_minor AS TEXT) || currency FROM payments WHERE payment_id = '{id}'"
        ))
    };
    assert_eq!(minor("pm1"), "1250EUR");
    assert_eq!(minor("pm2"), "999USD");
    assert_eq!(minor("pm3"), "1250USD");
    assert_eq!(minor("pm4"), "123456EUR");
    assert_eq!(minor("pm6"), "500JPY");
    assert_eq!(
        q(
            "SELECT coalesce(CAST(disputed_amount_minor AS TEXT), '-') FROM payments WHERE payment_id = 'pm5'"
        ),
        "-"
    );
    assert_eq!(
        s.original(RecordKind::Payments, "pm5", "disputed_amount"),
        "€9.99"
    );
    // One device, three spellings.
    assert_eq!(
        q("SELECT group_concat(DISTINCT device_id) FROM events"),
        "f5c46179-d033-020e-b5b4-34d228ff094e"
    );
    assert_eq!(
        s.original(
            RecordKind::Events,
            &q("SELECT CAST(id AS TEXT) FROM events WHERE account_id = 'm01'"),
            "device_id"
        ),
        "{F5C46179-D033-020E-B5B4-34D228FF094E}"
    );
}

#[test]
fn import_text_reports_values_kept_verbatim_with_their_position() {
    let s = Sandbox::new();
    let run = s.import([messy("accounts.csv")]).ok();
    let out = &run.stdout;
    assert!(
        out.contains("values kept verbatim but not normalized (their rows were imported): 1 created_at, 2 email, 4 phone, 1 country"),
        "{out}"
    );
    for line in [
        "accounts.csv:12:2: [created_at] invalid timestamp \"sometime\"",
        "accounts.csv:7:4: [phone] invalid phone number \"+12220196219\": not a valid number for its region; kept verbatim, linked as +12220196219",
        "accounts.csv:10:4: [phone] invalid phone number \"n/a\"",
        "accounts.csv:9:3: [email] invalid email \"not-an-email\"; kept verbatim, not normalized",
        "accounts.csv:12:3: [email] invalid email \"Jo <jo@x>\"; kept verbatim, linked as jo@x",
        "accounts.csv:10:6: [country] unrecognized country \"Narnia\"",
    ] {
        assert!(out.contains(line), "expected {line:?} in:\n{out}");
    }
}

#[test]
fn a_mapping_names_the_timestamp_format_and_number_convention() {
    let s = Sandbox::new();
    let run = s
        .import([
            messy("payments_eu.csv").as_os_str(),
            "--mapping".as_ref(),
            messy("payments_eu.mapping.toml").as_os_str(),
        ])
        .ok();
    assert!(run.stdout.contains("3 imported"), "{}", run.stdout);
    let q = |sql: &str| s.query_string(sql).unwrap();
    assert_eq!(
        q(
            "SELECT group_concat(amount_minor, ' ') FROM (SELECT amount_minor FROM payments ORDER BY payment_id)"
        ),
        "125000 1250 123456",
        "1.250 is twelve hundred and fifty euros"
    );
    assert_eq!(
        q(
            "SELECT group_concat(created_at_ms, ' ') FROM (SELECT created_at_ms FROM payments ORDER BY payment_id)"
        ),
        "1775210400000 1772618400000 1775383200000",
        "03/04/2026 is the 3rd of April"
    );
    // Saved with the formats: the next export with the same header imports the same way without --mapping.
    let next = s.write(
        "payments_eu_2.csv",
        "Buchung,Zeit,Betrag,Waehrung,Kunde\neu4,01/02/2026 10:00,\"2.000\",EUR,m10\n",
    );
    s.import([&next]).ok();
    assert_eq!(
        q(
            "SELECT CAST(amount_minor AS TEXT) || ' ' || created_at_ms FROM payments WHERE payment_id = 'eu4'"
        ),
        "200000 1769940000000"
    );
}

#[test]
fn two_processes_importing_the_same_file_both_end_cleanly() {
    let s = Sandbox::new();
    let rows: String = (0..60_000)
        .map(|i| {
            format!("u{i},2026-01-01T00:00:00Z,user{i}@mail.example,,name {i},US,fan,active\n")
        })
        .collect();
    let file = s.write("big.csv", format!("{ACCOUNTS}{rows}"));
    let spawn = || {
        crate::util::ringscope_command()
            .args(["import".as_ref(), s.case.as_os_str(), file.as_os_str()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    for out in &outputs {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{text}");
        assert!(!text.contains("UNIQUE constraint"), "{text}");
    }
    let said: Vec<String> = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .collect();
    assert_eq!(
        said.iter()
            .filter(|o| o.contains("already in the case"))
            .count(),
        1,
        "{said:?}"
    );
    let case = s.open();
    assert_eq!(case.counts().unwrap().accounts, 60_000);
    assert_eq!(case.sources().unwrap().len(), 1);
}

#[test]
fn import_text_shows_control_characters_in_case_data_as_code_points() {
    let s = Sandbox::new();
    let file = s.write(
        "hostile.csv",
        "account_id,email,phone,status\n\
         u\u{202e}1,x\u{1b}]0;pwned\u{7}@evil.example,n/a,active\n\
         u\u{202e}1,,,ban\u{1b}[2Jned\n\
         ,a@b.example,,\n",
    );
    let run = s
        .import([file.as_os_str(), "--allow-rejects".as_ref()])
        .ok();
    let out = &run.stdout;
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!out.contains(raw), "{raw:?} printed raw: {out:?}");
    }
    assert!(
        out.contains("conflict hostile.csv:3: u⟨U+202E⟩1 status"),
        "{out}"
    );
    assert!(
        out.contains("hostile.csv:2:2: [email] invalid email"),
        "{out}"
    );
}

/// `ringscope row CASE file:line` shows the original values behind any reference: an imported row (in the file's
/// column order, hostile text as it was), a row repeating a record, and a rejected row with its reason.
#[test]
fn a_file_line_reference_opens_the_original_row() {
    let s = Sandbox::new();
    let file = s.write(
        "rows.csv",
        "payment_id,created_at,amount,currency,account_id\n\
         p1,2026-01-01 10:00:00,1.00,USD,\u{202e}u1\n\
         p1,2026-01-01 10:00:00,1.00,USD,\u{202e}u1\n\
         p3,2026-01-01 10:00:00,4.00,XYZ,u2\n",
    );
    s.import([file.as_os_str(), "--allow-rejects".as_ref()])
        .ok();
    let case = s.case.to_str().unwrap();
    let row = |reference: &str| {
        crate::util::ringscope(["row", case, reference, "--json"])
            .ok()
            .json()
    };
    let imported = row("rows.csv:2");
    assert_eq!(imported[0]["fate"], "imported");
    assert_eq!(
        imported[0]["values"][0],
        serde_json::json!(["payment_id", "p1"])
    );
    assert_eq!(imported[0]["values"][4][1], "\u{202e}u1");
    let repeated = row("rows.csv:3");
    assert_eq!(repeated[0]["fate"], "repeated");
    assert_eq!(
        repeated[0]["note"],
        "repeats the record first seen at rows.csv:2"
    );
    let rejected = row("rows.csv:4:3");
    assert_eq!(rejected[0]["fate"], "rejected");
    assert_eq!(
        rejected[0]["values"][0][1],
        "p3,2026-01-01 10:00:00,4.00,XYZ,u2"
    );
    let missing = crate::util::ringscope(["row", case, "rows.csv:99", "--json"]).fails();
    assert_eq!(missing.json()["code"], "not_found");
    // Text mode shows the bidi control as a visible code point, never raw.
    let text = crate::util::ringscope(["row", case, "rows.csv:2"])
        .ok()
        .stdout;
    assert!(
        text.contains("U+202E") && !text.contains('\u{202e}'),
        "{text}"
    );
}
