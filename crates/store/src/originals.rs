//! The original bytes of every imported file, kept in the case as zstd-compressed chunks, and a record's original
//! row read back from them. A JSON object per record (the header repeated on every row) made the payments table six
//! times its CSV; the file's bytes compress to a fraction of it, and the SHA-256 the case records for a source then
//! covers exactly what the case holds.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// A chunk ends at the first line break after this many bytes, so most rows lie in one chunk.
const CHUNK_TARGET: usize = 128 * 1024;
/// zstd's level 3 (its default): CSV compresses 5–8× at several hundred MB/s on one core.
const ZSTD_LEVEL: i32 = 3;

/// One compressed piece of a file: `start` is its first byte's offset in the file, `size` its uncompressed length.
pub struct Chunk {
    pub start: u64,
    pub size: u64,
    pub data: Vec<u8>,
}

/// Cuts `bytes` into chunks after line breaks and compresses each. Pure and independent of the case, so an
/// importer can run it on another thread while it parses. Once `abandon` is set it stops early and what it returns
/// is incomplete: set it only when the result will not be used (the import failed).
pub fn compress_chunks(bytes: &[u8], abandon: &AtomicBool) -> std::io::Result<Vec<Chunk>> {
    let mut chunks = vec![];
    let mut start = 0;
    while start < bytes.len() && !abandon.load(Ordering::Relaxed) {
        let target = (start + CHUNK_TARGET).min(bytes.len());
        let end = memchr_newline(&bytes[target..]).map_or(bytes.len(), |i| target + i + 1);
        let piece = &bytes[start..end];
        chunks.push(Chunk {
            start: start as u64,
            size: piece.len() as u64,
            data: zstd::bulk::compress(piece, ZSTD_LEVEL)?,
        });
        start = end;
    }
    Ok(chunks)
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// Where a stored record's original row is: a JSON object (records imported before schema v11, and rows built in
/// tests), or a byte range of its source file.
#[derive(Debug, Clone, Copy)]
pub enum RowOrigin<'a> {
    Json(&'a str),
    Bytes { start: u64, len: u64 },
}

/// Reads original rows back, keeping the source headers and the last decompressed chunks it needed (records of one
/// ring tend to sit near each other in a file).
pub(crate) struct OriginalRows<'c> {
    conn: &'c Connection,
    headers: HashMap<i64, Vec<String>>,
    chunks: HashMap<(i64, i64), Vec<u8>>,
}

/// How many decompressed chunks a reader keeps (16 × 128 KiB).
const CACHED_CHUNKS: usize = 16;

