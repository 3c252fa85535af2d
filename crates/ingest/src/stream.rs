//! Reading a file to import without holding it: a first pass hashes it and checks it is text, a second feeds the
//! parser while the file's bytes are hashed again and compressed on another thread. At a million accounts the
//! logins export alone is 1.35 GB; read whole, it was half of the import's peak memory.

use crate::error::{Error, Result};
use crate::source::{self, line_breaks};
use ringscope_store::Chunk;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

/// How much each read asks for.
const PIECE: usize = 1 << 20;

/// A file to import, opened once per pass. A file can change between passes; the second pass's hash must equal
/// the first's, or the import is refused (see [`Compressed::sha256`]).
pub(crate) trait Input: Sync {
    /// The path reported in errors.
    fn path(&self) -> &Path;
    fn open(&self) -> std::io::Result<Box<dyn Read + Send + '_>>;
    /// The size the file has now, for the check after the first pass.
    fn len_now(&self) -> std::io::Result<u64>;
}

pub(crate) struct FileInput(pub PathBuf);

impl Input for FileInput {
    fn path(&self) -> &Path {
        &self.0
    }

    fn open(&self) -> std::io::Result<Box<dyn Read + Send + '_>> {
        let file = std::fs::File::open(&self.0)?;
        if file.metadata()?.is_dir() {
            return Err(std::io::Error::other("is a directory"));
        }
        Ok(Box::new(file))
    }

    fn len_now(&self) -> std::io::Result<u64> {
        std::fs::metadata(&self.0).map(|m| m.len())
    }
}

/// What the first pass learned: the file's hash and size, and where its CSV text starts (after a byte order mark).
pub(crate) struct Scanned {
    pub sha256: String,
    pub size: u64,
    pub text_start: usize,
    /// The file's first bytes, enough to hold its header (see [`header_prefix`]).
    pub prefix: Vec<u8>,
}

/// How much of the file's start is kept for reading the header: a header longer than this has a quote that never
/// closes or is not a header.
pub(crate) const HEADER_PREFIX: usize = 4 << 20;

fn io_error(input: &dyn Input) -> impl Fn(std::io::Error) -> Error + '_ {
    |error| Error::Io {
        path: input.path().to_owned(),
        error,
    }
}

/// Reads `reader` to the end in pieces, calling `each` with every piece and its offset.
fn for_each_piece(
    input: &dyn Input,
    mut reader: impl Read,
    piece_size: usize,
    mut each: impl FnMut(u64, &[u8]) -> Result<()>,
) -> Result<u64> {
    let mut piece = vec![0u8; piece_size];
    let mut offset = 0u64;
    loop {
        let n = match reader.read(&mut piece) {
            Ok(0) => return Ok(offset),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(input)(e)),
        };
        each(offset, &piece[..n])?;
        offset += n as u64;
    }
}

