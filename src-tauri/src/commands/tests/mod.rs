//! The commands through tauri's mock runtime: real IPC message handling (argument names, JSON shapes, error
//! objects), no webview.

use crate::AppState;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tauri::WebviewWindow;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;

mod desk;

/// A mock app in which the user has chosen `granted` in dialogs.
pub(super) fn window_with(
    granted: &[PathBuf],
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::default();
    for p in granted {
        state.grant(p.clone());
    }
    let app = crate::app(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, window)
}

pub(super) fn call(w: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(w, request).map(|body| body.deserialize::<Value>().expect("JSON response"))
}

fn fixtures(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/sample")
        .join(name)
        .display()
        .to_string()
}

/// A case with the sample imported (through the library: the import command streams over a Channel).
fn sample_case(dir: &Path) -> PathBuf {
    let path = dir.join("case.ringscope");
    let new = ringscope_store::NewCase {
        title: "Sample".into(),
        reference: Some("ZD-1".into()),
        phone_region: "US".into(),
        ..Default::default()
    };
    let mut case = ringscope_store::Case::create(&path, &new, "2026-11-24T00:00:00Z").unwrap();
    let mapping = ringscope_ingest::Mapping::parse(
        &std::fs::read_to_string(fixtures("logins.mapping.toml")).unwrap(),
    )
    .unwrap();
    for file in ["accounts.csv", "payments.csv", "logins.csv"] {
        let mut opts = ringscope_ingest::ImportOptions::new("tester", "2026-11-24T00:00:00Z");
        opts.mapping = Some(&mapping);
        ringscope_ingest::import_file(&mut case, Path::new(&fixtures(file)), &opts, &mut |_| {})
            .unwrap();
    }
    path
}

#[test]
fn commands_need_a_case_and_errors_are_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let not_case = dir.path().join("notes.txt");
    let never_chosen = dir.path().join("other.ringscope");
    for p in [&not_case, &never_chosen] {
        std::fs::write(
            p,
            "not a database, just text, long enough to be read as a header.....",
        )
        .unwrap();
    }
    let (_app, w) = window_with(std::slice::from_ref(&not_case));
    let err = call(&w, "case_summary", json!({})).unwrap_err();
    assert_eq!(err["code"], "no_case");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("open or create a case first")
    );
    // A path the user never chose in a dialog is refused before anything reads it.
    assert_eq!(
        call(&w, "open_case", json!({"path": never_chosen})).unwrap_err()["code"],
        "not_granted"
    );
    let err = call(&w, "open_case", json!({"path": not_case})).unwrap_err();
    assert_eq!(err["code"], "not_a_case");
}

#[test]
fn create_preview_and_summarize() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ringscope");
    let (_app, w) = window_with(&[
        path.clone(),
        fixtures("payments.csv").into(),
        fixtures("logins.csv").into(),
    ]);
    let summary = call(
        &w,
        "create_case",
        json!({"path": path, "title": "New", "reference": "ZD-9", "investigator": null}),
    )
    .unwrap();
    assert_eq!(summary["meta"]["title"], "New");
    assert_eq!(summary["counts"]["accounts"], 0);
    let preview = call(
        &w,
        "preview_import",
        json!({"path": fixtures("payments.csv")}),
    )
    .unwrap();
    assert_eq!(preview["kind"], "payments");
    assert_eq!(preview["detected_as"], "Stripe payments export");
    assert_eq!(preview["rows"].as_array().unwrap().len(), 8);
    let preview = call(
        &w,
        "preview_import",
        json!({"path": fixtures("logins.csv")}),
    )
    .unwrap();
    assert!(preview["kind"].is_null());
    assert!(
        preview["problem"]
            .as_str()
            .unwrap()
            .contains("unrecognized header")
    );
    assert!(
        preview["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f[0] == "events" && f[1] == "device_id")
    );
}

