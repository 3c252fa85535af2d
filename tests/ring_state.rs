//! What a case keeps about its rings between runs: the sample's ring list pinned by golden files, the detection
//! kept until the case changes, and members an investigator removed staying out across re-detection.

use crate::rings::{members, rings_json};
use crate::util::{ringscope, sample_case};

/// The ring list of `fixtures/sample`, as text and JSON, is exactly the committed one: refactors of the store, the
/// graph or the front ends must not move a ring, a score or a reason. After an intended change to detection,
/// `RINGSCOPE_UPDATE_GOLDEN=1 cargo test --workspace --test integration golden` rewrites the files (review the diff).
#[test]
fn the_sample_ring_list_matches_the_golden_files() {
    let s = sample_case();
    let case = s.case.to_str().expect("utf-8 path");
    let dir = crate::util::fixtures().join("../tests/golden");
    for (file, args) in [
        ("sample-rings.txt", vec!["rings", case]),
        ("sample-rings.json", vec!["rings", case, "--json"]),
        ("sample-ring-R-0003.txt", vec!["ring", case, "R-0003"]),
    ] {
        let out = ringscope(&args).ok().stdout;
        let path = dir.join(file);
        if std::env::var_os("RINGSCOPE_UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &out).expect("write golden");
        }
        let golden = std::fs::read_to_string(&path).expect("golden file");
        assert!(
            out == golden,
            "`ringscope {}` differs from tests/golden/{file}",
            args[0]
        );
    }
}

