//! Evidence packets: checked with the tools legal has (sha256sum, minisign, bagit.py, pdftotext), tamper-evident
//! byte by byte, deterministic, redacted for outside receivers, and written whole or not at all. Hostile text is in
//! `hostile_text.rs`, hostile zips and receivers in `hostile_receivers.rs`.

use crate::util::{Sandbox, ringscope, sample, sample_case};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixed, so exports are comparable byte for byte, and after the tests' imports (an earlier one is refused).
pub(crate) const EXPORT_TIME: &str = "2030-06-01T12:00:00Z";

pub(crate) fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "{name} is not installed: run scripts/setup.sh (the test suite checks packets with the receiver's own tools)"
    );
    Command::new(name)
}

pub(crate) fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

pub(crate) struct Exported {
    pub(crate) s: Sandbox,
    pub(crate) folder: PathBuf,
    pub(crate) zip: PathBuf,
    pub(crate) public_key: PathBuf,
}

pub(crate) fn export_top_ring(s: &Sandbox, out: &str, extra: &[&str]) -> serde_json::Value {
    ringscope(["rings".as_ref(), s.case.as_os_str()]).ok();
    let out = s.dir.path().join(out);
    let mut args: Vec<std::ffi::OsString> = vec![
        "export".into(),
        s.case.clone().into(),
        "--ring".into(),
        "R-0001".into(),
        "--out".into(),
        out.into(),
        "--export-time".into(),
        EXPORT_TIME.into(),
        "--json".into(),
    ];
    args.extend(extra.iter().map(|a| a.into()));
    ringscope(args).ok().json()
}

/// `ringscope export CASE --accounts IDS --out DIR --export-time … --json [extra]`; the packet's folder.
pub(crate) fn export_accounts(s: &Sandbox, accounts: &str, out: &str, extra: &[&str]) -> PathBuf {
    let mut args: Vec<std::ffi::OsString> = vec![
        "export".into(),
        s.case.clone().into(),
        "--accounts".into(),
        accounts.into(),
        "--out".into(),
        s.dir.path().join(out).into(),
        "--export-time".into(),
        EXPORT_TIME.into(),
        "--json".into(),
    ];
    args.extend(extra.iter().map(|a| a.into()));
    let e = ringscope(args).ok().json();
    PathBuf::from(e["folder"].as_str().unwrap())
}

pub(crate) fn signed_packet() -> Exported {
    let s = sample_case();
    let key = s.dir.path().join("investigator");
    ringscope(["keygen".as_ref(), "--out".as_ref(), key.as_os_str()]).ok();
    let narrative = s.write(
        "narrative.txt",
        "Eleven accounts paid one creator with one card.\n\nSee the graph.",
    );
    let key_file = key.with_extension("key");
    let e = export_top_ring(
        &s,
        "out",
        &[
            "--zip",
            "--sign",
            key_file.to_str().unwrap(),
            "--narrative",
            narrative.to_str().unwrap(),
        ],
    );
    Exported {
        folder: PathBuf::from(e["folder"].as_str().unwrap()),
        zip: PathBuf::from(e["zip"].as_str().unwrap()),
        public_key: key.with_extension("pub"),
        s,
    }
}

