//! Evidence packets: checked with the tools legal has (sha256sum, minisign, bagit.py, pdftotext), tamper-evident
//! byte by byte, deterministic, safe with hostile values and hostile zips.

use crate::util::{Sandbox, ringscope, sample, sample_case};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Fixed, so exports are comparable byte for byte, and after the tests' imports (an earlier one is refused).
const EXPORT_TIME: &str = "2030-06-01T12:00:00Z";

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
fn hostile_values_are_neutralized_in_csv_and_plain_text_in_the_pdf() {
    let s = sample_case();
    let accounts = std::fs::read_to_string(sample("accounts.csv")).unwrap();
    let hostile: Vec<String> = accounts
        .lines()
        .filter(|l| l.contains("HYPERLINK") || l.contains("<img"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(hostile.len(), 2);
    let out = s.dir.path().join("out");
    let e = ringscope([
        "export".as_ref(),
        s.case.as_os_str(),
        "--accounts".as_ref(),
        hostile.join(",").as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--export-time".as_ref(),
        EXPORT_TIME.as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let folder = PathBuf::from(e["folder"].as_str().unwrap());
    let csv = std::fs::read_to_string(folder.join("data/records/accounts.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{csv}"
    );
    assert!(
        !csv.lines()
            .any(|l| l.split(',').any(|c| c.starts_with('=')))
    );
    let jsonl = std::fs::read_to_string(folder.join("data/records/accounts.jsonl")).unwrap();
    assert!(
        jsonl.contains(r#""display_name":"=HYPERLINK(\"http://x\",\"y\")""#),
        "JSONL keeps the original: {jsonl}"
    );
    let text = run_ok(tool("pdftotext").args([
        folder.join("data/report/summary.pdf").as_os_str(),
        "-".as_ref(),
    ]));
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("=HYPERLINK(\"http://x\",\"y\")"), "{text}");
    assert!(
        text.contains("Evidence Packet") && text.contains("Page 1 of"),
        "{text}"
    );
    let svg = std::fs::read_to_string(folder.join("data/graph/graph.svg")).unwrap();
    assert!(!svg.contains("<img"));
}

#[test]
fn crafted_zips_are_rejected_without_writing_outside() {
    let s = Sandbox::new();
    let escape_target = s.dir.path().join("escaped.txt");
    type Build = Box<dyn Fn(&mut zip::ZipWriter<std::fs::File>)>;
    let cases: [(&str, Build); 4] = [
        (
            "dotdot",
            Box::new(|z| {
                z.start_file(
                    "P/../../escaped.txt",
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                std::io::Write::write_all(z, b"x").unwrap();
            }),
        ),
        (
            "absolute",
            Box::new(|z| {
                z.start_file("/tmp/escaped.txt", zip::write::SimpleFileOptions::default())
                    .unwrap();
            }),
        ),
        (
            "symlink",
            Box::new(|z| {
                z.add_symlink(
                    "P/link",
                    "/etc/passwd",
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
            }),
        ),
        (
            "two-tops",
            Box::new(|z| {
                z.start_file("P/bagit.txt", zip::write::SimpleFileOptions::default())
                    .unwrap();
                z.start_file("Q/bagit.txt", zip::write::SimpleFileOptions::default())
                    .unwrap();
            }),
        ),
    ];
    for (name, build) in cases {
        let path = s.dir.path().join(format!("{name}.zip"));
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        build(&mut z);
        z.finish().unwrap();
        let run = ringscope(["verify".as_ref(), path.as_os_str()]);
        assert_eq!(run.code, Some(1), "{name}: {}", run.stdout);
        assert!(
            run.stdout.contains("unsafe entry") || run.stdout.contains("outside"),
            "{name}: {}",
            run.stdout
        );
        assert!(
            !escape_target.exists() && !Path::new("/tmp/escaped.txt").exists(),
            "{name} wrote outside"
        );
    }
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
    let out = s.dir.path().join("ext");
    let e = ringscope([
        "export".as_ref(),
        s.case.as_os_str(),
        "--accounts".as_ref(),
        ban.members.join(",").as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--redact".as_ref(),
        "external".as_ref(),
        "--export-time".as_ref(),
        EXPORT_TIME.as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let folder = PathBuf::from(e["folder"].as_str().unwrap());
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

/// Exports the accounts of `fixtures/bad/hostile_display_names.csv` plus one with a 100,000-character name.
fn hostile_packet() -> (Sandbox, PathBuf) {
    let s = Sandbox::new();
    let mut csv = std::fs::read_to_string(crate::util::bad("hostile_display_names.csv")).unwrap();
    csv.push_str(&format!(
        "h6,2025-01-01T00:00:00Z,other.person@gmail.com,,{},US,fan,active\n",
        "x".repeat(100_000)
    ));
    let file = s.write("hostile.csv", csv);
    s.import([file.as_os_str()]).ok();
    let out = s.dir.path().join("out");
    let e = ringscope([
        "export".as_ref(),
        s.case.as_os_str(),
        "--accounts".as_ref(),
        "h1,h2,h3,h4\u{202e},h5\u{1b}[31m,h6".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--export-time".as_ref(),
        EXPORT_TIME.as_ref(),
        "--json".as_ref(),
    ])
    .ok()
    .json();
    let folder = PathBuf::from(e["folder"].as_str().unwrap());
    (s, folder)
}

#[test]
fn hostile_unicode_renders_in_the_pdf_with_controls_and_bidi_shown_as_code_points() {
    let (s, folder) = hostile_packet();
    let pdf = folder.join("data/report/summary.pdf");
    let text = run_ok(tool("pdftotext").args([pdf.as_os_str(), "-".as_ref()]));
    for expected in [
        "山田太郎 王小明 김민준 さくら",
        "สมชาย ใจดี",
        "नमस्ते",
        "😀",
        "invoice⟨U+202E⟩fdp.exe",
        "⟨U+2066⟩iso⟨U+2069⟩",
        "⟨U+200F⟩x",
        "⟨U+061C⟩",
        "bell⟨U+0007⟩",
        "esc⟨U+001B⟩[2J⟨U+001B⟩]0;pwned⟨U+0007⟩",
        "del⟨U+007F⟩",
        "c1⟨U+0085⟩⟨U+009B⟩31m",
        "rare⟨U+20000⟩",
        "pua⟨U+E000⟩",
        "zw⟨U+200B⟩sp",
        "h4⟨U+202E⟩",
        "h5⟨U+001B⟩[31m",
        "99000 more characters, 100000 in all",
    ] {
        // Values wrap inside their cells: compare word by word, across pdftotext's line ends.
        let joined = text.replace('\n', "");
        for word in expected.split(' ') {
            assert!(
                joined.contains(word),
                "{word:?} not in the PDF text:\n{text}"
            );
        }
    }
    // No control or bidi override reaches the PDF (pdftotext itself wraps right-to-left runs in U+202B..U+202C).
    for raw in [
        '\u{202E}', '\u{2066}', '\u{2069}', '\u{200F}', '\u{61C}', '\u{1b}', '\u{7}', '\u{85}',
        '\u{200B}',
    ] {
        assert!(!text.contains(raw), "raw {:?} in the PDF text", raw);
    }
    // The long run wraps inside its cell instead of running off the page: no line of it is wider than the column.
    let longest_x_run = text
        .lines()
        .filter(|l| l.chars().all(|c| c == 'x'))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!((10..=20).contains(&longest_x_run), "{longest_x_run}");
    // The records keep the original values exactly.
    let jsonl = std::fs::read_to_string(folder.join("data/records/accounts.jsonl")).unwrap();
    assert!(jsonl.contains("invoice\u{202e}fdp.exe") && jsonl.contains(&"x".repeat(100_000)));
    let (ok, report) = verify_json(&folder, None);
    assert!(ok, "{report}");

    // Looked at by a person: the subjects page as an image, kept for inspection when RINGSCOPE_KEEP_PAGES is set.
    let png = s.dir.path().join("page");
    run_ok(tool("pdftoppm").args([
        "-r".as_ref(),
        "60".as_ref(),
        "-png".as_ref(),
        "-f".as_ref(),
        "2".as_ref(),
        "-l".as_ref(),
        "2".as_ref(),
        pdf.as_os_str(),
        png.as_os_str(),
    ]));
    let page = s.dir.path().join("page-2.png");
    assert!(std::fs::metadata(&page).unwrap().len() > 10_000);
    if let Some(keep) = std::env::var_os("RINGSCOPE_KEEP_PAGES") {
        std::fs::copy(&page, keep).unwrap();
    }
}

#[test]
fn the_terminal_sees_escapes_and_bidi_controls_as_code_points() {
    let s = Sandbox::new();
    s.import([crate::util::bad("hostile_display_names.csv").as_os_str()])
        .ok();
    let case = s.case.as_os_str();
    let rings = ringscope(["rings".as_ref(), case]).ok();
    let ring = ringscope(["ring".as_ref(), case, "R-0001".as_ref()]).ok();
    let explain = ringscope([
        "explain".as_ref(),
        case,
        "h1".as_ref(),
        "h5\u{1b}[31m".as_ref(),
    ])
    .ok();
    let note = ringscope([
        "note".as_ref(),
        case,
        "h4\u{202e}".as_ref(),
        "looks like \u{1b}[2J a spoof".as_ref(),
    ])
    .ok();
    let log = ringscope(["log".as_ref(), case]).ok();
    let info = ringscope(["case".as_ref(), "info".as_ref(), case]).ok();
    for (what, out) in [
        ("rings", &rings.stdout),
        ("ring", &ring.stdout),
        ("explain", &explain.stdout),
        ("note", &note.stdout),
        ("log", &log.stdout),
        ("case info", &info.stdout),
    ] {
        assert!(
            !out.chars().any(|c| (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')),
            "{what} printed a raw control or bidi character:\n{out:?}"
        );
    }
    assert!(ring.stdout.contains("h5⟨U+001B⟩[31m"), "{}", ring.stdout);
    assert!(ring.stdout.contains("h4⟨U+202E⟩"), "{}", ring.stdout);
    assert!(
        explain.stdout.contains("h5⟨U+001B⟩[31m"),
        "{}",
        explain.stdout
    );
    assert!(
        log.stdout.contains("looks like ⟨U+001B⟩[2J a spoof"),
        "{}",
        log.stdout
    );
    // JSON stays exact (serde escapes the controls).
    let json = ringscope(["ring".as_ref(), case, "R-0001".as_ref(), "--json".as_ref()])
        .ok()
        .json();
    assert!(
        json["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "h5\u{1b}[31m")
    );
}

/// Rewrites a manifest (`sha256sum`/`sha512sum` form) for the files it lists, as a forger would.
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
