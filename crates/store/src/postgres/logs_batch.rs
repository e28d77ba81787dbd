//! A batch of one employee's new logs in one transaction with a fixed
//! number of round trips, however long the batch: lock the employee, load
//! what the batch could touch, let [`crate::batch::plan`] decide each log,
//! stop the stored timers it stopped, insert the rest with one `UNNEST`.
//!
//! Deciding one by one cost about five round trips and a commit per log,
//! which capped an agent's sync of 500 logs at a few hundred logs a second
//! across all agents. [`decide`] is also the second half of a sync run
//! (`log_run.rs`), which adds the claims, the approved weeks and the sheets.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sqlx::{PgConnection, PgPool};
use stint_model::{Instant, TimeLog, User, Week, to_millis_precision};
use uuid::Uuid;

use super::logs::{insert_log, lock_employee};
use super::{db, finish, now_ms, rows};
use crate::batch::{self, NearBounds, Plan};
use crate::log_run::sheet_weeks;
use crate::{Result, StoreError};

pub(super) type Outcomes = Vec<Result<(TimeLog, bool)>>;

pub(super) async fn insert_logs(
    pool: &PgPool,
    logs: Vec<(TimeLog, Option<String>)>,
) -> Result<Outcomes> {
    let Some((org_id, employee_id)) = logs.first().map(|(l, _)| (l.org_id, l.employee_id)) else {
        return Ok(Vec::new());
    };
    if logs
        .iter()
        .any(|(l, _)| l.org_id != org_id || l.employee_id != employee_id)
    {
        return one_by_one(pool, logs).await;
    }
    let mut tx = pool.begin().await.map_err(db)?;
    match lock_employee(&mut tx, org_id, employee_id).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => {
            return Ok(logs.iter().map(|_| Err(StoreError::NotFound)).collect());
        }
        Err(e) => return Err(e),
    }
    match decide(&mut tx, logs.clone(), None).await {
        Ok(Some(outcomes)) => finish(tx, Ok(outcomes)).await,
        // Another employee's log took one of the ids meanwhile: undo, and
        // let the one-by-one path say which.
        Ok(None) => {
            tx.rollback().await.map_err(db)?;
            one_by_one(pool, logs).await
        }
        Err(e) => finish(tx, Err(e)).await,
    }
}

/// Decides and writes `logs`, all of one employee whose lock the caller's
/// transaction holds: one read of what they could touch, the plan, the
/// stops, one insert. With `sheets`, the same insert also makes the
/// timesheet of every week a created log touches (in that employee's zone,
/// a running log up to the instant given). `None` when an insert found its
/// id taken (a race with another employee's log of the same id): the
/// caller must roll back.
pub(super) async fn decide(
    conn: &mut PgConnection,
    logs: Vec<(TimeLog, Option<String>)>,
    sheets: Option<(&User, Instant)>,
) -> Result<Option<Outcomes>> {
    let Some(bounds) = batch::near_bounds(&logs) else {
        return Ok(Some(Vec::new()));
    };
    let (org_id, employee_id) = (logs[0].0.org_id, logs[0].0.employee_id);
    let ids: Vec<Uuid> = logs.iter().map(|(l, _)| l.id).collect();
    let (known, near) = known_and_near(conn, org_id, employee_id, &ids, bounds).await?;
    let plan = batch::plan(logs, known, near, to_millis_precision(Utc::now()));
    let weeks = match sheets {
        Some((employee, now)) => sheet_weeks(employee, &plan.inserts, now),
        None => BTreeSet::new(),
    };
    write(conn, plan, &weeks).await
}

/// The reference path: each log in its own transaction.
async fn one_by_one(pool: &PgPool, logs: Vec<(TimeLog, Option<String>)>) -> Result<Outcomes> {
    crate::one_by_one(logs, |log, stop| insert_log(pool, log, stop)).await
}

