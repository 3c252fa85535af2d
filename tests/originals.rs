//! The case keeps every imported file's bytes: records read their original rows back from them, and the files
//! rebuild to the SHA-256 recorded at import.

use crate::util::{Sandbox, ringscope, sample_case};
use ringscope_model::RecordKind;

fn verify(s: &Sandbox) -> crate::util::Run {
    ringscope(["case".as_ref(), "verify".as_ref(), s.case.as_os_str()])
}

fn verify_json(s: &Sandbox) -> crate::util::Run {
    ringscope([
        "case".as_ref(),
        "verify".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
    ])
}

#[test]
fn every_imported_file_rebuilds_to_its_recorded_sha256() {
    let s = sample_case();
    let out = verify(&s).ok().stdout;
    assert_eq!(out.matches("kept, SHA-256 matches").count(), 3, "{out}");
    let rebuilt = verify_json(&s).ok().json();
    assert_eq!(rebuilt.as_array().unwrap().len(), 3);
    assert_eq!(rebuilt[0]["file_name"], "accounts.csv");
    assert_eq!(rebuilt[0]["state"], "matches");

    // Kept bytes that no longer match the recorded hash (two chunks swapped) are reported, and the exit code says so.
    let conn = s.open();
    let c = conn.connection_for_tests();
    c.execute_batch(
        "UPDATE source_chunks SET start = -1 WHERE source_id = 2 AND start = 0;
         UPDATE source_chunks SET start = 0 WHERE source_id = 2 AND start = 131072;
         UPDATE source_chunks SET start = 131072 WHERE source_id = 2 AND start = -1;",
    )
    .unwrap();
    let out = verify(&s).fails().stdout;
    assert!(
        out.contains("#2 payments.csv") && out.contains("DIFFERS"),
        "{out}"
    );
    // A damaged chunk does not decompress: reported as unreadable, and reading a row from it is an error, not a
    // wrong value.
    c.execute(
        "UPDATE source_chunks SET data = x'00' WHERE source_id = 1 AND start = 0",
        [],
    )
    .unwrap();
    // A tampered size must not decide an allocation: an error, not an abort.
    c.execute(
        "UPDATE source_chunks SET size = 9223372036854775807 WHERE source_id = 1 AND start = 131072",
        [],
    )
    .unwrap();
    assert!(conn.provenance(RecordKind::Accounts, "u0000001").is_err());
    // Chunks deleted from a file that had them kept are damage, not an older import.
    c.execute("DELETE FROM source_chunks WHERE source_id = 3", [])
        .unwrap();
    let json = verify_json(&s).fails().json();
    assert_eq!(json[0]["state"], "unreadable");
    assert!(
        json[0]["why"]
            .as_str()
            .unwrap()
            .contains("does not decompress"),
        "{json}"
    );
    assert_eq!(json[1]["state"], "differs");
    assert_eq!(json[2]["state"], "unreadable");
    assert!(
        json[2]["why"].as_str().unwrap().contains("missing"),
        "{json}"
    );
    // A record given a JSON row besides its place in the bytes was edited after the import.
    c.execute(
        "UPDATE payments SET raw = '{\"amount\":\"1\"}' WHERE rowid = 1",
        [],
    )
    .unwrap();
    let key: String = c
        .query_row("SELECT payment_id FROM payments WHERE rowid = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(conn.provenance(RecordKind::Payments, &key).is_err());
}

#[test]
fn original_rows_survive_bom_crlf_quoted_newlines_and_chunk_edges() {
    let s = Sandbox::new();
    // Rows long enough that many straddle the 128 KiB chunk cuts; a BOM, CRLF line ends, a display name with a
    // quoted line break and quotes, one whose first value begins with U+FEFF, and no line break after the last row.
    let mut csv = String::from("\u{feff}account_id,created_at,email,display_name\r\n");
    let mut expected = vec![];
    for i in 0..3000 {
        let id = if i == 1500 {
            format!("\u{feff}u{i}")
        } else {
            format!("u{i}")
        };
        let name = format!("Fan {i} \"the\r\nsecond\" {}", "ü".repeat(i % 97));
        let email = format!(" Fan{i}@Example.COM ");
        csv.push_str(&format!(
            "{id},2026-03-01T10:00:00Z,{email},\"{}\"",
            name.replace('"', "\"\"")
        ));
        if i < 2999 {
            csv.push_str("\r\n");
        }
        expected.push((id, email, name));
    }
    assert!(csv.len() > 3 * 128 * 1024);
    let file = s.write("accounts.csv", &csv);
    s.import([file.as_os_str()]).ok();
    let case = s.open();
    for (id, email, name) in &expected {
        let raw = case
            .provenance(RecordKind::Accounts, id)
            .unwrap()
            .unwrap()
            .raw;
        assert_eq!(raw["account_id"], id.as_str());
        assert_eq!(
            raw["email"],
            email.as_str(),
            "verbatim, spaces and case kept"
        );
        assert_eq!(raw["display_name"], name.as_str());
    }
    let straddling: i64 = case
        .connection_for_tests()
        .query_row(
            "SELECT count(*) FROM accounts WHERE row_start / 131072 != (row_start + row_len - 1) / 131072",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(straddling >= 3, "rows across chunk cuts: {straddling}");
    let out = verify(&s).ok().stdout;
    assert!(out.contains("kept, SHA-256 matches"), "{out}");
}

#[test]
fn a_file_larger_than_the_parsers_window_keeps_lines_rows_and_rejects_exact() {
    let s = Sandbox::new();
    // The parser holds a few MiB of the file at a time and lets go of what is behind it. 12 MB of rows, each with
    // a quoted line break (two physical lines per row), and a bad row near the end: what it lets go of must never
    // shift a line number, a kept row's bytes or a rejected row's text.
    let mut csv = String::from("account_id,created_at,email,display_name\r\n");
    let rows = 40_000;
    let bad = rows - 7;
    let row = |i: usize| {
        let id = if i == bad {
            String::new()
        } else {
            format!("u{i}")
        };
        let name = format!("Fan {i}\r\n{}", "x".repeat(250 + i % 13));
        format!("{id},2026-03-01T10:00:00Z,f{i}@example.com,\"{name}\"")
    };
    for i in 0..rows {
        csv.push_str(&row(i));
        csv.push_str("\r\n");
    }
    assert!(csv.len() > 10 << 20);
    let line_of = |i: usize| 2 + 2 * i as i64;
    let file = s.write("accounts.csv", &csv);
    s.import([file.as_os_str(), "--allow-rejects".as_ref()])
        .ok();
    let case = s.open();
    let rejects = case.rejects(None).unwrap();
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].line, line_of(bad));
    assert_eq!(rejects[0].row_text.as_deref(), Some(row(bad).as_str()));
    for i in [0, 1, rows / 2, bad - 1, bad + 1, rows - 1] {
        let p = case
            .provenance(RecordKind::Accounts, &format!("u{i}"))
            .unwrap()
            .unwrap();
        assert_eq!(p.line, line_of(i), "row {i}");
        assert_eq!(
            p.raw["display_name"],
            format!("Fan {i}\r\n{}", "x".repeat(250 + i % 13)),
            "row {i}"
        );
    }
    assert_eq!(case.counts().unwrap().accounts, rows as i64 - 1);
    let out = verify(&s).ok().stdout;
    assert!(out.contains("kept, SHA-256 matches"), "{out}");
}

