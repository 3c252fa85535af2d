//! Verifying against a hostile receiver path: a stripped signature, crafted zips (path escapes, links, two roots),
//! duplicate zip entries and zip bombs. The packets come from the same helpers as `packets.rs`.

use crate::packets::{export_top_ring, run_ok, signed_packet, tool, verify_json};
use crate::util::{Sandbox, ringscope, sample_case};
use std::path::Path;
use std::process::Command;

fn rehash(folder: &Path, manifest: &str, sum: &str) {
    let text = std::fs::read_to_string(folder.join(manifest)).unwrap();
    let paths: Vec<String> = text
        .lines()
        .map(|l| l.split_once("  ").unwrap().1.to_string())
        .collect();
    let out = Command::new(sum)
        .current_dir(folder)
        .args(&paths)
        .output()
        .unwrap();
    std::fs::write(folder.join(manifest), out.stdout).unwrap();
}

#[test]
fn a_signed_packet_with_its_signature_removed_fails_verification() {
    let p = signed_packet();
    let folder = &p.folder;
    // Edit a record (same length, so sizes alone cannot tell), recompute every manifest, delete the signature.
    let records = folder.join("data/records/accounts.jsonl");
    let text = std::fs::read_to_string(&records).unwrap();
    let edited = text.replacen("\"status\":\"active\"", "\"status\":\"closed\"", 1);
    assert_ne!(text, edited);
    std::fs::write(&records, edited).unwrap();
    rehash(folder, "data/evidence-manifest-sha256.txt", "sha256sum");
    rehash(folder, "manifest-sha256.txt", "sha256sum");
    rehash(folder, "manifest-sha512.txt", "sha512sum");
    rehash(folder, "tagmanifest-sha256.txt", "sha256sum");
    rehash(folder, "tagmanifest-sha512.txt", "sha512sum");
    std::fs::remove_file(folder.join("tagmanifest-sha256.txt.minisig")).unwrap();
    // sha256sum alone is satisfied: only the packet's own statements can tell.
    run_ok(
        tool("sha256sum")
            .current_dir(folder)
            .args(["-c", "manifest-sha256.txt"]),
    );

    let (ok, report) = verify_json(folder, None);
    assert!(!ok, "{report}");
    let has = |file: &str, words: &str| {
        report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["file"] == file && x["message"].as_str().unwrap().contains(words))
    };
    assert!(
        has(
            "tagmanifest-sha256.txt.minisig",
            "the signature was removed"
        ),
        "{report}"
    );
    assert!(
        has("bag-info.txt", "Ringscope-Evidence-Digest is"),
        "{report}"
    );
    assert!(
        has("data/custody/custody-log.jsonl", "records digest"),
        "{report}"
    );
    assert!(
        has(
            "data/report/summary.pdf",
            "its cover states evidence digest"
        ),
        "{report}"
    );
    assert!(
        has("VERIFY.txt", "does not state the evidence digest"),
        "{report}"
    );
    let text = ringscope(["verify".as_ref(), folder.as_os_str()])
        .fails()
        .stdout;
    assert!(text.contains("packet FAILED verification"), "{text}");

    // An unsigned packet verifies, but not as "unaltered": nothing vouches for its origin.
    let s = sample_case();
    let e = export_top_ring(&s, "unsigned", &[]);
    let run = ringscope(["verify", e["folder"].as_str().unwrap()]).ok();
    assert!(run.stdout.contains("NOT SIGNED"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("complete and unaltered"),
        "{}",
        run.stdout
    );
}

