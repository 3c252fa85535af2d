//! Events as the case keeps them since schema v12: texts stored once, rows as integers, the `events` view reading
//! as the table did; repeated events are one event within a file (a load into an empty case) and across files.

use crate::util::Sandbox;
use ringscope_graph::build::Edge;
use ringscope_graph::{IdKind, LinkGraph, Node};
use ringscope_model::RecordKind;
use ringscope_store::ColumnValues;
use std::path::PathBuf;

/// A login log named `name` in the sandbox: the columns' header, then `rows`.
fn logins(s: &Sandbox, name: &str, rows: &str) -> PathBuf {
    s.write(
        name,
        format!("account_id,timestamp,event_type,ip,device_id,user_agent\n{rows}"),
    )
}

#[test]
fn repeated_events_are_one_event_within_a_file_and_across_files() {
    // Events have no id: two rows are one event when every normalized value agrees. The first file loads into an
    // empty case (its key index deferred to the commit), the second into a case that has events.
    let s = Sandbox::new();
    let first = logins(
        &s,
        "logins-1.csv",
        "u1,2026-01-01T10:00:00Z,login,203.0.113.9,{ABC-1},curl/8\n\
             u1,2026-01-01T10:00:00Z,Login,203.0.113.9,abc-1,curl/8\n\
             u2,2026-01-01T10:00:00Z,login,203.0.113.9,abc-1,curl/8\n\
             u1,2026-01-01T10:00:00Z,login,203.0.113.9,{ABC-1},curl/8\n",
    );
    let run = s.import([first.as_os_str(), "--json".as_ref()]).ok().json();
    assert_eq!(run[0]["report"]["rows"]["imported"], 2);
    assert_eq!(run[0]["report"]["rows"]["duplicate"], 2);
    let second = logins(
        &s,
        "logins-2.csv",
        "u2,2026-01-01T10:00:00Z,login,203.0.113.9,ABC-1,curl/8\n\
             u3,2026-01-01T10:00:00Z,login,203.0.113.9,abc-1,curl/8\n",
    );
    let run = s
        .import([second.as_os_str(), "--json".as_ref()])
        .ok()
        .json();
    assert_eq!(run[0]["report"]["rows"]["imported"], 1);
    assert_eq!(run[0]["report"]["rows"]["duplicate"], 1);

    let case = s.open();
    assert_eq!(case.counts().unwrap().events, 3);
    // Every repeat is a sighting of the event it repeats.
    assert_eq!(
        s.query_string("SELECT group_concat(record_key || '@' || line, ' ') FROM sightings WHERE kind = 'events'")
            .unwrap(),
        "1@3 1@5 2@2"
    );
    // The `events` view reads as the table did: one device, one IP, texts stored once.
    assert_eq!(
        s.query_string("SELECT group_concat(DISTINCT device_id) || ' ' || group_concat(DISTINCT ip) FROM events")
            .unwrap(),
        "abc-1 203.0.113.9"
    );
    assert_eq!(
        s.query_string("SELECT '' || count(*) FROM idents WHERE kind = 'device'")
            .unwrap(),
        "1"
    );
    assert_eq!(
        s.query_string("SELECT group_concat(account_id, ',') FROM (SELECT account_id FROM events WHERE device_id = 'abc-1' ORDER BY id)")
            .unwrap(),
        "u1,u2,u3"
    );
}

#[test]
fn detection_reads_each_event_text_once_and_counts_every_use() {
    // Detection resolves an event's texts by their ids: a value seen again, or a placeholder seen again, must
    // count as the rows say.
    let s = Sandbox::new();
    let logins = logins(
        &s,
        "logins.csv",
        "u1,2026-01-01T10:00:00Z,login,203.0.113.9,unknown,curl/8\n\
             u2,2026-01-01T10:05:00Z,login,203.0.113.9,unknown,curl/8\n\
             u3,2026-01-01T10:07:00Z,login,10.0.0.7,unknown,curl/8\n\
             u1,2026-01-02T10:00:00Z,login,10.0.0.7,dev-7,curl/8\n\
             u2,2026-01-02T11:00:00Z,login,203.0.113.9,dev-7,curl/8\n\
             u1,2026-01-03T10:00:00Z,login,203.0.113.9,dev-7,curl/8\n",
    );
    s.import([logins.as_os_str()]).ok();
    let g = LinkGraph::build(&s.open()).unwrap();
    let seen = |kind: IdKind, value: &str| {
        g.placeholders
            .iter()
            .find(|p| p.kind == kind && p.value == value)
            .map(|p| p.observations)
    };
    assert_eq!(seen(IdKind::Device, "unknown"), Some(3));
    assert_eq!(seen(IdKind::Ip, "10.0.0.7"), Some(2));
    let device = g.identifier(IdKind::Device, "dev-7").expect("dev-7 links");
    let uses: Vec<(String, u32)> = g
        .uses_neighbours(device)
        .into_iter()
        .map(|account| {
            let edge = g.graph.find_edge(account, device).expect("a uses edge");
            let Edge::Uses { count, .. } = g.graph[edge] else {
                panic!("not a uses edge")
            };
            (g.account_id(account).unwrap().to_string(), count)
        })
        .collect();
    assert_eq!(uses, [("u1".to_string(), 2), ("u2".to_string(), 1)]);
    assert_eq!(g.account_count(), 3);
}

