//! The original bytes of every imported file, kept in the case as zstd-compressed chunks, and a record's original
//! row read back from them. A JSON object per record (the header repeated on every row) made the payments table six
//! times its CSV; the file's bytes compress to a fraction of it, and the SHA-256 the case records for a source then
//! covers exactly what the case holds. Nothing read back is trusted: stored offsets and sizes are checked before
//! they size an allocation, and a row must parse to exactly one record of its header's width.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Every chunk but a file's last holds exactly this many bytes. Fixed-size cuts (rather than at line breaks) bound
/// every decompression, whatever the file's line endings; a row that straddles a cut is read from both chunks.
pub const CHUNK_SIZE: usize = 128 * 1024;
/// zstd's level 3 (its default): CSV compresses 5–8× at several hundred MB/s on one core.
const ZSTD_LEVEL: i32 = 3;

/// One compressed piece of a file: `start` is its first byte's offset in the file, `size` its uncompressed length.
pub struct Chunk {
    pub start: u64,
    pub size: u64,
    pub data: Vec<u8>,
}

/// Compresses a file's bytes one [`CHUNK_SIZE`] piece at a time, in file order. Pure and independent of the case,
/// so an importer can run it on another thread while it parses.
pub struct ChunkCompressor {
    compressor: zstd::bulk::Compressor<'static>,
    /// One scratch buffer of zstd's worst-case size; each chunk keeps only its compressed length.
    scratch: Vec<u8>,
}

impl ChunkCompressor {
    pub fn new() -> std::io::Result<Self> {
        Ok(ChunkCompressor {
            compressor: zstd::bulk::Compressor::new(ZSTD_LEVEL)?,
            scratch: Vec::with_capacity(zstd::zstd_safe::compress_bound(CHUNK_SIZE)),
        })
    }

    /// The chunk of `piece`, which starts at byte `start` of the file. Every piece but a file's last must be
    /// exactly [`CHUNK_SIZE`] long: readers find a byte's chunk by division.
    pub fn compress(&mut self, start: u64, piece: &[u8]) -> std::io::Result<Chunk> {
        debug_assert!(piece.len() <= CHUNK_SIZE && start.is_multiple_of(CHUNK_SIZE as u64));
        self.scratch.clear();
        self.compressor
            .compress_to_buffer(piece, &mut self.scratch)?;
        Ok(Chunk {
            start,
            size: piece.len() as u64,
            data: self.scratch.as_slice().to_vec(),
        })
    }
}

/// Where a stored record's original row is: a JSON object (records imported before schema v11, and rows built in
/// tests), or a byte range of its source file.
#[derive(Debug, Clone, Copy)]
pub enum RowOrigin<'a> {
    Json(&'a str),
    Bytes { start: u64, len: u64 },
}

/// Reads original rows back, keeping each source's header and size and the last decompressed chunks it needed (records of one
/// ring tend to sit near each other in a file).
pub(crate) struct OriginalRows<'c> {
    conn: &'c Connection,
    sources: HashMap<i64, SourceShape>,
    chunks: HashMap<(i64, i64), Vec<u8>>,
}

struct SourceShape {
    header: Vec<String>,
    size: i64,
}

/// How many decompressed chunks a reader keeps (16 × 128 KiB).
const CACHED_CHUNKS: usize = 16;

