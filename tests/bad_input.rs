//! Every kind of bad input gets a clear error naming file, line and column, and leaves the case untouched.

use crate::util::{Sandbox, bad};
use ringscope_ingest::{Error, ImportOptions};
use ringscope_model::RecordKind;

/// Imports `file` expecting failure with `code`; checks the message and that the case did not change.
fn refused(file: &std::path::Path, code: &str, message: &[&str]) {
    let s = Sandbox::new();
    let before = s.state();
    let audit_before = s.open().audit_log().unwrap();
    let run = s.import([file.as_os_str(), "--json".as_ref()]).fails();
    let json = run.json();
    assert_eq!(json[0]["error"]["code"], code, "{json}");
    let text = json[0]["error"]["message"].as_str().unwrap();
    for m in message {
        assert!(text.contains(m), "{file:?}: expected {m:?} in:\n{text}");
    }
    assert_eq!(s.state(), before, "{file:?} changed the case");
    assert_eq!(s.open().audit_log().unwrap(), audit_before);
    assert_eq!(s.open().integrity_check().unwrap(), "ok");
}

#[test]
fn empty_file() {
    refused(
        &bad("empty.csv"),
        "empty_file",
        &["empty.csv: the file is empty"],
    );
}

#[test]
fn header_only() {
    refused(
        &bad("header_only.csv"),
        "no_rows",
        &["header_only.csv:2:1: the file has a header but no data rows"],
    );
}

#[test]
fn missing_required_column() {
    refused(
        &bad("missing_required_column.csv"),
        "unknown_header",
        &[
            "columns found: \"created_at\", \"email\", \"display_name\"",
            "as accounts, fields still needed: account_id",
        ],
    );
}

#[test]
fn duplicate_column_names() {
    refused(
        &bad("duplicate_columns.csv"),
        "duplicate_column",
        &["duplicate_columns.csv:1:3: duplicate column name \"Email\" (first at column 2)"],
    );
}

#[test]
fn ragged_rows() {
    refused(
        &bad("ragged_rows.csv"),
        "bad_rows",
        &[
            "ragged_rows.csv:3:4: [phone] expected 8 fields, found 3",
            "ragged_rows.csv:4:9: expected 8 fields, found 9",
        ],
    );
}

#[test]
fn unterminated_quote() {
    refused(
        &bad("unterminated_quote.csv"),
        "unterminated_quote",
        &["unterminated_quote.csv:2:5: unterminated quoted field"],
    );
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let bytes = std::fs::read(bad("invalid_utf8.csv")).unwrap();
    let offset = bytes.iter().position(|&b| b == 0xE9).unwrap();
    refused(
        &bad("invalid_utf8.csv"),
        "invalid_utf8",
        &[
            "invalid_utf8.csv:2:",
            &format!("invalid UTF-8 at byte offset {offset}"),
        ],
    );
}

#[test]
fn binary_file_renamed_csv() {
    refused(
        &bad("binary_renamed.csv"),
        "binary_file",
        &["binary_renamed.csv:", "this does not look like a CSV file"],
    );
}

#[test]
fn crlf_line_numbers_are_right() {
    refused(
        &bad("crlf_bad_row.csv"),
        "bad_rows",
        &["crlf_bad_row.csv:4:2: [timestamp] invalid timestamp \"not-a-date\""],
    );
}

#[test]
fn ambiguous_required_dates_ask_for_a_format() {
    refused(
        &bad("ambiguous_dates.csv"),
        "bad_rows",
        &[
            "ambiguous_dates.csv:2:2: [timestamp] timestamp \"03/04/2026 10:00\" reads as two different days",
            "name the column's format in a mapping (timestamp_formats)",
            "ambiguous_dates.csv:3:2:",
        ],
    );
}

#[test]
fn unknown_and_contradicting_currencies_are_refused_not_guessed() {
    refused(
        &bad("bad_payments.csv"),
        "bad_rows",
        &[
            "bad_payments.csv: 4 bad row(s)",
            "bad_payments.csv:3:3: [amount] invalid amount \"12.505\": more than 2 decimals for USD",
            "bad_payments.csv:4:3: [amount] invalid amount \"€5\": € is not the row's currency USD",
            "bad_payments.csv:5:4: [currency] invalid currency \"dollars\"",
            "bad_payments.csv:6:4: [currency] unknown currency \"XYZ\": not an ISO 4217 currency",
        ],
    );
}

