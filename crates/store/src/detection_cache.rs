//! The case's generation and the last ring detection's result, so a case that has not changed since is not
//! detected again (detection is the expensive step: tens of seconds at a million accounts).

use crate::{Case, Result};
use rusqlite::OptionalExtension;

impl Case {
    /// Changes whenever what ring detection reads changes: the sequence number of the last import, member removal
    /// or restoration, watchlist flag, or ring split, merge or undo in the audit log (each writes its entry inside its own transaction). 0 for an empty case.
    pub fn generation(&self) -> Result<i64> {
        generation(&self.conn)
    }

    /// The detection saved for this detector build at this generation, if there is one, as JSON. Kept as
    /// zstd-compressed JSON ([`Case::save_detection`]), or as JSON text (by earlier builds, or edited by hand);
    /// a kept detection that does not decompress within [`MAX_DETECTION_JSON`] bytes is no detection.
    pub fn cached_detection(&self, detector: &str, generation: i64) -> Result<Option<String>> {
        let kept: Option<rusqlite::types::Value> = self
            .conn
            .query_row(
                "SELECT rings FROM detection_cache WHERE id = 1 AND detector = ?1 AND generation = ?2",
                rusqlite::params![detector, generation],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match kept {
            Some(rusqlite::types::Value::Text(json)) => Some(json),
            Some(rusqlite::types::Value::Blob(compressed)) => {
                decompress(&compressed, MAX_DETECTION_JSON)
            }
            _ => None,
        })
    }

    /// Keeps `detection` as the detection of `generation` by `detector`, replacing any earlier one: JSON,
    /// compressed as it is serialized. At a million accounts the JSON is 28 MB, and as one string it was copied
    /// three more times on its way into the table, at the end of detection, its memory peak; compressed it is a
    /// tenth of that and never held whole.
    pub fn save_detection<T: serde::Serialize>(
        &mut self,
        detector: &str,
        generation: i64,
        detection: &T,
    ) -> Result<()> {
        // Buffered: serde_json writes token by token, and each write would be a call into the compressor.
        let mut json = std::io::BufWriter::new(zstd::Encoder::new(Vec::new(), 3)?);
        serde_json::to_writer(&mut json, detection).map_err(std::io::Error::from)?;
        let compressed = json
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .finish()?;
        self.conn.execute(
            "INSERT INTO detection_cache (id, detector, generation, rings) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET detector = ?1, generation = ?2, rings = ?3",
            rusqlite::params![detector, generation, compressed],
        )?;
        Ok(())
    }
}

/// The most a kept detection may decompress to: far past any real one (28 MB at a million accounts). A damaged
/// case's blob that would decompress to more is refused once this much is read.
pub const MAX_DETECTION_JSON: u64 = 1 << 30;

/// The JSON in a kept detection's zstd frame; `None` for a frame that is damaged, cut short, not UTF-8 or larger
/// than `max`.
fn decompress(compressed: &[u8], max: u64) -> Option<String> {
    use std::io::Read;
    let mut json = String::new();
    let read = zstd::Decoder::new(compressed)
        .ok()?
        .take(max + 1)
        .read_to_string(&mut json)
        .ok()?;
    (read as u64 <= max).then_some(json)
}

/// [`Case::generation`] through any connection or transaction.
pub(crate) fn generation(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row(
            "SELECT coalesce(max(seq), 0) FROM audit_log WHERE action IN ('import', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            [
                crate::REMOVE_MEMBER,
                crate::RESTORE_MEMBER,
                crate::WATCHLIST_FLAG,
                crate::WATCHLIST_UNFLAG,
                crate::SPLIT_RING,
                crate::MERGE_RINGS,
                crate::UNDO_RING_EDIT,
            ],
            |r| r.get(0),
        )?)
}

#[cfg(test)]
mod tests {
    use super::decompress;

    #[test]
    fn a_frame_that_is_cut_not_utf8_or_too_large_is_no_detection() {
        let json = "{\"rings\":[]}";
        let frame = zstd::encode_all(json.as_bytes(), 3).unwrap();
        assert_eq!(decompress(&frame, 100).as_deref(), Some(json));
        assert_eq!(decompress(&frame, json.len() as u64).as_deref(), Some(json));
        assert_eq!(
            decompress(&frame, json.len() as u64 - 1),
            None,
            "over the limit"
        );
        assert_eq!(
            decompress(&frame[..frame.len() - 3], 100),
            None,
            "cut short"
        );
        let not_utf8 = zstd::encode_all(&b"{\"a\":\"\xff\"}"[..], 3).unwrap();
        assert_eq!(decompress(&not_utf8, 100), None);
    }
}
