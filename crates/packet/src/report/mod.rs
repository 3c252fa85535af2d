//! The PDF report, laid out with typst as a library. The template (`report.typ`) is fixed; everything from the
//! case reaches it as `data.json`, so names, emails and other untrusted values are strings rendered as text, never
//! markup or code. Fonts come from typst-assets and `fonts/` (CJK, emoji, and scripts that need shaping), compiled
//! in: no system font lookup, so the report is the same on every machine. Every value is first made safe to show
//! (`text.rs`): controls and bidi overrides as code points, characters without a glyph as code points, long runs
//! breakable. If typst still refuses, the error names the value (account and field) it could not render.

pub(crate) mod data;
mod text;

use crate::{Error, Result};
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("report.typ");
const KPI_TEMPLATE: &str = include_str!("kpis.typ");

/// Fallback fonts (see `fonts/README.md`); typst picks them per character when the template's fonts lack a glyph.
const FALLBACK_FONTS: [&[u8]; 11] = [
    include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansArmenian-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansBengali-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansCJKsc-Subset.otf"),
    include_bytes!("../../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansGeorgian-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansKhmer-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansTamil-Regular.ttf"),
    include_bytes!("../../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../../fonts/Symbola-Emoji.ttf"),
];

/// Whether some font of the report has a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    fonts()
        .fonts
        .iter()
        .any(|f| f.info().coverage.contains(c as u32))
}

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .chain(FALLBACK_FONTS.iter().copied())
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a fixed, valid path"),
    ))
}

struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
    data: Bytes,
    svg: Bytes,
    today: Datetime,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id("data.json") {
            Ok(self.data.clone())
        } else if id == file_id("graph.svg") {
            Ok(self.svg.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Keys whose values the packet writes itself (hashes, paths): shown exactly, so they can be copied and compared.
const OURS: [&str; 3] = ["sha256", "evidence_digest", "path"];

/// Renders the report. `export_time` fixes the document date, so the same inputs give the same bytes.
pub fn render(
    data: &serde_json::Value,
    svg: &str,
    export_time: chrono::DateTime<chrono::Utc>,
    packet_id: &str,
) -> Result<Vec<u8>> {
    let mut shown = data.clone();
    text::show_all(&mut shown, &OURS, &has_glyph);
    compile(TEMPLATE, &shown, svg, export_time, packet_id).map_err(|message| {
        Error::Report(match culprit(data, &shown, export_time) {
            Some(what) => format!("{what} could not be rendered: {message}"),
            None => message,
        })
    })
}

/// Renders the desk's weekly program review from `data` (KPIs and the open cases, see `ringscope_api::desk`).
/// Every value is made safe to show first, as in the evidence report.
pub fn render_kpis(
    data: &serde_json::Value,
    generated: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>> {
    let mut shown = data.clone();
    text::show_all(&mut shown, &[], &has_glyph);
    compile(KPI_TEMPLATE, &shown, "", generated, "program-review").map_err(Error::Report)
}

fn compile(
    template: &str,
    data: &serde_json::Value,
    svg: &str,
    t: chrono::DateTime<chrono::Utc>,
    packet_id: &str,
) -> Result<Vec<u8>, String> {
    use chrono::{Datelike, Timelike};
    let datetime = Datetime::from_ymd_hms(
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .ok_or_else(|| "export time out of range".to_string())?;
    let world = ReportWorld {
        library: LazyHash::new(Library::builder().build()),
        main: Source::new(file_id("report.typ"), template.to_string()),
        data: Bytes::new(serde_json::to_vec(data).map_err(|e| e.to_string())?),
        svg: Bytes::new(svg.as_bytes().to_vec()),
        today: Datetime::from_ymd(t.year(), t.month() as u8, t.day() as u8).unwrap_or(datetime),
    };
    let messages = |diags: &[typst::diag::SourceDiagnostic]| {
        let mut all: Vec<String> = diags.iter().map(|d| d.message.to_string()).collect();
        all.dedup();
        all.join("; ")
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|diags| messages(&diags))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(packet_id.to_string()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(datetime)),
        standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| e.message().to_string())?,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|diags| messages(&diags))
}

/// Renders each value alone, in the report's fonts, to find the one the report could not show, and names it by
/// where it is: "display_name of account u123" rather than a typst message alone. Only runs after a failure.
fn culprit(
    raw: &serde_json::Value,
    shown: &serde_json::Value,
    t: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    use serde_json::Value;
    const PROBE: &str = "#let d = json(\"data.json\")\n#set text(font: \"Libertinus Serif\", size: 10pt, lang: \"en\")\n#d.v\n\n#text(font: \"DejaVu Sans Mono\", d.v)\n";
    fn walk(
        v: &Value,
        path: &mut Vec<String>,
        found: &mut dyn FnMut(&[String], &str) -> bool,
    ) -> bool {
        match v {
            Value::String(s) => found(path, s),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                path.push(i.to_string());
                let hit = walk(item, path, found);
                path.pop();
                hit
            }),
            Value::Object(map) => map.iter().any(|(k, item)| {
                path.push(k.clone());
                let hit = walk(item, path, found);
                path.pop();
                hit
            }),
            _ => false,
        }
    }
    let mut culprit = None;
    walk(shown, &mut vec![], &mut |path, s| {
        let fails = compile(PROBE, &serde_json::json!({"v": s}), "", t, "probe").is_err();
        if fails {
            culprit = Some(path.to_vec());
        }
        fails
    });
    let path = culprit?;
    let raw_at = |p: &[&str]| {
        p.iter()
            .try_fold(raw, |v, k| match k.parse::<usize>() {
                Ok(i) => v.get(i),
                Err(_) => v.get(*k),
            })
            .and_then(Value::as_str)
            .map(|s| ringscope_model::display::visible(s).into_owned())
            .unwrap_or_default()
    };
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    Some(match p.as_slice() {
        ["subjects", i, field] => format!(
            "the {field} of account {:?}",
            raw_at(&["subjects", i, "id"])
        ),
        ["shared", i, field] => {
            format!("the {field} of a shared {}", raw_at(&["shared", i, "kind"]))
        }
        ["evidence", i, field] => format!(
            "the {field} of source file {:?}",
            raw_at(&["evidence", i, "file"])
        ),
        _ => format!("the report value {}", p.join(".")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_typst_cannot_render_is_named_by_account_and_field() {
        // Unsanitized, a character no font has fails PDF/A export; the error must say whose value it was.
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let raw = serde_json::json!({
            "case": {"title": "fine"},
            "subjects": [{"id": "u1", "display_name": "Ann"}, {"id": "u2", "display_name": "rare \u{20000}"}],
        });
        assert!(!has_glyph('\u{20000}'));
        assert_eq!(
            culprit(&raw, &raw, t).as_deref(),
            Some("the display_name of account \"u2\"")
        );
        let raw_id = serde_json::json!({"subjects": [{"id": "u3\u{1b}[2J"}]});
        assert_eq!(
            culprit(&raw_id, &raw_id, t).as_deref(),
            Some("the id of account \"u3⟨U+001B⟩[2J\"")
        );
        let mut shown = raw.clone();
        text::show_all(&mut shown, &OURS, &has_glyph);
        assert_eq!(culprit(&raw, &shown, t), None, "sanitized, it renders");
    }
}
