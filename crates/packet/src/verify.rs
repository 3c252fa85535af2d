//! `ringscope verify`: stricter than bagit.py, and trusting nothing it is handed. Checks the structure, both
//! manifests and tag manifests in both directions (missing and extra files), every hash, Payload-Oxum, the
//! signature and the custody chain; cross-checks every digest and id the packet states about itself (bag-info's
//! evidence digest, VERIFY.txt, the custody log's export entry, the report's cover); refuses a packet that says it
//! was signed but has no signature; and reports every problem found. Files are hashed as they stream; a zip is read
//! in place, with bounds on entries, sizes and compression ratios (see `archive.rs`).

use crate::archive;
use crate::bagit::{ALGORITHMS, BAGIT_TXT, SIGNATURE_FILE, sha256_hex};
use crate::error::Result;
use crate::sign;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned, relative to the bag root ("" for the bag itself).
    pub file: String,
    pub message: String,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    /// Valid for the key given with `--pubkey`.
    Valid {
        key_id: String,
    },
    /// Valid for the key written in the packet's VERIFY.txt; compare its id with one obtained out of band.
    ValidPacketKey {
        key_id: String,
    },
    Invalid,
    Missing,
}

#[cfg_attr(feature = "ts", derive(specta::Type))]
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub path: String,
    pub ok: bool,
    pub files_checked: usize,
    pub signature: Signature,
    pub problems: Vec<Problem>,
}

fn problem(file: &str, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_string(),
        message: message.into(),
    }
}

/// Verifies a bag folder or a zip of one. A zip is read in place (see [`archive::read_zip`]): never extracted.
pub fn verify(path: &Path, pubkey: Option<&str>) -> Result<Report> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return Ok(match archive::read_zip(path, &|rel| read_whole(rel)) {
            Ok((_, entries)) => {
                let mut report = verify_bag(&Bag::Zip(entries), pubkey);
                report.path = path.display().to_string();
                report
            }
            Err(e) => Report {
                path: path.display().to_string(),
                ok: false,
                files_checked: 0,
                signature: Signature::Missing,
                problems: vec![problem("", e.to_string())],
            },
        });
    }
    let mut problems = vec![];
    let mut files = BTreeSet::new();
    if !path.is_dir() {
        problems.push(problem("", "not a folder or .zip"));
    } else {
        walk(path, path, &mut files, &mut problems);
    }
    let bag = Bag::Folder {
        root: path.to_path_buf(),
        files,
        sha256: Default::default(),
    };
    let mut report = verify_bag(&bag, pubkey);
    report.problems.extend(problems);
    finish(&mut report);
    Ok(report)
}

/// The files verification reads whole (all others are only hashed): the tag files and the few payload files whose
/// contents are checked.
fn read_whole(rel: &str) -> bool {
    !rel.starts_with("data/") || [CUSTODY, EVIDENCE, REPORT].contains(&rel)
}

const CUSTODY: &str = "data/custody/custody-log.jsonl";
const EVIDENCE: &str = "data/evidence-manifest-sha256.txt";
const REPORT: &str = "data/report/summary.pdf";

/// A packet as verification sees it: a folder on disk, or the entries of a zip, hashed as they were read.
enum Bag {
    Folder {
        root: std::path::PathBuf,
        files: BTreeSet<String>,
        sha256: std::cell::RefCell<BTreeMap<String, String>>,
    },
    Zip(BTreeMap<String, archive::Entry>),
}

impl Bag {
    fn files(&self) -> BTreeSet<String> {
        match self {
            Bag::Folder { files, .. } => files.clone(),
            Bag::Zip(entries) => entries.keys().cloned().collect(),
        }
    }

    fn contains(&self, rel: &str) -> bool {
        match self {
            Bag::Folder { files, .. } => files.contains(rel),
            Bag::Zip(entries) => entries.contains_key(rel),
        }
    }

