//! Deterministic zips of a bag (sorted entries, fixed time and permissions, one top folder), and safe reading:
//! absolute paths, `..`, symlinks and entries outside the top folder are refused before anything is written, and
//! extraction only ever writes inside the given temporary folder.

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

/// Checks every entry, then extracts into `into` (which must be empty). Returns the top folder's path.
pub fn extract_zip(zip_path: &Path, into: &Path) -> Result<std::path::PathBuf> {
    let file = std::fs::File::open(zip_path).at(zip_path)?;
    let mut archive = zip::ZipArchive::new(file)?;
    let unsafe_entry = |name: &str, why: &str| {
        Error::Subjects(format!(
            "{}: unsafe entry {name:?}: {why}",
            zip_path.display()
        ))
    };
    let mut top: Option<String> = None;
    let mut entries = vec![];
    for i in 0..archive.len() {
        let entry = archive.by_index(i)?;
        let name = entry.name()?.to_string();
        if name.starts_with('/')
            || name.starts_with('\\')
            || name.contains('\\')
            || name.contains(':')
        {
            return Err(unsafe_entry(&name, "absolute or non-portable path"));
        }
        let path = Path::new(&name);
        if path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(unsafe_entry(&name, "path with '..' or '.'"));
        }
        if entry.is_symlink() || entry.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000) {
            return Err(unsafe_entry(&name, "symbolic link"));
        }
        if entry.enclosed_name().is_none() {
            return Err(unsafe_entry(&name, "outside the archive"));
        }
        let first = path
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        match &top {
            None => top = Some(first.clone()),
            Some(t) if *t != first => {
                return Err(unsafe_entry(&name, "outside the packet's top folder"));
            }
            _ => {}
        }
        if path.components().count() < 2 && !entry.is_dir() {
            return Err(unsafe_entry(&name, "a file beside the packet's top folder"));
        }
        entries.push((i, name, entry.is_dir()));
    }
    let top =
        top.ok_or_else(|| Error::Subjects(format!("{}: empty archive", zip_path.display())))?;
    for (i, name, is_dir) in entries {
        let target = into.join(&name);
        if is_dir {
            std::fs::create_dir_all(&target).at(&target)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        let mut entry = archive.by_index(i)?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).at(&target)?;
        std::fs::write(&target, bytes).at(&target)?;
    }
    Ok(into.join(top))
}