#[test]
fn optional_values_that_do_not_normalize_cost_no_row() {
    let s = Sandbox::new();
    let run = s
        .import([bad("optional_values.csv").as_os_str(), "--json".as_ref()])
        .ok();
    let report = &run.json()[0]["report"];
    assert_eq!(report["rows"]["imported"], 3);
    assert_eq!(report["rows"]["rejected"], 0);
    let kept: Vec<(String, u64)> = report["kept_verbatim"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["field"].as_str().unwrap().to_string(),
                k["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let kept: Vec<(&str, u64)> = kept.iter().map(|(f, n)| (f.as_str(), *n)).collect();
    assert_eq!(
        kept,
        [
            ("created_at", 1),
            ("email", 2),
            ("phone", 3),
            ("country", 1)
        ]
    );
    let phone_examples: Vec<String> = report["kept_verbatim"][2]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}",
                e["file"].as_str().unwrap(),
                e["line"],
                e["column"]
            )
        })
        .collect();
    assert_eq!(
        phone_examples,
        [
            "optional_values.csv:2:4",
            "optional_values.csv:3:4",
            "optional_values.csv:4:4"
        ]
    );
    let q = |sql: &str| s.query_string(sql);
    assert_eq!(
        q("SELECT group_concat(coalesce(phone, '-'), ' ') FROM accounts ORDER BY account_id")
            .unwrap(),
        "+12220196219 +15550109999 -"
    );
    assert_eq!(
        q("SELECT group_concat(coalesce(email, '-'), ' ') FROM accounts ORDER BY account_id")
            .unwrap(),
        "jane@x - +cmd@evil.example"
    );
    assert_eq!(
        q("SELECT group_concat(coalesce(country, '-'), ' ') FROM accounts ORDER BY account_id")
            .unwrap(),
        "US - GB"
    );
    assert_eq!(
        s.original(RecordKind::Accounts, "o2", "country"),
        "Atlantis",
        "the value stays verbatim in the record's original row"
    );
    // Nothing in the file is a bad row, so strict mode has nothing to refuse; the audit log keeps the counts.
    let audit = s.open().audit_log().unwrap();
    let import = audit.iter().find(|e| e.action == "import").unwrap();
    assert_eq!(
        import.details["kept_verbatim"]["phone"], 3,
        "{:?}",
        import.details
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let s = Sandbox::new();
    s.import([bad("bom.csv")]).ok();
    assert_eq!(
        s.query_string("SELECT account_id FROM accounts").unwrap(),
        "u1",
        "the BOM is not part of the first column name"
    );
    s.import([bad("crlf.csv")]).ok();
    assert_eq!(
        s.query_string("SELECT display_name FROM accounts WHERE account_id = 'u2'")
            .unwrap(),
        "Multi\nline"
    );
    assert_eq!(
        s.query_string("SELECT CAST(line AS TEXT) FROM accounts WHERE account_id = 'u2'")
            .unwrap(),
        "3"
    );
}

#[test]
fn a_50_mb_field_is_refused_without_trouble() {
    let s = Sandbox::new();
    let mut data = b"account_id,created_at,email,phone,display_name,country,role,status\nu1,,a@example.com,,ok,US,fan,active\nu2,,b@example.com,,".to_vec();
    data.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
    data.extend(b",US,fan,active\nu3,,c@example.com,,ok,US,fan,active\n");
    let file = s.write("huge_field.csv", data);
    let before = s.state();
    let run = s.import([&file]).fails();
    assert!(run.stderr.contains("huge_field.csv:3:5: [display_name] field is 52428800 bytes, over the 1048576 byte limit"), "{}", run.stderr);
    assert_eq!(s.state(), before);
}

