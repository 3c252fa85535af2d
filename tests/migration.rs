//! A case written by an earlier Ringscope (schema v3, `fixtures/cases/v3.ringscope`) opens with today's: it
//! upgrades in place and keeps every record, source, original row, decision, note and audit entry.

use crate::util::{fixtures, ringscope};

#[test]
fn a_v3_case_upgrades_and_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("v3.ringscope");
    std::fs::copy(fixtures().join("cases/v3.ringscope"), &case).unwrap();
    let case = case.to_str().unwrap();

    let info = ringscope(["case", "info", case, "--json"]).ok().json();
    assert_eq!(info["schema_version"], ringscope_store::SCHEMA_VERSION);
    assert_eq!(info["meta"]["title"], "Written by schema v3");
    assert_eq!(info["meta"]["investigator"], "v3 investigator");
    let counts = &info["counts"];
    assert_eq!(
        (&counts["accounts"], &counts["payments"], &counts["events"]),
        (&200.into(), &531.into(), &1230.into())
    );
    // Every migrated event reads back through the `events` view, not just into `event_rows`.
    let store = ringscope_store::Case::open(std::path::Path::new(case)).unwrap();
    let through_view: i64 = store
        .connection_for_tests()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(through_view, 1230);
    drop(store);
    let sources: Vec<(&str, &str)> = info["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file_name"].as_str().unwrap(),
                s["sha256"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (
                "accounts.csv",
                "b034bb02691066a442d49863876a039b62395899106e4ff43f34cc22b4b3fac9"
            ),
            (
                "payments.csv",
                "af4a212aa2c41753afb31b67b19df33e584dd70b77706e047815a4f695472ee8"
            ),
            (
                "logins.csv",
                "6295b106ce8c11542c49ed1b8a5cf98236bfe1ff4dda8a529723706700c87fb5"
            ),
        ]
    );

    // The history: the v3 entries first, unchanged, and the chain still verifies.
    let log = ringscope(["log", case, "--json"]).ok().json();
    assert_eq!(log["chain_ok"], true);
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .take(7)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "import",
            "import",
            "import",
            "rings.update",
            "decide",
            "note"
        ]
    );
    assert!(
        entries[6]["hash"]
            .as_str()
            .unwrap()
            .starts_with("72898c2e93db4523")
    );

    // An original row as the v3 import kept it.
    let row = ringscope(["row", case, "accounts.csv:2", "--json"])
        .ok()
        .json();
    assert!(row.to_string().contains("account_id"), "{row}");

    // Its events moved into the interned rows (schema v12) and read back through the `events` view: the original
    // row of a login, and the accounts found by the device on it.
    let login = ringscope(["row", case, "logins.csv:2", "--json"])
        .ok()
        .json();
    let values = login[0]["values"].as_array().unwrap();
    assert_eq!(login[0]["kind"], "events", "{login}");
    // The vendor log's device column (mapped to device_id by the v3 import's mapping file).
    let device = values
        .iter()
        .find(|v| v[0] == "visitor_id")
        .map(|v| v[1].as_str().unwrap().to_string())
        .expect("a device column");
    let found = ringscope(["search", case, &device, "--json"]).ok().json();
    assert!(
        found["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "device"),
        "{found}"
    );

    // The same login exported again is the same event: its key, cut to today's 12 bytes by the migration, still
    // matches. The file has the vendor's header, so the mapping the v3 import saved reads it.
    let quoted = |cells: Vec<&str>| {
        cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(",")
    };
    let again = format!(
        "{}\n{}\n",
        quoted(values.iter().map(|v| v[0].as_str().unwrap()).collect()),
        quoted(values.iter().map(|v| v[1].as_str().unwrap()).collect())
    );
    let again_dir = tempfile::tempdir().unwrap();
    let again_file = again_dir.path().join("logins-again.csv");
    std::fs::write(&again_file, again).unwrap();
    let report = ringscope(["import", case, again_file.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(report[0]["report"]["rows"]["duplicate"], 1, "{report}");
    assert_eq!(report[0]["report"]["rows"]["imported"], 0, "{report}");

    // Today's detection runs on it; the decision and the note made under v3 are still there.
    let rings = ringscope(["rings", case, "--json"]).ok().json();
    assert!(!rings.as_array().unwrap().is_empty());
    let decided = ringscope(["log", case, "--item", "R-0001", "--json"])
        .ok()
        .json();
    assert!(
        decided["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "decide" && e["details"]["state"] == "confirmed")
    );
    let noted = ringscope(["log", case, "--item", "R-0002", "--json"])
        .ok()
        .json();
    assert!(noted.to_string().contains("check the card"), "{noted}");

    // A file imported now keeps its bytes; the v3 records keep their JSON rows. Both read back.
    let dir2 = tempfile::tempdir().unwrap();
    let new_file = dir2.path().join("late.csv");
    std::fs::write(&new_file, "account_id,email\nlate1, Late@Example.com \n").unwrap();
    ringscope(["import", case, new_file.to_str().unwrap()]).ok();
    let late = ringscope(["row", case, "late.csv:2", "--json"]).ok().json();
    assert!(late.to_string().contains(" Late@Example.com "), "{late}");
    let old = ringscope(["row", case, "accounts.csv:2", "--json"])
        .ok()
        .json();
    assert_eq!(old, row);
    let verified = ringscope(["case", "verify", case, "--json"]).ok().json();
    let states: Vec<&str> = verified
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["not_kept", "not_kept", "not_kept", "matches", "matches"]
    );

    // And it takes new work under today's schema: a desk-era workflow and a ring edit need v5+ tables.
    ringscope(["case", "checklist", case, "--json"]).ok();
    ringscope(["ring-edit", case, "list", "--json"]).ok();
}
