//! Decisions and notes: kept in the case, shown on rings, written to the hash-chained log, carried into packets.

use crate::util::{ringscope, sample_case};

#[test]
fn decisions_and_notes_are_logged_shown_and_exported() {
    let s = sample_case();
    let case = s.case.as_os_str();
    ringscope(["rings".as_ref(), case]).ok();
    ringscope([
        "decide".as_ref(),
        case,
        "R-0001".as_ref(),
        "--state".as_ref(),
        "confirmed".as_ref(),
        "--note".as_ref(),
        "creator pays itself".as_ref(),
    ])
    .ok();
    ringscope([
        "note".as_ref(),
        case,
        "R-0001".as_ref(),
        "escalate to legal".as_ref(),
    ])
    .ok();
    ringscope([
        "decide".as_ref(),
        case,
        "u0000001".as_ref(),
        "--state".as_ref(),
        "needs-review".as_ref(),
    ])
    .ok();
    assert!(
        ringscope([
            "decide".as_ref(),
            case,
            "R-9999".as_ref(),
            "--state".as_ref(),
            "confirmed".as_ref()
        ])
        .fails()
        .stderr
        .contains("no ring or account \"R-9999\"")
    );
    assert!(
        ringscope([
            "decide".as_ref(),
            case,
            "R-0001".as_ref(),
            "--state".as_ref(),
            "guilty".as_ref()
        ])
        .fails()
        .stderr
        .contains("unknown state")
    );

    let rings = ringscope(["rings".as_ref(), case, "--json".as_ref()])
        .ok()
        .json();
    assert_eq!(rings[0]["decision"]["state"], "confirmed");
    assert_eq!(rings[0]["decision"]["note"], "creator pays itself");
    assert!(rings[1]["decision"].is_null());

    let log = ringscope([
        "log".as_ref(),
        case,
        "--json".as_ref(),
        "--item".as_ref(),
        "R-0001".as_ref(),
    ])
    .ok()
    .json();
    assert_eq!(log["chain_ok"], true);
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["decide", "note"]);
    assert_eq!(log["entries"][0]["actor"], "tester");

    let out = s.dir.path().join("out");
    let e = ringscope([
        "export".as_ref(),
        case,
        "--ring".as_ref(),
        "R-0001".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let custody = std::fs::read_to_string(
        std::path::Path::new(e["folder"].as_str().unwrap()).join("data/custody/custody-log.jsonl"),
    )
    .unwrap();
    let custody_actions: Vec<String> = custody
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        custody_actions,
        ["import", "import", "import", "decide", "note", "export"],
        "the account decision is not about this ring's subjects"
    );

    // Editing history breaks the chain, and `log` says so.
    s.open()
        .connection_for_tests()
        .execute(
            "UPDATE audit_log SET actor = 'mallory' WHERE action = 'decide'",
            [],
        )
        .unwrap();
    let run = ringscope(["log".as_ref(), case]).fails();
    assert!(run.stdout.contains("BROKEN"), "{}", run.stdout);
}

#[test]
fn a_ring_can_be_decided_before_rings_has_run() {
    let s = sample_case();
    let case = s.case.as_os_str();
    // No `rings` yet: deciding on a ring id runs detection first, as `rings` would.
    let run = ringscope([
        "decide".as_ref(),
        case,
        "R-0001".as_ref(),
        "--state".as_ref(),
        "needs-review".as_ref(),
    ])
    .ok();
    assert!(
        run.stdout.contains("ring R-0001 marked needs_review"),
        "{}",
        run.stdout
    );
    ringscope([
        "note".as_ref(),
        case,
        "R-0002".as_ref(),
        "look at the cards".as_ref(),
    ])
    .ok();
    let rings = ringscope(["rings".as_ref(), case, "--json".as_ref()])
        .ok()
        .json();
    assert_eq!(rings[0]["id"], "R-0001");
    assert_eq!(rings[0]["decision"]["state"], "needs_review");
    // An id no detection gives is still refused, by name.
    assert!(
        ringscope([
            "decide".as_ref(),
            case,
            "R-9999".as_ref(),
            "--state".as_ref(),
            "confirmed".as_ref()
        ])
        .fails()
        .stderr
        .contains("no ring or account \"R-9999\"")
    );
}
