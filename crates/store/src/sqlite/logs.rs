//! Time logs: idempotent inserts, the no-overlap rule, the one running
//! timer, soft delete and range listing.
//!
//! Each write runs inside one `BEGIN IMMEDIATE` transaction on the single
//! connection, so the overlap check and the write it guards cannot be
//! interleaved with another writer's.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use stint_model::{Instant, TimeLog, to_millis_precision};
use uuid::Uuid;

use super::rows::{self, LOG_COLS, id, ms, opt_id, opt_ms};
use crate::{Filter, Result, StoreError};

/// Inserts `log` unless its id is known in the organization (then the stored
/// row, deleted or not, comes back with `false`). See [`crate::Store::insert_log`].
pub(super) fn insert_log(
    tx: &Transaction<'_>,
    log: TimeLog,
    stop_running: Option<String>,
) -> Result<(TimeLog, bool)> {
    let sql = format!("SELECT {LOG_COLS} FROM time_logs WHERE org_id = ?1 AND id = ?2");
    let known = tx
        .query_row(&sql, [id(log.org_id), id(log.id)], rows::log)
        .optional()?;
    if let Some(stored) = known {
        return Ok((stored, false));
    }
    let start = to_millis_precision(log.started_at);
    if let Some(reason) = stop_running
        && let Some(running) = running_log(tx, log.org_id, log.employee_id)?
    {
        // Stopping it at our start would leave it empty or negative: the
        // new log lies inside (or before) the running one.
        if running.started_at >= start {
            return Err(StoreError::Overlap(Box::new(running)));
        }
        tx.execute(
            "UPDATE time_logs SET stopped_at = ?2, stopped_reason = ?3, updated_at = ?4
             WHERE seq = ?1",
            params![running.seq, ms(start), reason, ms(chrono::Utc::now())],
        )?;
    }
    if let Some(other) = clash(tx, &log, None)? {
        return Err(StoreError::Overlap(Box::new(other)));
    }
    Ok((insert_row(tx, log)?, true))
}

/// Several inserts in one transaction. One employee's logs (an agent's
/// sync) are decided together in memory (`logs_batch`); a batch mixing
/// employees goes log by log, each inside its own savepoint so that a
/// refused log leaves nothing behind (not even the timer it would have
/// stopped). See [`crate::Store::insert_logs`].
pub(super) fn insert_logs(
    tx: &Transaction<'_>,
    logs: Vec<(TimeLog, Option<String>)>,
) -> Result<Vec<Result<(TimeLog, bool)>>> {
    let one_employee = logs.first().is_some_and(|(first, _)| {
        logs.iter()
            .all(|(l, _)| (l.org_id, l.employee_id) == (first.org_id, first.employee_id))
    });
    if one_employee {
        return super::logs_batch::insert_logs(tx, logs);
    }
    let mut out = Vec::with_capacity(logs.len());
    for (log, stop_running) in logs {
        tx.execute_batch("SAVEPOINT one_log")?;
        let done = insert_log(tx, log, stop_running);
        if done.is_err() {
            tx.execute_batch("ROLLBACK TO one_log")?;
        }
        tx.execute_batch("RELEASE one_log")?;
        match done {
            Err(StoreError::Backend(e)) => return Err(StoreError::Backend(e)),
            r => out.push(r),
        }
    }
    Ok(out)
}

/// Inserts `log` (checked by the caller); answers it as stored (its rowid for `seq`, its
/// instants at the millisecond the column keeps).
pub(super) fn insert_row(tx: &Transaction<'_>, log: TimeLog) -> Result<TimeLog> {
    tx.prepare_cached(
        "INSERT INTO time_logs (id, org_id, employee_id, project_id, task_id, started_at,
             stopped_at, log_type, source, description, is_billable, version, stopped_reason,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id(log.id),
        id(log.org_id),
        id(log.employee_id),
        opt_id(log.project_id),
        opt_id(log.task_id),
        ms(log.started_at),
        opt_ms(log.stopped_at),
        log.log_type.as_str(),
        log.source.as_str(),
        log.description,
        log.is_billable,
        log.version,
        log.stopped_reason,
        ms(log.created_at),
        ms(log.updated_at),
    ])?;
    Ok(crate::batch::as_stored(log, tx.last_insert_rowid()))
}

