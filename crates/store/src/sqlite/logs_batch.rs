//! A batch of one employee's new logs decided in memory, as the PostgreSQL
//! backend does (see [`crate::batch`]): read what the batch could touch
//! (the stored logs with its ids, the employee's live logs near its span),
//! let [`batch::plan`] decide every log in order, then write the plan with
//! cached prepared statements, one row at a time, in the caller's
//! transaction.
//!
//! Deciding log by log (`logs::insert_log` inside a savepoint each) cost
//! about eight statements a log, four of them prepared afresh: the id
//! lookup, the overlap check, the insert, the row read back, the savepoint
//! and its release. That capped one client's sync at about 11,000 logs/s
//! (issue 14). Here a log that is inserted costs its INSERT; the rows are
//! not read back (what was written is known, `seq` is the rowid).

use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, params};
use stint_model::{TimeLog, to_millis_precision};
use uuid::Uuid;

use super::logs::insert_row;
use super::rows::{self, LOG_COLS, id, ms, opt_ms};
use crate::batch::{self, NearBounds};
use crate::{Result, StoreError};

pub(super) type Outcomes = Vec<Result<(TimeLog, bool)>>;

/// Decides and writes `logs`, all of one employee (the caller checks);
/// every log `NotFound` when the employee is not in the organization.
pub(super) fn insert_logs(
    tx: &Transaction<'_>,
    logs: Vec<(TimeLog, Option<String>)>,
) -> Result<Outcomes> {
    let Some(bounds) = batch::near_bounds(&logs) else {
        return Ok(Vec::new());
    };
    let (org_id, employee_id) = (logs[0].0.org_id, logs[0].0.employee_id);
    if !employee_exists(tx, org_id, employee_id)? {
        return Ok(logs.iter().map(|_| Err(StoreError::NotFound)).collect());
    }
    let known = known(tx, org_id, logs.iter().map(|(l, _)| l.id))?;
    let near = near(tx, org_id, employee_id, bounds)?;
    let now = to_millis_precision(Utc::now());
    let plan = batch::plan(logs, known, near, now);
    let mut stop = tx.prepare_cached(
        "UPDATE time_logs SET stopped_at = ?2, stopped_reason = ?3, updated_at = ?4
         WHERE seq = ?1",
    )?;
    for s in &plan.stops {
        stop.execute(params![s.seq, ms(s.at), s.reason, ms(now)])?;
    }
    let inserted = plan
        .inserts
        .into_iter()
        .map(|log| insert_row(tx, log))
        .collect::<Result<Vec<TimeLog>>>()?;
    Ok(batch::outcomes(plan.decisions, inserted))
}

fn employee_exists(tx: &Transaction<'_>, org_id: Uuid, employee_id: Uuid) -> Result<bool> {
    let found = tx
        .prepare_cached("SELECT 1 FROM users WHERE org_id = ?1 AND id = ?2")?
        .query_row([id(org_id), id(employee_id)], |_| Ok(()))
        .optional()?;
    Ok(found.is_some())
}

/// The stored logs among `ids`, deleted ones too (a replay must find them).
fn known(
    tx: &Transaction<'_>,
    org_id: Uuid,
    ids: impl Iterator<Item = Uuid>,
) -> Result<Vec<TimeLog>> {
    let sql = format!("SELECT {LOG_COLS} FROM time_logs WHERE org_id = ?1 AND id = ?2");
    let mut stmt = tx.prepare_cached(&sql)?;
    let org = id(org_id);
    let mut out = Vec::new();
    for log_id in ids {
        if let Some(l) = stmt.query_row([&org, &id(log_id)], rows::log).optional()? {
            out.push(l);
        }
    }
    Ok(out)
}

/// The employee's live logs the batch could clash with (see
/// [`batch::near_bounds`]; the running log may come twice).
fn near(
    tx: &Transaction<'_>,
    org_id: Uuid,
    employee_id: Uuid,
    b: NearBounds,
) -> Result<Vec<TimeLog>> {
    let live = "FROM time_logs WHERE org_id = ?1 AND employee_id = ?2 AND deleted_at IS NULL";
    let sql = format!(
        "SELECT {LOG_COLS} FROM (SELECT * {live} AND started_at < ?3
                                 ORDER BY started_at DESC, seq DESC LIMIT 1)
         UNION ALL
         SELECT {LOG_COLS} {live} AND started_at >= ?3 AND (?4 IS NULL OR started_at < ?4)
         UNION ALL
         SELECT {LOG_COLS} {live} AND stopped_at IS NULL"
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let found = stmt.query_map(
        params![id(org_id), id(employee_id), ms(b.from), opt_ms(b.to)],
        rows::log,
    )?;
    Ok(found.collect::<rusqlite::Result<Vec<TimeLog>>>()?)
}
