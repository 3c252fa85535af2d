//! BagIt 1.0 (RFC 8493) in the strict form: LF line ends, lowercase hex, two spaces, sorted paths.

use sha2::{Digest, Sha256, Sha512};

/// A file of the bag, by its path relative to the bag root (always `/`-separated, `[A-Za-z0-9._/-]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl BagFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> BagFile {
        BagFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
pub const SIGNATURE_FILE: &str = "tagmanifest-sha256.txt.minisig";
pub const ALGORITHMS: [&str; 2] = ["sha256", "sha512"];

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn digest_hex(algorithm: &str, bytes: &[u8]) -> String {
    match algorithm {
        "sha512" => hex::encode(Sha512::digest(bytes)),
        _ => sha256_hex(bytes),
    }
}

/// `<hex>  <path>\n` for every file, sorted by path: exactly what `sha256sum` prints.
pub fn manifest(algorithm: &str, files: &[&BagFile]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| format!("{}  {}\n", digest_hex(algorithm, &f.bytes), f.path))
        .collect();
    lines.sort_by(|a, b| a[a.find("  ").unwrap_or(0)..].cmp(&b[b.find("  ").unwrap_or(0)..]));
    lines.concat()
}

/// `<bytes>.<files>` over the payload.
pub fn payload_oxum(payload: &[BagFile]) -> String {
    format!(
        "{}.{}",
        payload.iter().map(|f| f.bytes.len()).sum::<usize>(),
        payload.len()
    )
}

/// Tag values are single lines.
pub fn bag_info(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", v.replace(['\r', '\n'], " ")))
        .collect()
}

/// Keeps a file or folder name to `[A-Za-z0-9._-]` (bagit.py mis-decodes `%`; other characters trip up shells).
pub fn safe_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(['.', '_']);
    if trimmed.is_empty() {
        "case".into()
    } else {
        trimmed.chars().take(64).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_are_sorted_sha256sum_lines() {
        let b = BagFile::new("data/b.txt", "b");
        let a = BagFile::new("data/a.txt", "a");
        let m = manifest("sha256", &[&b, &a]);
        assert_eq!(
            m,
            format!(
                "{}  data/a.txt\n{}  data/b.txt\n",
                sha256_hex(b"a"),
                sha256_hex(b"b")
            )
        );
        assert_eq!(payload_oxum(&[a, b]), "2.2");
    }

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("ZD-1/../../etc passwd%"), "ZD-1_.._.._etc_passwd");
        assert_eq!(safe_name("../"), "case");
        assert_eq!(safe_name("Case 42: spike"), "Case_42__spike");
    }
}
