//! Activity slots in the outbox: finished ones wait until the server
//! acknowledges them; the one being built is saved with each heartbeat
//! (see `live`) and carried on after a crash.

use rusqlite::{Transaction, params};
use stint_model::Instant;
use uuid::Uuid;

use super::live::{self, Live};
use super::{Outbox, OutboxError, Result};
use crate::slots::{SlotBuilder, SlotReport};

/// Queues a finished slot; one already queued (a replayed step) stays as it is.
pub(super) fn insert(tx: &Transaction<'_>, r: &SlotReport) -> Result<()> {
    let json = serde_json::to_string(r).map_err(|e| OutboxError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT OR IGNORE INTO slots (id, started_at, report) VALUES (?1, ?2, ?3)",
        params![r.id.to_string(), r.started_at.timestamp_millis(), json],
    )?;
    Ok(())
}

impl Outbox {
    /// Finished slots not yet acknowledged (refused ones excluded), oldest first.
    pub fn pending_slots(&self, limit: usize) -> Result<Vec<SlotReport>> {
        let mut stmt = self.conn.prepare(
            "SELECT report FROM slots WHERE synced = 0 AND failed_message IS NULL ORDER BY started_at LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter()
            .map(|j| serde_json::from_str(j).map_err(|e| OutboxError::Corrupt(e.to_string())))
            .collect()
    }

    pub fn slot_acknowledged(&mut self, id: Uuid) -> Result<()> {
        self.conn.execute(
            "UPDATE slots SET synced = 1 WHERE id = ?1",
            [id.to_string()],
        )?;
        Ok(())
    }

    pub fn slot_failed(&mut self, id: Uuid, message: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE slots SET failed_message = ?2 WHERE id = ?1",
            params![id.to_string(), message],
        )?;
        Ok(())
    }

    /// The slot a tracking loop was building at its last heartbeat.
    pub fn open_slot(&self) -> Result<Option<SlotBuilder>> {
        self.get(live::OPEN_SLOT_KEY)?
            .map(|j| serde_json::from_str(&j).map_err(|e| OutboxError::Corrupt(e.to_string())))
            .transpose()
    }

    /// After a crash or kill: the slot the last run was building, to carry
    /// on with while its ten minutes last at `now`. One whose ten minutes
    /// are over is finished as it was and queued for sync, and the saved
    /// one removed, in one transaction. A saved slot that cannot be read is
    /// dropped rather than blocking every start.
    pub fn resume_slot(&mut self, now: Instant) -> Result<SlotBuilder> {
        let saved = self.open_slot().unwrap_or_default().unwrap_or_default();
        let (slot, ended) = SlotBuilder::resume(saved, now);
        let tx = self.conn.transaction()?;
        if let Some(report) = ended {
            insert(&tx, &report)?;
        }
        live::write(
            &tx,
            &Live {
                input_seen: None,
                slot: Some(slot.clone()),
            },
        )?;
        tx.commit()?;
        Ok(slot)
    }
}