#[test]
fn rings_are_paged_sorted_filtered_drawn_explained_decided_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let out = dir.path().join("packets");
    let (_app, w) = window_with(&[path.clone(), out.clone()]);
    call(&w, "open_case", json!({"path": path})).unwrap();
    let query = |extra: Value| {
        let mut q = json!({"sort": "score", "descending": true, "kind": null, "min_score": null, "decision": null, "offset": 0, "limit": 5});
        q.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        call(&w, "list_rings", json!({ "query": q })).unwrap()
    };
    let page = query(json!({}));
    assert_eq!(page["total"], 32);
    let scores: Vec<f64> = page["rings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 5);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(
        query(json!({"offset": 31}))["rings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let by_email = query(json!({"kind": "email", "limit": 50}));
    assert!(by_email["rings"].as_array().unwrap().iter().all(|r| {
        r["binding"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["kind"] == "email")
    }));

    let graph = call(&w, "ring_graph", json!({"ringId": "R-0001", "expand": []})).unwrap();
    let members = graph["ring"]["members"].as_array().unwrap().len();
    let nodes = graph["nodes"].as_array().unwrap();
    assert_eq!(
        nodes
            .iter()
            .filter(|n| n["member"] == true && n["kind"] == "account")
            .count(),
        members
    );
    let ids: std::collections::HashSet<&str> =
        nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| ids.contains(e["source"].as_str().unwrap())
                && ids.contains(e["target"].as_str().unwrap()))
    );
    assert!(
        nodes.iter().any(|n| n["hub"] == true),
        "the NAT hub is drawn, and marked"
    );
    let err = call(&w, "ring_graph", json!({"ringId": "R-9999", "expand": []})).unwrap_err();
    assert_eq!(err["code"], "unknown_ring");

    let members: Vec<String> = graph["ring"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let e = call(
        &w,
        "explain_link",
        json!({"from": members[0], "to": members[1]}),
    )
    .unwrap();
    assert_eq!(e["linked"], true);
    let timeline = call(&w, "ring_timeline", json!({"accounts": members})).unwrap();
    let ts: Vec<i64> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ts"].as_i64().unwrap())
        .collect();
    assert!(!ts.is_empty() && ts.windows(2).all(|w| w[0] <= w[1]));

    call(
        &w,
        "decide",
        json!({"item": "R-0001", "decision": "confirmed", "note": "pays itself"}),
    )
    .unwrap();
    call(
        &w,
        "add_note",
        json!({"item": "R-0001", "text": "escalate"}),
    )
    .unwrap();
    assert_eq!(
        call(&w, "add_note", json!({"item": "R-0001", "text": "  "})).unwrap_err()["code"],
        "invalid"
    );
    let confirmed = query(json!({"decision": "confirmed"}));
    assert_eq!(confirmed["total"], 1);
    assert_eq!(confirmed["rings"][0]["decision"]["note"], "pays itself");
    let history = call(&w, "history", json!({"item": "R-0001"})).unwrap();
    assert_eq!(history["chain_ok"], true);
    assert_eq!(history["entries"][0]["action"], "note");
    assert_eq!(history["notes"][0]["text"], "escalate");

    // The cached analysis follows new imports: two new accounts on one device make a new ring.
    let extra = dir.path().join("more.csv");
    std::fs::write(&extra, "account_id,timestamp,device_id\nzz1,2026-01-01T00:00:00Z,dev-shared-x\nzz2,2026-01-01T00:05:00Z,dev-shared-x\n").unwrap();
    let mut case = ringscope_store::Case::open(&path).unwrap();
    ringscope_ingest::import_file(
        &mut case,
        &extra,
        &ringscope_ingest::ImportOptions::new("tester", "2026-11-24T00:00:00Z"),
        &mut |_| {},
    )
    .unwrap();
    drop(case);
    assert_eq!(query(json!({}))["total"], 33);
    std::fs::create_dir(&out).unwrap();
    let input = json!({"ring_id": "R-0001", "out_dir": out, "narrative": "n", "profile": "legal", "sign_key": null, "zip": true});
    let exported = call(
        &w,
        "export_packet",
        json!({ "input": input, "events": "__CHANNEL__:9" }),
    )
    .unwrap();
    assert_eq!(exported["verification"]["ok"], true, "{exported}");
    assert!(exported["zip"].as_str().unwrap().ends_with(".zip"));
    // A selection of accounts instead of the ring: a packet of just those.
    let members = call(&w, "ring_members", json!({"ringId": "R-0001"})).unwrap();
    let two: Vec<&Value> = members
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|m| &m["account_id"])
        .collect();
    let input = json!({"ring_id": null, "accounts": two, "out_dir": out, "narrative": "n", "profile": "legal",
                       "sign_key": null, "zip": false});
    let exported = call(
        &w,
        "export_packet",
        json!({ "input": input, "events": "__CHANNEL__:10" }),
    )
    .unwrap();
    assert_eq!(exported["verification"]["ok"], true, "{exported}");
    let folder = std::path::PathBuf::from(exported["folder"].as_str().unwrap());
    let accounts = std::fs::read_to_string(folder.join("data/records/accounts.csv")).unwrap();
    assert_eq!(accounts.lines().count(), 3, "{accounts}");
    // Neither a ring nor accounts: refused.
    let input = json!({"ring_id": null, "accounts": [], "out_dir": out, "narrative": "n", "profile": "legal",
                       "sign_key": null, "zip": false});
    let err = call(
        &w,
        "export_packet",
        json!({ "input": input, "events": "__CHANNEL__:11" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
}

#[test]
fn pick_grants_exactly_what_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let picks = dir.path().join("picks.json");
    std::fs::write(&picks, json!({ "open_case": [path] }).to_string()).unwrap();
    // SAFETY: no other test reads or writes this variable; only the pick command reads it.
    unsafe { std::env::set_var("RINGSCOPE_E2E_PICKS", &picks) };
    let (_app, w) = window_with(&[]);
    assert_eq!(
        call(&w, "open_case", json!({"path": path})).unwrap_err()["code"],
        "not_granted"
    );
    let chosen = call(
        &w,
        "pick",
        json!({"purpose": "open_case", "title": "Open a case file"}),
    )
    .unwrap();
    assert_eq!(chosen, json!([path]));
    assert_eq!(
        call(&w, "open_case", json!({"path": path})).unwrap()["meta"]["title"],
        "Sample"
    );
    unsafe { std::env::remove_var("RINGSCOPE_E2E_PICKS") };
}

#[test]
fn dropped_files_are_granted_and_folders_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let state = AppState::default();
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let accepted = crate::commands::pick::accept_dropped(&state, &[folder.clone(), path.clone()]);
    assert_eq!(accepted, vec![path.display().to_string()]);
    assert!(state.granted(&path.display().to_string()).is_ok());
    assert_eq!(
        state
            .granted(&folder.display().to_string())
            .unwrap_err()
            .code,
        "not_granted"
    );
}

