//! The investigation desk through the real `ringscope` binary: a typed case with its checklist, decided and closed,
//! the KPIs changing, the watchlist carrying a confirmed ring's device into a second case, and the packet carrying
//! the case's status and checklist.

use crate::util::{ringscope, sample};
use std::ffi::OsString;
use std::path::Path;

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> crate::util::Run {
    ringscope(
        args.iter()
            .map(|a| a.as_ref().to_owned())
            .collect::<Vec<OsString>>(),
    )
}

/// Whether the case's history has an entry of this action.
fn logged(case: &Path, action: &str) -> bool {
    run(&[&"log", &case, &"--json"]).ok().json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == action)
}

fn import_sample(case: &Path) {
    run(&[
        &"import",
        &case,
        &sample("accounts.csv"),
        &sample("payments.csv"),
        &sample("logins.csv"),
        &"--mapping",
        &sample("logins.mapping.toml"),
    ])
    .ok();
}

#[test]
fn desk_typed_case_checklist_close_kpis_and_watchlist() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = tmp.path().join("desk");
    run(&[&"desk", &"init", &desk]).ok();
    assert!(
        run(&[&"desk", &"init", &desk])
            .fails()
            .stderr
            .contains("already holds a desk")
    );
    assert!(
        run(&[
            &"desk",
            &"new",
            &desk,
            &"--title",
            &"x",
            &"--type",
            &"shoplifting"
        ])
        .fails()
        .stderr
        .contains("no case type \"shoplifting\"")
    );
    run(&[
        &"desk",
        &"new",
        &desk,
        &"--title",
        &"Chargebacks on creator c1",
        &"--type",
        &"chargeback",
        &"--reference",
        &"ZD-123",
        &"--assignee",
        &"ana",
    ])
    .ok();
    let case = desk.join("zd-123.ringscope");
    assert!(case.is_file());
    import_sample(&case);

    let checklist = run(&[&"case", &"checklist", &case, &"--json"]).ok().json();
    assert_eq!(checklist["case_type"], "chargeback");
    assert_eq!(checklist["status"], "open");
    assert_eq!(checklist["assignee"], "ana");
    assert_eq!(checklist["checklist"].as_array().unwrap().len(), 4);

    let before = run(&[&"desk", &"kpis", &desk, &"--json"]).ok().json();
    assert_eq!(before["cases"], 1);
    assert_eq!(before["by_status"]["open"], 1);
    assert_eq!(before["confirmed_rings"], 0);
    assert_eq!(before["oldest_open"]["file"], "zd-123.ringscope");

    run(&[&"case", &"step", &case, &"import", &"--done"]).ok();
    run(&[
        &"case",
        &"step",
        &case,
        &"contact",
        &"--skip",
        &"no support history exported",
    ])
    .ok();
    assert!(
        run(&[&"case", &"step", &case, &"teleport", &"--done"])
            .fails()
            .stderr
            .contains("no step \"teleport\"")
    );
    run(&[&"case", &"status", &case, &"in-review"]).ok();
    let refused = run(&[&"case", &"status", &case, &"closed"]).fails();
    assert!(
        refused
            .stderr
            .contains("required steps are still open (rings, decide)"),
        "{}",
        refused.stderr
    );
    run(&[&"rings", &case]).ok();
    run(&[&"decide", &case, &"R-0001", &"--state", &"confirmed"]).ok();
    run(&[&"case", &"step", &case, &"rings", &"--done"]).ok();
    run(&[&"case", &"step", &case, &"decide", &"--done"]).ok();
    run(&[&"case", &"assign", &case, &"bo"]).ok();
    run(&[&"case", &"status", &case, &"closed"]).ok();

    let log = run(&[&"log", &case, &"--json"]).ok().json();
    assert_eq!(log["chain_ok"], true);
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("case."))
        .collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "case.type",
            "case.assign",
            "case.step",
            "case.step",
            "case.status",
            "case.step",
            "case.step",
            "case.assign",
            "case.status"
        ]
    );

    let after = run(&[&"desk", &"kpis", &desk, &"--json"]).ok().json();
    assert_eq!(after["by_status"]["closed"], 1);
    assert_eq!(after["confirmed_rings"], 1);
    assert_eq!(after["closed_within_sla"], 1);
    assert_eq!(after["time_to_close"]["count"], 1);
    assert_eq!(after["time_to_first_decision"]["count"], 1);
    assert!(after["oldest_open"].is_null());
    assert!(!after["confirmed_money"].as_array().unwrap().is_empty());
    let csv = run(&[&"desk", &"kpis", &desk, &"--csv"]).ok().stdout;
    assert!(csv.starts_with("metric,key,value\n"), "{csv}");
    assert!(csv.contains("confirmed_rings,,1\n"), "{csv}");

    let list = run(&[&"desk", &"list", &desk, &"--json", &"--status", &"closed"])
        .ok()
        .json();
    assert_eq!(list[0]["reference"], "ZD-123");
    assert_eq!(list[0]["assignee"], "bo");
    assert_eq!(list[0]["rings_confirmed"], 1);
    assert_eq!(list[0]["steps_skipped"], 1);
    let text = run(&[&"desk", &"list", &desk]).ok().stdout;
    assert!(
        text.contains("Chargebacks on creator c1") && text.contains("1 case(s)"),
        "{text}"
    );

    // The packet carries the status and the checklist.
    let out = tmp.path().join("packets");
    let exported = run(&[
        &"export", &case, &"--ring", &"R-0001", &"--out", &out, &"--json",
    ])
    .ok()
    .json();
    let folder = Path::new(exported["folder"].as_str().unwrap()).to_owned();
    let info = std::fs::read_to_string(folder.join("bag-info.txt")).unwrap();
    assert!(info.contains("Ringscope-Case-Status: closed"), "{info}");
    assert!(info.contains("Ringscope-Case-Type: chargeback"), "{info}");
    let case_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("data/case.json")).unwrap())
            .unwrap();
    assert_eq!(
        case_json["checklist"][2]["mark"]["reason"],
        "no support history exported"
    );
    run(&[&"verify", &folder]).ok();
    // The PDF report shows the procedure too, for a reader who never opens the JSON.
    let report = crate::packets::run_ok(crate::packets::tool("pdftotext").args([
        folder.join("data/report/summary.pdf").as_os_str(),
        "-".as_ref(),
    ]));
    assert!(report.contains("Case procedure"), "{report}");
    assert!(
        report.contains("skipped: no support history exported"),
        "{report}"
    );

    // The weekly program review as a PDF, read back as a reader would.
    let review = tmp.path().join("review.pdf");
    run(&[&"desk", &"kpis", &desk, &"--pdf", &review]).ok();
    let text = crate::packets::run_ok(
        crate::packets::tool("pdftotext").args([review.as_os_str(), "-".as_ref()]),
    );
    for wanted in [
        "weekly program review",
        "Closed within SLA",
        "Cases opened and closed per week",
        "Open cases by due date",
    ] {
        assert!(text.contains(wanted), "{wanted}: {text}");
    }

    // The confirmed ring's identifiers are watched; a second case using one of its devices is flagged.
    let watch = run(&[&"desk", &"watchlist", &desk, &"list", &"--json"])
        .ok()
        .json();
    let watch = watch.as_array().unwrap();
    assert!(
        watch
            .iter()
            .any(|e| e["kind"] == "device" && e["ring_id"] == "R-0001")
    );
    run(&[
        &"desk",
        &"new",
        &desk,
        &"--title",
        &"Returning devices",
        &"--type",
        &"ban-evasion",
    ])
    .ok();
    let second = desk.join("returning-devices.ringscope");
    // The same fraudsters come back with their accounts, payments and logins (logins alone bind nobody: no
    // sign-up times or payments to read the devices' accounts by).
    let imported = run(&[
        &"import",
        &second,
        &sample("accounts.csv"),
        &sample("payments.csv"),
        &sample("logins.csv"),
        &"--mapping",
        &sample("logins.mapping.toml"),
    ])
    .ok();
    assert!(
        imported
            .stdout
            .contains("watched from case \"Chargebacks on creator c1\""),
        "{}",
        imported.stdout
    );
    let flags = run(&[&"desk", &"check", &desk, &second, &"--json"])
        .ok()
        .json();
    let flag = flags
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "device")
        .expect("a watched device flagged");
    assert_eq!(flag["earlier"]["reference"], "ZD-123");
    assert_eq!(flag["earlier"]["ring_id"], "R-0001");
    assert_eq!(flag["earlier"]["case_file"], "zd-123.ringscope");
    assert!(logged(&second, "watchlist.flag"));
    // The flag is a reason of the second case's ring holding the flagged account, naming where it came from.
    let rings = run(&[&"rings", &second, &"--json"]).ok().json();
    let flagged_accounts: Vec<&serde_json::Value> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["account_id"])
        .collect();
    let flagged = rings
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            let members = r["members"].as_array().unwrap();
            flagged_accounts.iter().any(|a| members.contains(a))
        })
        .unwrap_or_else(|| panic!("a flagged account is in a ring: {flagged_accounts:?} {rings}"));
    let reason = flagged["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["feature"] == "watchlist")
        .expect("a watchlist reason");
    let detail = reason["detail"].as_str().unwrap();
    assert!(
        detail.contains("Chargebacks on creator c1") && detail.contains("R-0001"),
        "{detail}"
    );
    assert!(reason["contribution"].as_f64().unwrap() >= 2.5);
    // The earlier decision is overturned: the desk stops watching, and the second case's flags are withdrawn with
    // their ring reason.
    run(&[
        &"decide",
        &case,
        &"R-0001",
        &"--state",
        &"dismissed",
        &"--note",
        &"wrong ring",
    ])
    .ok();
    let withdrawn = run(&[&"desk", &"check", &desk, &second, &"--update", &"--json"])
        .ok()
        .json();
    assert_eq!(withdrawn, serde_json::json!([]));
    let rings = run(&[&"rings", &second, &"--json"]).ok().json();
    assert!(
        rings.as_array().unwrap().iter().all(|r| r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["feature"] != "watchlist")),
        "no ring keeps a watchlist reason"
    );
    assert!(logged(&second, "watchlist.unflag"));
    run(&[
        &"decide",
        &case,
        &"R-0001",
        &"--state",
        &"confirmed",
        &"--note",
        &"it was a ring after all",
    ])
    .ok();

    // The earlier case is not flagged against itself.
    assert_eq!(
        run(&[&"desk", &"check", &desk, &case, &"--json"])
            .ok()
            .json(),
        serde_json::json!([])
    );

    // The watchlist travels as CSV to another desk.
    let csv_file = tmp.path().join("watchlist.csv");
    run(&[&"desk", &"watchlist", &desk, &"export", &csv_file]).ok();
    let other = tmp.path().join("other");
    run(&[&"desk", &"init", &other]).ok();
    run(&[&"desk", &"watchlist", &other, &"import", &csv_file]).ok();
    let theirs = run(&[&"desk", &"watchlist", &other, &"list", &"--json"])
        .ok()
        .json();
    assert_eq!(theirs.as_array().unwrap().len(), watch.len());
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["origin"] == "import")
    );
}

