//! What the front ends show of rings and accounts: a link explained down to the source lines, money in each
//! currency's exponent, search, account and timeline as the app shows them, errors as `{code, message}`, and a
//! ring's graph as JSON, GraphML and GEXF.

use crate::rings::{rings_json, truth};
use crate::util::{Sandbox, ringscope, sample, sample_case};
use std::collections::{BTreeSet, HashMap};

#[test]
fn explain_walks_a_chain_with_the_source_lines_behind_each_hop() {
    let s = sample_case();
    let t = truth();
    let chain = t.rings.iter().find(|g| g.kind == "chain").unwrap();
    // The generator writes chain members in link order: device, card, phone, email, device...
    let (first, last) = (
        chain.members.first().unwrap(),
        chain.members.last().unwrap(),
    );
    let run = ringscope([
        "explain".as_ref(),
        s.case.as_os_str(),
        first.as_ref(),
        last.as_ref(),
        "--json".as_ref(),
    ])
    .ok();
    let e = run.json();
    assert_eq!(e["linked"], true);
    let hops = e["hops"].as_array().unwrap();
    assert_eq!(hops.len(), chain.members.len() - 1, "{e}");
    let kinds: Vec<&str> = hops.iter().map(|h| h["kind"].as_str().unwrap()).collect();
    let expected = [
        "device", "card", "phone", "email", "device", "card", "phone",
    ];
    assert_eq!(kinds, expected[..kinds.len()]);
    let files: HashMap<&str, Vec<String>> = ["accounts.csv", "payments.csv", "logins.csv"]
        .iter()
        .map(|f| {
            (
                *f,
                std::fs::read_to_string(sample(f))
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect(),
            )
        })
        .collect();
    for (i, hop) in hops.iter().enumerate() {
        assert_eq!(hop["from"]["account"], chain.members[i].as_str());
        assert_eq!(hop["to"]["account"], chain.members[i + 1].as_str());
        for side in ["from", "to"] {
            let usage = &hop[side];
            let account = usage["account"].as_str().unwrap();
            let rows = usage["rows"].as_array().unwrap();
            assert!(!rows.is_empty() && usage["total_rows"].as_u64().unwrap() >= rows.len() as u64);
            for row in rows {
                let line = &files[row["file"].as_str().unwrap()]
                    [row["line"].as_u64().unwrap() as usize - 1];
                assert!(
                    line.contains(account),
                    "{line} should be a row of {account}"
                );
                let value = hop["value"].as_str().unwrap();
                match hop["kind"].as_str().unwrap() {
                    "device" | "card" => {
                        assert!(line.contains(value), "{line} should show {value}")
                    }
                    "phone" => assert!(line.split(',').nth(3).is_some_and(|p| !p.is_empty())),
                    _ => {}
                }
            }
        }
    }
    let text = ringscope([
        "explain".as_ref(),
        s.case.as_os_str(),
        first.as_ref(),
        last.as_ref(),
    ])
    .ok();
    assert!(
        text.stdout.contains("logins.csv:") && text.stdout.contains("payments.csv:"),
        "{}",
        text.stdout
    );
    assert!(
        ringscope([
            "explain".as_ref(),
            s.case.as_os_str(),
            first.as_ref(),
            "nobody".as_ref()
        ])
        .fails()
        .stderr
        .contains("no account \"nobody\"")
    );
}

#[test]
fn ring_money_is_shown_with_each_currencys_exponent() {
    let s = Sandbox::new();
    let events = s.write(
        "events.csv",
        "account_id,timestamp,device_id,ip\n\
         m1,2026-01-01T00:00:00Z,d-money-farm,\n\
         m2,2026-01-01T00:05:00Z,d-money-farm,\n\
         m3,2026-01-01T00:09:00Z,d-money-farm,\n",
    );
    let payments = s.write(
        "payments.csv",
        "payment_id,created_at,amount,currency,status,account_id,creator_id\n\
         p1,2026-01-02T00:00:00Z,1000,JPY,succeeded,m1,c1\n\
         p2,2026-01-02T00:01:00Z,1.234,KWD,succeeded,m2,c1\n\
         p3,2026-01-02T00:02:00Z,9.99,USD,succeeded,m3,c1\n",
    );
    s.import([&events, &payments]).ok();
    let rings = rings_json(&s);
    assert_eq!(rings.len(), 1, "{rings:?}");
    let id = rings[0]["id"].as_str().unwrap();
    let text = ringscope(["ring".as_ref(), s.case.as_os_str(), id.as_ref()]).ok();
    for shown in [
        "Money  1000 JPY paid, 0 JPY disputed",
        "Money  1.234 KWD paid, 0.000 KWD disputed",
        "Money  9.99 USD paid, 0.00 USD disputed",
    ] {
        assert!(text.stdout.contains(shown), "{shown}\n{}", text.stdout);
    }
    assert!(!text.stdout.contains("10.00"), "{}", text.stdout);
}

