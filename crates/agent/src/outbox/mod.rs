//! The outbox: a small SQLite database (rusqlite, WAL) where every tracked
//! change waits until the server acknowledges it.
//!
//! Each tracker step is one transaction, so a crash or `kill -9` leaves
//! either all of a step or none of it. A heartbeat is written every poll,
//! with the loop's [`Live`] state (the activity slot being built); after a
//! crash the open log is closed at the last one and the slot carries on.
//! Nothing is deleted before the server has acknowledged it.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use stint_model::{Instant, LogType, from_millis};
use uuid::Uuid;

use crate::slots::SlotReport;
use crate::tracker::Change;

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("outbox database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("outbox holds bad data: {0}")]
    Corrupt(String),
    #[error("{0} tracked step(s) could not be saved to the outbox before tracking stopped")]
    Unsaved(usize),
    /// Its directory or files could not be created or made private.
    #[error("outbox files: {0}")]
    Files(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, OutboxError>;

/// What a new log is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogContext {
    pub project_id: Option<Uuid>,
    /// A task of that project.
    pub task_id: Option<Uuid>,
    pub description: String,
}

/// A log as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLog {
    pub id: Uuid,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub description: String,
    pub log_type: LogType,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    pub deleted: bool,
    pub version: i64,
    pub synced_version: i64,
    pub failed_message: Option<String>,
    pub stopped_reason: Option<String>,
}

impl LocalLog {
    /// A log nothing has happened to yet: never synced, refused or deleted.
    pub fn new(log_type: LogType, started_at: Instant, stopped_at: Option<Instant>) -> LocalLog {
        LocalLog {
            id: Uuid::now_v7(),
            project_id: None,
            task_id: None,
            description: String::new(),
            log_type,
            started_at,
            stopped_at,
            deleted: false,
            version: 1,
            synced_version: 0,
            failed_message: None,
            stopped_reason: None,
        }
    }
}

/// Totals on this computer (the app's today and this week) are counted by
/// the same rule as the server's, [`stint_model::counted_seconds`].
impl stint_model::Timed for LocalLog {
    fn log_type(&self) -> LogType {
        self.log_type
    }

    fn interval(&self) -> stint_model::Interval {
        stint_model::Interval {
            start: self.started_at,
            stop: self.stopped_at,
        }
    }
}

/// How much is waiting, for `stint status` and the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    pub pending: i64,
    pub failed: i64,
}

mod blocking;
mod live;
mod new_projects;
mod shots;
mod slots;

/// The outbox shared by the tracking loop and the syncer. A panic while it
/// was held leaves SQLite consistent (every step is one transaction), so a
/// poisoned lock is simply taken over.
pub fn lock(o: &std::sync::Mutex<Outbox>) -> std::sync::MutexGuard<'_, Outbox> {
    o.lock().unwrap_or_else(|p| p.into_inner())
}
pub use blocking::with;
pub use live::Live;
pub use new_projects::NewProject;
pub use shots::LocalShot;

pub struct Outbox {
    conn: Connection,
    /// The directory the database lives in; screenshot files go below it.
    dir: std::path::PathBuf,
}

const COLS: &str = "id, project_id, description, log_type, started_at, stopped_at, deleted, version, \
                    synced_version, failed_message, stopped_reason, task_id";

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| OutboxError::Corrupt(format!("bad id {s:?}")))
}

/// A row's ids as stored (parsed by [`finish`]) and the rest of the log.
type RawLog = (String, Option<String>, Option<String>, LocalLog);

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawLog> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(11)?,
        LocalLog {
            id: Uuid::nil(),
            project_id: None,
            task_id: None,
            description: r.get(2)?,
            log_type: LogType::parse(&r.get::<_, String>(3)?).unwrap_or(LogType::Tracked),
            started_at: from_millis(r.get(4)?),
            stopped_at: r.get::<_, Option<i64>>(5)?.map(from_millis),
            deleted: r.get(6)?,
            version: r.get(7)?,
            synced_version: r.get(8)?,
            failed_message: r.get(9)?,
            stopped_reason: r.get(10)?,
        },
    ))
}

fn finish(parts: RawLog) -> Result<LocalLog> {
    let (id, project, task, mut log) = parts;
    log.id = parse_uuid(&id)?;
    log.project_id = project.as_deref().map(parse_uuid).transpose()?;
    log.task_id = task.as_deref().map(parse_uuid).transpose()?;
    Ok(log)
}