/// The live logs among `ids`.
pub(super) async fn live_logs(pool: &PgPool, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeLog>> {
    let found = sqlx::query(
        "SELECT * FROM time_logs WHERE org_id = $1 AND id = ANY($2) AND deleted_at IS NULL",
    )
    .bind(org_id)
    .bind(ids)
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows::all(&found, rows::log)
}

/// How far before the batch the last earlier log is looked for first.
const LOOK_BACK_MS: i64 = 86_400_000;

/// The stored logs with the batch's `ids` (deleted ones too, which replays
/// must find), and the employee's live logs the batch could clash with (see
/// [`batch::near_bounds`]; the running log may appear twice): one statement.
///
/// The last log starting before the batch is the latest start before it
/// (then the highest seq there), looked for within [`LOOK_BACK_MS`] first:
/// `ORDER BY started_at DESC, seq DESC LIMIT 1` over the whole history let
/// the planner, on a table grown faster than autovacuum analyzes it (an
/// agent catching up on a new server), sort every earlier log of the
/// employee, 11 ms at 30,000 logs and growing with each sync. The window
/// (a day) bounds that plan; the unbounded look runs only when the window is
/// empty (COALESCE evaluates its second subquery only then).
async fn known_and_near(
    conn: &mut PgConnection,
    org_id: Uuid,
    employee_id: Uuid,
    ids: &[Uuid],
    b: NearBounds,
) -> Result<(Vec<TimeLog>, Vec<TimeLog>)> {
    let found = sqlx::query(
        "(SELECT TRUE AS known, * FROM time_logs WHERE org_id = $4 AND id = ANY($5))
         UNION ALL
         (SELECT FALSE, * FROM time_logs
          WHERE employee_id = $1 AND deleted_at IS NULL AND started_at = COALESCE(
              (SELECT started_at FROM time_logs
               WHERE employee_id = $1 AND deleted_at IS NULL AND started_at < $2
                 AND started_at >= $2 - $6
               ORDER BY started_at DESC LIMIT 1),
              (SELECT started_at FROM time_logs
               WHERE employee_id = $1 AND deleted_at IS NULL AND started_at < $2
               ORDER BY started_at DESC LIMIT 1))
          ORDER BY seq DESC LIMIT 1)
         UNION ALL
         (SELECT FALSE, * FROM time_logs
          WHERE employee_id = $1 AND deleted_at IS NULL AND started_at >= $2
            AND ($3::BIGINT IS NULL OR started_at < $3))
         UNION ALL
         (SELECT FALSE, * FROM time_logs
          WHERE employee_id = $1 AND deleted_at IS NULL AND stopped_at IS NULL)",
    )
    .bind(employee_id)
    .bind(b.from.timestamp_millis())
    .bind(b.to.map(|t| t.timestamp_millis()))
    .bind(org_id)
    .bind(ids)
    .bind(LOOK_BACK_MS)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let (mut known, mut near) = (Vec::new(), Vec::new());
    for row in &found {
        let is_known: bool = sqlx::Row::try_get(row, "known").map_err(db)?;
        if is_known { &mut known } else { &mut near }.push(rows::log(row)?);
    }
    Ok((known, near))
}

/// Writes the plan and the `sheets`; `None` when an insert found its id
/// taken (a race with another employee's log of the same id), so the
/// caller must roll back.
async fn write(
    conn: &mut PgConnection,
    plan: Plan,
    sheets: &BTreeSet<Week>,
) -> Result<Option<Outcomes>> {
    let updated_at = now_ms();
    for stop in &plan.stops {
        sqlx::query(
            "UPDATE time_logs SET stopped_at = $2, stopped_reason = $3, updated_at = $4
             WHERE seq = $1",
        )
        .bind(stop.seq)
        .bind(stop.at.timestamp_millis())
        .bind(&stop.reason)
        .bind(updated_at)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    }
    let seqs: HashMap<Uuid, i64> = insert_all(conn, &plan.inserts, sheets)
        .await?
        .into_iter()
        .collect();
    let mut inserted = Vec::with_capacity(plan.inserts.len());
    for log in plan.inserts {
        match seqs.get(&log.id) {
            Some(&seq) => inserted.push(batch::as_stored(log, seq)),
            None => return Ok(None),
        }
    }
    Ok(Some(batch::outcomes(plan.decisions, inserted)))
}

/// One INSERT for all new logs, a column array each (no parameter limit,
/// one statement plan whatever the batch size), and in the same statement
/// the Draft timesheets of `sheets` missing so far (of the logs' employee).
/// Answers the id and seq of each row inserted (what else was written is
/// known: reading every row back cost decoding 1,000 rows a sync).
async fn insert_all(
    conn: &mut PgConnection,
    logs: &[TimeLog],
    sheets: &BTreeSet<Week>,
) -> Result<Vec<(Uuid, i64)>> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    let col = |f: fn(&TimeLog) -> i64| logs.iter().map(f).collect::<Vec<i64>>();
    let found = sqlx::query(
        "WITH sheets AS (
             INSERT INTO timesheets (id, org_id, employee_id, start_date, end_date, status,
                 created_at, updated_at)
             SELECT s.id, $2[1], $3[1], s.start_date, s.end_date, 'draft', $19, $19
             FROM UNNEST($16::UUID[], $17::DATE[], $18::DATE[]) AS s(id, start_date, end_date)
             ON CONFLICT (employee_id, start_date) DO NOTHING
         )
         INSERT INTO time_logs (id, org_id, employee_id, project_id, task_id, started_at,
             stopped_at, log_type, source, description, is_billable, version, stopped_reason,
             created_at, updated_at)
         SELECT * FROM UNNEST($1::UUID[], $2::UUID[], $3::UUID[], $4::UUID[], $5::UUID[],
             $6::BIGINT[], $7::BIGINT[], $8::TEXT[], $9::TEXT[], $10::TEXT[], $11::BOOL[],
             $12::BIGINT[], $13::TEXT[], $14::BIGINT[], $15::BIGINT[])
         ON CONFLICT (org_id, id) DO NOTHING
         RETURNING id, seq",
    )
    .bind(logs.iter().map(|l| l.id).collect::<Vec<_>>())
    .bind(logs.iter().map(|l| l.org_id).collect::<Vec<_>>())
    .bind(logs.iter().map(|l| l.employee_id).collect::<Vec<_>>())
    .bind(logs.iter().map(|l| l.project_id).collect::<Vec<_>>())
    .bind(logs.iter().map(|l| l.task_id).collect::<Vec<_>>())
    .bind(col(|l| l.started_at.timestamp_millis()))
    .bind(
        logs.iter()
            .map(|l| l.stopped_at.map(|t| t.timestamp_millis()))
            .collect::<Vec<_>>(),
    )
    .bind(logs.iter().map(|l| l.log_type.as_str()).collect::<Vec<_>>())
    .bind(logs.iter().map(|l| l.source.as_str()).collect::<Vec<_>>())
    .bind(
        logs.iter()
            .map(|l| l.description.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(logs.iter().map(|l| l.is_billable).collect::<Vec<_>>())
    .bind(col(|l| l.version))
    .bind(
        logs.iter()
            .map(|l| l.stopped_reason.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(col(|l| l.created_at.timestamp_millis()))
    .bind(col(|l| l.updated_at.timestamp_millis()))
    .bind(sheets.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>())
    .bind(sheets.iter().map(|w| w.start).collect::<Vec<_>>())
    .bind(sheets.iter().map(|w| w.end()).collect::<Vec<_>>())
    .bind(now_ms())
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    found
        .iter()
        .map(|r| {
            Ok((
                sqlx::Row::try_get(r, "id").map_err(db)?,
                sqlx::Row::try_get(r, "seq").map_err(db)?,
            ))
        })
        .collect()
}