pub(crate) fn verify_json(path: &Path, pubkey: Option<&Path>) -> (bool, serde_json::Value) {
    let mut args: Vec<std::ffi::OsString> = vec!["verify".into(), path.into(), "--json".into()];
    if let Some(k) = pubkey {
        args.extend(["--pubkey".into(), k.into()]);
    }
    let run = ringscope(args);
    (run.code == Some(0), run.json())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn a_packet_passes_the_receivers_own_tools() {
    let p = signed_packet();
    let pubkey = std::fs::read_to_string(&p.public_key)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let out = run_ok(tool("minisign").current_dir(&p.folder).args([
        "-Vm",
        "tagmanifest-sha256.txt",
        "-P",
        &pubkey,
    ]));
    assert!(
        out.contains("Signature and comment signature verified"),
        "{out}"
    );
    run_ok(tool("sha256sum").current_dir(&p.folder).args([
        "-c",
        "--strict",
        "tagmanifest-sha256.txt",
    ]));
    run_ok(tool("sha256sum").current_dir(&p.folder).args([
        "-c",
        "--strict",
        "manifest-sha256.txt",
    ]));
    run_ok(tool("sha512sum").current_dir(&p.folder).args([
        "-c",
        "--strict",
        "manifest-sha512.txt",
    ]));
    run_ok(tool("sha256sum").current_dir(&p.folder).args([
        "-c",
        "--strict",
        "data/evidence-manifest-sha256.txt",
    ]));
    let out = run_ok(
        tool("bagit.py")
            .current_dir(&p.folder)
            .args(["--validate", "."]),
    );
    assert!(out.contains("is valid"), "{out}");

    for path in [&p.folder, &p.zip] {
        let (ok, report) = verify_json(path, Some(&p.public_key));
        assert!(ok, "{report}");
        assert_eq!(
            report["signature"]["valid"]["key_id"]
                .as_str()
                .map(str::len),
            Some(16),
            "{report}"
        );
        assert!(report["files_checked"].as_u64().unwrap() > 30);
    }
    let (ok, report) = verify_json(&p.folder, None);
    assert!(
        ok && report["signature"]["valid_packet_key"].is_object(),
        "{report}"
    );

    // The layout legal is told about.
    let files = files_of(&p.folder);
    for f in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt",
        "tagmanifest-sha256.txt.minisig",
        "VERIFY.txt",
        "data/report/summary.pdf",
        "data/records/accounts.jsonl",
        "data/records/payments.csv",
        "data/records/events.jsonl",
        "data/graph/nodes.csv",
        "data/graph/edges.csv",
        "data/graph/graph.svg",
        "data/custody/custody-log.jsonl",
        "data/custody/sources.csv",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    assert!(
        files.iter().all(|f| f
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b))),
        "{files:?}"
    );
    let info = std::fs::read_to_string(p.folder.join("bag-info.txt")).unwrap();
    for label in [
        "Source-Organization: ",
        "Contact-Name: ",
        "External-Identifier: ZD-4711",
        "Bagging-Date: 2030-06-01",
        "Payload-Oxum: ",
        "Bag-Software-Agent: Ringscope ",
        "Ringscope-Packet-Id: P-",
        "Ringscope-Export-Time: 2030-06-01T12:00:00Z",
    ] {
        assert!(info.contains(label), "{label} missing:\n{info}");
    }
    let verify_txt = std::fs::read_to_string(p.folder.join("VERIFY.txt")).unwrap();
    assert!(
        verify_txt.contains(&format!("minisign -Vm tagmanifest-sha256.txt -P {pubkey}")),
        "{verify_txt}"
    );
    // Every edge cites a source row that really is that account's row.
    let edges = std::fs::read_to_string(p.folder.join("data/graph/edges.csv")).unwrap();
    assert!(edges.lines().count() > 20);
    let logins: Vec<String> = std::fs::read_to_string(sample("logins.csv"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    for row in edges
        .lines()
        .skip(1)
        .filter(|l| l.contains("logins.csv"))
        .take(25)
    {
        let f: Vec<&str> = row.split(',').collect();
        let account = f[0].trim_start_matches("account:");
        assert!(
            logins[f[5].trim().parse::<usize>().unwrap() - 1].contains(account),
            "{row}"
        );
    }
    // The custody log chains the imports of the three source files and this export.
    let custody = std::fs::read_to_string(p.folder.join("data/custody/custody-log.jsonl")).unwrap();
    let actions: Vec<String> = custody
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(actions, ["import", "import", "import", "export"]);
    assert!(s_audit_has_export(&p));
}

fn s_audit_has_export(p: &Exported) -> bool {
    p.s.open()
        .audit_log()
        .unwrap()
        .iter()
        .any(|e| e.action == "export")
}

#[test]
fn every_single_byte_flip_deletion_and_addition_is_caught() {
    let p = signed_packet();
    let files = files_of(&p.folder);
    for (i, file) in files.iter().enumerate() {
        let len = std::fs::metadata(p.folder.join(file)).unwrap().len() as usize;
        for at in [0, len / 2, len - 1] {
            let copy = p.s.dir.path().join(format!("flip-{i}-{at}"));
            copy_dir(&p.folder, &copy);
            let target = copy.join(file);
            let mut bytes = std::fs::read(&target).unwrap();
            bytes[at] ^= 0x01;
            std::fs::write(&target, bytes).unwrap();
            let (ok, report) = verify_json(&copy, Some(&p.public_key));
            assert!(!ok, "flipping byte {at} of {file} went unnoticed");
            assert!(
                report["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["file"] == file.as_str()
                        || x["message"].as_str().unwrap().contains(file.as_str())),
                "{file}: {report}"
            );
            std::fs::remove_dir_all(&copy).unwrap();
        }
    }
    for file in [
        "data/records/accounts.csv",
        "bag-info.txt",
        "tagmanifest-sha256.txt.minisig",
    ] {
        let copy = p.s.dir.path().join("deleted");
        copy_dir(&p.folder, &copy);
        std::fs::remove_file(copy.join(file)).unwrap();
        let (ok, report) = verify_json(&copy, Some(&p.public_key));
        assert!(
            !ok && report.to_string().contains(file),
            "deleting {file}: {report}"
        );
        std::fs::remove_dir_all(&copy).unwrap();
    }
    for file in ["data/extra.txt", "notes.txt"] {
        let copy = p.s.dir.path().join("added");
        copy_dir(&p.folder, &copy);
        std::fs::write(copy.join(file), "added later").unwrap();
        let (ok, report) = verify_json(&copy, Some(&p.public_key));
        assert!(
            !ok && report.to_string().contains(file),
            "adding {file}: {report}"
        );
        std::fs::remove_dir_all(&copy).unwrap();
    }
}

#[test]
fn an_edited_custody_line_is_caught_even_with_recomputed_manifests() {
    let s = sample_case();
    let e = export_top_ring(&s, "out", &[]);
    let folder = PathBuf::from(e["folder"].as_str().unwrap());
    let log_path = folder.join("data/custody/custody-log.jsonl");
    let log = std::fs::read_to_string(&log_path).unwrap();
    let actor =
        serde_json::from_str::<serde_json::Value>(log.lines().next().unwrap()).unwrap()["actor"]
            .as_str()
            .unwrap()
            .to_string();
    std::fs::write(
        &log_path,
        log.replacen(
            &format!("\"actor\":\"{actor}\""),
            "\"actor\":\"mallory\"",
            1,
        ),
    )
    .unwrap();
    // A forger would fix every manifest; only the chain (and a signature) can still tell.
    let rehash = |manifest: &str, sum: &str| {
        let text = std::fs::read_to_string(folder.join(manifest)).unwrap();
        let paths: Vec<String> = text
            .lines()
            .map(|l| l.split_once("  ").unwrap().1.to_string())
            .collect();
        let out = Command::new(sum)
            .current_dir(&folder)
            .args(&paths)
            .output()
            .unwrap();
        std::fs::write(folder.join(manifest), out.stdout).unwrap();
    };
    rehash("data/evidence-manifest-sha256.txt", "sha256sum");
    rehash("manifest-sha256.txt", "sha256sum");
    rehash("manifest-sha512.txt", "sha512sum");
    let info = std::fs::read_to_string(folder.join("bag-info.txt")).unwrap();
    std::fs::write(folder.join("bag-info.txt"), info).unwrap();
    rehash("tagmanifest-sha256.txt", "sha256sum");
    rehash("tagmanifest-sha512.txt", "sha512sum");
    let (ok, report) = verify_json(&folder, None);
    assert!(!ok, "{report}");
    let problems = report["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["file"] == "data/custody/custody-log.jsonl"
                && p["message"].as_str().unwrap().contains("line 2: prev")),
        "{report}"
    );
}