#[test]
fn search_account_and_timeline_do_what_the_app_does() {
    let s = sample_case();
    let rings = rings_json(&s);
    let ring = &rings[0];
    let id = ring["id"].as_str().unwrap();
    let case = s.case.as_os_str();
    let run = |args: &[&str]| {
        let mut all: Vec<&std::ffi::OsStr> = vec![args[0].as_ref(), case];
        all.extend(args[1..].iter().map(std::ffi::OsStr::new));
        all.push("--json".as_ref());
        ringscope(all).ok().json()
    };
    // By text (id, name, email), labelled with the saved ring.
    let found = run(&["search", "u0000013"]);
    assert_eq!(found["hits"][0]["account_id"], "u0000013", "{found}");
    assert_eq!(found["hits"][0]["ring"], id);
    // By identifier, read as linking reads it: a device id in capitals with GUID braces, a Gmail variant, a phone
    // written nationally.
    let device = run(&["search", "{D9C34ED1-2FAB-C775-32C0-3F054C64225C}"]);
    let hits = device["identifiers"].as_array().unwrap();
    assert!(hits.len() > 3, "{device}");
    assert!(
        hits.iter()
            .all(|h| h["kind"] == "device" && h["value"] == "d9c34ed1-2fab-c775-32c0-3f054c64225c")
    );
    let email = run(&["search", "Mateo.Walker551+promo@gmail.com"]);
    assert!(
        email["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["account_id"] == "u0000013" && h["kind"] == "email"),
        "{email}"
    );
    let phone = run(&["search", "+1 512 699 5282"]);
    assert!(
        phone["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["account_id"] == "u0000974" && h["value"] == "+15126995282"),
        "{phone}"
    );
    // One account: record, identifiers, payments and ring.
    let account = run(&["account", "u0000013"]);
    assert_eq!(account["account"]["source"], "accounts.csv:548");
    assert_eq!(account["ring"], id);
    assert_eq!(account["payments_made"].as_array().unwrap().len(), 2);
    let kinds: BTreeSet<&str> = account["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["card", "device", "email", "ip"]));
    // The timeline of a ring equals the timeline of its members; payments are in major units.
    let by_ring = run(&["timeline", "--ring", id]);
    let members: Vec<&str> = ring["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let by_accounts = run(&["timeline", "--accounts", &members.join(",")]);
    assert_eq!(by_ring, by_accounts);
    let payment = by_ring
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "payment")
        .unwrap();
    assert!(
        payment["detail"].as_str().unwrap().contains(" USD to "),
        "{payment}"
    );
    let text = ringscope(["timeline".as_ref(), case, "--ring".as_ref(), id.as_ref()]).ok();
    assert!(text.stdout.contains("USD to"), "{}", text.stdout);
}

#[test]
fn every_command_fails_with_code_and_message_in_json() {
    let s = sample_case();
    let case = s.case.to_str().unwrap();
    let missing = s.dir.path().join("missing.ringscope");
    let missing = missing.to_str().unwrap();
    let attempts: &[(&[&str], &str)] = &[
        (&["case", "info", missing], "not_found"),
        (&["import", missing, "x.csv"], "not_found"),
        (&["rings", missing], "not_found"),
        (&["ring", case, "R-9999"], "unknown_ring"),
        (&["explain", case, "nobody", "u0000013"], "unknown_account"),
        (&["decide", case, "R-0001", "--state", "maybe"], "invalid"),
        (&["note", missing, "R-0001", "text"], "not_found"),
        (&["log", missing], "not_found"),
        (
            &[
                "export", case, "--ring", "R-0001", "--out", "x", "--redact", "nobody",
            ],
            "invalid",
        ),
        (&["search", case, " "], "invalid"),
        (&["account", case, "nobody"], "unknown_account"),
        (&["timeline", case, "--ring", "R-9999"], "unknown_ring"),
        (&["rings", case, "--no-such-flag"], "usage"),
    ];
    for (args, code) in attempts {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let run = ringscope(&all);
        assert_ne!(run.code, Some(0), "{args:?}");
        let v: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", run.stdout));
        assert_eq!(v["code"], *code, "{args:?}: {v}");
        assert!(!v["message"].as_str().unwrap().is_empty(), "{args:?}");
    }
}

#[test]
fn ring_graph_exports_json_graphml_and_gexf() {
    let s = sample_case();
    let case = s.case.as_os_str();
    let json = ringscope([
        "ring-graph".as_ref(),
        case,
        "R-0001".as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let members = json["ring"]["members"].as_array().unwrap().len();
    let nodes = json["nodes"].as_array().unwrap();
    assert_eq!(
        nodes
            .iter()
            .filter(|n| n["member"] == true && n["kind"] == "account")
            .count(),
        members
    );
    let edges = json["edges"].as_array().unwrap().len();
    assert!(edges >= members);
    let graphml = ringscope([
        "ring-graph".as_ref(),
        case,
        "R-0001".as_ref(),
        "--format".as_ref(),
        "graphml".as_ref(),
    ])
    .ok()
    .stdout;
    assert!(graphml.starts_with("<?xml") && graphml.contains("<graphml"));
    assert_eq!(graphml.matches("<node ").count(), nodes.len());
    assert_eq!(graphml.matches("<edge ").count(), edges);
    let gexf = ringscope([
        "ring-graph".as_ref(),
        case,
        "R-0001".as_ref(),
        "--format".as_ref(),
        "gexf".as_ref(),
    ])
    .ok()
    .stdout;
    assert!(gexf.contains("<gexf") && gexf.trim_end().ends_with("</gexf>"));
    assert_eq!(gexf.matches("<node ").count(), nodes.len());
    assert_eq!(gexf.matches("<edge ").count(), edges);
    let run = ringscope([
        "ring-graph".as_ref(),
        case,
        "R-9999".as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json()["code"], "unknown_ring");
}
