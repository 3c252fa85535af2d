//! Hostile text in evidence packets and on the terminal: formulas and markup neutralized in CSV and plain in the PDF,
//! emoji, CJK, bidi controls, terminal escapes and huge runs rendered safely.

use crate::packets::{export_accounts, run_ok, tool, verify_json};
use crate::util::{Sandbox, ringscope, sample, sample_case};
use std::path::PathBuf;

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
    let folder = export_accounts(&s, &hostile.join(","), "out", &[]);
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
    let folder = export_accounts(&s, "h1,h2,h3,h4\u{202e},h5\u{1b}[31m,h6", "out", &[]);
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