/// The first pass: hash, size, and the checks that the file is UTF-8 text without NUL bytes, in that file-wide
/// order (a NUL anywhere is reported before invalid UTF-8, as when the file was checked whole).
/// `on_bytes` sees the running byte count, and may stop the scan with an error (cancellation).
pub(crate) fn scan(
    input: &dyn Input,
    on_bytes: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<Scanned> {
    scan_in_pieces(input, PIECE, on_bytes)
}

fn scan_in_pieces(
    input: &dyn Input,
    piece_size: usize,
    on_bytes: &mut dyn FnMut(u64) -> Result<()>,
) -> Result<Scanned> {
    let file = source::file_name(input.path());
    let expected = input.len_now().map_err(io_error(input))?;
    let reader = input.open().map_err(io_error(input))?;
    let mut hasher = Sha256::new();
    let mut prefix = Vec::new();
    let mut utf8 = Utf8Check::default();
    let mut nul = None;
    let (mut text_early, mut text_late) = (false, false);
    let size = for_each_piece(input, reader, piece_size, |offset, piece| {
        hasher.update(piece);
        if prefix.len() < HEADER_PREFIX {
            let room = HEADER_PREFIX - prefix.len();
            prefix.extend_from_slice(&piece[..room.min(piece.len())]);
        }
        // Whether there is text besides a byte order mark, which is three bytes at the start. (The mark is valid
        // UTF-8 itself, so the UTF-8 check needs no exception for it.)
        let early = piece.len().min(3usize.saturating_sub(offset as usize));
        text_early |= !piece[..early].iter().all(u8::is_ascii_whitespace);
        text_late |= !piece[early..].iter().all(u8::is_ascii_whitespace);
        if nul.is_none()
            && let Some(i) = memchr::memchr(0, piece)
        {
            nul = Some(offset + i as u64);
        }
        utf8.feed(offset, piece);
        on_bytes(offset + piece.len() as u64)
    })?;
    utf8.finish();
    let text_start = if prefix.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    match input.len_now() {
        Ok(now) if now == expected && size == expected => {}
        _ => {
            return Err(Error::ChangedWhileReading {
                path: input.path().to_owned(),
            });
        }
    }
    if !(text_late || text_early && text_start == 0) {
        return Err(Error::Empty { file });
    }
    if let Some(offset) = nul {
        let (line, column) = line_col(input, offset, piece_size)?;
        return Err(Error::Binary {
            file,
            line,
            column,
            offset,
        });
    }
    if let Some(offset) = utf8.first_error {
        let (line, column) = line_col(input, offset, piece_size)?;
        return Err(Error::InvalidUtf8 {
            file,
            line,
            column,
            offset,
        });
    }
    Ok(Scanned {
        sha256: hex::encode(hasher.finalize()),
        size,
        text_start,
        prefix,
    })
}

/// UTF-8 validation across piece boundaries: a character cut by a boundary is finished with the next piece.
#[derive(Default)]
struct Utf8Check {
    /// The unfinished character at the last piece's end, and its offset.
    carry: Vec<u8>,
    carry_at: u64,
    first_error: Option<u64>,
}

/// How many bytes a character with this first byte has (only called on a valid first byte).
fn utf8_width(first: u8) -> usize {
    match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

impl Utf8Check {
    fn feed(&mut self, mut offset: u64, mut piece: &[u8]) {
        if self.first_error.is_some() {
            return;
        }
        if !self.carry.is_empty() {
            let width = utf8_width(self.carry[0]);
            let take = width.saturating_sub(self.carry.len()).min(piece.len());
            self.carry.extend_from_slice(&piece[..take]);
            (piece, offset) = (&piece[take..], offset + take as u64);
            if self.carry.len() < width {
                return; // still unfinished: the pieces are that small
            }
            if std::str::from_utf8(&self.carry).is_err() {
                self.first_error = Some(self.carry_at);
                return;
            }
            self.carry.clear();
        }
        match std::str::from_utf8(piece) {
            Ok(_) => {}
            // The piece ends inside a character that may yet be valid.
            Err(e) if e.error_len().is_none() => {
                self.carry = piece[e.valid_up_to()..].to_vec();
                self.carry_at = offset + e.valid_up_to() as u64;
            }
            Err(e) => self.first_error = Some(offset + e.valid_up_to() as u64),
        }
    }

    /// A character still unfinished at the end of the file is invalid.
    fn finish(&mut self) {
        if self.first_error.is_none() && !self.carry.is_empty() {
            self.first_error = Some(self.carry_at);
        }
    }
}

/// 1-based line and byte column of `offset`, read again from the file (only for an error).
fn line_col(input: &dyn Input, offset: u64, piece_size: usize) -> Result<(u64, u64)> {
    let reader = input.open().map_err(io_error(input))?;
    let (mut lines, mut line_start) = (0u64, 0u64);
    // A CR ending one piece may be the first half of a CRLF in the next.
    let mut pending_cr = false;
    for_each_piece(input, reader.take(offset), piece_size, |at, piece| {
        if pending_cr && piece.first() != Some(&b'\n') {
            lines += 1;
        }
        pending_cr = piece.last() == Some(&b'\r');
        lines += line_breaks(&piece[..piece.len() - usize::from(pending_cr)]);
        if let Some(i) = memchr::memrchr2(b'\n', b'\r', piece) {
            line_start = at + i as u64 + 1;
        }
        Ok(())
    })?;
    // The byte at `offset` is a NUL or an invalid byte, so a CR just before it is a line break of its own.
    lines += u64::from(pending_cr);
    Ok((lines + 1, offset - line_start + 1))
}

/// The bytes the parser has been given and not yet let go of: the current row and what the CSV reader has
/// buffered past it. Offsets are the file's text offsets (after a byte order mark), as the reader reports them.
#[derive(Default)]
pub(crate) struct Window {
    base: usize,
    bytes: Vec<u8>,
}

/// Let go of bytes once this many are behind the current row.
const WINDOW_SLACK: usize = 4 << 20;

/// No row of a real export comes near this; a row that does has a quote that never closes, and would otherwise be
/// read to the end of the file (the CSV reader's behaviour) and held whole.
pub(crate) const MAX_ROW_BYTES: usize = if cfg!(test) { 2 << 20 } else { 64 << 20 };

/// The error [`Tee`] stops the CSV reader with when a row passes [`MAX_ROW_BYTES`].
#[derive(Debug)]
pub(crate) struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a row runs past {} MiB without ending: a quote that never closes?",
            MAX_ROW_BYTES >> 20
        )
    }
}

