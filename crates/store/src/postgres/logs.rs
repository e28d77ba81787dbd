//! Time logs: idempotent inserts, the one-running-timer rule and overlap.
//!
//! Several replicas may write logs of the same employee at the same moment
//! (two devices, two load-balanced requests). Every write that must see a
//! consistent picture of that employee's logs — stop the running timer,
//! check overlap, insert or update — runs in one transaction that first
//! row-locks the employee's `users` row. That lock is the per-employee
//! mutex: the second transaction waits until the first has committed and
//! then sees its result, so overlap checks cannot race.
//!
//! The lock is `FOR NO KEY UPDATE`, which serialises log writers exactly like
//! `FOR UPDATE` but does not block the `FOR KEY SHARE` locks that foreign-key
//! checks take: slots, activities and screenshots of that employee can still
//! be inserted while a log write is in flight.

use sqlx::{PgConnection, PgPool};
use stint_model::TimeLog;
use uuid::Uuid;

use super::{db, finish, now_ms, rows};
use crate::{Filter, Result, StoreError};

/// A running log has no stop; for overlap it runs until the end of time.
const OPEN_END: i64 = i64::MAX;

/// Takes the per-employee lock; the employee must belong to `org_id`.
pub(super) async fn lock_employee(
    conn: &mut PgConnection,
    org_id: Uuid,
    employee_id: Uuid,
) -> Result<()> {
    sqlx::query("SELECT 1 FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE")
        .bind(employee_id)
        .bind(org_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// The stored log with this id, deleted or not (replays must find it).
async fn stored_any(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<Option<TimeLog>> {
    sqlx::query("SELECT * FROM time_logs WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .as_ref()
        .map(rows::log)
        .transpose()
}

/// The first not-deleted log of the employee sharing time with
/// `[start, stop)`, other than the log `except_seq`. Touching ends do not
/// overlap (`<` and `>`, not `<=`), as [`stint_model::Interval::overlaps`].
///
/// Two index probes instead of a scan of the employee's whole history:
/// because stored logs of one employee never overlap each other (every
/// write is checked under the employee lock), the earliest clash is either
/// the last log starting at or before `start` (if it ends after `start`) or
/// else the first log starting inside `(start, stop)`.
async fn first_overlap(
    conn: &mut PgConnection,
    employee_id: Uuid,
    start: i64,
    stop: i64,
    except_seq: i64,
) -> Result<Option<TimeLog>> {
    sqlx::query(
        "SELECT * FROM (
             (SELECT * FROM time_logs
              WHERE employee_id = $1 AND deleted_at IS NULL AND seq <> $4
                AND started_at <= $2
              ORDER BY started_at DESC, seq DESC LIMIT 1)
             UNION ALL
             (SELECT * FROM time_logs
              WHERE employee_id = $1 AND deleted_at IS NULL AND seq <> $4
                AND started_at > $2 AND started_at < $3
              ORDER BY started_at, seq LIMIT 1)
         ) AS near
         WHERE started_at < $3 AND (stopped_at IS NULL OR stopped_at > $2)
         ORDER BY started_at, seq LIMIT 1",
    )
    .bind(employee_id)
    .bind(start)
    .bind(stop)
    .bind(except_seq)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?
    .as_ref()
    .map(rows::log)
    .transpose()
}

/// Fails with `Overlap` if `[start, stop)` clashes with another log.
async fn check_overlap(
    conn: &mut PgConnection,
    employee_id: Uuid,
    log: &TimeLog,
    except_seq: i64,
) -> Result<()> {
    let start = log.started_at.timestamp_millis();
    let stop = log.stopped_at.map_or(OPEN_END, |t| t.timestamp_millis());
    match first_overlap(conn, employee_id, start, stop, except_seq).await? {
        Some(clash) => Err(StoreError::Overlap(Box::new(clash))),
        None => Ok(()),
    }
}

/// Stops the employee's running log at the new log's start. A running log
/// that started at or after that instant cannot be stopped there: the new
/// log overlaps it.
async fn stop_running(conn: &mut PgConnection, log: &TimeLog, reason: &str) -> Result<()> {
    let running = sqlx::query(
        "SELECT * FROM time_logs
         WHERE employee_id = $1 AND stopped_at IS NULL AND deleted_at IS NULL
         ORDER BY started_at, seq",
    )
    .bind(log.employee_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let start = log.started_at.timestamp_millis();
    for row in &running {
        let r = rows::log(row)?;
        if r.started_at.timestamp_millis() >= start {
            return Err(StoreError::Overlap(Box::new(r)));
        }
        sqlx::query(
            "UPDATE time_logs SET stopped_at = $2, stopped_reason = $3, updated_at = $4
             WHERE seq = $1",
        )
        .bind(r.seq)
        .bind(start)
        .bind(reason)
        .bind(now_ms())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// What the insert transaction found or did.
enum Inserted {
    New(TimeLog),
    Known(TimeLog),
    /// Another employee's log of this organization took the id while we
    /// were working: our changes must be undone.
    LostRace,
}

pub(super) async fn insert_log(
    pool: &PgPool,
    log: TimeLog,
    stop: Option<String>,
) -> Result<(TimeLog, bool)> {
    let mut tx = pool.begin().await.map_err(db)?;
    let outcome = insert_in(&mut tx, &log, stop.as_deref()).await;
    match outcome {
        Ok(Inserted::New(stored)) => finish(tx, Ok((stored, true))).await,
        Ok(Inserted::Known(stored)) => finish(tx, Ok((stored, false))).await,
        Ok(Inserted::LostRace) => {
            tx.rollback().await.map_err(db)?;
            let mut conn = pool.acquire().await.map_err(db)?;
            let stored = stored_any(&mut conn, log.org_id, log.id).await?;
            Ok((stored.ok_or(StoreError::NotFound)?, false))
        }
        Err(e) => finish(tx, Err(e)).await,
    }
}

async fn insert_in(conn: &mut PgConnection, log: &TimeLog, stop: Option<&str>) -> Result<Inserted> {
    lock_employee(conn, log.org_id, log.employee_id).await?;
    // A replay changes nothing, not even the running timer.
    if let Some(stored) = stored_any(conn, log.org_id, log.id).await? {
        return Ok(Inserted::Known(stored));
    }
    if let Some(reason) = stop {
        stop_running(conn, log, reason).await?;
    }
    check_overlap(conn, log.employee_id, log, 0).await?;
    let inserted = sqlx::query(
        "INSERT INTO time_logs (id, org_id, employee_id, project_id, task_id, started_at,
             stopped_at, log_type, source, description, is_billable, version, stopped_reason,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (org_id, id) DO NOTHING
         RETURNING *",
    )
    .bind(log.id)
    .bind(log.org_id)
    .bind(log.employee_id)
    .bind(log.project_id)
    .bind(log.task_id)
    .bind(log.started_at.timestamp_millis())
    .bind(log.stopped_at.map(|t| t.timestamp_millis()))
    .bind(log.log_type.as_str())
    .bind(log.source.as_str())
    .bind(&log.description)
    .bind(log.is_billable)
    .bind(log.version)
    .bind(&log.stopped_reason)
    .bind(log.created_at.timestamp_millis())
    .bind(log.updated_at.timestamp_millis())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db)?;
    match inserted {
        Some(row) => Ok(Inserted::New(rows::log(&row)?)),
        None => Ok(Inserted::LostRace),
    }
}

pub(super) async fn update_log(pool: &PgPool, log: TimeLog) -> Result<TimeLog> {
    let mut tx = pool.begin().await.map_err(db)?;
    let result = update_in(&mut tx, &log).await;
    finish(tx, result).await
}

async fn update_in(conn: &mut PgConnection, log: &TimeLog) -> Result<TimeLog> {
    // The employee is not a mutable field: lock the stored log's employee.
    let employee_id: Uuid = sqlx::query_scalar(
        "SELECT employee_id FROM time_logs WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(log.org_id)
    .bind(log.id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    lock_employee(conn, log.org_id, employee_id).await?;
    // Read again under the lock: it may have been deleted meanwhile.
    let seq: i64 = sqlx::query_scalar(
        "SELECT seq FROM time_logs WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(log.org_id)
    .bind(log.id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    check_overlap(conn, employee_id, log, seq).await?;
    let row = sqlx::query(
        "UPDATE time_logs SET project_id = $2, task_id = $3, started_at = $4, stopped_at = $5,
             log_type = $6, source = $7, description = $8, is_billable = $9, version = $10,
             stopped_reason = $11, updated_at = $12
         WHERE seq = $1 AND deleted_at IS NULL
         RETURNING *",
    )
    .bind(seq)
    .bind(log.project_id)
    .bind(log.task_id)
    .bind(log.started_at.timestamp_millis())
    .bind(log.stopped_at.map(|t| t.timestamp_millis()))
    .bind(log.log_type.as_str())
    .bind(log.source.as_str())
    .bind(&log.description)
    .bind(log.is_billable)
    .bind(log.version)
    .bind(&log.stopped_reason)
    .bind(log.updated_at.timestamp_millis())
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    rows::log(&row)
}

/// Marks the log deleted; the row stays so that a replayed create of the
/// same id is recognised and does not resurrect it.
pub(super) async fn delete_log(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<()> {
    let done = sqlx::query(
        "UPDATE time_logs SET deleted_at = $3
         WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org_id)
    .bind(id)
    .bind(now_ms())
    .execute(pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn log(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<TimeLog> {
    let row =
        sqlx::query("SELECT * FROM time_logs WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL")
            .bind(org_id)
            .bind(id)
            .fetch_one(pool)
            .await
            .map_err(db)?;
    rows::log(&row)
}

pub(super) async fn log_by_seq(pool: &PgPool, org_id: Uuid, seq: i64) -> Result<TimeLog> {
    let row = sqlx::query(
        "SELECT * FROM time_logs WHERE org_id = $1 AND seq = $2 AND deleted_at IS NULL",
    )
    .bind(org_id)
    .bind(seq)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    rows::log(&row)
}

/// Served by the partial index on running logs.
pub(super) async fn running_log(
    pool: &PgPool,
    org_id: Uuid,
    employee_id: Uuid,
) -> Result<Option<TimeLog>> {
    sqlx::query(
        "SELECT * FROM time_logs
         WHERE employee_id = $1 AND org_id = $2 AND stopped_at IS NULL AND deleted_at IS NULL
         ORDER BY started_at DESC, seq DESC LIMIT 1",
    )
    .bind(employee_id)
    .bind(org_id)
    .fetch_optional(pool)
    .await
    .map_err(db)?
    .as_ref()
    .map(rows::log)
    .transpose()
}

/// Logs sharing time with `[from, to)`; a running log extends to infinity.
pub(super) async fn list_logs(pool: &PgPool, f: &Filter) -> Result<Vec<TimeLog>> {
    super::logs_page::select_logs(pool, f, None, None).await
}