#[test]
fn desk_add_existing_case_and_close_with_open_steps_needs_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = tmp.path().join("desk");
    run(&[&"desk", &"init", &desk]).ok();
    let loose = tmp.path().join("loose.ringscope");
    run(&[&"case", &"init", &loose, &"--title", &"Loose case"]).ok();
    run(&[
        &"desk",
        &"add",
        &desk,
        &loose,
        &"--type",
        &"account-takeover",
    ])
    .ok();
    let added = desk.join("loose.ringscope");
    assert!(added.is_file() && loose.is_file());
    run(&[
        &"case",
        &"status",
        &added,
        &"closed",
        &"--reason",
        &"reported twice",
    ])
    .ok();
    let log = run(&[&"log", &added, &"--json"]).ok().json();
    let last = log["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "case.status");
    assert_eq!(last["details"]["reason"], "reported twice");
    assert_eq!(
        last["details"]["open_required_steps"],
        serde_json::json!(["import", "devices", "decide"])
    );
    let list = run(&[
        &"desk",
        &"list",
        &desk,
        &"--json",
        &"--type",
        &"account-takeover",
    ])
    .ok()
    .json();
    assert_eq!(list[0]["status"], "closed");
    assert!(
        run(&[&"desk", &"list", &desk, &"--sort", &"colour"])
            .fails()
            .stderr
            .contains("cannot sort by")
    );
    assert!(
        run(&[&"desk", &"list", &tmp.path()])
            .fails()
            .stderr
            .contains("not a Ringscope desk")
    );
}

