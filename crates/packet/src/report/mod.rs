//! The PDF report, laid out with typst as a library. The template (`report.typ`) is fixed; everything from the
//! case reaches it as `data.json`, so names, emails and other untrusted values are strings rendered as text, never
//! markup or code. Fonts come from typst-assets, compiled in: no system font lookup.

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

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
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

/// Renders the report. `export_time` fixes the document date, so the same inputs give the same bytes.
pub fn render(
    data: &serde_json::Value,
    svg: &str,
    export_time: chrono::DateTime<chrono::Utc>,
    packet_id: &str,
) -> Result<Vec<u8>> {
    use chrono::{Datelike, Timelike};
    let t = export_time;
    let datetime = Datetime::from_ymd_hms(
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .ok_or_else(|| Error::Report("export time out of range".into()))?;
    let world = ReportWorld {
        library: LazyHash::new(Library::builder().build()),
        main: Source::new(file_id("report.typ"), TEMPLATE.to_string()),
        data: Bytes::new(serde_json::to_vec(data).expect("report data serializes")),
        svg: Bytes::new(svg.as_bytes().to_vec()),
        today: Datetime::from_ymd(t.year(), t.month() as u8, t.day() as u8).unwrap_or(datetime),
    };
    let document: PagedDocument = typst::compile(&world).output.map_err(|diags| {
        Error::Report(
            diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(packet_id.to_string()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(datetime)),
        standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| Error::Report(e.message().to_string()))?,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|diags| {
        Error::Report(
            diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