impl<'c> OriginalRows<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Self {
        OriginalRows {
            conn,
            headers: HashMap::new(),
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
            return Ok(raw);
        }
        let bytes = self.bytes(source_id, start, len)?;
        let header = self.header(source_id)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut record = csv::StringRecord::new();
        let read = reader.read_record(&mut record).map_err(|e| {
            corrupt(format!(
                "source {source_id}: the row at byte {start} no longer parses: {e}"
            ))
        })?;
        if !read {
            return Err(corrupt(format!(
                "source {source_id}: no row at byte {start}"
            )));
        }
        Ok(row_json(header, record.iter()))
    }

    fn header(&mut self, source_id: i64) -> Result<&Vec<String>> {
        if !self.headers.contains_key(&source_id) {
            let json: String = self.conn.query_row(
                "SELECT header FROM sources WHERE id = ?1",
                [source_id],
                |r| r.get(0),
            )?;
            let header: Vec<String> = serde_json::from_str(&json)
                .map_err(|e| corrupt(format!("source {source_id}: header: {e}")))?;
            self.headers.insert(source_id, header);
        }
        Ok(&self.headers[&source_id])
    }

    /// `len` bytes of the source from `start`, from the chunks that hold them.
    fn bytes(&mut self, source_id: i64, start: i64, len: i64) -> Result<Vec<u8>> {
        let end = start + len;
        let first: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT max(start) FROM source_chunks WHERE source_id = ?1 AND start <= ?2",
            )?
            .query_row((source_id, start), |r| r.get(0))
            .optional()?
            .flatten();
        let Some(first) = first else {
            return Err(corrupt(format!(
                "source {source_id}: the case holds no bytes at {start}"
            )));
        };
        let starts: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT start FROM source_chunks WHERE source_id = ?1 AND start >= ?2 AND start < ?3 ORDER BY start",
            )?
            .query_map((source_id, first, end), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(len as usize);
        for chunk_start in starts {
            let chunk = self.chunk(source_id, chunk_start)?;
            let from = (start - chunk_start).max(0) as usize;
            let to = ((end - chunk_start) as usize).min(chunk.len());
            out.extend_from_slice(chunk.get(from..to).unwrap_or_default());
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
            let (size, data): (i64, Vec<u8>) = self
                .conn
                .prepare_cached(
                    "SELECT size, data FROM source_chunks WHERE source_id = ?1 AND start = ?2",
                )?
                .query_row((source_id, start), |r| Ok((r.get(0)?, r.get(1)?)))?;
            let bytes = zstd::bulk::decompress(&data, size as usize).map_err(|e| {
                corrupt(format!(
                    "source {source_id}: chunk at {start} does not decompress: {e}"
                ))
            })?;
            if self.chunks.len() >= CACHED_CHUNKS {
                self.chunks.clear();
            }
            self.chunks.insert((source_id, start), bytes);
        }
        Ok(&self.chunks[&(source_id, start)])
    }

    /// The whole file as imported, or `None` for a source imported before its bytes were kept.
    pub(crate) fn file(&mut self, source_id: i64) -> Result<Option<Vec<u8>>> {
        let chunks: Vec<(i64, i64, Vec<u8>)> = self
            .conn
            .prepare(
                "SELECT start, size, data FROM source_chunks WHERE source_id = ?1 ORDER BY start",
            )?
            .query_map([source_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if chunks.is_empty() {
            return Ok(None);
        }
        let mut out = vec![];
        for (start, size, data) in chunks {
            if start != out.len() as i64 {
                return Err(corrupt(format!(
                    "source {source_id}: a gap in its bytes at {}",
                    out.len()
                )));
            }
            let bytes = zstd::bulk::decompress(&data, size as usize).map_err(|e| {
                corrupt(format!(
                    "source {source_id}: chunk at {start} does not decompress: {e}"
                ))
            })?;
            out.extend_from_slice(&bytes);
        }
        Ok(Some(out))
    }
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

    #[test]
    fn chunks_end_after_line_breaks_and_rebuild_the_bytes() {
        let line = "u1,2026-01-01T00:00:00Z,a@example.com,\"two\nlines\"\n";
        let bytes = line.repeat(10_000).into_bytes();
        let chunks = compress_chunks(&bytes, &AtomicBool::new(false)).unwrap();
        assert!(chunks.len() > 2);
        let mut rebuilt = vec![];
        for c in &chunks {
            assert_eq!(c.start as usize, rebuilt.len());
            let piece = zstd::bulk::decompress(&c.data, c.size as usize).unwrap();
            assert_eq!(piece.last(), Some(&b'\n'));
            assert!(c.data.len() * 4 < piece.len(), "CSV compresses");
            rebuilt.extend(piece);
        }
        assert_eq!(rebuilt, bytes);
        // A file without a final line break still ends in a chunk.
        let chunks = compress_chunks(b"a,b\n1,2", &AtomicBool::new(false)).unwrap();
        assert_eq!((chunks.len(), chunks[0].size), (1, 7));
    }

    #[test]
    fn an_abandoned_compression_stops() {
        let bytes = "x,y\n".repeat(100_000).into_bytes();
        assert!(
            compress_chunks(&bytes, &AtomicBool::new(true))
                .unwrap()
                .is_empty()
        );
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
