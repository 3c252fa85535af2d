//! Deterministic zips of a bag (sorted entries, fixed time and permissions, one top folder), and safe reading of a
//! zip a receiver was handed: absolute paths, `..`, symlinks, entries outside the top folder, duplicate names,
//! inconsistent headers, too many entries, too many bytes and zip-bomb compression ratios are refused before any
//! entry is read; entries are then hashed as they stream, never extracted and never held whole in memory.

use crate::bagit::BagFile;
use crate::error::{Error, IoContext, Result};
use std::io::{Read, Write};
use std::path::{Component, Path};
use zip::write::SimpleFileOptions;

pub fn write_zip(path: &Path, top: &str, files: &[BagFile]) -> Result<()> {
    let file = std::fs::File::create(path).at(path)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut sorted: Vec<&BagFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for f in sorted {
        zip.start_file(format!("{top}/{}", f.path), options)?;
        zip.write_all(&f.bytes).at(path)?;
    }
    zip.finish()?.flush().at(path)?;
    Ok(())
}

/// Entries of one packet zip at most (a packet has about twenty files).
pub const MAX_ENTRIES: usize = 10_000;
/// Uncompressed bytes of all entries together at most.
pub const MAX_TOTAL_BYTES: u64 = 8 << 30;
/// Compression ratio an entry of more than [`RATIO_FLOOR`] bytes may have at most. Packet files (JSONL, CSV, SVG,
/// PDF) compress 3 to 30 times; a zip bomb's zeros compress a thousand times.
pub const MAX_RATIO: u64 = 200;
pub const RATIO_FLOOR: u64 = 1 << 20;
/// Entries up to this size that verification reads (tag files, the custody log, manifests, the report) are kept;
/// every other entry is only hashed, as it streams.
pub const KEEP_BYTES: u64 = 64 << 20;

/// One entry of a packet zip, hashed as it was read.
pub struct Entry {
    pub size: u64,
    pub sha256: String,
    pub sha512: String,
    /// The bytes, for the entries `keep` asked for (and no larger than [`KEEP_BYTES`]).
    pub bytes: Option<Vec<u8>>,
}

/// Checks every entry's name and the archive's structure (no duplicate names, local headers matching the central
/// directory, no overlapping entries), bounds entry count, sizes and compression ratios, then reads each entry once,
/// streaming it through SHA-256 and SHA-512 without holding it in memory (except those `keep` names, which
/// verification reads). Nothing is written to disk. Returns the top folder and the entries under it, by path
/// relative to it.
pub fn read_zip(
    zip_path: &Path,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(String, std::collections::BTreeMap<String, Entry>)> {
    use sha2::{Digest, Sha256, Sha512};
    let file = std::fs::File::open(zip_path).at(zip_path)?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))?;
    let refuse = |why: String| Error::Subjects(format!("{}: refused: {why}", zip_path.display()));
    let unsafe_entry = |name: &str, why: &str| {
        Error::Subjects(format!(
            "{}: unsafe entry {name:?}: {why}",
            zip_path.display()
        ))
    };
    if archive.has_duplicate_names() {
        return Err(refuse(
            "two entries have the same name (one copy could hide the other)".into(),
        ));
    }
    if archive.len() > MAX_ENTRIES {
        return Err(refuse(format!(
            "{} entries, more than the {MAX_ENTRIES} a packet can have",
            archive.len()
        )));
    }
    archive
        .validate_header_consistency()
        .map_err(|e| refuse(format!("inconsistent zip structure: {e}")))?;
    let mut top: Option<String> = None;
    let mut declared_total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i)?;
        let name = entry.name()?.to_string();
        check_name(
            &name,
            entry.is_dir(),
            entry.is_symlink() || entry.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000),
            entry.enclosed_name().is_some(),
        )
        .map_err(|why| unsafe_entry(&name, why))?;
        let first = name.split('/').next().unwrap_or_default().to_string();
        match &top {
            None => top = Some(first),
            Some(t) if *t != first => {
                return Err(unsafe_entry(&name, "outside the packet's top folder"));
            }
            _ => {}
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > RATIO_FLOOR && size > packed.saturating_mul(MAX_RATIO) {
            return Err(refuse(format!(
                "entry {name:?} unpacks {packed} bytes to {size} (more than {MAX_RATIO} times): a zip bomb, not a packet"
            )));
        }
        declared_total = declared_total.saturating_add(size);
        if declared_total > MAX_TOTAL_BYTES {
            return Err(refuse(format!(
                "its entries unpack to more than {MAX_TOTAL_BYTES} bytes"
            )));
        }
    }
    let top =
        top.ok_or_else(|| Error::Subjects(format!("{}: empty archive", zip_path.display())))?;
    let mut entries = std::collections::BTreeMap::new();
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.to_string();
        let rel = name[top.len() + 1..].to_string();
        let declared = entry.size();
        let keep_bytes = keep(&rel) && declared <= KEEP_BYTES;
        let (mut h256, mut h512) = (Sha256::new(), Sha512::new());
        let mut bytes = keep_bytes.then(Vec::new);
        let mut read: u64 = 0;
        // Never more than the header declared (checked above), whatever the compressed stream holds.
        let mut reader = entry.take(declared.saturating_add(1));
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| refuse(format!("entry {name:?}: {e}")))?;
            if n == 0 {
                break;
            }
            read += n as u64;
            if read > declared {
                return Err(refuse(format!(
                    "entry {name:?} unpacks to more than the {declared} bytes its header declares"
                )));
            }
            h256.update(&buf[..n]);
            h512.update(&buf[..n]);
            if let Some(b) = bytes.as_mut() {
                b.extend_from_slice(&buf[..n]);
            }
        }
        if read != declared {
            return Err(refuse(format!(
                "entry {name:?} unpacks to {read} bytes, its header declares {declared}"
            )));
        }
        entries.insert(
            rel,
            Entry {
                size: read,
                sha256: hex::encode(h256.finalize()),
                sha512: hex::encode(h512.finalize()),
                bytes,
            },
        );
    }
    Ok((top, entries))
}

/// Why an entry name is unsafe, if it is.
fn check_name(
    name: &str,
    is_dir: bool,
    is_symlink: bool,
    enclosed: bool,
) -> std::result::Result<(), &'static str> {
    if name.starts_with('/') || name.starts_with('\\') || name.contains('\\') || name.contains(':')
    {
        return Err("absolute or non-portable path");
    }
    let path = Path::new(name);
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err("path with '..' or '.'");
    }
    if is_symlink {
        return Err("symbolic link");
    }
    if !enclosed {
        return Err("outside the archive");
    }
    if path.components().count() < 2 && !is_dir {
        return Err("a file beside the packet's top folder");
    }
    Ok(())
}