impl<'c> OriginalRows<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        OriginalRows {
            conn,
            sources: HashMap::new(),
            chunks: HashMap::new(),
        }
    }

    /// The record's original row as a JSON object of header → value, exactly as imports before schema v11 stored
    /// it: `raw` when it is not empty, otherwise the row re-read from the file's bytes.
    pub(crate) fn json(
        &mut self,
        source_id: i64,
        raw: String,
        start: Option<i64>,
        len: Option<i64>,
    ) -> Result<String> {
        let (Some(start), Some(len)) = (start, len) else {
            return Ok(raw);
        };
        if !raw.is_empty() {
            // An import writes one or the other; a row in both places was edited after the import.
            return Err(corrupt(format!(
                "source {source_id}: a record has both a JSON row and a place in the file's bytes"
            )));
        }
        // A line break first: the csv crate drops a byte order mark at the very start of its input, and a row's
        // first value may really begin with U+FEFF. A leading empty line is skipped.
        let mut bytes = vec![b'\n'];
        bytes.extend(self.bytes(source_id, start, len)?);
        let header = &self.source(source_id)?.header;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut record = csv::StringRecord::new();
        let unreadable = |why: String| {
            corrupt(format!(
                "source {source_id}: the row at byte {start} does not read back: {why}"
            ))
        };
        match reader.read_record(&mut record) {
            Ok(true) if record.len() == header.len() => {}
            Ok(true) => {
                return Err(unreadable(format!(
                    "{} values for {} columns",
                    record.len(),
                    header.len()
                )));
            }
            Ok(false) => return Err(unreadable("no row there".into())),
            Err(e) => return Err(unreadable(e.to_string())),
        }
        let mut rest = csv::StringRecord::new();
        if !matches!(reader.read_record(&mut rest), Ok(false)) {
            return Err(unreadable("more than one row in its byte range".into()));
        }
        Ok(row_json(header, record.iter()))
    }

    /// The source's header and size, read once per reader.
    fn source(&mut self, source_id: i64) -> Result<&SourceShape> {
        if !self.sources.contains_key(&source_id) {
            let (json, size): (String, i64) = self.conn.query_row(
                "SELECT header, size FROM sources WHERE id = ?1",
                [source_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let header = serde_json::from_str(&json)
                .map_err(|e| corrupt(format!("source {source_id}: header: {e}")))?;
            self.sources.insert(source_id, SourceShape { header, size });
        }
        Ok(&self.sources[&source_id])
    }

    /// `len` bytes of the source from `start`, from the chunks that hold them.
    fn bytes(&mut self, source_id: i64, start: i64, len: i64) -> Result<Vec<u8>> {
        let size = self.source(source_id)?.size;
        let end = start.checked_add(len).unwrap_or(i64::MAX);
        if start < 0 || len <= 0 || end > size {
            return Err(corrupt(format!(
                "source {source_id}: a row at bytes {start}+{len} lies outside its {size}-byte file"
            )));
        }
        let first = start - start % CHUNK_SIZE as i64;
        let mut out = vec![];
        let mut chunk_start = first;
        while chunk_start < end {
            let chunk = self.chunk(source_id, chunk_start)?;
            let from = (start - chunk_start).max(0) as usize;
            let to = ((end - chunk_start) as usize).min(chunk.len());
            out.extend_from_slice(chunk.get(from..to).unwrap_or_default());
            chunk_start += CHUNK_SIZE as i64;
        }
        if out.len() as i64 != len {
            return Err(corrupt(format!(
                "source {source_id}: bytes {start}..{end} are not all in the case"
            )));
        }
        Ok(out)
    }

    fn chunk(&mut self, source_id: i64, start: i64) -> Result<&Vec<u8>> {
        if !self.chunks.contains_key(&(source_id, start)) {
            let found: Option<(i64, Vec<u8>)> = self
                .conn
                .prepare_cached(
                    "SELECT size, data FROM source_chunks WHERE source_id = ?1 AND start = ?2",
                )?
                .query_row((source_id, start), |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(|e| corrupt(format!("source {source_id}: chunk at {start}: {e}")))?;
            let Some((size, data)) = found else {
                return Err(corrupt(format!(
                    "source {source_id}: the case holds no bytes at {start}"
                )));
            };
            let bytes = decompress(source_id, start, size, &data)?;
            if self.chunks.len() >= CACHED_CHUNKS {
                self.chunks.clear();
            }
            self.chunks.insert((source_id, start), bytes);
        }
        Ok(&self.chunks[&(source_id, start)])
    }

    /// Rebuilds a source's file from its chunks, streaming them through SHA-256: the digest and the byte count,
    /// or why the chunks do not make a whole file (a gap, a chunk of the wrong size, one that does not decompress).
    /// `None` when the source has no chunks.
    pub(crate) fn file_digest(
        &self,
        source_id: i64,
    ) -> Result<Option<std::result::Result<(String, i64), String>>> {
        let mut stmt = self.conn.prepare(
            "SELECT start, size, data FROM source_chunks WHERE source_id = ?1 ORDER BY start",
        )?;
        let mut rows = stmt.query([source_id])?;
        let mut hasher = Sha256::new();
        let mut done: i64 = 0;
        let mut any = false;
        while let Some(row) = rows.next()? {
            any = true;
            let read = (|| -> rusqlite::Result<(i64, i64, Vec<u8>)> {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })();
            let (start, size, data) = match read {
                Ok(v) => v,
                Err(e) => return Ok(Some(Err(format!("a chunk does not read: {e}")))),
            };
            if start != done {
                return Ok(Some(Err(format!("a gap in its bytes at {done}"))));
            }
            match decompress(source_id, start, size, &data) {
                Ok(bytes) => hasher.update(&bytes),
                Err(e) => return Ok(Some(Err(e.to_string()))),
            }
            done += size;
        }
        if !any {
            return Ok(None);
        }
        Ok(Some(Ok((hex::encode(hasher.finalize()), done))))
    }
}

/// A chunk's bytes, its stored size checked first: a tampered size must not decide an allocation.
fn decompress(source_id: i64, start: i64, size: i64, data: &[u8]) -> Result<Vec<u8>> {
    let bad = |why: String| corrupt(format!("source {source_id}: chunk at {start} {why}"));
    if size <= 0 || size > CHUNK_SIZE as i64 || start % CHUNK_SIZE as i64 != 0 {
        return Err(bad(format!("claims {size} bytes")));
    }
    let bytes = zstd::bulk::decompress(data, size as usize)
        .map_err(|e| bad(format!("does not decompress: {e}")))?;
    if bytes.len() as i64 != size {
        return Err(bad(format!("holds {} bytes, not {size}", bytes.len())));
    }
    Ok(bytes)
}

/// `{"name":"value",…}` in header order: the shape every record's original row has had since the first schema.
pub(crate) fn row_json<'a>(header: &[String], values: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in header.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(name).expect("strings serialize"));
        out.push(':');
        out.push_str(&serde_json::to_string(value).expect("strings serialize"));
    }
    out.push('}');
    out
}

