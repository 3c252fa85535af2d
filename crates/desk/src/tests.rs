use super::*;
use ringscope_store::{Case, CaseStatus};

fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::init(&dir.path().join("desk"), "2026-01-05T09:00:00Z").unwrap();
    (dir, desk)
}

fn new(desk: &mut Desk, title: &str, ty: &str, now: &str) -> CaseRow {
    desk.new_case(
        &NewDeskCase {
            title: title.into(),
            case_type: ty.into(),
            reference: None,
            assignee: Some("ana".into()),
            phone_region: "US".into(),
        },
        "tester",
        now,
    )
    .unwrap()
}

#[test]
fn init_refuses_a_second_desk_and_open_refuses_a_folder_without_one() {
    let (dir, desk) = desk();
    assert!(matches!(
        Desk::init(desk.dir(), "2026-01-05T09:00:00Z"),
        Err(Error::AlreadyADesk(_))
    ));
    assert!(matches!(Desk::open(dir.path()), Err(Error::NotADesk(_))));
    assert!(desk.dir().join("case-types.toml").is_file());
    // A case file is not a desk index.
    let case = dir.path().join("x.ringscope");
    Case::create(
        &case,
        &ringscope_store::NewCase {
            title: "x".into(),
            phone_region: "US".into(),
            ..Default::default()
        },
        "2026-01-05T09:00:00Z",
    )
    .unwrap();
    std::fs::copy(&case, dir.path().join(INDEX_FILE)).unwrap();
    assert!(matches!(Desk::open(dir.path()), Err(Error::NotADesk(_))));
}

#[test]
fn a_new_case_is_typed_assigned_and_due_by_its_sla() {
    let (_dir, mut desk) = desk();
    let row = new(
        &mut desk,
        "Chargebacks on creator 42",
        "card-testing",
        "2026-01-05T10:00:00Z",
    );
    assert_eq!(row.file, "chargebacks-on-creator-42.ringscope");
    assert_eq!(row.facts.case_type.as_deref(), Some("card-testing"));
    assert_eq!(row.facts.due_at.as_deref(), Some("2026-01-06T10:00:00Z"));
    assert_eq!(row.facts.assignee.as_deref(), Some("ana"));
    assert_eq!(row.facts.status, CaseStatus::Open);
    assert_eq!(row.facts.steps_total, 4);
    assert_eq!(row.facts.required_open, ["import", "cards", "decide"]);
    let again = new(
        &mut desk,
        "Chargebacks on creator 42",
        "card-testing",
        "2026-01-05T10:00:00Z",
    );
    assert_eq!(again.file, "chargebacks-on-creator-42-2.ringscope");
    assert!(
        desk.new_case(
            &NewDeskCase {
                title: "t".into(),
                case_type: "nope".into(),
                ..Default::default()
            },
            "a",
            "2026-01-05T10:00:00Z"
        )
        .is_err()
    );
}

#[test]
fn steps_and_status_changes_are_logged_and_closing_with_open_steps_needs_a_reason() {
    let (_dir, mut desk) = desk();
    let row = new(
        &mut desk,
        "ATO wave",
        "account-takeover",
        "2026-01-05T10:00:00Z",
    );
    let path = desk.dir().join(&row.file);
    let mut case = Case::open(&path).unwrap();
    case.mark_step("import", None, "ana", "2026-01-05T11:00:00Z")
        .unwrap();
    assert!(
        case.mark_step("devices", Some("  "), "ana", "2026-01-05T11:00:00Z")
            .is_err()
    );
    case.mark_step(
        "devices",
        Some("no shared device"),
        "ana",
        "2026-01-05T11:00:00Z",
    )
    .unwrap();
    assert!(
        case.mark_step("nope", None, "ana", "2026-01-05T11:00:00Z")
            .is_err()
    );
    let err = case
        .set_status(CaseStatus::Closed, None, "ana", "2026-01-05T12:00:00Z")
        .unwrap_err();
    assert!(err.to_string().contains("decide"), "{err}");
    case.set_status(CaseStatus::Escalated, None, "ana", "2026-01-05T12:00:00Z")
        .unwrap();
    case.set_status(
        CaseStatus::Closed,
        Some("duplicate of ZD-1"),
        "ana",
        "2026-01-05T13:00:00Z",
    )
    .unwrap();
    let log = case.audit_log().unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "case.type",
            "case.assign",
            "case.step",
            "case.step",
            "case.status",
            "case.status"
        ]
    );
    assert_eq!(
        log[6].details["open_required_steps"],
        serde_json::json!(["decide"])
    );
    case.verify_audit_log().unwrap();
    drop(case);

    desk.refresh().unwrap();
    let row = &desk.list(&ListQuery::default()).unwrap()[0];
    assert_eq!(row.facts.status, CaseStatus::Closed);
    assert_eq!(row.facts.closed_at.as_deref(), Some("2026-01-05T13:00:00Z"));
    assert_eq!((row.facts.steps_done, row.facts.steps_skipped), (1, 1));
    let k = desk.kpis("2026-01-10T00:00:00Z").unwrap();
    assert_eq!(k.time_to_close.median_hours, Some(3.0));
    assert_eq!((k.closed_within_sla, k.closed_with_sla), (1, 1));
    assert!(k.oldest_open.is_none());
}