/// A case that has not changed since the last detection is not detected again: `rings`, `ring` and `export --ring`
/// read the detection the case keeps. Proven by editing the kept detection (a real detection could not produce
/// it): the edit shows, until an import changes the case, or until the kept detection is from another detector build.
#[test]
fn an_unchanged_case_reuses_its_kept_detection_until_an_import() {
    let s = sample_case();
    let case = s.case.to_str().unwrap();
    let first = ringscope(["rings", case, "--json"]).ok().json();
    let detector = s
        .query_string("SELECT detector FROM detection_cache")
        .expect("detection kept");
    let conn = s.open();
    let db = conn.connection_for_tests();
    // Kept compressed; read back through the store. The edit below is written as JSON text, as earlier builds
    // kept it: both forms read.
    let generation = conn.generation().unwrap();
    let json = conn
        .cached_detection(&detector, generation)
        .unwrap()
        .unwrap();
    let mut kept: serde_json::Value = serde_json::from_str(&json).unwrap();
    kept["rings"][0]["score"] = serde_json::json!(1234.5);
    // Kept again as the store keeps it (compressed), so the commands below must read that form.
    let mut writer = s.open();
    writer.save_detection(&detector, generation, &kept).unwrap();
    let reused = ringscope(["rings", case, "--json"]).ok().json();
    assert_eq!(reused[0]["score"], 1234.5, "the kept detection is read");
    assert_eq!(reused[1], first[1]);
    let one = ringscope(["ring", case, first[0]["id"].as_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(one["score"], 1234.5);

    // Another detector build's detection is not this build's.
    db.execute("UPDATE detection_cache SET detector = 'other'", [])
        .unwrap();
    let redone = ringscope(["rings", case, "--json"]).ok().json();
    assert_eq!(redone, first);
    assert_eq!(
        s.query_string("SELECT detector FROM detection_cache"),
        Some(detector)
    );

    // An import changes the generation: detection runs again (and the edit is gone).
    db.execute(
        "UPDATE detection_cache SET rings = ?1",
        [serde_json::to_string(&kept).unwrap()],
    )
    .unwrap();
    let extra = s.write(
        "more.csv",
        "account_id,timestamp,device_id\nzz1,2026-01-01T00:00:00Z,dev-shared-x\nzz2,2026-01-01T00:05:00Z,dev-shared-x\n",
    );
    s.import([extra.as_os_str()]).ok();
    let after = ringscope(["rings", case, "--json"]).ok().json();
    assert_ne!(after[0]["score"], 1234.5);
    assert_eq!(
        after.as_array().unwrap().len(),
        first.as_array().unwrap().len() + 1
    );
}

/// An investigator takes a false positive out of a ring: it is recorded in the case history with the reason, the
/// ring is detected without it, it stays out after new data arrives, and restoring it puts it back.
#[test]
fn a_removed_member_stays_out_across_re_detection_until_restored() {
    let s = sample_case();
    let case = s.case.to_str().unwrap();
    let rings = rings_json(&s);
    let ring = rings
        .iter()
        .find(|r| r["members"].as_array().unwrap().len() >= 6)
        .expect("a ring of six or more");
    let id = ring["id"].as_str().unwrap();
    let before = members(ring);
    let gone = before.iter().next().unwrap().clone();
    let after = ringscope([
        "ring-members",
        case,
        id,
        "--remove",
        &gone,
        "--reason",
        "the creator's test account",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(after["id"], id);
    assert!(!members(&after).contains(&gone));
    assert_eq!(members(&after).len(), before.len() - 1);
    assert_eq!(after["removed"][0]["account_id"], gone.as_str());
    assert_eq!(after["removed"][0]["reason"], "the creator's test account");
    let log = ringscope(["log", case, "--item", id, "--json"]).ok().json();
    assert!(log["entries"].as_array().unwrap().iter().any(|e| {
        e["action"] == "ring.remove_member" && e["details"]["account"] == gone.as_str()
    }));

    // New data (a new generation): detection runs again and keeps the account out under the same ring id.
    let extra = s.write(
        "more.csv",
        "account_id,timestamp,device_id\nzz1,2026-01-01T00:00:00Z,dev-shared-x\nzz2,2026-01-01T00:05:00Z,dev-shared-x\n",
    );
    s.import([extra.as_os_str()]).ok();
    let again = ringscope(["ring", case, id, "--json"]).ok().json();
    assert_eq!(members(&again), members(&after));

    // Not a member, or not removed: refused with a code.
    let wrong = ringscope(["ring-members", case, id, "--restore", "u9999999", "--json"]).fails();
    assert_eq!(wrong.json()["code"], "invalid");
    let back = ringscope(["ring-members", case, id, "--restore", &gone, "--json"])
        .ok()
        .json();
    assert_eq!(members(&back), before);
    assert!(back.get("removed").is_none());
}

/// An investigator splits a ring that is two groups, and merges two rings that are one: each is recorded, keeps
/// its ring ids when new data makes detection run again (even when the split-off part is the larger one), and is
/// undone exactly.
#[test]
fn splits_and_merges_stay_across_re_detection_until_undone() {
    let s = sample_case();
    let case = s.case.to_str().unwrap();
    let rings = rings_json(&s);
    let big = &rings[0];
    let id = big["id"].as_str().unwrap().to_string();
    let whole = members(big);
    assert!(whole.len() >= 10, "{}", whole.len());
    // Two thirds of it go: the split-off part is larger than what stays.
    let moving: Vec<String> = whole.iter().take(whole.len() * 2 / 3).cloned().collect();
    let staying: std::collections::BTreeSet<String> =
        whole.iter().skip(moving.len()).cloned().collect();
    let split = ringscope([
        "ring-edit",
        case,
        "split",
        &id,
        "--accounts",
        &moving.join(","),
        "--reason",
        "two crews sharing one proxy",
        "--json",
    ])
    .ok()
    .json();
    let new_id = split["edit"]["other_ring"].as_str().unwrap().to_string();
    assert_ne!(new_id, id);
    let ring_members = |ring: &str| members(&ringscope(["ring", case, ring, "--json"]).ok().json());
    assert_eq!(ring_members(&id), staying);
    assert_eq!(ring_members(&new_id).len(), moving.len());

    // Merge the second-ranked ring into the first.
    let other = rings
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .find(|r| *r != id)
        .unwrap()
        .to_string();
    let other_members = members(&ringscope(["ring", case, &other, "--json"]).ok().json());
    let merge = ringscope([
        "ring-edit",
        case,
        "merge",
        &id,
        &other,
        "--reason",
        "same operator",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(merge["edit"]["kind"], "merge");
    let merged: std::collections::BTreeSet<String> =
        staying.union(&other_members).cloned().collect();
    assert_eq!(ring_members(&id), merged);
    let unknown = ringscope(["ring", case, &other, "--json"]).fails();
    assert_eq!(unknown.json()["code"], "unknown_ring");

    // New data: detection runs again and both edits hold, with the same ids.
    let extra = s.write(
        "more.csv",
        "account_id,timestamp,device_id\nzz1,2026-01-01T00:00:00Z,dev-shared-y\nzz2,2026-01-01T00:05:00Z,dev-shared-y\n",
    );
    s.import([extra.as_os_str()]).ok();
    assert_eq!(ring_members(&id), merged);
    assert_eq!(ring_members(&new_id).len(), moving.len());
    let log = ringscope(["log", case, "--json"]).ok().json();
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"ring.split") && actions.contains(&"ring.merge"));

    // Refused with a code: a one-account split, a ring merged into itself, an edit that is not in force.
    let one = ringscope([
        "ring-edit",
        case,
        "split",
        &id,
        "--accounts",
        staying.iter().next().unwrap(),
        "--json",
    ])
    .fails();
    assert_eq!(one.json()["code"], "invalid");
    let itself = ringscope(["ring-edit", case, "merge", &id, &id, "--json"]).fails();
    assert_eq!(itself.json()["code"], "invalid");
    let edits = ringscope(["ring-edit", case, "list", "--json"]).ok().json();
    assert_eq!(edits.as_array().unwrap().len(), 2);
    let nothing = ringscope(["ring-edit", case, "undo", "999", "--json"]).fails();
    assert_eq!(nothing.json()["code"], "invalid");

    // The merge builds on the split (both name the ring): the split cannot be undone under it.
    let split_id = split["edit"]["id"].to_string();
    let merge_id = merge["edit"]["id"].to_string();
    let refused = ringscope(["ring-edit", case, "undo", &split_id, "--json"]).fails();
    let message = refused.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains(&format!("undo #{merge_id} first")),
        "{message}"
    );

    // A false positive removed from the split-off ring stays out when the split is undone.
    let gone = moving[0].clone();
    ringscope([
        "ring-members",
        case,
        &new_id,
        "--remove",
        &gone,
        "--reason",
        "a tester",
        "--json",
    ])
    .ok();

    // Undone, newest first: the merged ring comes back, then the split-off accounts return.
    ringscope(["ring-edit", case, "undo", &merge_id, "--json"]).ok();
    assert_eq!(ring_members(&other), other_members);
    assert_eq!(ring_members(&id), staying);
    ringscope(["ring-edit", case, "undo", &split_id, "--json"]).ok();
    let mut back: std::collections::BTreeSet<String> = whole.clone();
    back.remove(&gone);
    assert_eq!(ring_members(&id), back);
    let ring = ringscope(["ring", case, &id, "--json"]).ok().json();
    assert_eq!(ring["removed"][0]["account_id"], gone.as_str());
    assert_eq!(
        ringscope(["ring", case, &new_id, "--json"]).fails().json()["code"],
        "unknown_ring"
    );
}