impl std::error::Error for RowTooLong {}

impl Window {
    /// `start..end` of the text, clipped to what the window holds.
    pub fn slice(&self, start: usize, end: usize) -> &[u8] {
        let from = start.saturating_sub(self.base).min(self.bytes.len());
        let to = end.saturating_sub(self.base).clamp(from, self.bytes.len());
        &self.bytes[from..to]
    }

    /// Everything from `start` to what has been read so far.
    pub fn from(&self, start: usize) -> &[u8] {
        self.slice(start, usize::MAX)
    }

    /// The byte at `offset`, if the window holds it.
    pub fn byte(&self, offset: usize) -> Option<u8> {
        self.bytes.get(offset.checked_sub(self.base)?).copied()
    }

    /// Line breaks in `start..end` (see [`line_breaks`]).
    pub fn line_breaks(&self, start: usize, end: usize) -> u64 {
        line_breaks(self.slice(start, end))
    }

    /// Forgets the bytes before `offset` once enough have piled up.
    pub fn release_before(&mut self, offset: usize) {
        let behind = offset.saturating_sub(self.base).min(self.bytes.len());
        if behind >= WINDOW_SLACK {
            self.bytes.drain(..behind);
            self.base += behind;
            // After one huge row, give the memory back.
            if self.bytes.capacity() > 4 * WINDOW_SLACK && self.bytes.len() < WINDOW_SLACK {
                self.bytes.shrink_to(2 * WINDOW_SLACK);
            }
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
}

/// The reader the CSV parser reads through: every byte it is given also goes to the window and to the
/// compressing thread.
pub(crate) struct Tee<'w, R> {
    inner: R,
    window: &'w std::cell::RefCell<Window>,
    out: Pieces,
}

impl<'w, R: Read> Tee<'w, R> {
    pub fn new(inner: R, window: &'w std::cell::RefCell<Window>, out: Pieces) -> Self {
        Tee { inner, window, out }
    }

    /// The chunker, to send the file's last bytes with [`Pieces::finish`].
    pub fn into_pieces(self) -> Pieces {
        self.out
    }
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // The CSV reader does not retry an interrupted read; the file's first pass does, and so does this.
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if self.window.borrow().bytes.len() > MAX_ROW_BYTES + WINDOW_SLACK {
            return Err(std::io::Error::other(RowTooLong));
        }
        self.window.borrow_mut().push(&buf[..n]);
        self.out.push(&buf[..n])?;
        Ok(n)
    }
}

/// Cuts the bytes read into the store's chunk size and sends each whole chunk to the compressing thread.
pub(crate) struct Pieces {
    current: Vec<u8>,
    to_compress: SyncSender<Vec<u8>>,
}

impl Pieces {
    pub fn new(to_compress: SyncSender<Vec<u8>>) -> Self {
        Pieces {
            current: Vec::with_capacity(ringscope_store::CHUNK_SIZE),
            to_compress,
        }
    }