#[test]
fn accounts_are_found_by_name_email_or_id_and_come_back_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let (_app, w) = window_with(std::slice::from_ref(&path));
    call(&w, "open_case", json!({"path": path})).unwrap();

    let hostile = "<img src=x onerror=alert(1)>";
    let found = call(&w, "search_accounts", json!({"text": "<IMG", "limit": 10})).unwrap();
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{found}");
    assert_eq!(hits[0]["account_id"], "u0001798");
    assert_eq!(hits[0]["display_name"], hostile);
    let detail = call(&w, "account_detail", json!({"accountId": "u0001798"})).unwrap();
    assert_eq!(detail["account"]["display_name"], hostile);
    assert_eq!(detail["account"]["source"], "accounts.csv:1050");
    assert!(
        detail["identifiers"]
            .as_array()
            .is_some_and(|i| !i.is_empty()),
        "{detail}"
    );
    let unknown = call(&w, "account_detail", json!({"accountId": "nobody"})).unwrap_err();
    assert_eq!(unknown["code"], "unknown_account");

    // LIKE wildcards in the search text are literal: "%" matches no account.
    let none = call(&w, "search_accounts", json!({"text": "%", "limit": 10})).unwrap();
    assert_eq!(none["hits"], json!([]));

    // A ring member is reported with its ring; an exact id comes first; the limit is kept and reported.
    let top = call(&w, "list_rings", json!({"query": {"sort": "score", "descending": true, "kind": null, "min_score": null, "decision": null, "offset": 0, "limit": 1}})).unwrap();
    let ring = &top["rings"][0];
    let member = ring["members"][0].as_str().unwrap();
    let hit = call(&w, "search_accounts", json!({"text": member, "limit": 1})).unwrap();
    assert_eq!(hit["hits"][0]["account_id"], member);
    assert_eq!(hit["hits"][0]["ring"], ring["id"]);
    let many = call(&w, "search_accounts", json!({"text": "u000", "limit": 5})).unwrap();
    assert_eq!(many["hits"].as_array().unwrap().len(), 5);
    assert_eq!(many["truncated"], true);
    assert_eq!(
        call(&w, "search_accounts", json!({"text": "  ", "limit": 5})).unwrap_err()["code"],
        "invalid"
    );
}

/// Every command the app registers, split by whether it takes a path. A new command must be listed here,
/// so whoever adds one decides whether it takes a path (and then gets the grant test below).
const PATH_COMMANDS: &[&str] = &[
    "create_case",
    "open_case",
    "preview_import",
    "import_files",
    "export_packet",
    "open_desk",
    "add_desk_case",
    "import_tickets",
    "export_kpi_report",
    "export_watchlist",
    "import_watchlist",
];
const PATHLESS_COMMANDS: &[&str] = &[
    "case_summary",
    "set_user",
    "source_row",
    "remove_members",
    "restore_members",
    "split_ring",
    "merge_rings",
    "undo_ring_edit",
    "decide_many",
    "cancel_import",
    "list_rings",
    "ring_graph",
    "ring_members",
    "explain_link",
    "ring_timeline",
    "account_detail",
    "search_accounts",
    "decide",
    "add_note",
    "history",
    "pick",
    "desk_overview",
    "new_desk_case",
    "open_desk_case",
    "desk_watchlist",
    "watch_flags",
    "case_workflow",
    "mark_step",
    "set_case_status",
    "assign_case",
    "open_ticket",
];

