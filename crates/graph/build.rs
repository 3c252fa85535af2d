//! Names this build of the detector: a hash of the sources ring detection is made of (this crate, the model's
//! linking rules and normalization, the frames it reads), so a detection cached in a case file by another build is
//! never served as this build's.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest);
    let mut files = vec![];
    for dir in [
        "src",
        "../model/src",
        "../frames/src",
        "../store/src/linking.rs",
        "../store/src/observations.rs",
        // How a detection is kept: another build's format is not this build's cache.
        "../store/src/detection_cache.rs",
    ] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    // FNV-1a over each file's path (relative) and bytes: stable across machines and checkouts.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(root).unwrap_or(file);
        feed(relative.to_string_lossy().as_bytes());
        feed(&std::fs::read(file).unwrap_or_default());
    }
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rustc-env=RINGSCOPE_DETECTOR={version}+{hash:016x}");
}

fn collect(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), out);
        }
    }
}