    /// A file's bytes (only the files [`read_whole`] names, and none larger than [`archive::KEEP_BYTES`]).
    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        match self {
            Bag::Folder { root, files, .. } => {
                let path = root.join(rel);
                let fits = std::fs::metadata(&path).is_ok_and(|m| m.len() <= archive::KEEP_BYTES);
                (files.contains(rel) && fits)
                    .then(|| std::fs::read(path).ok())
                    .flatten()
            }
            Bag::Zip(entries) => entries.get(rel).and_then(|e| e.bytes.clone()),
        }
    }

    fn size(&self, rel: &str) -> Option<u64> {
        match self {
            Bag::Folder { root, files, .. } => files
                .contains(rel)
                .then(|| std::fs::metadata(root.join(rel)).ok().map(|m| m.len()))
                .flatten(),
            Bag::Zip(entries) => entries.get(rel).map(|e| e.size),
        }
    }

    /// A file's digest, streamed from disk (never read whole).
    fn digest(&self, algorithm: &str, rel: &str) -> Option<String> {
        match self {
            Bag::Folder {
                root,
                files,
                sha256,
            } => {
                if !files.contains(rel) {
                    return None;
                }
                if algorithm == "sha256"
                    && let Some(d) = sha256.borrow().get(rel)
                {
                    return Some(d.clone());
                }
                let d = digest_file(algorithm, &root.join(rel))?;
                if algorithm == "sha256" {
                    sha256.borrow_mut().insert(rel.to_string(), d.clone());
                }
                Some(d)
            }
            Bag::Zip(entries) => entries.get(rel).map(|e| match algorithm {
                "sha512" => e.sha512.clone(),
                _ => e.sha256.clone(),
            }),
        }
    }
}

fn digest_file(algorithm: &str, path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256, Sha512};
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 64 * 1024];
    let (mut h256, mut h512) = (Sha256::new(), Sha512::new());
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        match algorithm {
            "sha512" => h512.update(&buf[..n]),
            _ => h256.update(&buf[..n]),
        }
    }
    Some(match algorithm {
        "sha512" => hex::encode(h512.finalize()),
        _ => hex::encode(h256.finalize()),
    })
}

/// Every file under `root`, relative, `/`-separated; symlinks are reported, not followed.
fn walk(root: &Path, dir: &Path, files: &mut BTreeSet<String>, problems: &mut Vec<Problem>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        problems.push(problem("", format!("cannot read folder {}", dir.display())));
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        match entry.file_type() {
            Ok(t) if t.is_symlink() => {
                problems.push(problem(&rel, "symbolic link (not allowed in a packet)"))
            }
            Ok(t) if t.is_dir() => walk(root, &path, files, problems),
            Ok(_) => {
                files.insert(rel);
            }
            Err(e) => problems.push(problem(&rel, e.to_string())),
        }
    }
}

/// Parses `<hex>  <path>` lines strictly.
fn parse_manifest(
    name: &str,
    text: &str,
    hex_len: usize,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, String> {
    let mut entries = BTreeMap::new();
    for (i, line) in text.split_terminator('\n').enumerate() {
        let ok = line.split_once("  ").filter(|(h, p)| {
            h.len() == hex_len
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                && !p.is_empty()
        });
        match ok {
            Some((hash, path)) => {
                if entries.insert(path.to_string(), hash.to_string()).is_some() {
                    problems.push(problem(
                        name,
                        format!("line {}: {path} is listed twice", i + 1),
                    ));
                }
            }
            None => problems.push(problem(
                name,
                format!("line {}: not '<lowercase hex>  <path>'", i + 1),
            )),
        }
    }
    entries
}

/// `Label: value` lines of bag-info.txt.
fn bag_info_field<'a>(info: &'a str, label: &str) -> Option<&'a str> {
    info.lines()
        .find_map(|l| l.strip_prefix(label)?.strip_prefix(": "))
        .map(str::trim)
}