/// The commands the generated bindings invoke: the list `crate::ipc` registers (the bindings test keeps the
/// committed file equal to what that list generates).
fn generated_commands() -> std::collections::BTreeSet<String> {
    let ipc = include_str!("../../../../ui/src/bindings/ipc.ts");
    ipc.split("__TAURI_INVOKE")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.split_once("(\"")?.1;
            Some(rest.split_once('"')?.0.to_string())
        })
        .collect()
}

#[test]
fn every_registered_command_is_classified_for_the_grant_test() {
    let registered = generated_commands();
    assert!(registered.len() > 10, "{registered:?}");
    for cmd in &registered {
        assert!(
            PATH_COMMANDS.contains(&cmd.as_str()) || PATHLESS_COMMANDS.contains(&cmd.as_str()),
            "command {cmd} is not classified as taking a path or not (see PATH_COMMANDS)"
        );
    }
    assert_eq!(
        registered.len(),
        PATH_COMMANDS.len() + PATHLESS_COMMANDS.len(),
        "{registered:?}"
    );
}

#[test]
fn every_path_taking_command_refuses_an_ungranted_path() {
    let dir = tempfile::tempdir().unwrap();
    let case = sample_case(dir.path());
    let out = dir.path().join("packets");
    std::fs::create_dir(&out).unwrap();
    // Real, readable files the user never chose: a page must not reach them by naming them.
    let secret = dir.path().join("secret.csv");
    std::fs::write(&secret, "account_id,email\nA1,someone@example.com\n").unwrap();
    let other_case = dir.path().join("other.ringscope");
    std::fs::copy(&case, &other_case).unwrap();
    let new_case = dir.path().join("new.ringscope");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let key = dir.path().join("ringscope.key");
    std::fs::write(&key, "untrusted comment: not a key\n").unwrap();

    let (_app, w) = window_with(&[case.clone(), out.clone()]);
    call(&w, "open_case", json!({"path": case})).unwrap();
    let export = |out_dir: &Path, sign_key: Option<&Path>| {
        json!({"input": {"ring_id": "R-0001", "out_dir": out_dir, "narrative": "n", "profile": "legal",
                         "sign_key": sign_key, "zip": false}, "events": "__CHANNEL__:8"})
    };
    let attempts: Vec<(&str, Value)> = vec![
        (
            "create_case",
            json!({"path": new_case, "title": "x", "reference": null, "investigator": null}),
        ),
        ("open_case", json!({"path": other_case})),
        ("preview_import", json!({"path": secret})),
        (
            "import_files",
            json!({"request": {"paths": [secret], "mapping": null, "allow_rejects": true},
                   "events": "__CHANNEL__:7"}),
        ),
        ("export_packet", export(&elsewhere, None)),
        ("export_packet", export(&out, Some(&key))),
        ("open_desk", json!({"path": elsewhere, "create": true})),
        ("import_tickets", json!({"path": secret})),
        ("export_kpi_report", json!({"outDir": elsewhere})),
        ("export_watchlist", json!({"outDir": elsewhere})),
        ("import_watchlist", json!({"path": secret})),
        (
            "add_desk_case",
            json!({"path": other_case, "caseType": null}),
        ),
    ];
    let mut tried: Vec<&str> = vec![];
    for (cmd, args) in attempts {
        let err = call(&w, cmd, args.clone()).expect_err(cmd);
        assert_eq!(err["code"], "not_granted", "{cmd} {args}: {err}");
        // The refusal names no file content.
        assert!(!err.to_string().contains("someone@example.com"), "{err}");
        tried.push(cmd);
    }
    for cmd in PATH_COMMANDS {
        assert!(
            tried.contains(cmd),
            "{cmd} was not tried with an ungranted path"
        );
    }
    // Nothing was created, imported or written.
    assert!(!new_case.exists());
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    let summary = call(&w, "case_summary", json!({})).unwrap();
    assert_eq!(summary["path"], json!(case));
    assert_eq!(summary["counts"]["sources"], 3, "{summary}");
}

