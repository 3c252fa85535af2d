//! The case keeps every imported file's bytes: records read their original rows back from them, and the files
//! rebuild to the SHA-256 recorded at import.

use crate::util::{Sandbox, ringscope, sample_case};
use ringscope_model::RecordKind;

fn verify(s: &Sandbox) -> crate::util::Run {
    ringscope(["case".as_ref(), "verify".as_ref(), s.case.as_os_str()])
}

#[test]
fn every_imported_file_rebuilds_to_its_recorded_sha256() {
    let s = sample_case();
    let out = verify(&s).ok().stdout;
    assert_eq!(out.matches("kept, SHA-256 matches").count(), 3, "{out}");
    let rebuilt = ringscope([
        "case".as_ref(),
        "verify".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    assert_eq!(rebuilt.as_array().unwrap().len(), 3);
    assert_eq!(rebuilt[0]["file_name"], "accounts.csv");
    assert_eq!(rebuilt[0]["state"], "matches");

    // A recorded hash that no longer matches the kept bytes is reported, and the exit code says so.
    let conn = s.open();
    conn.connection_for_tests()
        .execute(
            "UPDATE sources SET sha256 = 'ab' || substr(sha256, 3) WHERE id = 2",
            [],
        )
        .unwrap();
    let out = verify(&s).fails().stdout;
    assert!(
        out.contains("#2 payments.csv") && out.contains("DIFFERS"),
        "{out}"
    );
    // A damaged chunk does not decompress: reported as unreadable, and reading a row from it is an error, not a
    // wrong value.
    conn.connection_for_tests()
        .execute(
            "UPDATE source_chunks SET data = x'00' WHERE source_id = 1 AND start = 0",
            [],
        )
        .unwrap();
    let out = verify(&s).fails().stdout;
    assert!(
        out.contains("#1 accounts.csv") && out.contains("UNREADABLE"),
        "{out}"
    );
    assert!(conn.provenance(RecordKind::Accounts, "u0000001").is_err());
    let json = ringscope([
        "case".as_ref(),
        "verify".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
    ])
    .fails()
    .json();
    assert_eq!(json[0]["state"], "unreadable");
    assert!(
        json[0]["why"]
            .as_str()
            .unwrap()
            .contains("does not decompress")
    );
    assert_eq!(json[1]["state"], "differs");
}

#[test]
fn original_rows_survive_bom_crlf_quoted_newlines_and_chunk_edges() {
    let s = Sandbox::new();
    // Rows long enough that some straddle the 128 KiB chunk boundaries; a BOM, CRLF line ends and a display name
    // with a quoted line break and quotes.
    let mut csv = String::from("\u{feff}account_id,created_at,email,display_name\r\n");
    let mut expected = vec![];
    for i in 0..3000 {
        let name = format!("Fan {i} \"the\r\nsecond\" {}", "ü".repeat(i % 97));
        let email = format!(" Fan{i}@Example.COM ");
        csv.push_str(&format!(
            "u{i},2026-03-01T10:00:00Z,{email},\"{}\"\r\n",
            name.replace('"', "\"\"")
        ));
        expected.push((format!("u{i}"), email, name));
    }
    assert!(csv.len() > 3 * 128 * 1024);
    let file = s.write("accounts.csv", &csv);
    s.import([file.as_os_str()]).ok();
    let case = s.open();
    for (id, email, name) in expected.iter().step_by(7) {
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
    let out = verify(&s).ok().stdout;
    assert!(out.contains("kept, SHA-256 matches"), "{out}");
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