impl Outbox {
    /// Opens the outbox at `path`, creating it if needed. It holds the
    /// session's tokens (and the embedded server's password) and its
    /// directory the screenshots, so the directory, the database with its
    /// `-wal` and `-shm`, and the screenshots are made private to this user
    /// (see `stint_private`), also when an older version left them readable.
    pub fn open(path: &Path) -> Result<Outbox> {
        let dir = path.parent().unwrap_or(Path::new(""));
        if !dir.as_os_str().is_empty() {
            stint_private::dir(dir)?;
        }
        stint_private::tree(&dir.join(shots::DIR))?;
        stint_private::sqlite(path)?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(include_str!("schema.sql"))?;
        upgrade(&conn)?;
        Ok(Outbox {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    /// For tests: rows in memory, files in the system's temp directory.
    pub fn in_memory() -> Result<Outbox> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(include_str!("schema.sql"))?;
        Ok(Outbox {
            conn,
            dir: std::env::temp_dir().join(format!("stint-outbox-{}", Uuid::now_v7().simple())),
        })
    }

    /// Where the database lives (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.conn.path().filter(|p| !p.is_empty()).map(Path::new)
    }

    /// For fault drills and tests: with `full`, the database may not grow
    /// past its size now (SQLite's `max_page_count` on this connection), so
    /// a write that needs a new page fails with SQLITE_FULL as on a full
    /// disk; without, it may grow again.
    pub fn cap_pages(&self, full: bool) -> Result<()> {
        let pages: i64 = if full {
            self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?
        } else {
            0xFFFF_FFFE
        };
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// Whether the outbox takes writes now (a read-only file or directory,
    /// or a full disk, say no): a small write, committed.
    pub fn check_writable(&mut self) -> Result<()> {
        let now = chrono::Utc::now().timestamp_millis().to_string();
        set(&self.conn, "write_checked_at", &now)
    }

    /// For fault drills and tests: every write fails with SQLITE_READONLY,
    /// as on a read-only data directory (SQLite's `query_only`).
    pub fn set_read_only(&self, read_only: bool) -> Result<()> {
        self.conn.pragma_update(None, "query_only", read_only)?;
        Ok(())
    }

    /// Writes one tracker step, and the heartbeat, in one transaction.
    pub fn apply(
        &mut self,
        changes: &[Change],
        ctx: &LogContext,
        heartbeat: Option<Instant>,
    ) -> Result<()> {
        self.apply_with_slots(changes, &[], ctx, heartbeat, None)
    }

    /// A step of the tracking loop: its changes, the slots it finished,
    /// the heartbeat and the loop's [`Live`] state, all or nothing.
    pub fn apply_with_slots(
        &mut self,
        changes: &[Change],
        slots: &[SlotReport],
        ctx: &LogContext,
        heartbeat: Option<Instant>,
        live: Option<&Live>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for c in changes {
            apply_one(&tx, c, ctx)?;
        }
        for r in slots {
            slots::insert(&tx, r)?;
        }
        if let Some(at) = heartbeat {
            set(&tx, "heartbeat", &at.timestamp_millis().to_string())?;
        }
        if let Some(live) = live {
            live::write(&tx, live)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The moment the tracker last proved it was alive.
    pub fn last_heartbeat(&self) -> Result<Option<Instant>> {
        Ok(self
            .get("heartbeat")?
            .and_then(|v| v.parse().ok())
            .map(from_millis))
    }

    /// The log still running (after a crash: the one to close).
    pub fn open_log(&self) -> Result<Option<LocalLog>> {
        let sql = format!(
            "SELECT {COLS} FROM logs WHERE stopped_at IS NULL AND deleted = 0 ORDER BY started_at DESC LIMIT 1"
        );
        self.conn
            .query_row(&sql, [], row)
            .optional()?
            .map(finish)
            .transpose()
    }

    pub fn log(&self, id: Uuid) -> Result<Option<LocalLog>> {
        let sql = format!("SELECT {COLS} FROM logs WHERE id = ?1");
        self.conn
            .query_row(&sql, [id.to_string()], row)
            .optional()?
            .map(finish)
            .transpose()
    }

    /// Logs whose newest version the server has not acknowledged (failed
    /// ones only after they change again), oldest first.
    pub fn pending(&self, limit: usize) -> Result<Vec<LocalLog>> {
        let sql = format!(
            "SELECT {COLS} FROM logs WHERE version > synced_version \
             AND (failed_version IS NULL OR failed_version < version) ORDER BY started_at LIMIT ?1"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([limit as i64], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish).collect()
    }

    /// The server has `version` of this log. A deleted log is forgotten.
    pub fn acknowledged(&mut self, id: Uuid, version: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE logs SET synced_version = MAX(synced_version, ?2), failed_version = NULL, failed_message = NULL WHERE id = ?1",
            params![id.to_string(), version],
        )?;
        tx.execute(
            "DELETE FROM logs WHERE id = ?1 AND deleted = 1 AND synced_version >= version",
            [id.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The server refused this version; it stays here, shown with the
    /// server's message, and does not block the rest of the queue.
    pub fn failed(&mut self, id: Uuid, version: i64, message: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE logs SET failed_version = ?2, failed_message = ?3 WHERE id = ?1",
            params![id.to_string(), version, message],
        )?;
        Ok(())
    }

    /// The server stopped this log (a timer started elsewhere).
    pub fn stopped_elsewhere(&mut self, id: Uuid, at: Instant, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE logs SET stopped_at = ?2, stopped_reason = ?3 WHERE id = ?1 AND stopped_at IS NULL",
            params![id.to_string(), at.timestamp_millis(), reason],
        )?;
        Ok(())
    }

    /// Logs, slots and screenshots waiting, and those the server refused.
    pub fn backlog(&self) -> Result<Backlog> {
        let (pending, failed): (i64, i64) = self.conn.query_row(
            "SELECT COALESCE(SUM(version > synced_version AND (failed_version IS NULL OR failed_version < version)), 0), \
                    COALESCE(SUM(failed_version IS NOT NULL AND failed_version >= version), 0) FROM logs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (slots_pending, slots_failed): (i64, i64) = self.conn.query_row(
            "SELECT COALESCE(SUM(synced = 0 AND failed_message IS NULL), 0), COALESCE(SUM(failed_message IS NOT NULL), 0) FROM slots",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (shots_pending, shots_failed) = self.shot_backlog()?;
        Ok(Backlog {
            pending: pending + slots_pending + shots_pending,
            failed: failed + slots_failed + shots_failed,
        })
    }

    /// Every log that has not been deleted, oldest first (status and tests).
    pub fn logs(&self) -> Result<Vec<LocalLog>> {
        self.logs_since(chrono::DateTime::<chrono::Utc>::MIN_UTC)
    }

    /// The logs not deleted that end after `since` (or still run), oldest
    /// first: the window's totals and recent list read just these.
    pub fn logs_since(&self, since: Instant) -> Result<Vec<LocalLog>> {
        let sql = format!(
            "SELECT {COLS} FROM logs WHERE deleted = 0 AND (stopped_at IS NULL OR stopped_at > ?1) ORDER BY started_at"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([since.timestamp_millis()], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish).collect()
    }

    pub fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM kv WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn put(&mut self, key: &str, value: &str) -> Result<()> {
        set(&self.conn, key, value)
    }
}

/// Brings an outbox an older version made up to this one's schema (which
/// `CREATE TABLE IF NOT EXISTS` alone does not: it leaves old tables as
/// they were). Each step is idempotent.
fn upgrade(c: &Connection) -> Result<()> {
    let has_task: bool = c.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('logs') WHERE name = 'task_id'",
        [],
        |r| r.get(0),
    )?;
    if !has_task {
        c.execute_batch("ALTER TABLE logs ADD COLUMN task_id TEXT")?;
    }
    Ok(())
}

fn set(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn apply_one(tx: &Transaction<'_>, c: &Change, ctx: &LogContext) -> Result<()> {
    match c {
        Change::Opened { id, log_type, at } => {
            tx.execute(
                "INSERT INTO logs (id, project_id, task_id, description, log_type, started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id.to_string(), ctx.project_id.map(|p| p.to_string()), ctx.task_id.map(|t| t.to_string()), ctx.description, log_type.as_str(), at.timestamp_millis()],
            )?;
        }
        Change::Closed { id, at } => {
            tx.execute(
                "UPDATE logs SET stopped_at = ?2, version = version + 1 WHERE id = ?1",
                params![id.to_string(), at.timestamp_millis()],
            )?;
        }
        Change::Retyped { id, to } => {
            tx.execute(
                "UPDATE logs SET log_type = ?2, version = version + 1 WHERE id = ?1",
                params![id.to_string(), to.as_str()],
            )?;
        }
        Change::Retargeted { id } => {
            tx.execute(
                "UPDATE logs SET project_id = ?2, task_id = ?3, description = ?4, version = version + 1 \
                 WHERE id = ?1 AND deleted = 0",
                params![
                    id.to_string(),
                    ctx.project_id.map(|p| p.to_string()),
                    ctx.task_id.map(|t| t.to_string()),
                    ctx.description
                ],
            )?;
        }
        Change::Deleted { id } => {
            // Kept as a pending deletion even if never acknowledged: its
            // create may be in flight, so the server must hear the delete.
            // The row goes once the server has acknowledged it.
            tx.execute(
                "UPDATE logs SET deleted = 1, version = version + 1 WHERE id = ?1",
                [id.to_string()],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
