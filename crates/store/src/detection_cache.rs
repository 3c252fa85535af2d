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

    /// The detection saved for this detector build at this generation, if there is one.
    pub fn cached_detection(&self, detector: &str, generation: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT rings FROM detection_cache WHERE id = 1 AND detector = ?1 AND generation = ?2",
                rusqlite::params![detector, generation],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps `rings` (JSON) as the detection of `generation` by `detector`, replacing any earlier one.
    pub fn save_detection(&mut self, detector: &str, generation: i64, rings: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO detection_cache (id, detector, generation, rings) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET detector = ?1, generation = ?2, rings = ?3",
            rusqlite::params![detector, generation, rings],
        )?;
        Ok(())
    }
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
