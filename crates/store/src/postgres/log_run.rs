//! An agent's sync of new logs (`Store::sync_logs`) in one transaction of
//! four statements when every id is new, however many logs:
//!
//! 1. lock the employee, claim the ids, read the approved weeks of the
//!    run's span (one statement: a CTE);
//! 2. only if some id was claimed before: which of them are someone else's;
//! 3. the stored logs with the run's ids and the employee's logs near the
//!    run's span (`logs_batch::decide`);
//! 4. insert the logs and the missing week's sheets (one statement); a
//!    stored timer the run stops costs one UPDATE more.
//!
//! Asked one by one (the claims, then the approved sheets in a snapshot
//! transaction, then the insert, then each week's sheet) the same run took
//! about a dozen statements on five pool connections and two commits.
//!
//! The claims are made under the employee lock and inside the transaction,
//! so a run that fails on the database claims nothing. Statement 2 must be
//! a statement of its own: `ON CONFLICT DO NOTHING` waits for a concurrent
//! claim of the same id to commit and then skips it, and only a later
//! statement's snapshot sees who won.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use stint_model::{TimesheetStatus, to_millis_precision};
use uuid::Uuid;

use super::{db, finish, logs_batch};
use crate::log_run::{LogRun, RunLog, RunOutcome, screen};
use crate::{IdKind, Result, StoreError};

/// The run decided and written; `None` when an insert raced with another
/// employee's log of the same id (nothing is kept): the caller falls back
/// to the one-call-at-a-time reference, which says which.
pub(super) async fn sync_logs(pool: &PgPool, run: &LogRun) -> Result<Option<RunOutcome>> {
    let mut tx = pool.begin().await.map_err(db)?;
    match decide(&mut tx, run).await {
        Ok(Some(outcome)) => finish(tx, Ok(Some(outcome))).await,
        Ok(None) => {
            tx.rollback().await.map_err(db)?;
            Ok(None)
        }
        Err(e) => finish(tx, Err(e)).await,
    }
}

async fn decide(conn: &mut PgConnection, run: &LogRun) -> Result<Option<RunOutcome>> {
    let now = to_millis_precision(Utc::now());
    let claim = run.ids_to_claim();
    let Some(first) = lock_and_claim(conn, run, &claim, run.span(now)).await? else {
        return Ok(Some(RunOutcome {
            taken: Vec::new(),
            logs: run
                .logs
                .iter()
                .map(|_| RunLog::Refused(StoreError::NotFound))
                .collect(),
        }));
    };
    let taken = if first.claimed.len() < claim.len() {
        let claimed: HashSet<Uuid> = first.claimed.into_iter().collect();
        let before: Vec<Uuid> = claim.into_iter().filter(|i| !claimed.contains(i)).collect();
        foreign(conn, run, &before).await?
    } else {
        Vec::new()
    };
    let mut screened = screen(run, &taken.iter().copied().collect(), &first.approved, now);
    let insert = std::mem::take(&mut screened.insert);
    let Some(inserted) = logs_batch::decide(conn, insert, Some((&run.employee, now))).await? else {
        return Ok(None);
    };
    Ok(Some(RunOutcome {
        taken,
        logs: screened.finish(inserted),
    }))
}

/// What the first statement learns.
struct First {
    /// The ids this run claimed now (the others were claimed before).
    claimed: Vec<Uuid>,
    /// `(start_date, end_date)` of the employee's approved sheets in the span.
    approved: Vec<(NaiveDate, NaiveDate)>,
}

/// Locks the employee (the per-employee mutex of `logs.rs`), claims `ids`
/// for them, and reads their approved sheets inside `span`; `None` when the
/// employee is not in the run's organization (nothing is claimed then).
async fn lock_and_claim(
    conn: &mut PgConnection,
    run: &LogRun,
    ids: &[Uuid],
    span: Option<(NaiveDate, NaiveDate)>,
) -> Result<Option<First>> {
    let row = sqlx::query(
        "WITH employee AS (
             SELECT id FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE
         ), claimed AS (
             INSERT INTO client_ids (org_id, kind, id, owner_id)
             SELECT $2, $3, u, $1 FROM UNNEST($4::UUID[]) AS u
             WHERE EXISTS (SELECT 1 FROM employee)
             ON CONFLICT DO NOTHING
             RETURNING id
         ), approved AS (
             SELECT start_date, end_date FROM timesheets
             WHERE employee_id = $1 AND org_id = $2 AND status = $5
               AND end_date >= $6 AND start_date <= $7
         )
         SELECT EXISTS (SELECT 1 FROM employee) AS found,
                ARRAY(SELECT id FROM claimed) AS claimed,
                ARRAY(SELECT start_date FROM approved ORDER BY start_date) AS approved_from,
                ARRAY(SELECT end_date FROM approved ORDER BY start_date) AS approved_to",
    )
    .bind(run.employee.id)
    .bind(run.employee.org_id)
    .bind(IdKind::Log.as_str())
    .bind(ids)
    .bind(TimesheetStatus::Approved.as_str())
    .bind(span.map(|s| s.0))
    .bind(span.map(|s| s.1))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let get = |col: &str| sqlx::Row::try_get::<Vec<NaiveDate>, _>(&row, col).map_err(db);
    if !sqlx::Row::try_get::<bool, _>(&row, "found").map_err(db)? {
        return Ok(None);
    }
    Ok(Some(First {
        claimed: sqlx::Row::try_get(&row, "claimed").map_err(db)?,
        approved: get("approved_from")?
            .into_iter()
            .zip(get("approved_to")?)
            .collect(),
    }))
}

/// Those of `ids` (claimed before this run) that belong to someone else.
async fn foreign(conn: &mut PgConnection, run: &LogRun, ids: &[Uuid]) -> Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM client_ids
         WHERE org_id = $1 AND kind = $2 AND id = ANY($3) AND owner_id <> $4",
    )
    .bind(run.employee.org_id)
    .bind(IdKind::Log.as_str())
    .bind(ids)
    .bind(run.employee.id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)
}