/// A Zendesk ticket export attaches tickets to accounts by requester email (normalized like account emails);
/// they show on the account and on its ring's timeline; the same file twice changes nothing; a broken file is
/// refused whole with file, line and column.
#[test]
fn zendesk_tickets_attach_to_accounts_and_show_on_timelines() {
    let s = crate::util::sample_case();
    let case = s.case.to_str().unwrap();
    let tickets = crate::util::fixtures().join("zendesk/tickets.json");
    let report = crate::util::ringscope([
        "import-tickets".as_ref(),
        case.as_ref(),
        tickets.as_os_str(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let r = &report[0];
    assert_eq!(r["tickets"], 4);
    assert_eq!(r["new"], 4);
    assert_eq!(r["linked_tickets"], 2, "{r}");
    assert_eq!(r["without_email"], 1);
    let again = crate::util::ringscope([
        "import-tickets".as_ref(),
        case.as_ref(),
        tickets.as_os_str(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    assert_eq!(again[0]["already_imported"], true);
    assert_eq!(again[0]["new"], 0);

    crate::util::ringscope(["rings", case]).ok();
    let account = crate::util::ringscope(["account", case, "u0000018", "--json"])
        .ok()
        .json();
    assert_eq!(account["tickets"][0]["ticket_id"], 90102);
    assert_eq!(account["tickets"][0]["subject"], "Refund please");
    let ring = account["ring"]
        .as_str()
        .expect("u0000018 is in a ring")
        .to_string();
    let timeline = crate::util::ringscope(["timeline", case, "--ring", &ring, "--json"])
        .ok()
        .json();
    let ticket_events: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ticket")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        ticket_events.contains(&"ticket #90101 opened: Why was I charged twice?"),
        "{ticket_events:?}"
    );
    assert!(
        ticket_events.contains(&"ticket #90101 solved: Why was I charged twice?"),
        "{ticket_events:?}"
    );
    assert!(
        ticket_events.iter().all(|e| !e.contains("90103")),
        "{ticket_events:?}"
    );

    // Broken JSON: refused whole, naming where.
    let broken = s.write("broken.json", "{\"tickets\": [\n  {\"id\": 1, \"created_at\": \"2026-01-01T00:00:00Z\"},\n  {\"id\": 2,,}\n]}");
    let err = crate::util::ringscope([
        "import-tickets".as_ref(),
        case.as_ref(),
        broken.as_os_str(),
        "--json".as_ref(),
    ])
    .fails()
    .json();
    assert_eq!(err["code"], "tickets");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("broken.json:3:"),
        "{err}"
    );
    let log = crate::util::ringscope(["log", case, "--json"]).ok().json();
    let imports = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "tickets.import")
        .count();
    assert_eq!(
        imports, 1,
        "the same bytes and the broken file logged nothing"
    );
}