#[test]
fn list_filters_and_sorts_and_kpis_count_weeks_and_the_oldest_open_case() {
    let (_dir, mut desk) = desk();
    new(&mut desk, "B", "chargeback", "2026-01-12T10:00:00Z");
    new(&mut desk, "A", "card-testing", "2026-01-05T10:00:00Z");
    let c = new(&mut desk, "C", "chargeback", "2026-01-06T10:00:00Z");
    Case::open(&desk.dir().join(&c.file))
        .unwrap()
        .set_status(CaseStatus::InReview, None, "a", "2026-01-06T11:00:00Z")
        .unwrap();
    desk.refresh().unwrap();
    let titles = |q: &ListQuery| {
        desk.list(q)
            .unwrap()
            .into_iter()
            .map(|r| r.facts.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&ListQuery::default()), ["A", "C", "B"]);
    assert_eq!(
        titles(&ListQuery {
            sort: Some("-title".into()),
            ..Default::default()
        }),
        ["C", "B", "A"]
    );
    assert_eq!(
        titles(&ListQuery {
            case_type: Some("chargeback".into()),
            ..Default::default()
        }),
        ["C", "B"]
    );
    assert_eq!(
        titles(&ListQuery {
            status: Some(CaseStatus::InReview),
            ..Default::default()
        }),
        ["C"]
    );
    assert!(
        desk.list(&ListQuery {
            sort: Some("colour".into()),
            ..Default::default()
        })
        .is_err()
    );
    let k = desk.kpis("2026-01-15T10:00:00Z").unwrap();
    assert_eq!(k.cases, 3);
    assert_eq!(
        k.weeks
            .iter()
            .map(|w| (w.week.as_str(), w.opened))
            .collect::<Vec<_>>(),
        [("2026-W02", 2), ("2026-W03", 1)]
    );
    assert_eq!(k.oldest_open.as_ref().unwrap().title, "A");
    assert_eq!(k.oldest_open.as_ref().unwrap().age_days, 10.0);
    assert_eq!(k.by_status["in_review"], 1);
    assert!(
        kpis::csv(&k)
            .unwrap()
            .contains("opened_per_week,2026-W02,2\n")
    );
}

#[test]
fn an_added_case_is_copied_in_and_a_deleted_one_leaves_the_index() {
    let (dir, mut desk) = desk();
    let outside = dir.path().join("Old Case.ringscope");
    Case::create(
        &outside,
        &ringscope_store::NewCase {
            title: "Old".into(),
            phone_region: "US".into(),
            ..Default::default()
        },
        "2025-12-01T09:00:00Z",
    )
    .unwrap();
    let row = desk
        .add_case(&outside, Some("ban-evasion"), "a", "2026-01-05T09:00:00Z")
        .unwrap();
    assert_eq!(row.file, "old-case.ringscope");
    assert_eq!(row.facts.case_type.as_deref(), Some("ban-evasion"));
    assert_eq!(row.facts.due_at.as_deref(), Some("2025-12-04T09:00:00Z"));
    assert!(outside.is_file());
    assert!(
        Case::open(&outside)
            .unwrap()
            .workflow()
            .unwrap()
            .case_type
            .is_none()
    );
    assert!(
        desk.add_case(&outside, None, "a", "2026-01-05T09:00:00Z")
            .unwrap_err()
            .to_string()
            .contains("already on the desk")
    );
    std::fs::remove_file(desk.dir().join("old-case.ringscope")).unwrap();
    desk.refresh().unwrap();
    assert!(desk.cases().unwrap().is_empty());
}

#[test]
fn a_watchlist_round_trips_through_csv() {
    let (dir, mut desk) = desk();
    let csv_path = dir.path().join("w.csv");
    std::fs::write(&csv_path, "kind,value,case_uid,case_file,case_title,reference,ring_id,account_id,decided_at,decided_by,origin\ndevice,dev-1,uid-1,,Earlier,ZD-9,R-0001,u1,2026-01-01T00:00:00Z,bo,desk\n").unwrap();
    assert_eq!(desk.import_watchlist(&csv_path).unwrap(), 1);
    assert_eq!(desk.import_watchlist(&csv_path).unwrap(), 0);
    let w = desk.watchlist().unwrap();
    assert_eq!(w[0].origin, "import");
    let out = dir.path().join("out.csv");
    assert_eq!(desk.export_watchlist(&out).unwrap(), 1);
    let mut other = Desk::init(&dir.path().join("other"), "2026-01-05T09:00:00Z").unwrap();
    assert_eq!(other.import_watchlist(&out).unwrap(), 1);
    assert_eq!(other.watchlist().unwrap(), w);
    std::fs::write(&csv_path, "kind,value,case_uid,case_file,case_title,reference,ring_id,account_id,decided_at,decided_by,origin\nshoe,x,u,,,,R,a,,,\n").unwrap();
    assert!(desk.import_watchlist(&csv_path).is_err());
}