#[test]
fn a_file_that_disappears_while_read_is_refused() {
    let s = Sandbox::new();
    let path = s.write(
        "vanishing.csv",
        format!("account_id,email\n{}", "u1,a@example.com\n".repeat(100_000)),
    );
    let len = std::fs::metadata(&path).unwrap().len();
    /// Deletes the file once the first chunk has been read, as a sync client or a cleanup job might.
    struct Vanishing {
        file: std::fs::File,
        path: std::path::PathBuf,
        reads: usize,
    }
    impl std::io::Read for Vanishing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            if self.reads == 2 {
                std::fs::remove_file(&self.path)?;
            }
            self.file.read(buf)
        }
    }
    let reader = Vanishing {
        file: std::fs::File::open(&path).unwrap(),
        path: path.clone(),
        reads: 0,
    };
    let err = ringscope_ingest::read_checked(&path, reader, len, &mut |_| {})
        .err()
        .unwrap();
    assert!(matches!(err, Error::ChangedWhileReading { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("vanishing.csv: the file changed or disappeared while it was being read"),
        "{err}"
    );

    // And a read that fails outright names the file.
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("device not ready"))
        }
    }
    let err = ringscope_ingest::read_checked(&path, Failing, len, &mut |_| {})
        .err()
        .unwrap();
    assert_eq!(err.code(), "io");
    assert!(
        err.to_string().contains("vanishing.csv: device not ready"),
        "{err}"
    );
}

#[test]
fn cancelling_leaves_the_case_untouched() {
    let s = Sandbox::new();
    let path = s.write(
        "many.csv",
        format!(
            "account_id,email\n{}",
            (0..20_000)
                .map(|i| format!("u{i},a{i}@example.com\n"))
                .collect::<String>()
        ),
    );
    let before = s.state();
    let mut case = s.open();
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let mut opts = ImportOptions::new("tester", "2026-11-24T00:00:00Z");
    opts.cancel = Some(&cancel);
    let err = ringscope_ingest::import_file(&mut case, &path, &opts, &mut |_| {})
        .err()
        .unwrap();
    assert!(matches!(err, Error::Cancelled));
    drop(case);
    assert_eq!(s.state(), before);
}

#[test]
fn missing_file_and_not_a_case() {
    let s = Sandbox::new();
    let run = s.import([s.dir.path().join("nope.csv")]).fails();
    assert!(
        run.stderr.contains("nope.csv: No such file"),
        "{}",
        run.stderr
    );
    let not_case = s.write(
        "notes.txt",
        "just some notes, definitely not a database file at all..............",
    );
    let run = crate::util::ringscope([
        "import".as_ref(),
        not_case.as_os_str(),
        bad("bom.csv").as_os_str(),
    ])
    .fails();
    assert!(
        run.stderr.contains("notes.txt: not a Ringscope case file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failed_case_init_leaves_nothing_that_blocks_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("full-disk.ringscope");
    // A file-size limit of 8 KiB makes SQLite's writes fail as on a full disk; SIGXFSZ is ignored so the
    // write returns an error instead of killing the process.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 16; exec \"$0\" case init \"$1\" --title Full")
        .arg(env!("CARGO_BIN_EXE_ringscope"))
        .arg(&case)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: case database error"), "{stderr}");
    assert!(!case.exists(), "a failed init left {case:?} behind");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    crate::util::ringscope([
        "case".as_ref(),
        "init".as_ref(),
        case.as_os_str(),
        "--title".as_ref(),
        "Full".as_ref(),
    ])
    .ok();
}

#[test]
fn a_sqlite_message_is_printed_once() {
    let s = Sandbox::new();
    // Garbage over the pages past the header: SQLite opens the file, then finds its tables malformed.
    let mut bytes = std::fs::read(&s.case).unwrap();
    let end = bytes.len().min(5 * 4096);
    bytes[2 * 4096..end].fill(0xff);
    std::fs::write(&s.case, bytes).unwrap();
    let run =
        crate::util::ringscope(["case".as_ref(), "info".as_ref(), s.case.as_os_str()]).fails();
    assert_eq!(
        run.stderr.matches("malformed").count(),
        1,
        "the chain repeats SQLite's text: {}",
        run.stderr
    );
    let run = s.import([bad("bom.csv")]).fails();
    assert_eq!(run.stderr.matches("malformed").count(), 1, "{}", run.stderr);
}