/// Writes a zip by hand: `(name, method, crc, uncompressed size, data)`; method 0 stored, 8 deflate.
fn raw_zip(path: &Path, entries: &[(&str, u16, u32, u32, &[u8])]) {
    let mut out: Vec<u8> = vec![];
    let mut central: Vec<u8> = vec![];
    for (name, method, crc, size, data) in entries {
        let offset = out.len() as u32;
        for (buf, central_header) in [(&mut out, false), (&mut central, true)] {
            buf.extend(
                if central_header {
                    0x02014b50u32
                } else {
                    0x04034b50
                }
                .to_le_bytes(),
            );
            if central_header {
                buf.extend(20u16.to_le_bytes());
            }
            buf.extend(20u16.to_le_bytes());
            buf.extend(0u16.to_le_bytes());
            buf.extend(method.to_le_bytes());
            buf.extend(0u16.to_le_bytes());
            buf.extend(0x21u16.to_le_bytes());
            buf.extend(crc.to_le_bytes());
            buf.extend((data.len() as u32).to_le_bytes());
            buf.extend(size.to_le_bytes());
            buf.extend((name.len() as u16).to_le_bytes());
            buf.extend(0u16.to_le_bytes());
            if central_header {
                buf.extend([0u8; 10]); // comment length, disk, internal and external attributes
                buf.extend(offset.to_le_bytes());
            }
            buf.extend(name.as_bytes());
        }
        out.extend(*data);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_zip_with_a_duplicate_entry_name_is_refused() {
    let p = signed_packet();
    let original = std::fs::read(&p.zip).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&original)).unwrap();
    let top = p.folder.file_name().unwrap().to_str().unwrap().to_string();
    let target = format!("{top}/data/records/accounts.jsonl");
    let mut genuine: Vec<(String, Vec<u8>)> = vec![];
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = vec![];
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        genuine.push((f.name().unwrap().to_string(), bytes));
    }
    let at = genuine.iter().position(|(n, _)| *n == target).unwrap();
    let forged = String::from_utf8(genuine[at].1.clone())
        .unwrap()
        .replacen("\"status\":\"active\"", "\"status\":\"closed\"", 1)
        .into_bytes();
    assert_ne!(forged, genuine[at].1);
    // The tampered copy first, the genuine one after it.
    let mut duplicated = genuine.clone();
    duplicated.insert(at, (target.clone(), forged));
    let write = |path: &Path, entries: &[(String, Vec<u8>)]| {
        let refs: Vec<(&str, u16, u32, u32, &[u8])> = entries
            .iter()
            .map(|(n, d)| (n.as_str(), 0, crc32(d), d.len() as u32, d.as_slice()))
            .collect();
        raw_zip(path, &refs);
    };
    let dup = p.s.dir.path().join("duplicate.zip");
    write(&dup, &duplicated);
    for pubkey in [None, Some(p.public_key.as_path())] {
        let (ok, report) = verify_json(&dup, pubkey);
        assert!(!ok, "{report}");
        assert!(
            report["problems"][0]["message"]
                .as_str()
                .unwrap()
                .contains("two entries have the same name"),
            "{report}"
        );
    }
    // The same entries without the duplicate verify: the refusal is about the duplicate.
    let single = p.s.dir.path().join("single.zip");
    write(&single, &genuine);
    let (ok, report) = verify_json(&single, Some(&p.public_key));
    assert!(ok, "{report}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A deflate stream of `mib` MiB of zeros, built from one fully flushed MiB repeated (so it takes no time to make).
fn zeros_deflated(mib: usize) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let zeros = vec![0u8; 1 << 20];
    let mut chunk = Vec::with_capacity(1 << 16);
    c.compress_vec(&zeros, &mut chunk, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), 1 << 20);
    let mut stream = Vec::with_capacity(chunk.len() * mib + 2);
    for _ in 0..mib {
        stream.extend(&chunk);
    }
    stream.extend([0x03, 0x00]); // a final, empty fixed-Huffman block
    stream
}

/// Runs `ringscope verify` under /usr/bin/time: (exit code, stdout, peak RSS in KiB, seconds).
fn verify_measured(path: &Path) -> (Option<i32>, String, u64, f64) {
    let started = std::time::Instant::now();
    let out = tool("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_ringscope"))
        .args(["verify".as_ref(), path.as_os_str()])
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {stderr}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        rss,
        seconds,
    )
}

#[test]
fn a_zip_bomb_is_refused_quickly_in_little_memory() {
    let s = Sandbox::new();
    let bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    let gib = zeros_deflated(1024);
    // One honest header: 1 GiB from 1 MiB.
    let honest = s.dir.path().join("bomb.zip");
    raw_zip(
        &honest,
        &[
            ("P/bagit.txt", 0, crc32(bagit), bagit.len() as u32, bagit),
            ("P/data/zeros.bin", 8, 0, 1 << 30, &gib),
        ],
    );
    assert!(std::fs::metadata(&honest).unwrap().len() < 2 << 20);
    // One lying header: it declares 4 MiB (a plausible ratio) and streams 1 GiB.
    let lying = s.dir.path().join("lying.zip");
    raw_zip(
        &lying,
        &[
            ("P/bagit.txt", 0, crc32(bagit), bagit.len() as u32, bagit),
            ("P/data/zeros.bin", 8, 0, 4 << 20, &gib),
        ],
    );
    // The lying header is caught by the zip reader or by the bound on what is read, whichever comes first.
    for (path, words) in [(&honest, "a zip bomb"), (&lying, "declared")] {
        let (code, stdout, rss_kib, seconds) = verify_measured(path);
        assert_eq!(code, Some(1), "{stdout}");
        assert!(stdout.contains(words), "{stdout}");
        assert!(
            rss_kib < 200 * 1024,
            "peak RSS {rss_kib} KiB verifying {}",
            path.display()
        );
        assert!(seconds < 10.0, "{seconds} s verifying {}", path.display());
    }
    // Too many entries.
    let many = s.dir.path().join("many.zip");
    let names: Vec<String> = (0..10_001).map(|i| format!("P/data/{i}")).collect();
    let entries: Vec<(&str, u16, u32, u32, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), 0, 0, 0, &[][..]))
        .collect();
    raw_zip(&many, &entries);
    let run = ringscope(["verify".as_ref(), many.as_os_str()]).fails();
    assert!(
        run.stdout.contains("10001 entries, more than the 10000"),
        "{}",
        run.stdout
    );
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