#[test]
fn an_event_row_pointing_at_a_text_of_another_kind_is_read_by_its_text() {
    // A damaged case: an event's account id points at a device's text. Detection reads it as the `events` view
    // does (by text) and must not take the device's node for an account's.
    let s = Sandbox::new();
    let logins = logins(
        &s,
        "logins.csv",
        "u1,2026-01-01T10:00:00Z,login,203.0.113.9,dev-1,curl/8\n\
             u2,2026-01-01T10:05:00Z,login,203.0.113.10,dev-1,curl/8\n\
             u3,2026-01-01T10:07:00Z,login,203.0.113.11,dev-2,curl/8\n",
    );
    s.import([logins.as_os_str()]).ok();
    s.open()
        .connection_for_tests()
        .execute(
            "UPDATE event_rows SET account = (SELECT id FROM idents WHERE kind = 'device' AND value = 'dev-1')
             WHERE id = (SELECT max(id) FROM event_rows)",
            [],
        )
        .unwrap();
    let g = LinkGraph::build(&s.open()).unwrap();
    let dev_1 = g
        .identifier(IdKind::Device, "dev-1")
        .expect("a device node");
    assert!(matches!(g.graph[dev_1], Node::Identifier { .. }));
    let account = g.account("dev-1").expect("read as an account, by its text");
    assert_ne!(account, dev_1);
    // And detection runs to the end on it.
    ringscope_graph::detect::detect(&g);
}

#[test]
fn the_graph_size_hint_covers_the_case_and_a_damaged_row_id_cannot_inflate_it() {
    let s = crate::util::sample_case();
    let case = s.open();
    let hint = case.link_graph_size_hint().unwrap();
    let mut uses = 0;
    for record in [
        RecordKind::Accounts,
        RecordKind::Events,
        RecordKind::Payments,
    ] {
        case.for_each_observation(record, |o| {
            uses += o.identifiers.iter().filter(|(_, v)| v.is_some()).count()
        })
        .unwrap();
    }
    assert!(hint.uses >= uses, "{hint:?} for {uses} uses");
    let g = LinkGraph::build(&case).unwrap();
    assert!(hint.nodes >= g.graph.node_count() / 2, "{hint:?}");
    drop(case);

    s.open()
        .connection_for_tests()
        .execute(
            "UPDATE accounts SET rowid = 4611686018427387904 WHERE rowid = (SELECT max(rowid) FROM accounts)",
            [],
        )
        .unwrap();
    let file_bytes = std::fs::metadata(&s.case).unwrap().len() as usize;
    let hint = s.open().link_graph_size_hint().unwrap();
    assert!(
        hint.uses <= file_bytes / 8 && hint.nodes <= file_bytes / 64,
        "{hint:?}"
    );
}

#[test]
fn ring_features_read_the_same_event_times_as_the_events_view() {
    let s = crate::util::sample_case();
    let case = s.open();
    let conn = case.connection_for_tests();
    let mut stmt = conn
        .prepare("SELECT DISTINCT account_id FROM events ORDER BY account_id")
        .unwrap();
    let all: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let some: Vec<&str> = all.iter().step_by(3).map(String::as_str).collect();
    assert!(some.len() >= 3, "{all:?}");
    let quoted: Vec<String> = some
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "''")))
        .collect();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT account_id, timestamp_ms FROM events WHERE account_id IN ({}) ORDER BY id",
            quoted.join(",")
        ))
        .unwrap();
    let expected: Vec<(Option<String>, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let read = case.event_times(&some).unwrap();
    let (ids, times) = match &read.columns[..] {
        [(a, ColumnValues::Text(ids)), (t, ColumnValues::Int(times))]
            if a == "account_id" && t == "timestamp_ms" =>
        {
            (ids.clone(), times.clone())
        }
        other => panic!("unexpected columns {other:?}"),
    };
    assert_eq!(read.rows, expected.len());
    assert_eq!(ids.into_iter().zip(times).collect::<Vec<_>>(), expected);
}
