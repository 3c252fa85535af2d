//! `ringscope verify`: stricter than bagit.py. Checks the structure, both manifests and tag manifests in both
//! directions (missing and extra files), every hash, Payload-Oxum, the signature and the custody chain, and reports
//! every problem found.

use crate::archive;
use crate::bagit::{ALGORITHMS, BAGIT_TXT, SIGNATURE_FILE, digest_hex, sha256_hex};
use crate::error::Result;
use crate::sign;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned, relative to the bag root ("" for the bag itself).
    pub file: String,
    pub message: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Verifies a bag folder or a zip of one.
pub fn verify(path: &Path, pubkey: Option<&str>) -> Result<Report> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let temp = tempfile::tempdir().map_err(|source| crate::Error::Io {
            path: std::env::temp_dir(),
            source,
        })?;
        return match archive::extract_zip(path, temp.path()) {
            Ok(root) => {
                let mut report = verify_folder(&root, pubkey)?;
                report.path = path.display().to_string();
                Ok(report)
            }
            Err(e) => Ok(Report {
                path: path.display().to_string(),
                ok: false,
                files_checked: 0,
                signature: Signature::Missing,
                problems: vec![problem("", e.to_string())],
            }),
        };
    }
    verify_folder(path, pubkey)
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

fn read(root: &Path, rel: &str) -> Option<Vec<u8>> {
    std::fs::read(root.join(rel)).ok()
}

fn verify_folder(root: &Path, pubkey: Option<&str>) -> Result<Report> {
    let mut problems = vec![];
    let mut files = BTreeSet::new();
    if !root.is_dir() {
        problems.push(problem("", "not a folder or .zip"));
    } else {
        walk(root, root, &mut files, &mut problems);
    }
    match read(root, "bagit.txt") {
        Some(b) if b == BAGIT_TXT.as_bytes() => {}
        Some(_) => problems.push(problem("bagit.txt", "not the BagIt 1.0 declaration")),
        None => problems.push(problem("bagit.txt", "missing")),
    }
    let info = read(root, "bag-info.txt").map(|b| String::from_utf8_lossy(&b).into_owned());
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
            let Some(bytes) = read(root, &name) else {
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
                match read(root, path) {
                    Some(content) if digest_hex(alg, &content) == *expected => hashed += 1,
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
        let declared = info
            .lines()
            .find_map(|l| l.strip_prefix("Payload-Oxum: "))
            .map(str::trim);
        let actual = format!(
            "{}.{}",
            payload
                .iter()
                .map(|f| std::fs::metadata(root.join(f))
                    .map(|m| m.len())
                    .unwrap_or(0))
                .sum::<u64>(),
            payload.len()
        );
        match declared {
            Some(d) if d == actual => {}
            Some(d) => problems.push(problem(
                "bag-info.txt",
                format!("Payload-Oxum is {d}, the payload is {actual}"),
            )),
            None => problems.push(problem("bag-info.txt", "no Payload-Oxum")),
        }
    }

    let signature = check_signature(root, pubkey, &mut problems);

    const CUSTODY: &str = "data/custody/custody-log.jsonl";
    match read(root, CUSTODY) {
        Some(log) => problems.extend(
            crate::custody::check(&log)
                .into_iter()
                .map(|m| problem(CUSTODY, m)),
        ),
        None => problems.push(problem(CUSTODY, "missing")),
    }
    const EVIDENCE: &str = "data/evidence-manifest-sha256.txt";
    if let Some(bytes) = read(root, EVIDENCE) {
        for (path, expected) in parse_manifest(
            EVIDENCE,
            &String::from_utf8_lossy(&bytes),
            64,
            &mut problems,
        ) {
            if read(root, &path).is_none_or(|c| sha256_hex(&c) != expected) {
                problems.push(problem(&path, format!("does not match {EVIDENCE}")));
            }
        }
    } else {
        problems.push(problem(EVIDENCE, "missing"));
    }

    problems.sort_by(|a, b| a.file.cmp(&b.file).then(a.message.cmp(&b.message)));
    problems.dedup();
    Ok(Report {
        path: root.display().to_string(),
        ok: problems.is_empty(),
        files_checked: hashed,
        signature,
        problems,
    })
}

fn check_signature(root: &Path, pubkey: Option<&str>, problems: &mut Vec<Problem>) -> Signature {
    let Some(sig) = read(root, SIGNATURE_FILE) else {
        if pubkey.is_some() {
            problems.push(problem(SIGNATURE_FILE, "missing: the packet is not signed"));
        }
        return Signature::Missing;
    };
    let (key, given) = match pubkey {
        Some(spec) => match sign::load_public(spec) {
            Ok(k) => (k, true),
            Err(e) => {
                problems.push(problem(SIGNATURE_FILE, format!("cannot use --pubkey: {e}")));
                return Signature::Invalid;
            }
        },
        None => {
            let verify_txt = read(root, "VERIFY.txt")
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            match verify_txt
                .lines()
                .find_map(|l| l.trim().strip_prefix("Public key: "))
                .map(sign::load_public)
            {
                Some(Ok(k)) => (k, false),
                _ => {
                    problems.push(problem(
                        SIGNATURE_FILE,
                        "no --pubkey given and no public key in VERIFY.txt",
                    ));
                    return Signature::Invalid;
                }
            }
        }
    };
    let data = read(root, "tagmanifest-sha256.txt").unwrap_or_default();
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
