//! The bundled sample case: it imports as documented, re-imports as a no-op, and every record can be traced to its
//! file and line.

use crate::util::{Sandbox, ringscope, sample};
use ringscope_model::RecordKind;
use ringscope_synth::Truth;

fn truth() -> Truth {
    serde_json::from_str(&std::fs::read_to_string(sample("truth.json")).unwrap()).unwrap()
}

fn import_sample(s: &Sandbox) -> serde_json::Value {
    s.import([
        sample("accounts.csv"),
        sample("payments.csv"),
        "--json".into(),
    ])
    .ok();
    let run = s
        .import([
            sample("logins.csv").as_os_str(),
            "--mapping".as_ref(),
            sample("logins.mapping.toml").as_os_str(),
            "--json".as_ref(),
        ])
        .ok();
    run.json()
}

#[test]
fn sample_imports_whole_with_stripe_detected_and_mapping_saved() {
    let s = Sandbox::new();
    let first = s
        .import([
            sample("accounts.csv"),
            sample("payments.csv"),
            "--json".into(),
        ])
        .ok()
        .json();
    assert_eq!(first[0]["report"]["kind"], "accounts");
    assert_eq!(first[1]["report"]["kind"], "payments");
    assert_eq!(first[1]["report"]["detected_as"], "Stripe payments export");

    // The vendor log is refused without a mapping, and the error says what is missing.
    let refused = s
        .import([sample("logins.csv"), "--json".into()])
        .fails()
        .json();
    assert_eq!(refused[0]["error"]["code"], "unknown_header");
    assert!(
        refused[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"linked_id\"")
    );

    let logins = s
        .import([
            sample("logins.csv").as_os_str(),
            "--mapping".as_ref(),
            sample("logins.mapping.toml").as_os_str(),
            "--json".as_ref(),
        ])
        .ok()
        .json();
    assert_eq!(logins[0]["report"]["mapping_saved"], true);

    let t = truth();
    let counts = s.open().counts().unwrap();
    assert_eq!(
        (counts.accounts, counts.payments, counts.events),
        (
            t.rows.accounts as i64,
            t.rows.payments as i64,
            t.rows.logins as i64
        )
    );
    assert_eq!(counts.sources, 3);
    assert_eq!((counts.rejects, counts.conflicts), (0, 0));

    let info = ringscope([
        "case".as_ref(),
        "info".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    assert_eq!(info["meta"]["reference"], "ZD-4711");
    assert_eq!(info["counts"]["accounts"], t.rows.accounts);
    assert_eq!(info["sources"].as_array().unwrap().len(), 3);
    assert_eq!(info["sources"][2]["rows"]["imported"], t.rows.logins);
    assert_eq!(info["sources"][0]["imported_by"], "tester");
    assert_eq!(info["schema_version"], ringscope_store::SCHEMA_VERSION);
}

#[test]
fn reimporting_changes_nothing_and_says_so() {
    let s = Sandbox::new();
    import_sample(&s);
    let before = s.state();
    let audit_before = s.open().audit_log().unwrap().len();
    // No --mapping this time: identical files are recognised by hash before their header is even read.
    let again = s
        .import([
            sample("accounts.csv"),
            sample("payments.csv"),
            sample("logins.csv"),
            "--json".into(),
        ])
        .ok()
        .json();
    for file in again.as_array().unwrap() {
        assert_eq!(file["report"]["already_imported"], true, "{file}");
    }
    let text = s.import([sample("accounts.csv")]).ok();
    assert!(
        text.stdout.contains("already in the case as source #1"),
        "{}",
        text.stdout
    );
    // The same bytes under another name are the same evidence.
    let copy = s.write(
        "accounts-copy.csv",
        std::fs::read(sample("accounts.csv")).unwrap(),
    );
    assert_eq!(
        s.import([copy.as_os_str(), "--json".as_ref()]).ok().json()[0]["report"]["already_imported"],
        true
    );
    assert_eq!(s.state(), before);
    assert_eq!(s.open().audit_log().unwrap().len(), audit_before);
}

#[test]
fn saved_mapping_is_reused_for_the_same_header() {
    let s = Sandbox::new();
    import_sample(&s);
    let text = std::fs::read_to_string(sample("logins.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // A later batch from the same vendor: same header, some old rows and a new one.
    let new_row = "1799999999000.000001,u0000001,aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee,1790000000000,login,203.0.113.9,curl/8";
    let batch = format!(
        "{header}\n{}\n{}\n{new_row}\n",
        lines.next().unwrap(),
        lines.next().unwrap()
    );
    let path = s.write("logins-batch-2.csv", batch);
    let report = s.import([path.as_os_str(), "--json".as_ref()]).ok().json();
    assert_eq!(
        report[0]["report"]["detected_as"],
        "mapping saved in the case"
    );
    assert_eq!(report[0]["report"]["rows"]["imported"], 1);
    assert_eq!(report[0]["report"]["rows"]["duplicate"], 2);
}

#[test]
fn every_record_traces_to_its_file_and_line() {
    let s = Sandbox::new();
    import_sample(&s);
    let case = s.open();
    for (file, kind, key_column) in [
        ("accounts.csv", RecordKind::Accounts, "account_id"),
        ("payments.csv", RecordKind::Payments, "id"),
    ] {
        let text = std::fs::read_to_string(sample(file)).unwrap();
        // Sample files have no quoted newlines, so physical line n is record n-1.
        for (i, line) in text.lines().enumerate().skip(1).step_by(37) {
            let key = line.split(',').next().unwrap();
            let p = case
                .provenance(kind, key)
                .unwrap()
                .unwrap_or_else(|| panic!("{key} missing"));
            assert_eq!(
                (p.file_name.as_str(), p.line),
                (file, i as i64 + 1),
                "{key}"
            );
            assert_eq!(p.raw[key_column], key, "raw row keeps the original values");
        }
    }
    // Events: the stored line holds the same account, time and device as the file's line.
    let text = std::fs::read_to_string(sample("logins.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut stmt = case
        .connection_for_tests()
        .prepare("SELECT account_id, device_id, line, id FROM events WHERE id % 41 = 0")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap();
    let mut checked = 0;
    for row in rows {
        let (account, device, line, id) = row.unwrap();
        let fields: Vec<&str> = lines[line as usize - 1].split(',').collect();
        assert_eq!(fields[1], account);
        assert_eq!(fields[2], device.unwrap_or_default());
        // The original row, read back from the file's bytes the case keeps.
        let raw = case
            .provenance(RecordKind::Events, &id.to_string())
            .unwrap()
            .unwrap()
            .raw;
        assert_eq!(
            raw["request_time"], fields[3],
            "original timestamp text kept for evidence"
        );
        checked += 1;
    }
    assert!(checked > 20);
}

#[test]
fn frames_match_the_store() {
    let s = Sandbox::new();
    import_sample(&s);
    let case = s.open();
    let frames = ringscope_frames::Frames::load(&case).unwrap();
    let t = truth();
    assert_eq!(frames.accounts.height() as u64, t.rows.accounts);
    assert_eq!(frames.payments.height() as u64, t.rows.payments);
    assert_eq!(frames.events.height() as u64, t.rows.logins);
    let total: i64 = case
        .connection_for_tests()
        .query_row("SELECT sum(amount_minor) FROM payments", [], |r| r.get(0))
        .unwrap();
    let amounts = frames
        .payments
        .column("amount_minor")
        .unwrap()
        .i64()
        .unwrap()
        .clone();
    let frame_total: i64 = (0..amounts.len()).filter_map(|i| amounts.get(i)).sum();
    assert_eq!(frame_total, total);
}

#[test]
fn committed_sample_is_what_the_generator_makes() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = ringscope_synth::Config {
        accounts: 2000,
        rings_per_kind: 4,
        households: 6,
        big_farms: 1,
        lookalikes: 1,
        seed: 7,
        hostile_names: true,
        big_farm: 0,
    };
    let truth = ringscope_synth::generate(&cfg, dir.path()).unwrap();
    assert_eq!(truth, self::truth());
    for file in [
        "accounts.csv",
        "payments.csv",
        "logins.csv",
        "logins.mapping.toml",
        "truth.json",
    ] {
        let fresh = std::fs::read(dir.path().join(file)).unwrap();
        assert!(
            fresh == std::fs::read(sample(file)).unwrap(),
            "{file} differs from fixtures/sample: regenerate with the command in fixtures/sample/ANSWER.md"
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let s = Sandbox::new();
    import_sample(&s);
    let mut child = crate::util::ringscope_command()
        .args(["rings".as_ref(), s.case.as_os_str()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once, as `| head -0` would
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!status.success() || stderr.is_empty());
}
