//! Screenshots in the outbox: image files beside the database, a row each.
//! The files are written before the row, so a row always has its files; they
//! are removed only after the server has acknowledged the upload.

use std::path::PathBuf;

use rusqlite::params;
use stint_model::{Instant, from_millis};
use uuid::Uuid;

use super::{Outbox, OutboxError, Result};
use crate::capture::Encoded;

/// Uploaded screenshots whose thumbnails are kept on this computer.
const KEPT_THUMBNAILS: i64 = 6;

/// A screenshot waiting to be uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalShot {
    pub id: Uuid,
    pub recorded_at: Instant,
    pub monitor: String,
    pub file: PathBuf,
    pub thumb: PathBuf,
}

/// The screenshots' directory, below the outbox's.
pub(super) const DIR: &str = "shots";

impl Outbox {
    fn shots_dir(&self) -> PathBuf {
        self.dir.join(DIR)
    }

    /// Stores an encoded screenshot taken at `at`, its files private to
    /// this user like the rest of the outbox.
    pub fn add_shot(&mut self, at: Instant, e: &Encoded) -> Result<LocalShot> {
        let id = Uuid::now_v7();
        let dir = self.shots_dir();
        let io =
            |err: std::io::Error| OutboxError::Corrupt(format!("cannot write screenshot: {err}"));
        stint_private::create_dir_all(&dir).map_err(io)?;
        let file = dir.join(format!("{}.{}", id.simple(), e.format.ext()));
        let thumb = dir.join(format!("{}-thumb.jpg", id.simple()));
        stint_private::write(&file, &e.full).map_err(io)?;
        stint_private::write(&thumb, &e.thumb).map_err(io)?;
        let path = |p: &PathBuf| p.to_string_lossy().into_owned();
        self.conn.execute(
            "INSERT INTO shots (id, recorded_at, monitor, file, thumb) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id.to_string(),
                at.timestamp_millis(),
                e.monitor,
                path(&file),
                path(&thumb)
            ],
        )?;
        Ok(LocalShot {
            id,
            recorded_at: at,
            monitor: e.monitor.clone(),
            file,
            thumb,
        })
    }

    /// Screenshots not yet acknowledged (refused ones excluded), oldest first.
    pub fn pending_shots(&self, limit: usize) -> Result<Vec<LocalShot>> {
        let rows = self.shots_where(
            "synced = 0 AND failed_message IS NULL ORDER BY recorded_at LIMIT ?1",
            [limit as i64],
        )?;
        Ok(rows.into_iter().map(|(s, _)| s).collect())
    }

    /// Screenshots ready to upload, oldest first. One taken while a log
    /// runs waits until input was seen after it: until then it may be the
    /// first picture of an idle stretch, which is dropped when idle is
    /// noticed (`drop_shots_since`). Once no log runs, none waits (a stop
    /// is not idle; after a crash the log was closed at its last
    /// heartbeat, and what it showed was counted). Nor does one taken
    /// before `settled`, the caller's cap on waiting (`stint sync` passes
    /// now: everything goes). And while a log runs, none taken after
    /// `reviewed` goes yet: the employee's moment to see it in the app and
    /// delete it before it leaves the computer.
    pub fn shots_to_upload(
        &self,
        limit: usize,
        settled: Instant,
        reviewed: Instant,
    ) -> Result<Vec<LocalShot>> {
        let until = match self.open_log()? {
            None => return self.pending_shots(limit),
            Some(_) => self
                .input_seen()?
                .map_or(settled, |seen| seen.max(settled))
                .min(reviewed),
        };
        let rows = self.shots_where(
            "synced = 0 AND failed_message IS NULL AND recorded_at < ?1 ORDER BY recorded_at LIMIT ?2",
            params![until.timestamp_millis(), limit as i64],
        )?;
        Ok(rows.into_iter().map(|(s, _)| s).collect())
    }

    /// The latest screenshots, newest first, each with whether the server
    /// has it (then its files are gone).
    pub fn recent_shots(&self, limit: usize) -> Result<Vec<(LocalShot, bool)>> {
        self.shots_where("1 ORDER BY recorded_at DESC LIMIT ?1", [limit as i64])
    }

    /// One screenshot and whether the server has it.
    pub fn shot(&self, id: Uuid) -> Result<Option<(LocalShot, bool)>> {
        Ok(self.shots_where("id = ?1", [id.to_string()])?.pop())
    }

    /// The screenshot taken last before `at`, if any.
    pub fn shot_before(&self, at: Instant) -> Result<Option<Instant>> {
        let rows = self.shots_where(
            "recorded_at < ?1 ORDER BY recorded_at DESC LIMIT 1",
            [at.timestamp_millis()],
        )?;
        Ok(rows.first().map(|(s, _)| s.recorded_at))
    }

    /// Forgets every log, slot and screenshot (rows and files): when the
    /// computer passes to another person once everything has been sent.
    pub fn forget_tracked(&mut self) -> Result<()> {
        let shots = self.shots_where("1", [])?;
        self.conn
            .execute_batch("DELETE FROM logs; DELETE FROM slots; DELETE FROM shots;")?;
        self.conn.execute(
            "DELETE FROM kv WHERE key IN (?1, ?2)",
            [super::live::OPEN_SLOT_KEY, super::live::INPUT_SEEN_KEY],
        )?;
        for (s, _) in shots {
            let _ = std::fs::remove_file(&s.file);
            let _ = std::fs::remove_file(&s.thumb);
        }
        Ok(())
    }

    /// Forgets a screenshot the server has not had: its row and files.
    pub fn delete_shot(&mut self, id: Uuid) -> Result<()> {
        if let Some((s, false)) = self.shot(id)? {
            self.conn
                .execute("DELETE FROM shots WHERE id = ?1", [s.id.to_string()])?;
            let _ = std::fs::remove_file(&s.file);
            let _ = std::fs::remove_file(&s.thumb);
        }
        Ok(())
    }

    fn shots_where(
        &self,
        condition: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<(LocalShot, bool)>> {
        let sql = format!(
            "SELECT id, recorded_at, monitor, file, thumb, synced FROM shots WHERE {condition}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(p, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, at, monitor, file, thumb, synced)| {
                let shot = LocalShot {
                    id: super::parse_uuid(&id)?,
                    recorded_at: from_millis(at),
                    monitor,
                    file: file.into(),
                    thumb: thumb.into(),
                };
                Ok((shot, synced))
            })
            .collect()
    }

    /// The server has it: the image goes, the row stays as a record. The
    /// thumbnails of the last few stay for the window's "latest
    /// screenshots"; older ones go too.
    pub fn shot_acknowledged(&mut self, shot: &LocalShot) -> Result<()> {
        self.conn.execute(
            "UPDATE shots SET synced = 1 WHERE id = ?1",
            [shot.id.to_string()],
        )?;
        let _ = std::fs::remove_file(&shot.file);
        let old = self.shots_where(
            "synced = 1 AND thumb != '' ORDER BY recorded_at DESC LIMIT -1 OFFSET ?1",
            [KEPT_THUMBNAILS],
        )?;
        for (s, _) in old {
            let _ = std::fs::remove_file(&s.thumb);
            self.conn.execute(
                "UPDATE shots SET thumb = '' WHERE id = ?1",
                [s.id.to_string()],
            )?;
        }
        Ok(())
    }

    /// Forgets screenshots taken at or after `since` (the moment input
    /// stopped, once idle is noticed) that are still here: a screenshot of
    /// an empty desk is not work. None of them was uploaded: they waited
    /// for input after them (`shots_to_upload`). Returns how many went.
    pub fn drop_shots_since(&mut self, since: Instant) -> Result<usize> {
        let doomed: Vec<LocalShot> = self
            .pending_shots(1000)?
            .into_iter()
            .filter(|s| s.recorded_at >= since)
            .collect();
        for s in &doomed {
            self.conn
                .execute("DELETE FROM shots WHERE id = ?1", [s.id.to_string()])?;
            let _ = std::fs::remove_file(&s.file);
            let _ = std::fs::remove_file(&s.thumb);
        }
        Ok(doomed.len())
    }

    pub fn shot_failed(&mut self, id: Uuid, message: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE shots SET failed_message = ?2 WHERE id = ?1",
            params![id.to_string(), message],
        )?;
        Ok(())
    }

    /// How many screenshots wait, and how many were refused.
    pub fn shot_backlog(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(synced = 0 AND failed_message IS NULL), 0), COALESCE(SUM(failed_message IS NOT NULL), 0) FROM shots",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}
