//! Reading a source file into memory: bytes, SHA-256, and the checks that need the whole file.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// A source file read whole, hashed while read.
pub struct SourceBytes {
    pub name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

const CHUNK: usize = 1 << 20;

/// Reads `reader` to the end, hashing as it goes; `on_bytes` sees the running byte count.
pub fn read_all(
    name: &str,
    path: &Path,
    mut reader: impl Read,
    size_hint: u64,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<SourceBytes> {
    let mut bytes = Vec::with_capacity(size_hint as usize);
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(Error::Io {
                    path: path.to_owned(),
                    error,
                });
            }
        };
        hasher.update(&chunk[..n]);
        bytes.extend_from_slice(&chunk[..n]);
        on_bytes(bytes.len() as u64);
    }
    Ok(SourceBytes {
        name: name.to_string(),
        bytes,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Reads a file and makes sure it did not change or vanish while being read.
pub fn read_file(path: &Path, on_bytes: &mut dyn FnMut(u64)) -> Result<SourceBytes> {
    let io = |error| Error::Io {
        path: path.to_owned(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let before = file.metadata().map_err(io)?;
    if before.is_dir() {
        return Err(io(std::io::Error::other("is a directory")));
    }
    read_checked(path, file, before.len(), on_bytes)
}

/// [`read_all`] plus the after-read check; separate so tests can pass a reader that misbehaves.
pub fn read_checked(
    path: &Path,
    reader: impl Read,
    expected_len: u64,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<SourceBytes> {
    let name = file_name(path);
    let source = read_all(&name, path, reader, expected_len, on_bytes)?;
    // An unlinked file stays readable through an open handle; look at the path again.
    match std::fs::metadata(path) {
        Ok(after) if after.len() == expected_len && source.bytes.len() as u64 == expected_len => {
            Ok(source)
        }
        _ => Err(Error::ChangedWhileReading {
            path: path.to_owned(),
        }),
    }
}

/// The name errors and reports call a file by: its last path component, or the whole path when it has none.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Line breaks in `bytes` as the csv crate reads them (and editors show them): LF, CRLF, and a lone CR (files
/// saved as "CSV (Macintosh)").
pub fn line_breaks(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

/// 1-based line and byte column of a byte offset.
#[cfg(test)]
pub fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = line_breaks(before) + 1;
    let line_start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
    (line, (offset - line_start) as u64 + 1)
}

/// Rejects files that are not UTF-8 text; returns the offset where CSV data starts (after a BOM). The whole-file
/// form of the import's streaming check (`stream::scan`), kept as the oracle its tests compare against.
#[cfg(test)]
pub fn check_text(file: &str, bytes: &[u8]) -> Result<usize> {
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if bytes[start..].iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty {
            file: file.to_string(),
        });
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        let (line, column) = line_col(bytes, offset);
        return Err(Error::Binary {
            file: file.to_string(),
            line,
            column,
            offset: offset as u64,
        });
    }
    if let Err(e) = std::str::from_utf8(&bytes[start..]) {
        let offset = start + e.valid_up_to();
        let (line, column) = line_col(bytes, offset);
        return Err(Error::InvalidUtf8 {
            file: file.to_string(),
            line,
            column,
            offset: offset as u64,
        });
    }
    Ok(start)
}

/// The csv crate reads an unclosed quote as a field running to the end of the file. Only the last record can be
/// affected, so scan it: returns the 1-based field number whose quote never closes.
pub fn unterminated_quote(record: &[u8]) -> Option<u64> {
    let mut field = 1;
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut open_field = 0;
    let mut i = 0;
    while i < record.len() {
        let b = record[i];
        if in_quotes {
            if b == b'"' {
                if record.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            open_field = field;
        } else if b == b',' {
            field += 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if b == b'\n' || b == b'\r' {
            return None; // the record ended with every quote closed
        }
        at_field_start = false;
        i += 1;
    }
    in_quotes.then_some(open_field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_count_lf_crlf_and_lone_cr() {
        assert_eq!(line_breaks(b"a\nb\r\nc\rd"), 3);
        assert_eq!(line_breaks(b"a\r"), 1);
        assert_eq!(line_col(b"a,b\rc,d", 6), (2, 3));
    }

    #[test]
    fn finds_unclosed_quotes_only() {
        assert_eq!(unterminated_quote(b"1,\"x\n2,y\n"), Some(2));
        assert_eq!(unterminated_quote(b"\"a\"\"b"), Some(1));
        assert_eq!(unterminated_quote(b"1,\"x\"\"\"\n"), None);
        assert_eq!(unterminated_quote(b"1,x\"y\n"), None);
        assert_eq!(unterminated_quote(b"1,\"multi\nline\",3\n"), None);
    }

    #[test]
    fn line_col_counts_from_one() {
        let b = b"ab\ncd\r\nef";
        assert_eq!(line_col(b, 0), (1, 1));
        assert_eq!(line_col(b, 4), (2, 2));
        assert_eq!(line_col(b, 8), (3, 2));
    }

    #[test]
    fn text_checks() {
        assert!(matches!(check_text("f", b""), Err(Error::Empty { .. })));
        assert!(matches!(
            check_text("f", b"\xEF\xBB\xBF \n"),
            Err(Error::Empty { .. })
        ));
        assert_eq!(check_text("f", b"\xEF\xBB\xBFa,b\n").unwrap(), 3);
        assert!(matches!(
            check_text("f", b"a,b\n1,\x002\n"),
            Err(Error::Binary {
                line: 2,
                column: 3,
                offset: 6,
                ..
            })
        ));
        assert!(matches!(
            check_text("f", b"a,b\n1,\xff\n"),
            Err(Error::InvalidUtf8 {
                line: 2,
                column: 3,
                offset: 6,
                ..
            })
        ));
    }
}