#[test]
fn original_rows_of_a_file_with_old_mac_line_ends() {
    let s = Sandbox::new();
    let file = s.write(
        "accounts.csv",
        "account_id,email,display_name\ru1,a@x.com,\"A\rB\"\ru2,b@x.com,Bee\r",
    );
    s.import([file.as_os_str()]).ok();
    let case = s.open();
    let raw = case
        .provenance(RecordKind::Accounts, "u1")
        .unwrap()
        .unwrap()
        .raw;
    assert_eq!(raw["display_name"], "A\rB");
    let p = case
        .provenance(RecordKind::Accounts, "u2")
        .unwrap()
        .unwrap();
    assert_eq!(p.raw["display_name"], "Bee");
    assert_eq!(
        p.line, 4,
        "a lone CR ends a line (the quoted one in u1's name too)"
    );
    verify(&s).ok();
}

#[test]
fn the_case_is_smaller_than_the_csv_it_holds() {
    let s = sample_case();
    let csv: u64 = ["accounts.csv", "payments.csv", "logins.csv"]
        .iter()
        .map(|f| std::fs::metadata(crate::util::sample(f)).unwrap().len())
        .sum();
    let conn = s.open();
    let c = conn.connection_for_tests();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    let case = (pages * page) as u64;
    // Schema v10 stored every row again as JSON: this case was 4.5x its CSV.
    assert!(
        case < csv * 3 / 2,
        "case {case} bytes for {csv} bytes of CSV"
    );
}