#[test]
fn amount_sort_never_mixes_currencies_and_timeline_shows_major_units() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let (_app, w) = window_with(std::slice::from_ref(&path));
    call(&w, "open_case", json!({"path": path})).unwrap();
    for descending in [true, false] {
        let page = call(&w, "list_rings", json!({"query": {"sort": "amount", "descending": descending, "kind": null, "min_score": null, "decision": null, "offset": 0, "limit": 500}})).unwrap();
        let main: Vec<(String, i64)> = page["rings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| {
                let amounts = r["amounts"].as_array()?;
                let a = amounts.iter().max_by_key(|a| a["paid_minor"].as_i64())?;
                Some((
                    a["currency"].as_str()?.to_string(),
                    a["paid_minor"].as_i64()?,
                ))
            })
            .collect();
        assert!(main.len() > 3);
        for w in main.windows(2) {
            assert!(w[0].0 <= w[1].0, "currencies stay grouped: {w:?}");
            if w[0].0 == w[1].0 {
                assert!(
                    if descending {
                        w[0].1 >= w[1].1
                    } else {
                        w[0].1 <= w[1].1
                    },
                    "{w:?}"
                );
            }
        }
    }
    let top = call(&w, "list_rings", json!({"query": {"sort": "score", "descending": true, "kind": null, "min_score": null, "decision": null, "offset": 0, "limit": 1}})).unwrap();
    let events = call(
        &w,
        "ring_timeline",
        json!({"accounts": top["rings"][0]["members"]}),
    )
    .unwrap();
    let payment = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| !e["amount_minor"].is_null())
        .expect("a payment");
    let minor = payment["amount_minor"].as_i64().unwrap();
    let currency = payment["currency"].as_str().unwrap();
    assert!(
        payment["detail"]
            .as_str()
            .unwrap()
            .starts_with(&ringscope_model::money::format(minor, currency)),
        "{payment}"
    );
}

#[test]
fn the_audit_log_names_the_case_investigator_not_the_os_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.ringscope");
    let new = ringscope_store::NewCase {
        title: "Actor".into(),
        investigator: Some("Ana Moreau".into()),
        phone_region: "US".into(),
        ..Default::default()
    };
    let mut case = ringscope_store::Case::create(&path, &new, "2026-11-24T00:00:00Z").unwrap();
    ringscope_ingest::import_file(
        &mut case,
        Path::new(&fixtures("accounts.csv")),
        &ringscope_ingest::ImportOptions::new("tester", "2026-11-24T00:00:00Z"),
        &mut |_| {},
    )
    .unwrap();
    drop(case);
    let (_app, w) = window_with(std::slice::from_ref(&path));
    call(&w, "open_case", json!({"path": path})).unwrap();
    call(&w, "add_note", json!({"item": "u0000001", "text": "seen"})).unwrap();
    let history = call(&w, "history", json!({"item": "u0000001"})).unwrap();
    assert_eq!(history["entries"][0]["actor"], "Ana Moreau", "{history}");
    // Someone else at the keyboard says who they are: they are named, not the case's investigator.
    let named = call(&w, "set_user", json!({"name": "  Bo Lind "})).unwrap();
    assert_eq!(named, "Bo Lind");
    call(
        &w,
        "add_note",
        json!({"item": "u0000001", "text": "second look"}),
    )
    .unwrap();
    let history = call(&w, "history", json!({"item": "u0000001"})).unwrap();
    let actors: Vec<&str> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert!(
        actors.contains(&"Bo Lind") && actors.contains(&"Ana Moreau"),
        "{actors:?}"
    );
    // Forgotten: the investigator again.
    assert_eq!(
        call(&w, "set_user", json!({"name": null})).unwrap(),
        "Ana Moreau"
    );
}

#[test]
fn one_decision_on_many_items_is_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_case(dir.path());
    let (_app, w) = window_with(std::slice::from_ref(&path));
    call(&w, "open_case", json!({"path": path})).unwrap();
    let decided = call(
        &w,
        "decide_many",
        json!({"items": ["u0000001", "u0000002"], "decision": "dismissed", "note": "same household"}),
    )
    .unwrap();
    assert_eq!(decided.as_array().unwrap().len(), 2);
    // One unknown item refuses the whole batch: nothing is decided.
    let err = call(
        &w,
        "decide_many",
        json!({"items": ["u0000003", "nobody-at-all"], "decision": "confirmed", "note": null}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid");
    let history = call(&w, "history", json!({"item": "u0000003"})).unwrap();
    assert_eq!(history["entries"].as_array().unwrap().len(), 0);
}