#[test]
fn exporting_twice_gives_byte_identical_packets() {
    let s = sample_case();
    let key = s.dir.path().join("k");
    ringscope(["keygen".as_ref(), "--out".as_ref(), key.as_os_str()]).ok();
    let sign = key.with_extension("key");
    let a = export_top_ring(&s, "a", &["--zip", "--sign", sign.to_str().unwrap()]);
    let b = export_top_ring(&s, "b", &["--zip", "--sign", sign.to_str().unwrap()]);
    let (fa, fb) = (
        PathBuf::from(a["folder"].as_str().unwrap()),
        PathBuf::from(b["folder"].as_str().unwrap()),
    );
    assert_eq!(files_of(&fa), files_of(&fb));
    for f in files_of(&fa) {
        assert!(
            std::fs::read(fa.join(&f)).unwrap() == std::fs::read(fb.join(&f)).unwrap(),
            "{f} differs between exports"
        );
    }
    assert!(
        std::fs::read(a["zip"].as_str().unwrap()).unwrap()
            == std::fs::read(b["zip"].as_str().unwrap()).unwrap(),
        "zips differ"
    );
    let zip =
        zip::ZipArchive::new(std::fs::File::open(a["zip"].as_str().unwrap()).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    let top = fa.file_name().unwrap().to_str().unwrap();
    assert!(names.iter().all(|n| n.starts_with(&format!("{top}/"))));
}

#[test]
fn keys_are_private_and_external_redaction_masks_but_keeps_links() {
    use std::os::unix::fs::PermissionsExt;
    let s = sample_case();
    let key = s.dir.path().join("k");
    ringscope(["keygen".as_ref(), "--out".as_ref(), key.as_os_str()]).ok();
    assert_eq!(
        std::fs::metadata(key.with_extension("key"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    assert!(
        ringscope(["keygen".as_ref(), "--out".as_ref(), key.as_os_str()])
            .fails()
            .stderr
            .contains("already exists")
    );

    let truth: ringscope_synth::Truth =
        serde_json::from_str(&std::fs::read_to_string(sample("truth.json")).unwrap()).unwrap();
    // The ban evasion whose accounts share a mailbox written differently.
    let ban = truth
        .rings
        .iter()
        .find(|g| g.kind == "ban_evasion" && g.style == "email_variant")
        .unwrap();
    let folder = export_accounts(&s, &ban.members.join(","), "ext", &["--redact", "external"]);
    let accounts = std::fs::read_to_string(sample("accounts.csv")).unwrap();
    let emails: Vec<String> = accounts
        .lines()
        .filter(|l| ban.members.iter().any(|m| l.starts_with(m.as_str())))
        .map(|l| l.split(',').nth(2).unwrap().to_lowercase())
        .collect();
    for f in files_of(&folder).iter().filter(|f| !f.ends_with(".pdf")) {
        let text = String::from_utf8_lossy(&std::fs::read(folder.join(f)).unwrap()).to_lowercase();
        for email in &emails {
            assert!(!text.contains(email.as_str()), "{email} appears in {f}");
        }
    }
    let pdf = run_ok(tool("pdftotext").args([
        folder.join("data/report/summary.pdf").as_os_str(),
        "-".as_ref(),
    ]))
    .to_lowercase();
    assert!(
        emails.iter().all(|e| !pdf.contains(e.as_str())),
        "emails in the PDF"
    );
    let nodes = std::fs::read_to_string(folder.join("data/graph/nodes.csv")).unwrap();
    assert!(
        nodes.contains(",email,email:"),
        "the shared (masked) email still links them: {nodes}"
    );
    let jsonl = std::fs::read_to_string(folder.join("data/records/accounts.jsonl")).unwrap();
    assert!(jsonl.lines().all(|l| l.contains("\"original\":null")));
    let (ok, report) = verify_json(&folder, None);
    assert!(ok, "{report}");
}

#[test]
fn an_export_whose_audit_entry_cannot_be_written_leaves_nothing() {
    let s = sample_case();
    let out = s.dir.path().join("out");
    let leftovers = |out: &Path| -> Vec<String> {
        std::fs::read_dir(out)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let exports = |s: &Sandbox| {
        s.open()
            .audit_log()
            .unwrap()
            .iter()
            .filter(|e| e.action == "export")
            .count()
    };
    // A read-only case (the tests run as root, whom file modes do not stop, so SQLite is told to refuse writes).
    {
        let mut case = s.open();
        case.connection_for_tests()
            .execute_batch("PRAGMA query_only = ON")
            .unwrap();
        let graph = ringscope_graph::LinkGraph::build(&case).unwrap();
        let err = ringscope_packet::export(
            &mut case,
            &graph,
            &ringscope_packet::ExportRequest {
                scope: ringscope_packet::Scope::Accounts(vec!["u0000001".into()]),
                out: out.clone(),
                zip: true,
                sign: None,
                narrative: String::new(),
                profile: ringscope_packet::Profile::Legal,
                export_time: chrono::Utc::now(),
                actor: "tester".into(),
                organization: "T&S".into(),
                allow_backdated: false,
            },
        )
        .unwrap_err();
        assert!(
            matches!(err, ringscope_packet::Error::NotRecorded(_)),
            "{err}"
        );
        assert!(err.to_string().contains("no packet was written"), "{err}");
    }
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert_eq!(exports(&s), 0);

    // Another program holds the case's write lock for longer than the export waits.
    let holder = s.open();
    holder
        .connection_for_tests()
        .execute_batch("BEGIN IMMEDIATE")
        .unwrap();
    let run = ringscope([
        "export".as_ref(),
        s.case.as_os_str(),
        "--accounts".as_ref(),
        "u0000001".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--zip".as_ref(),
    ])
    .fails();
    assert!(
        run.stderr.contains("no packet was written"),
        "{}",
        run.stderr
    );
    assert_eq!(leftovers(&out), Vec::<String>::new());
    holder
        .connection_for_tests()
        .execute_batch("ROLLBACK")
        .unwrap();
    assert_eq!(exports(&s), 0);

    // With the lock free, the same export lands, with its entry.
    ringscope([
        "export".as_ref(),
        s.case.as_os_str(),
        "--accounts".as_ref(),
        "u0000001".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--zip".as_ref(),
    ])
    .ok();
    assert_eq!(leftovers(&out).len(), 2, "{:?}", leftovers(&out));
    assert_eq!(exports(&s), 1);
}

#[test]
fn a_public_key_for_signing_and_a_backdated_export_time_are_refused_clearly() {
    let s = sample_case();
    let key = s.dir.path().join("k");
    ringscope(["keygen".as_ref(), "--out".as_ref(), key.as_os_str()]).ok();
    let out = s.dir.path().join("out");
    let export = |extra: &[&std::ffi::OsStr]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "export".as_ref(),
            s.case.as_os_str(),
            "--accounts".as_ref(),
            "u0000001".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        args.extend(extra);
        ringscope(args)
    };
    let pubkey = key.with_extension("pub");
    let run = export(&["--sign".as_ref(), pubkey.as_os_str()]).fails();
    assert!(
        run.stderr
            .contains("that is a public key; pass the secret key file"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("fill whole buffer"));

    let run = export(&["--export-time".as_ref(), "2020-01-01T00:00:00Z".as_ref()]).fails();
    assert!(
        run.stderr
            .contains("the export time 2020-01-01T00:00:00Z is before the import of"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--allow-backdated"), "{}", run.stderr);
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    let e = export(&[
        "--export-time".as_ref(),
        "2020-01-01T00:00:00Z".as_ref(),
        "--allow-backdated".as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let info =
        std::fs::read_to_string(Path::new(e["folder"].as_str().unwrap()).join("bag-info.txt"))
            .unwrap();
    assert!(
        info.contains("Ringscope-Backdated: yes: the export time is before the import of"),
        "{info}"
    );
}
