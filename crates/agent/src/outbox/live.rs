//! What the tracking loop knows between its steps, saved with every
//! heartbeat in the same transaction (two small upserts in the key-value
//! table), so that `kill -9` loses at most a poll of it:
//! - the activity slot being built: its seconds and percentages were kept
//!   only in memory until the slot ended, and a kill lost them (see
//!   `Outbox::resume_slot`);
//! - when input was last seen: screenshots taken before that moment are of
//!   work and may be uploaded at once (see `Outbox::shots_to_upload`).

use rusqlite::Transaction;
use stint_model::{Instant, from_millis};

use super::{Outbox, OutboxError, Result, set};
use crate::slots::SlotBuilder;

pub(super) const OPEN_SLOT_KEY: &str = "open_slot";
pub(super) const INPUT_SEEN_KEY: &str = "input_seen";

/// The loop's state as of a heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Live {
    /// The latest moment input was seen while running.
    pub input_seen: Option<Instant>,
    /// The slot being built (`None` or not open: no slot open).
    pub slot: Option<SlotBuilder>,
}

/// Writes `live` inside a step's transaction; a slot no longer open is
/// removed, in the same transaction that queues it finished.
pub(super) fn write(tx: &Transaction<'_>, live: &Live) -> Result<()> {
    if let Some(at) = live.input_seen {
        set(tx, INPUT_SEEN_KEY, &at.timestamp_millis().to_string())?;
    }
    match live.slot.as_ref().filter(|s| s.is_open()) {
        Some(slot) => {
            let json =
                serde_json::to_string(slot).map_err(|e| OutboxError::Corrupt(e.to_string()))?;
            set(tx, OPEN_SLOT_KEY, &json)?;
        }
        None => {
            tx.execute("DELETE FROM kv WHERE key = ?1", [OPEN_SLOT_KEY])?;
        }
    }
    Ok(())
}

impl Outbox {
    /// The latest moment a tracking loop saw input, as of its last heartbeat.
    pub fn input_seen(&self) -> Result<Option<Instant>> {
        Ok(self
            .get(INPUT_SEEN_KEY)?
            .and_then(|v| v.parse().ok())
            .map(from_millis))
    }
}