/// Replaces the mutable fields of a live log; the employee never changes.
pub(super) fn update_log(tx: &Transaction<'_>, log: TimeLog) -> Result<TimeLog> {
    let stored = self::log(tx, log.org_id, log.id)?;
    let checked = TimeLog {
        employee_id: stored.employee_id,
        ..log.clone()
    };
    if let Some(other) = clash(tx, &checked, Some(stored.seq))? {
        return Err(StoreError::Overlap(Box::new(other)));
    }
    tx.execute(
        "UPDATE time_logs SET project_id = ?2, task_id = ?3, started_at = ?4, stopped_at = ?5,
             log_type = ?6, source = ?7, description = ?8, is_billable = ?9, version = ?10,
             stopped_reason = ?11, updated_at = ?12
         WHERE seq = ?1",
        params![
            stored.seq,
            opt_id(log.project_id),
            opt_id(log.task_id),
            ms(log.started_at),
            opt_ms(log.stopped_at),
            log.log_type.as_str(),
            log.source.as_str(),
            log.description,
            log.is_billable,
            log.version,
            log.stopped_reason,
            ms(log.updated_at),
        ],
    )?;
    by_seq_any(tx, stored.seq)
}

/// Marks a live log deleted; a deleted or unknown one is `NotFound`.
pub(super) fn delete_log(tx: &Transaction<'_>, org_id: Uuid, log_id: Uuid) -> Result<()> {
    let n = tx.execute(
        "UPDATE time_logs SET deleted_at = ?3
         WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL",
        params![id(org_id), id(log_id), ms(chrono::Utc::now())],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) fn log(c: &Connection, org_id: Uuid, log_id: Uuid) -> Result<TimeLog> {
    let sql = format!(
        "SELECT {LOG_COLS} FROM time_logs WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL"
    );
    Ok(c.query_row(&sql, [id(org_id), id(log_id)], rows::log)?)
}

/// The live logs among `ids`, one indexed lookup each on the connection.
pub(super) fn live_logs(c: &Connection, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeLog>> {
    let sql = format!(
        "SELECT {LOG_COLS} FROM time_logs WHERE org_id = ?1 AND id = ?2 AND deleted_at IS NULL"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut out = Vec::new();
    for log_id in ids {
        if let Some(l) = stmt
            .query_row([id(org_id), id(*log_id)], rows::log)
            .optional()?
        {
            out.push(l);
        }
    }
    Ok(out)
}

pub(super) fn log_by_seq(c: &Connection, org_id: Uuid, seq: i64) -> Result<TimeLog> {
    let sql = format!(
        "SELECT {LOG_COLS} FROM time_logs WHERE org_id = ?1 AND seq = ?2 AND deleted_at IS NULL"
    );
    Ok(c.query_row(&sql, params![id(org_id), seq], rows::log)?)
}

/// The employee's running log (the partial unique index allows one).
pub(super) fn running_log(c: &Connection, org_id: Uuid, employee: Uuid) -> Result<Option<TimeLog>> {
    let sql = format!(
        "SELECT {LOG_COLS} FROM time_logs
         WHERE org_id = ?1 AND employee_id = ?2 AND stopped_at IS NULL AND deleted_at IS NULL"
    );
    Ok(c.query_row(&sql, [id(org_id), id(employee)], rows::log)
        .optional()?)
}

/// Live logs overlapping `[from, to)`: a log touching an edge is outside,
/// a running log reaches to the end of time.
pub(super) fn list_logs(c: &Connection, f: &Filter) -> Result<Vec<TimeLog>> {
    super::logs_page::select_logs(c, f, None, None)
}

/// The earliest live log of the same employee sharing time with `log`
/// (touching ends do not count), other than the row `except`.
///
/// Two index probes, not a walk through the employee's history: stored
/// logs of one employee never overlap each other, so the earliest clash is
/// either the last log starting at or before `log` or the first one
/// starting inside it (as the PostgreSQL backend's `first_overlap`).
fn clash(c: &Connection, log: &TimeLog, except: Option<i64>) -> Result<Option<TimeLog>> {
    let near = "FROM time_logs
         WHERE org_id = ?1 AND employee_id = ?2 AND deleted_at IS NULL AND seq IS NOT ?3";
    let sql = format!(
        "SELECT {LOG_COLS} FROM (
             SELECT * FROM (SELECT * {near} AND started_at <= ?5
                            ORDER BY started_at DESC, seq DESC LIMIT 1)
             UNION ALL
             SELECT * FROM (SELECT * {near} AND started_at > ?5
                              AND (?4 IS NULL OR started_at < ?4)
                            ORDER BY started_at, seq LIMIT 1))
         WHERE (?4 IS NULL OR started_at < ?4) AND (stopped_at IS NULL OR stopped_at > ?5)
         ORDER BY started_at, seq LIMIT 1"
    );
    let stop: Option<Instant> = log.stopped_at;
    Ok(c.prepare_cached(&sql)?
        .query_row(
            params![
                id(log.org_id),
                id(log.employee_id),
                except,
                opt_ms(stop),
                ms(log.started_at)
            ],
            rows::log,
        )
        .optional()?)
}

/// A row by seq, deleted or not (only used right after writing it).
fn by_seq_any(c: &Connection, seq: i64) -> Result<TimeLog> {
    let sql = format!("SELECT {LOG_COLS} FROM time_logs WHERE seq = ?1");
    Ok(c.query_row(&sql, [seq], rows::log)?)
}
