//! Showing untrusted text to people. Case values are whatever an export held, and some characters act instead of
//! showing: terminal escapes (ESC, BEL and the other C0/C1 controls) recolour or rewrite a terminal, bidi
//! controls (U+202E and friends) reorder what follows so `gpj.exe` reads as `exe.jpg`, and invisible format
//! characters make two different ids look the same. [`visible`] writes each of them as its code point, `⟨U+202E⟩`,
//! so what a person sees is what the data holds. Every front end uses it for case data in text (the CLI's text
//! output, the PDF report); JSON output needs nothing (serde escapes controls, and a program reads it).

use std::borrow::Cow;

/// Whether `c` would act rather than show: a control character, a bidi control, a line or paragraph separator, or an
/// invisible format character that can hide a difference between two values. Joiners (U+200C, U+200D) and the
/// variation selectors U+FE00–U+FE0F are kept: scripts and emoji need them.
pub fn acts_instead_of_showing(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'                      // Arabic letter mark
            | '\u{200E}' | '\u{200F}'       // LRM, RLM
            | '\u{202A}'..='\u{202E}'       // LRE, RLE, PDF, LRO, RLO
            | '\u{2066}'..='\u{2069}'       // LRI, RLI, FSI, PDI
            | '\u{2028}' | '\u{2029}'       // line and paragraph separators
            | '\u{00AD}'                    // soft hyphen
            | '\u{034F}'                    // combining grapheme joiner
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // hangul fillers (blank "names")
            | '\u{180E}'                    // Mongolian vowel separator
            | '\u{200B}'                    // zero-width space
            | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
            | '\u{206A}'..='\u{206F}'       // deprecated format characters
            | '\u{FEFF}'                    // zero-width no-break space / BOM
            | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
            | '\u{E0000}'..='\u{E007F}'     // tag characters (can smuggle hidden text)
            | '\u{E0100}'..='\u{E01EF}' // variation selectors 17–256
        )
}

/// `⟨U+202E⟩`: how a character is shown by its code point.
pub fn code_point(c: char) -> String {
    format!("⟨U+{:04X}⟩", c as u32)
}

/// `s` with every character that [acts instead of showing](acts_instead_of_showing) written as its code point.
/// Borrows when there is nothing to change.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts_instead_of_showing) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if acts_instead_of_showing(c) {
            out.push_str(&code_point(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_and_bidi_controls_become_code_points() {
        assert_eq!(
            visible("u1\u{1b}[2J\u{7}"),
            "u1⟨U+001B⟩[2J⟨U+0007⟩",
            "ESC and BEL"
        );
        assert_eq!(visible("a\u{9b}31m"), "a⟨U+009B⟩31m", "C1 CSI");
        assert_eq!(visible("\u{7f}"), "⟨U+007F⟩");
        assert_eq!(
            visible("line\nnext\ttab\r"),
            "line⟨U+000A⟩next⟨U+0009⟩tab⟨U+000D⟩"
        );
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let shown = visible(&format!("gpj{c}exe")).into_owned();
            assert_eq!(shown, format!("gpj⟨U+{:04X}⟩exe", c as u32));
            assert!(!shown.contains(c));
        }
        assert_eq!(visible("al\u{200B}ice"), "al⟨U+200B⟩ice");
        assert_eq!(visible("\u{E0041}"), "⟨U+E0041⟩");
    }

    #[test]
    fn ordinary_text_of_any_script_is_kept_as_is() {
        for s in [
            "Zoë Ødegård",
            "山田太郎",
            "김민준",
            "สมชาย ใจดี",
            "محمد",
            "שלום",
            "नमस्ते",
            "👩‍👩‍👧 family ❤️",
            "",
        ] {
            assert!(matches!(visible(s), Cow::Borrowed(_)), "{s}");
        }
    }
}
