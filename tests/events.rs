//! Events as the case keeps them since schema v12: texts stored once, rows as integers, the `events` view reading
//! as the table did; repeated events are one event within a file (a load into an empty case) and across files.

use crate::util::Sandbox;

#[test]
fn repeated_events_are_one_event_within_a_file_and_across_files() {
    // Events have no id: two rows are one event when every normalized value agrees. The first file loads into an
    // empty case (its key index deferred to the commit), the second into a case that has events.
    let s = Sandbox::new();
    let header = "account_id,timestamp,event_type,ip,device_id,user_agent\n";
    let first = s.write(
        "logins-1.csv",
        format!(
            "{header}u1,2026-01-01T10:00:00Z,login,203.0.113.9,{{ABC-1}},curl/8\n\
             u1,2026-01-01T10:00:00Z,Login,203.0.113.9,abc-1,curl/8\n\
             u2,2026-01-01T10:00:00Z,login,203.0.113.9,abc-1,curl/8\n\
             u1,2026-01-01T10:00:00Z,login,203.0.113.9,{{ABC-1}},curl/8\n"
        ),
    );
    let run = s.import([first.as_os_str(), "--json".as_ref()]).ok().json();
    assert_eq!(run[0]["report"]["rows"]["imported"], 2);
    assert_eq!(run[0]["report"]["rows"]["duplicate"], 2);
    let second = s.write(
        "logins-2.csv",
        format!(
            "{header}u2,2026-01-01T10:00:00Z,login,203.0.113.9,ABC-1,curl/8\n\
             u3,2026-01-01T10:00:00Z,login,203.0.113.9,abc-1,curl/8\n"
        ),
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
