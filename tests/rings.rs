//! Rings on the sample case and on generated cases: found with their exact membership, ranked above benign
//! look-alikes, and stable across re-imports. What the front ends show of them is in `ring_views.rs`.

use crate::util::{Sandbox, ringscope, sample, sample_case};
use ringscope_graph::{IdKind, LinkGraph};
use ringscope_synth::{Group, Truth};
use std::collections::{BTreeSet, HashMap};

pub(crate) fn truth() -> Truth {
    serde_json::from_str(&std::fs::read_to_string(sample("truth.json")).unwrap()).unwrap()
}

pub fn rings_json(s: &Sandbox) -> Vec<serde_json::Value> {
    let run = ringscope(["rings".as_ref(), s.case.as_os_str(), "--json".as_ref()]).ok();
    run.json().as_array().unwrap().clone()
}

pub fn members(ring: &serde_json::Value) -> BTreeSet<String> {
    ring["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(rings: &'a [serde_json::Value], group: &Group) -> Option<&'a serde_json::Value> {
    let want: BTreeSet<String> = group.members.iter().cloned().collect();
    rings.iter().find(|r| members(r) == want)
}

#[test]
fn every_planted_ring_is_found_exactly_and_ranked_above_every_benign_group() {
    let s = sample_case();
    let rings = rings_json(&s);
    let t = truth();
    let mut worst_fraud = 0;
    for g in &t.rings {
        let r = find(&rings, g)
            .unwrap_or_else(|| panic!("{} ({}) not found with its exact membership", g.id, g.note));
        worst_fraud = worst_fraud.max(r["rank"].as_u64().unwrap());
        assert!(r["id"].as_str().unwrap().starts_with("R-"));
        assert!(r["score"].as_f64().unwrap() > 0.0);
        let reasons = r["reasons"].as_array().unwrap();
        let sum: f64 = reasons
            .iter()
            .map(|x| x["contribution"].as_f64().unwrap())
            .sum();
        assert!(
            (sum - r["score"].as_f64().unwrap()).abs() < 0.02,
            "the score is the sum of its reasons: {r}"
        );
        assert!(reasons.iter().all(|x| x["feature"].is_string()
            && x["value"].is_number()
            && x["detail"].is_string()));
    }
    // Households and families are listed, below every planted ring; hub crowds (a colliding fingerprint, a campus
    // IP) are not rings at all.
    for g in &t.benign {
        if matches!(g.kind.as_str(), "fingerprint_collision" | "campus_ip") {
            let crowd: BTreeSet<&str> = g.members.iter().map(String::as_str).collect();
            for r in &rings {
                let inside = members(r)
                    .iter()
                    .filter(|m| crowd.contains(m.as_str()))
                    .count();
                assert!(inside <= 3, "{} ({}) is in ring {}", g.id, g.note, r["id"]);
            }
            continue;
        }
        let r = find(&rings, g)
            .unwrap_or_else(|| panic!("{} ({}) should still be listed", g.id, g.note));
        assert!(
            r["rank"].as_u64().unwrap() > worst_fraud,
            "{} ranks {} above planted fraud (worst at {worst_fraud})",
            g.id,
            r["rank"]
        );
    }
    let listed_benign = t
        .benign
        .iter()
        .filter(|g| matches!(g.kind.as_str(), "household" | "family_card"))
        .count();
    assert_eq!(
        rings.len(),
        t.rings.len() + listed_benign,
        "no other groups: the NAT hub, the crowds and placeholders bind nobody"
    );

    // Pattern-specific reasons show up where they belong.
    let reason_of = |kind: &str, feature: &str| {
        t.rings.iter().filter(|g| g.kind == kind).all(|g| {
            find(&rings, g).unwrap()["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["feature"] == feature)
        })
    };
    assert!(reason_of("ban_evasion", "ban_evasion"));
    assert!(
        t.rings
            .iter()
            .filter(|g| g.style == "email_variant")
            .all(|g| find(&rings, g).unwrap()["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["feature"] == "email_variants"))
    );
    assert!(reason_of("self_funding", "self_funding"));
    assert!(reason_of("device_farm", "signup_burst"));
    assert!(reason_of("proxy_farm", "signup_burst"));
    assert!(reason_of("big_farm", "accounts_per_device"));
    assert!(reason_of("chargeback_crew", "dispute_rate"));
    assert!(reason_of("chain", "chained_links"));

    // --limit and --min-score narrow the list.
    let run = ringscope([
        "rings".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
        "--limit".as_ref(),
        "3".as_ref(),
    ])
    .ok();
    assert_eq!(run.json().as_array().unwrap().len(), 3);
    let run = ringscope([
        "rings".as_ref(),
        s.case.as_os_str(),
        "--json".as_ref(),
        "--min-score".as_ref(),
        "5".as_ref(),
    ])
    .ok();
    assert!(
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["score"].as_f64().unwrap() >= 5.0)
    );
}

#[test]
fn the_carrier_nat_ip_is_a_hub_and_placeholders_link_nothing() {
    let s = sample_case();
    let case = s.open();
    let g = LinkGraph::build(&case).unwrap();
    let hubs: Vec<_> = g.hubs().collect();
    assert!(
        hubs.iter()
            .any(|(kind, value, n)| *kind == IdKind::Ip && *value == "172.56.10.1" && *n > 100),
        "{hubs:?}"
    );
    for p in ["00000000-0000-0000-0000-000000000000", "unknown"] {
        assert!(
            g.placeholders
                .iter()
                .any(|x| x.kind == IdKind::Device && x.value == p),
            "{p} reported as a placeholder"
        );
        assert!(
            g.identifier(IdKind::Device, p).is_none(),
            "{p} is not in the graph"
        );
    }
    // Two accounts from different planted rings that both used the NAT IP are not linked.
    let t = truth();
    let on_nat = |group: &Group| {
        group
            .members
            .iter()
            .find(|m| {
                ringscope_graph::explain::usage(&case, IdKind::Ip, "172.56.10.1", m)
                    .unwrap()
                    .total_rows
                    > 0
            })
            .cloned()
    };
    let (a, b) = t
        .rings
        .iter()
        .filter_map(on_nat)
        .zip(t.rings.iter().skip(1).filter_map(on_nat))
        .find(|(a, b)| a != b)
        .unwrap();
    let run = ringscope([
        "explain".as_ref(),
        s.case.as_os_str(),
        a.as_ref(),
        b.as_ref(),
        "--json".as_ref(),
    ])
    .ok();
    assert_eq!(
        run.json()["linked"],
        false,
        "{a} and {b} share only the NAT hub"
    );
    let rings = rings_json(&s);
    for r in &rings {
        assert!(
            r["binding"]
                .as_array()
                .unwrap()
                .iter()
                .all(|b| b["value"] != "172.56.10.1")
        );
    }
}

/// A case small enough to check by hand: a big farm (40 accounts on two devices, past a household's count), a
/// proxy farm (a fresh device each, bound only by the proxies they signed up through), a fingerprint collision (30
/// strangers on one device id, months apart) and a household.
#[test]
fn big_farm_and_proxy_farm_are_rings_and_a_colliding_fingerprint_is_a_hub() {
    let s = Sandbox::new();
    let mut accounts =
        String::from("account_id,created_at,email,phone,display_name,country,role,status\n");
    let mut events = String::from("account_id,timestamp,event_type,ip,device_id,user_agent\n");
    let mut payments = String::from(
        "payment_id,created_at,amount,currency,status,account_id,creator_id,card_fingerprint\n",
    );
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let at = |secs: i64| {
        chrono::DateTime::from_timestamp(t0 + secs, 0)
            .unwrap()
            .to_rfc3339()
    };
    let (min, day) = (60, 86_400);
    let mut pay =
        |n: &mut u32, account: &str, when: i64, creator: &str, card: &str, status: &str| {
            *n += 1;
            payments.push_str(&format!(
                "ch_{n},{},9.99,usd,{status},{account},{creator},{card}\n",
                at(when)
            ));
        };
    let mut n = 0;
    for c in ["c1", "c2", "c3", "c4"] {
        accounts.push_str(&format!("{c},{},,,{c},US,creator,active\n", at(-90 * day)));
    }
    for i in 0..40 {
        let (a, when) = (format!("b{i:02}"), i * 15 * min);
        let device = if i % 2 == 0 { "DEV-A" } else { "DEV-B" };
        accounts.push_str(&format!("{a},{},,,{a},US,fan,active\n", at(when)));
        events.push_str(&format!(
            "{a},{},signup,45.10.0.{},{device},ua\n",
            at(when),
            1 + i % 5
        ));
        pay(
            &mut n,
            &a,
            when + 60 * min,
            "c1",
            &format!("cardb{i}"),
            if i % 3 == 0 { "failed" } else { "paid" },
        );
        pay(
            &mut n,
            &a,
            when + 90 * min,
            "c2",
            &format!("cardb{i}"),
            "paid",
        );
    }
    for i in 0..6 {
        let (a, when) = (format!("p{i}"), 60 * day + i * 5 * min);
        accounts.push_str(&format!("{a},{},,,{a},US,fan,active\n", at(when)));
        let (own, other) = if i < 3 {
            ("73.1.1.10", "73.1.1.11")
        } else {
            ("73.1.1.11", "73.1.1.10")
        };
        events.push_str(&format!("{a},{},signup,{own},dev-p{i},ua\n", at(when)));
        events.push_str(&format!(
            "{a},{},login,{other},dev-p{i},ua\n",
            at(when + day)
        ));
        pay(
            &mut n,
            &a,
            when + 30 * min,
            "c3",
            &format!("cardp{i}"),
            "paid",
        );
        pay(
            &mut n,
            &a,
            when + 2 * day,
            "c3",
            &format!("cardp{i}"),
            "paid",
        );
    }
    for i in 0..30 {
        let (a, when) = (format!("f{i:02}"), i * 10 * day);
        accounts.push_str(&format!("{a},{},,,{a},US,fan,active\n", at(when)));
        events.push_str(&format!(
            "{a},{},signup,24.0.{i}.9,COLLIDE-1,ua\n",
            at(when)
        ));
        let creator = ["c1", "c2", "c3", "c4"][i as usize % 4];
        pay(
            &mut n,
            &a,
            when + day,
            creator,
            &format!("cardf{i}"),
            "paid",
        );
    }
    for (i, a) in ["h1", "h2"].iter().enumerate() {
        let when = 20 * day + i as i64 * 60 * day;
        accounts.push_str(&format!("{a},{},,,{a},US,fan,active\n", at(when)));
        events.push_str(&format!("{a},{},signup,99.9.9.9,dev-home,ua\n", at(when)));
        pay(
            &mut n,
            a,
            when + day,
            ["c1", "c4"][i],
            &format!("cardh{i}"),
            "paid",
        );
    }
    let files = [
        s.write("accounts.csv", accounts),
        s.write("payments.csv", payments),
        s.write("events.csv", events),
    ];
    s.import(files.iter().map(|f| f.as_os_str())).ok();
    let rings = rings_json(&s);
    let ids = |prefix: &str, n: usize| -> BTreeSet<String> {
        (0..n)
            .map(|i| {
                if prefix == "p" {
                    format!("p{i}")
                } else {
                    format!("{prefix}{i:02}")
                }
            })
            .collect()
    };
    let got: Vec<BTreeSet<String>> = rings.iter().map(members).collect();
    let household: BTreeSet<String> = ["h1".to_string(), "h2".to_string()].into();
    assert_eq!(
        got,
        vec![ids("b", 40), ids("p", 6), household],
        "{rings:#?}"
    );

    // Each binding says how it was read; the collision's device is a hub and says why.
    let why = |ring: &serde_json::Value, value: &str| -> String {
        ring["binding"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["value"] == value)
            .map(|b| b["reading"]["why"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{value} binds {ring}"))
    };
    assert!(
        why(&rings[0], "dev-a")
            .starts_with("read as a ring: 100% of the 20 accounts signed up within 72 h")
    );
    assert!(why(&rings[1], "73.1.1.10").starts_with("read as a ring"));
    let g = LinkGraph::build(&s.open()).unwrap();
    let hub = g.identifier(IdKind::Device, "collide-1").unwrap();
    let node = &g.graph[hub];
    match node {
        ringscope_graph::Node::Identifier {
            reading, accounts, ..
        } => {
            assert!(node.is_hub() && *accounts == 30, "{reading:?}");
            assert!(
                reading
                    .why
                    .starts_with("read as a hub: 3% of the 30 accounts"),
                "{}",
                reading.why
            );
        }
        other => panic!("{other:?}"),
    }
    let text = ringscope(["ring".as_ref(), s.case.as_os_str(), "R-0001".as_ref()]).ok();
    assert!(text.stdout.contains("read as a ring"), "{}", text.stdout);
}

#[test]
fn placeholder_devices_alone_never_make_a_ring() {
    let s = Sandbox::new();
    let events = s.write(
        "events.csv",
        "account_id,timestamp,device_id,ip\n\
         a1,2026-01-01T00:00:00Z,00000000-0000-0000-0000-000000000000,10.0.0.1\n\
         a2,2026-01-01T00:01:00Z,00000000-0000-0000-0000-000000000000,10.0.0.1\n\
         a1,2026-01-02T00:00:00Z,unknown,\n\
         a2,2026-01-02T00:00:00Z,unknown,\n\
         a3,2026-01-02T00:00:00Z,NULL,192.168.0.1\n\
         a4,2026-01-02T00:00:00Z,NULL,192.168.0.1\n",
    );
    s.import([&events]).ok();
    assert!(rings_json(&s).is_empty());
    let run = ringscope([
        "explain".as_ref(),
        s.case.as_os_str(),
        "a1".as_ref(),
        "a2".as_ref(),
    ])
    .ok();
    assert!(
        run.stdout.contains("a1 and a2 are not linked"),
        "{}",
        run.stdout
    );
    let g = LinkGraph::build(&s.open()).unwrap();
    assert_eq!(g.placeholders.len(), 5, "{:?}", g.placeholders);
}

#[test]
fn ring_ids_survive_a_second_batch_for_the_same_accounts() {
    let s = sample_case();
    let before: HashMap<String, BTreeSet<String>> = rings_json(&s)
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), members(r)))
        .collect();
    let audit_before = s.open().audit_log().unwrap();
    assert_eq!(
        audit_before
            .iter()
            .filter(|e| e.action == "rings.update")
            .count(),
        1
    );

    // Next week's export from the same vendor: the same accounts log in again, a day later, on the same devices.
    let text = std::fs::read_to_string(sample("logins.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut batch = format!("{header}\n");
    for line in lines.step_by(3) {
        let f: Vec<&str> = line.splitn(7, ',').collect();
        let later = f[3].parse::<i64>().unwrap() + 86_400_000;
        batch.push_str(&format!(
            "{later}.2,{},{},{later},login,{},{}\n",
            f[1], f[2], f[5], f[6]
        ));
    }
    let path = s.write("logins-week-2.csv", batch);
    let run = s.import([path.as_os_str(), "--json".as_ref()]).ok().json();
    assert!(run[0]["report"]["rows"]["imported"].as_i64().unwrap() > 500);

    let after: HashMap<String, BTreeSet<String>> = rings_json(&s)
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), members(r)))
        .collect();
    assert_eq!(after, before, "same rings under the same ids");
    let audit = s.open().audit_log().unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "rings.update").count(),
        1,
        "nothing changed, nothing logged"
    );
    let ring = ringscope([
        "ring".as_ref(),
        s.case.as_os_str(),
        "r-0001".as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    assert_eq!(members(&ring), before["R-0001"]);
    assert!(
        ringscope(["ring".as_ref(), s.case.as_os_str(), "R-9999".as_ref()])
            .fails()
            .stderr
            .contains("no ring \"R-9999\"")
    );
}

/// Planted rings of every kind in a generated case: recall and precision of the ranked list, reported.
#[test]
fn generated_case_recall_and_top_k() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = ringscope_synth::Config {
        accounts: 12_000,
        rings_per_kind: 24,
        households: 150,
        seed: 11,
        hostile_names: false,
        big_farm: 0,
        big_farms: 0,
        lookalikes: 0,
    };
    let truth = ringscope_synth::generate(&cfg, dir.path()).unwrap();
    let case_path = dir.path().join("case.ringscope");
    let new = ringscope_store::NewCase {
        title: "generated".into(),
        phone_region: "US".into(),
        ..Default::default()
    };
    let mut case = ringscope_store::Case::create(&case_path, &new, "2026-11-24T00:00:00Z").unwrap();
    let mapping = ringscope_ingest::Mapping::parse(ringscope_synth::LOGINS_MAPPING).unwrap();
    for file in [
        ringscope_synth::ACCOUNTS_FILE,
        ringscope_synth::PAYMENTS_FILE,
        ringscope_synth::LOGINS_FILE,
    ] {
        let mut opts = ringscope_ingest::ImportOptions::new("tester", "2026-11-24T00:00:00Z");
        opts.mapping = Some(&mapping);
        ringscope_ingest::import_file(&mut case, &dir.path().join(file), &opts, &mut |_| {})
            .unwrap();
    }
    let analysis = ringscope_graph::analyze(&mut case, "2026-11-24T00:00:00Z", "tester").unwrap();
    let jaccard = |a: &BTreeSet<&str>, b: &BTreeSet<&str>| {
        a.intersection(b).count() as f64 / a.union(b).count() as f64
    };
    let found: Vec<BTreeSet<&str>> = analysis
        .rings
        .iter()
        .map(|r| r.members.iter().map(String::as_str).collect())
        .collect();
    let planted: Vec<BTreeSet<&str>> = truth
        .rings
        .iter()
        .map(|g| g.members.iter().map(String::as_str).collect())
        .collect();
    let recalled = planted
        .iter()
        .filter(|p| found.iter().any(|f| jaccard(p, f) >= 0.8))
        .count();
    let k = planted.len();
    let top_k_hits = found
        .iter()
        .take(k)
        .filter(|f| planted.iter().any(|p| jaccard(p, f) >= 0.8))
        .count();
    let recall = recalled as f64 / k as f64;
    let precision_at_k = top_k_hits as f64 / k as f64;
    let mut per_kind = String::new();
    for kind in ringscope_synth::RING_KINDS {
        let of_kind: Vec<_> = truth.rings.iter().filter(|g| g.kind == kind).collect();
        let hit = of_kind.iter().filter(|g| {
            let p: BTreeSet<&str> = g.members.iter().map(String::as_str).collect();
            found.iter().any(|f| jaccard(&p, f) >= 0.8)
        });
        per_kind.push_str(&format!(" {kind} {}/{}", hit.count(), of_kind.len()));
    }
    println!(
        "generated case: {} accounts, {} planted rings, {} groups found; recall {recall:.3} ({recalled}/{k}); top-{k} precision {precision_at_k:.3};{per_kind}",
        truth.rows.accounts,
        k,
        found.len()
    );
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(
        precision_at_k >= 0.95,
        "top-{k} precision {precision_at_k:.3}"
    );
}