    pub fn push(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let room = ringscope_store::CHUNK_SIZE - self.current.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.current.extend_from_slice(now);
            bytes = later;
            if self.current.len() == ringscope_store::CHUNK_SIZE {
                self.send()?;
            }
        }
        Ok(())
    }

    fn send(&mut self) -> std::io::Result<()> {
        let full = std::mem::replace(
            &mut self.current,
            Vec::with_capacity(ringscope_store::CHUNK_SIZE),
        );
        self.to_compress
            .send(full)
            .map_err(|_| std::io::Error::other("the import stopped"))
    }

    /// Sends the last, partial chunk and the end of the file (an empty piece). Dropping `Pieces` without this
    /// leaves the stream incomplete ([`Compressed::complete`]).
    pub fn finish(mut self) -> std::io::Result<()> {
        if !self.current.is_empty() {
            self.send()?;
        }
        self.send()
    }
}

/// What the compressing thread hands back when the file has been read to its end.
pub(crate) struct Compressed {
    /// The SHA-256 of the bytes it was given: equal to the first pass's, or the file changed in between.
    pub sha256: String,
    pub size: u64,
    /// Whether the parser read the file to its end ([`Pieces::finish`]).
    pub complete: bool,
}

impl Compressed {
    /// Nothing known about the file's second pass.
    pub fn incomplete() -> Compressed {
        Compressed {
            sha256: String::new(),
            size: 0,
            complete: false,
        }
    }
}

/// The compressing thread: hashes and compresses each chunk in file order, sending each compressed chunk on
/// `done` as soon as it is ready, so that the import writes them as it goes instead of holding them.
pub(crate) fn compress(
    pieces: Receiver<Vec<u8>>,
    done: std::sync::mpsc::Sender<Chunk>,
) -> std::io::Result<Compressed> {
    let mut compressor = ringscope_store::ChunkCompressor::new()?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut complete = false;
    for piece in pieces {
        if piece.is_empty() {
            complete = true;
            break;
        }
        hasher.update(&piece);
        let chunk = compressor.compress(size, &piece)?;
        size += piece.len() as u64;
        if done.send(chunk).is_err() {
            break; // the import failed; nothing will read the rest
        }
    }
    Ok(Compressed {
        sha256: hex::encode(hasher.finalize()),
        size,
        complete,
    })
}

/// Feeds the part of the file before its text (a byte order mark) to `pieces`, then hands back the reader.
pub(crate) fn open_for_parsing<'i>(
    input: &'i dyn Input,
    text_start: usize,
    pieces: &mut Pieces,
) -> Result<Box<dyn Read + Send + 'i>> {
    let mut reader = input.open().map_err(io_error(input))?;
    let mut before = vec![0u8; text_start];
    reader
        .read_exact(&mut before)
        .map_err(|_| Error::ChangedWhileReading {
            path: input.path().to_owned(),
        })?;
    pieces.push(&before).map_err(io_error(input))?;
    Ok(reader)
}

/// Opens the file again at its text, for a scan of one column (see `load::column_date_order`).
pub(crate) fn reopen_text<'i>(
    input: &'i dyn Input,
    text_start: usize,
) -> std::io::Result<Box<dyn Read + Send + 'i>> {
    let mut reader = input.open()?;
    std::io::copy(
        &mut (&mut reader).take(text_start as u64),
        &mut std::io::sink(),
    )?;
    Ok(reader)
}

/// The header record, from the file's first bytes. A header must end within them: a longer one (or 4 MiB of blank
/// lines before it) is no export's, and is refused rather than read cut.
pub(crate) fn header_record(file: &str, scanned: &Scanned) -> Result<csv::StringRecord> {
    let text = header_text(scanned);
    let whole_file = scanned.prefix.len() as u64 == scanned.size;
    let too_long = || Error::Csv {
        file: file.into(),
        line: 1,
        reason: format!(
            "no header ends within the file's first {} MiB; this does not look like a CSV export",
            HEADER_PREFIX >> 20
        ),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        // Read to the prefix's end without a line end: the header may go on past it.
        Ok(true) if !whole_file && reader.position().byte() as usize >= text.len() => {
            Err(too_long())
        }
        Ok(true) => Ok(record),
        Ok(false) if whole_file => Err(Error::Empty { file: file.into() }),
        Ok(false) => Err(too_long()),
        // A character cut by the prefix's end is not invalid UTF-8 (the first pass checked the whole file).
        Err(_) if !whole_file => Err(too_long()),
        Err(e) => Err(Error::Csv {
            file: file.into(),
            line: 1,
            reason: e.to_string(),
        }),
    }
}

