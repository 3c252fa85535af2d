//! Case values as the report shows them. A value can hold anything an export held: controls, bidi overrides, a
//! script no font has, a 100,000-character run. Each value is made safe to show before it reaches typst:
//! - characters that act instead of showing (controls, bidi controls, invisible format characters) are written as
//!   their code points, `⟨U+202E⟩` ([`ringscope_model::display`]), so a name cannot reverse itself or hide;
//! - a character no bundled font has a glyph for is written the same way, so it is listed, never dropped, and the
//!   PDF never needs a missing glyph (which PDF/A forbids, failing the export);
//! - very long values are cut at [`MAX_CHARS`] with a note of how much is left out (the records files keep it all);
//! - a run of more than [`RUN`] characters with no break opportunity gets zero-width break opportunities, so it wraps
//!   inside its table cell instead of running off the page.

use ringscope_model::display::{acts_instead_of_showing, code_point};
use unicode_segmentation::UnicodeSegmentation;

/// Characters of one value shown in the report; the rest is counted, not shown.
pub const MAX_CHARS: usize = 1_000;
/// Longest run of grapheme clusters without a break opportunity.
pub const RUN: usize = 16;
/// The break opportunity. The template turns it into an empty box (`show "\u{200B}": box()`), which lets a
/// line break there without putting a character into the PDF's text, so copying a value from the PDF gives the value.
/// A zero-width space that was in the value itself never gets here: it is shown as `⟨U+200B⟩`.
pub const BREAK: char = '\u{200B}';

/// Private-use characters mean whatever a font makes them mean: the report names them instead of drawing some
/// font's private glyph.
fn private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Whether a character needs no glyph of its own: joiners and emoji variation selectors shape with their neighbours.
fn needs_no_glyph(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// `value` as the report shows it; `has_glyph` says whether some font of the report can draw a character.
pub fn shown(value: &str, has_glyph: &dyn Fn(char) -> bool) -> String {
    let total = value.chars().count();
    let mut visible = String::with_capacity(value.len().min(4 * MAX_CHARS));
    for c in value.chars().take(MAX_CHARS) {
        if acts_instead_of_showing(c)
            || private_use(c)
            || !(needs_no_glyph(c) || c == ' ' || has_glyph(c))
        {
            visible.push_str(&code_point(c));
        } else {
            visible.push(c);
        }
    }
    let mut out = String::with_capacity(visible.len() + visible.len() / RUN * 3 + 64);
    let mut run = 0;
    for g in visible.graphemes(true) {
        if g.chars().all(char::is_whitespace) {
            run = 0;
        } else {
            if run == RUN {
                out.push(BREAK);
                run = 0;
            }
            run += 1;
        }
        out.push_str(g);
    }
    if total > MAX_CHARS {
        out.push_str(&format!(
            " ⟨… {} more characters, {total} in all: the records files hold the whole value⟩",
            total - MAX_CHARS
        ));
    }
    out
}

/// Applies [`shown`] to every string in `value`, except under the keys listed in `keep` (hashes and paths the packet
/// writes itself, which must stay copyable).
pub fn show_all(value: &mut serde_json::Value, keep: &[&str], has_glyph: &dyn Fn(char) -> bool) {
    use serde_json::Value;
    match value {
        Value::String(s) => *s = shown(s, has_glyph),
        Value::Array(items) => items.iter_mut().for_each(|v| show_all(v, keep, has_glyph)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !keep.contains(&k.as_str()) {
                    show_all(v, keep, has_glyph);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(c: char) -> bool {
        (c as u32) < 0x2000 || ('\u{27E8}'..='\u{27E9}').contains(&c) || c == '…'
    }

    #[test]
    fn controls_bidi_and_uncovered_characters_are_listed_by_code_point() {
        assert_eq!(shown("ab\u{1b}c", &latin), "ab⟨U+001B⟩c");
        assert_eq!(shown("\u{202E}gpj.exe", &latin), "⟨U+202E⟩gpj.exe");
        assert_eq!(shown("x\u{1F600}", &latin), "x⟨U+1F600⟩");
        assert_eq!(
            shown("x\u{1F600}", &|_| true),
            "x\u{1F600}",
            "kept when a font has it"
        );
        assert_eq!(shown("a\u{200D}b", &latin), "a\u{200D}b");
        assert_eq!(shown("pua\u{E000}", &|_| true), "pua⟨U+E000⟩");
        assert_eq!(shown("zw\u{200B}sp", &|_| true), "zw⟨U+200B⟩sp");
    }

    #[test]
    fn long_runs_get_break_opportunities_and_long_values_are_cut() {
        let run = "x".repeat(100);
        let out = shown(&run, &latin);
        assert_eq!(out.replace(BREAK, ""), run);
        assert!(
            out.split(BREAK).all(|part| part.chars().count() <= RUN),
            "{out}"
        );
        let words = "word ".repeat(50);
        assert_eq!(shown(&words, &latin), words, "ordinary text is untouched");
        // Breaks fall between grapheme clusters, never inside one.
        let accented = "e\u{301}".repeat(60);
        assert!(
            shown(&accented, &latin)
                .split(BREAK)
                .all(|p| p.starts_with('e'))
        );

        let huge = "y".repeat(100_000);
        let out = shown(&huge, &latin);
        assert!(out.chars().filter(|c| *c == 'y').count() == MAX_CHARS);
        assert!(
            out.ends_with(&format!(
                "⟨… {} more characters, 100000 in all: the records files hold the whole value⟩",
                100_000 - MAX_CHARS
            )),
            "{}",
            &out[out.len() - 120..]
        );
    }

    #[test]
    fn hashes_and_paths_are_kept_whole() {
        let mut v = serde_json::json!({"sha256": "a".repeat(64), "name": "b".repeat(64), "list": [{"path": "c".repeat(30)}]});
        show_all(&mut v, &["sha256", "path"], &latin);
        assert_eq!(v["sha256"], "a".repeat(64));
        assert_eq!(v["list"][0]["path"], "c".repeat(30));
        assert!(v["name"].as_str().unwrap().contains(BREAK));
    }
}