fn corrupt(why: String) -> Error {
    Error::Corrupt(why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress_all(bytes: &[u8]) -> Vec<Chunk> {
        let mut compressor = ChunkCompressor::new().unwrap();
        bytes
            .chunks(CHUNK_SIZE)
            .enumerate()
            .map(|(i, piece)| compressor.compress((i * CHUNK_SIZE) as u64, piece).unwrap())
            .collect()
    }

    #[test]
    fn chunks_are_fixed_size_and_rebuild_the_bytes() {
        let line = "u1,2026-01-01T00:00:00Z,a@example.com,\"two\nlines\"\n";
        let bytes = line.repeat(10_000).into_bytes();
        let chunks = compress_all(&bytes);
        assert_eq!(chunks.len(), bytes.len().div_ceil(CHUNK_SIZE));
        let mut rebuilt = vec![];
        for c in &chunks {
            assert_eq!(c.start as usize, rebuilt.len());
            let piece = decompress(1, c.start as i64, c.size as i64, &c.data).unwrap();
            assert!(c.data.len() * 4 < piece.len(), "CSV compresses");
            rebuilt.extend(piece);
        }
        assert_eq!(rebuilt, bytes);
        // A file without a final line break, or shorter than a chunk, is one chunk.
        let chunks = compress_all(b"a,b\n1,2");
        assert_eq!((chunks.len(), chunks[0].size), (1, 7));
    }

    #[test]
    fn a_stored_size_is_checked_before_it_sizes_anything() {
        let data = zstd::bulk::compress(b"a,b\n", 3).unwrap();
        assert!(decompress(1, 0, 4, &data).is_ok());
        for (start, size) in [
            (0, -1),
            (0, 0),
            (0, i64::MAX),
            (0, CHUNK_SIZE as i64 + 1),
            (3, 4),
            (0, 3),
            (0, 5),
        ] {
            assert!(
                matches!(decompress(1, start, size, &data), Err(Error::Corrupt(_))),
                "start {start} size {size}"
            );
        }
    }

    #[test]
    fn a_row_json_has_the_shape_records_always_had() {
        let header = ["id".to_string(), "name \"x\"".to_string()];
        assert_eq!(
            row_json(&header, ["u1", "<b>\u{202e}"].into_iter()),
            r#"{"id":"u1","name \"x\"":"<b>\u202e"}"#.replace("\\u202e", "\u{202e}")
        );
    }
}
