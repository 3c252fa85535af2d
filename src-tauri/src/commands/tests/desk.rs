//! The desk view's commands through the mock runtime: a desk made in a granted folder, a typed case opened in it,
//! its checklist and status worked, the KPIs read back, and only listed case files opened.

use super::{call, window_with};
use serde_json::json;

#[test]
fn a_desk_opens_a_typed_case_whose_checklist_and_status_are_worked_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let desk = dir.path().join("desk");
    std::fs::create_dir(&desk).unwrap();
    let (_app, w) = window_with(std::slice::from_ref(&desk));
    // No desk yet: a human message, not a crash.
    let err = call(&w, "desk_overview", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_desk");
    let err = call(&w, "open_desk", json!({"path": desk, "create": false})).unwrap_err();
    assert_eq!(err["code"], "not_a_desk", "{err}");
    let overview = call(&w, "open_desk", json!({"path": desk, "create": true})).unwrap();
    assert_eq!(overview["cases"], json!([]));
    assert!(overview["types"]["types"].as_array().unwrap().len() >= 5);

    let new_case = json!({"newCase": {"title": "Chargebacks on c1", "case_type": "chargeback",
        "reference": "ZD-7", "assignee": "ana", "phone_region": null, "opened": null}});
    let summary = call(&w, "new_desk_case", new_case).unwrap();
    assert_eq!(summary["meta"]["title"], "Chargebacks on c1");
    let workflow = call(&w, "case_workflow", json!({})).unwrap();
    assert_eq!(workflow["case_type"], "chargeback");
    assert_eq!(workflow["status"], "open");
    let first = workflow["checklist"][0]["id"].as_str().unwrap().to_string();
    let after = call(&w, "mark_step", json!({"step": first, "skipReason": null})).unwrap();
    assert_eq!(after["checklist"][0]["mark"]["state"], "done");
    let err = call(
        &w,
        "set_case_status",
        json!({"status": "closed", "reason": null}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid", "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("closing needs a reason")
    );
    let closed = call(
        &w,
        "set_case_status",
        json!({"status": "closed", "reason": "duplicate of ZD-1"}),
    )
    .unwrap();
    assert_eq!(closed["status"], "closed");

    let overview = call(&w, "desk_overview", json!({})).unwrap();
    assert_eq!(overview["cases"].as_array().unwrap().len(), 1);
    assert_eq!(overview["cases"][0]["status"], "closed");
    assert_eq!(overview["kpis"]["by_status"]["closed"], 1);
    let file = overview["cases"][0]["file"].as_str().unwrap().to_string();
    call(&w, "open_desk_case", json!({"file": file})).unwrap();
    // Only files the desk lists: a path out of the folder is refused.
    for bad in ["../elsewhere.ringscope", "/etc/passwd", "nope.ringscope"] {
        let err = call(&w, "open_desk_case", json!({"file": bad})).unwrap_err();
        assert_eq!(err["code"], "not_found", "{bad}: {err}");
    }
}