fn finish(report: &mut Report) {
    report
        .problems
        .sort_by(|a, b| a.file.cmp(&b.file).then(a.message.cmp(&b.message)));
    report.problems.dedup();
    report.ok = report.problems.is_empty();
}

fn verify_bag(bag: &Bag, pubkey: Option<&str>) -> Report {
    let mut problems = vec![];
    let files = bag.files();
    match bag.read("bagit.txt") {
        Some(b) if b == BAGIT_TXT.as_bytes() => {}
        Some(_) => problems.push(problem("bagit.txt", "not the BagIt 1.0 declaration")),
        None => problems.push(problem("bagit.txt", "missing")),
    }
    let info = bag
        .read("bag-info.txt")
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    if info.is_none() {
        problems.push(problem("bag-info.txt", "missing"));
    }

    let payload: BTreeSet<&String> = files.iter().filter(|f| f.starts_with("data/")).collect();
    let mut hashed = 0;
    let mut covered_tags: BTreeSet<String> = BTreeSet::new();
    for alg in ALGORITHMS {
        let hex_len = if alg == "sha512" { 128 } else { 64 };
        for (kind, name) in [
            ("payload", format!("manifest-{alg}.txt")),
            ("tag", format!("tagmanifest-{alg}.txt")),
        ] {
            let Some(bytes) = bag.read(&name) else {
                problems.push(problem(&name, "missing"));
                continue;
            };
            let entries = parse_manifest(
                &name,
                &String::from_utf8_lossy(&bytes),
                hex_len,
                &mut problems,
            );
            for (path, expected) in &entries {
                match bag.digest(alg, path) {
                    Some(actual) if actual == *expected => hashed += 1,
                    Some(_) => problems.push(problem(path, format!("{alg} does not match {name}"))),
                    None => problems.push(problem(path, format!("listed in {name} but missing"))),
                }
                if kind == "payload" && !path.starts_with("data/") {
                    problems.push(problem(path, format!("{name} lists a file outside data/")));
                }
            }
            if kind == "payload" {
                for f in &payload {
                    if !entries.contains_key(*f) {
                        problems.push(problem(f, format!("not listed in {name}")));
                    }
                }
            } else {
                covered_tags.extend(entries.into_keys());
            }
        }
    }
    for f in files.iter().filter(|f| !f.starts_with("data/")) {
        let is_tagmanifest = f.starts_with("tagmanifest-");
        if !is_tagmanifest && f != SIGNATURE_FILE && !covered_tags.contains(f) {
            problems.push(problem(f, "extra file, not listed in the tag manifests"));
        }
    }

    if let Some(info) = &info {
        let actual = format!(
            "{}.{}",
            payload
                .iter()
                .map(|f| bag.size(f).unwrap_or(0))
                .sum::<u64>(),
            payload.len()
        );
        match bag_info_field(info, "Payload-Oxum") {
            Some(d) if d == actual => {}
            Some(d) => problems.push(problem(
                "bag-info.txt",
                format!("Payload-Oxum is {d}, the payload is {actual}"),
            )),
            None => problems.push(problem("bag-info.txt", "no Payload-Oxum")),
        }
    }

    let signature = check_signature(bag, pubkey, info.as_deref(), &mut problems);

    match bag.read(CUSTODY) {
        Some(log) => problems.extend(
            crate::custody::check(&log)
                .into_iter()
                .map(|m| problem(CUSTODY, m)),
        ),
        None => problems.push(problem(CUSTODY, "missing")),
    }
    if let Some(bytes) = bag.read(EVIDENCE) {
        for (path, expected) in parse_manifest(
            EVIDENCE,
            &String::from_utf8_lossy(&bytes),
            64,
            &mut problems,
        ) {
            if bag.digest("sha256", &path).is_none_or(|c| c != expected) {
                problems.push(problem(&path, format!("does not match {EVIDENCE}")));
            }
        }
    } else {
        problems.push(problem(EVIDENCE, "missing"));
    }
    if let Some(info) = &info {
        cross_check(bag, info, &mut problems);
    }

    let mut report = Report {
        path: String::new(),
        ok: false,
        files_checked: hashed,
        signature,
        problems,
    };
    finish(&mut report);
    report
}