/// Refuses a header whose quote never closes (the CSV reader would read the whole file as its last field). The
/// scan stops at the header's end, so this only catches a quote opened in the header itself.
pub(crate) fn check_header_quotes(file: &str, scanned: &Scanned) -> Result<()> {
    match source::unterminated_quote(header_text(scanned)) {
        Some(column) => Err(Error::UnterminatedQuote {
            file: file.into(),
            line: 1,
            column,
        }),
        None => Ok(()),
    }
}

fn header_text(scanned: &Scanned) -> &[u8] {
    &scanned.prefix[scanned.text_start.min(scanned.prefix.len())..]
}

/// Whether the file still hashes to what the first pass read: asked after the second pass failed before the end,
/// since a file changed in between fails in ways (bytes no longer UTF-8, the file gone) that say nothing of why.
pub(crate) fn unchanged(input: &dyn Input, scanned: &Scanned) -> bool {
    let Ok(reader) = input.open() else {
        return false;
    };
    let mut hasher = Sha256::new();
    let size = for_each_piece(input, reader, PIECE, |_, piece| {
        hasher.update(piece);
        Ok(())
    });
    size.ok() == Some(scanned.size) && hex::encode(hasher.finalize()) == scanned.sha256
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(Vec<u8>);

    impl Input for Bytes {
        fn path(&self) -> &Path {
            Path::new("t.csv")
        }
        fn open(&self) -> std::io::Result<Box<dyn Read + Send + '_>> {
            Ok(Box::new(self.0.as_slice()))
        }
        fn len_now(&self) -> std::io::Result<u64> {
            Ok(self.0.len() as u64)
        }
    }

    #[test]
    fn a_scan_read_in_pieces_finds_what_the_whole_file_check_finds() {
        let cases: &[&[u8]] = &[
            b"a,b\n1,2\n",
            b"\xEF\xBB\xBFa,b\n1,\xc3\xa9\n",
            b"a,b\r\n1,\xe2\x82\xac\r\n",
            b"a,b\n1,\x002\n",
            b"a,b\r\n\r\n1,\xff\n",
            b"a,b\r1,\xe2\x82\n",
            b"a,b\n1,\xf0\x9f\x98\x80",
            b"a,b\n1,\xf0\x9f\x98",
            b"a,\xff\x00\n",
            b" \n\t",
            b"\xEF\xBB\xBF",
        ];
        // Pieces of every small size put a boundary inside each mark, character and line end.
        for &bytes in cases {
            for piece_size in 1..=6 {
                let whole = source::check_text("t.csv", bytes);
                let streamed = scan_in_pieces(&Bytes(bytes.to_vec()), piece_size, &mut |_| Ok(()));
                let at = format!("{bytes:?} in pieces of {piece_size}");
                match (whole, streamed) {
                    (Ok(start), Ok(s)) => {
                        assert_eq!(start, s.text_start, "{at}");
                        assert_eq!(s.size, bytes.len() as u64, "{at}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{at}"),
                    (a, b) => panic!("{at}: {:?} vs {:?}", a.map(|_| ()), b.map(|_| ())),
                }
            }
        }
    }

    #[test]
    fn the_window_keeps_what_is_ahead_and_lets_go_of_what_is_behind() {
        let mut w = Window::default();
        w.push(&vec![b'x'; WINDOW_SLACK + 10]);
        w.push(b"\nab");
        w.release_before(5);
        assert_eq!(w.base, 0, "too little behind to bother");
        w.release_before(WINDOW_SLACK + 10);
        assert_eq!(w.base, WINDOW_SLACK + 10);
        assert_eq!(w.from(WINDOW_SLACK + 11), b"ab");
        assert_eq!(w.line_breaks(WINDOW_SLACK + 10, WINDOW_SLACK + 13), 1);
    }
}