/// Every digest and id the packet states about itself must agree with what it holds: a forger who edits records
/// and recomputes the manifests (and drops the signature) still has to rewrite each of these consistently.
fn cross_check(bag: &Bag, info: &str, problems: &mut Vec<Problem>) {
    let packet_id = bag_info_field(info, "Ringscope-Packet-Id");
    let evidence_digest = bag.digest("sha256", EVIDENCE);
    match (
        bag_info_field(info, "Ringscope-Evidence-Digest"),
        &evidence_digest,
    ) {
        (Some(stated), Some(actual)) if stated == actual => {}
        (Some(stated), Some(actual)) => problems.push(problem(
            "bag-info.txt",
            format!("Ringscope-Evidence-Digest is {stated}, but {EVIDENCE} hashes to {actual}"),
        )),
        (None, _) => problems.push(problem("bag-info.txt", "no Ringscope-Evidence-Digest")),
        (Some(_), None) => {}
    }
    if packet_id.is_none() {
        problems.push(problem("bag-info.txt", "no Ringscope-Packet-Id"));
    }
    if let (Some(id), Some(sender)) = (
        packet_id,
        bag_info_field(info, "Internal-Sender-Identifier"),
    ) && id != sender
    {
        problems.push(problem(
            "bag-info.txt",
            format!("Ringscope-Packet-Id {id} and Internal-Sender-Identifier {sender} differ"),
        ));
    }
    if let (Some(time), Some(date)) = (
        bag_info_field(info, "Ringscope-Export-Time"),
        bag_info_field(info, "Bagging-Date"),
    ) && !time.starts_with(date)
    {
        problems.push(problem(
            "bag-info.txt",
            format!("Bagging-Date {date} is not the date of Ringscope-Export-Time {time}"),
        ));
    }
    // VERIFY.txt names the packet and the evidence digest.
    if let (Some(text), Some(id)) = (bag.read("VERIFY.txt"), packet_id) {
        let text = String::from_utf8_lossy(&text);
        if !text.contains(&format!("evidence packet {id} ")) {
            problems.push(problem(
                "VERIFY.txt",
                format!("does not name packet {id} of bag-info.txt"),
            ));
        }
        if let Some(actual) = &evidence_digest
            && !text.contains(&format!("evidence digest, {actual}"))
        {
            problems.push(problem(
                "VERIFY.txt",
                format!("does not state the evidence digest {actual} of {EVIDENCE}"),
            ));
        }
    }
    // The custody log's last line is this export, of these records.
    if let Some(log) = bag.read(CUSTODY) {
        let last = String::from_utf8_lossy(&log)
            .lines()
            .last()
            .and_then(|l| serde_json::from_str::<crate::custody::CustodyEntry>(l).ok());
        // The same manifest the export hashed: the records files' sha256sum lines, sorted by path.
        let manifest: String = bag
            .files()
            .iter()
            .filter(|f| f.starts_with("data/records/"))
            .map(|f| format!("{}  {f}\n", bag.digest("sha256", f).unwrap_or_default()))
            .collect();
        let records_digest = sha256_hex(manifest.as_bytes());
        match last {
            Some(e) if e.action == "export" => {
                if packet_id.is_some_and(|id| id != e.item) {
                    problems.push(problem(
                        CUSTODY,
                        format!(
                            "the export it ends with is of packet {}, not this one",
                            e.item
                        ),
                    ));
                }
                if e.sha256.as_deref() != Some(records_digest.as_str()) {
                    problems.push(problem(
                        CUSTODY,
                        format!(
                            "the export it ends with recorded records digest {}, the records here give {records_digest}",
                            e.sha256.as_deref().unwrap_or("none")
                        ),
                    ));
                }
            }
            _ => problems.push(problem(CUSTODY, "does not end with this packet's export")),
        }
    }
    // The report's cover states the evidence digest; its metadata carries it in a form verify can read.
    if let (Some(pdf), Some(actual)) = (bag.read(REPORT), &evidence_digest) {
        const MARK: &[u8] = b"ringscope-evidence-digest:";
        if let Some(at) = pdf.windows(MARK.len()).position(|w| w == MARK) {
            let stated = String::from_utf8_lossy(
                pdf.get(at + MARK.len()..at + MARK.len() + 64)
                    .unwrap_or_default(),
            );
            if stated != *actual {
                problems.push(problem(
                    REPORT,
                    format!("its cover states evidence digest {stated}, but {EVIDENCE} hashes to {actual}"),
                ));
            }
        }
    }
}

/// What the packet says about its own signature: the key VERIFY.txt names, and bag-info's statement.
fn stated_key(bag: &Bag, info: Option<&str>) -> (Option<String>, Option<String>) {
    let verify_txt = bag
        .read("VERIFY.txt")
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let key = verify_txt
        .lines()
        .find_map(|l| l.trim().strip_prefix("Public key: "))
        .map(|k| k.trim().to_string());
    let stated = info
        .and_then(|i| bag_info_field(i, "Ringscope-Signature"))
        .map(String::from);
    (key, stated)
}

fn check_signature(
    bag: &Bag,
    pubkey: Option<&str>,
    info: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Signature {
    let (packet_key, stated) = stated_key(bag, info);
    let says_signed = packet_key.is_some() || stated.as_deref().is_some_and(|s| s != "none");
    if stated.as_deref() == Some("none") && packet_key.is_some() {
        problems.push(problem(
            "bag-info.txt",
            "says the packet is not signed, but VERIFY.txt names a signing key",
        ));
    }
    if !bag.contains(SIGNATURE_FILE) {
        if pubkey.is_some() {
            problems.push(problem(SIGNATURE_FILE, "missing: the packet is not signed"));
        } else if says_signed {
            problems.push(problem(
                SIGNATURE_FILE,
                "missing, but the packet says it was signed (VERIFY.txt names a signing key): the signature was removed",
            ));
        }
        return Signature::Missing;
    }
    let Some(sig) = bag.read(SIGNATURE_FILE) else {
        problems.push(problem(SIGNATURE_FILE, "too large to be a signature"));
        return Signature::Invalid;
    };
    let (key, given) = match pubkey {
        Some(spec) => match sign::load_public(spec) {
            Ok(k) => (k, true),
            Err(e) => {
                problems.push(problem(SIGNATURE_FILE, format!("cannot use --pubkey: {e}")));
                return Signature::Invalid;
            }
        },
        None => match packet_key.as_deref().map(sign::load_public) {
            Some(Ok(k)) => (k, false),
            _ => {
                problems.push(problem(
                    SIGNATURE_FILE,
                    "no --pubkey given and no public key in VERIFY.txt",
                ));
                return Signature::Invalid;
            }
        },
    };
    if let Some(s) = stated
        .as_deref()
        .and_then(|s| s.strip_prefix("minisign key "))
        && s != sign::key_id(&key)
        && !given
    {
        problems.push(problem(
            "bag-info.txt",
            format!(
                "Ringscope-Signature names key {s}, VERIFY.txt key {}",
                sign::key_id(&key)
            ),
        ));
    }
    let data = bag.read("tagmanifest-sha256.txt").unwrap_or_default();
    match sign::verify(&key, &data, &String::from_utf8_lossy(&sig)) {
        Ok(()) if given => Signature::Valid {
            key_id: sign::key_id(&key),
        },
        Ok(()) => Signature::ValidPacketKey {
            key_id: sign::key_id(&key),
        },
        Err(e) => {
            problems.push(problem(
                SIGNATURE_FILE,
                format!("signature does not verify over tagmanifest-sha256.txt: {e}"),
            ));
            Signature::Invalid
        }
    }
}
