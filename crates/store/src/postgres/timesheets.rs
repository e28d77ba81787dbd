//! Weekly timesheets.
//!
//! One row per (employee, week start), enforced by a unique constraint, so
//! that the first log of a week and an IceHrm "create current" arriving on
//! two replicas at once still make one sheet: both `INSERT ... ON CONFLICT DO
//! NOTHING`, the loser reads the winner's row.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use stint_model::Timesheet;
use uuid::Uuid;

use super::{db, finish, now_ms, push_ids, rows};
use crate::{Result, StoreError, TimesheetFilter};

pub(super) async fn ensure_timesheet(
    pool: &PgPool,
    id_if_new: Uuid,
    org_id: Uuid,
    employee_id: Uuid,
    start_date: NaiveDate,
    end_date: NaiveDate,
) -> Result<(Timesheet, bool)> {
    let now = now_ms();
    // Inserting through a SELECT of the employee in this organization makes
    // an employee of another organization insert nothing (then NotFound).
    let created = sqlx::query(
        "INSERT INTO timesheets (id, org_id, employee_id, start_date, end_date, status,
             created_at, updated_at)
         SELECT $1, org_id, id, $4, $5, 'draft', $6, $6 FROM users
         WHERE id = $3 AND org_id = $2
         ON CONFLICT (employee_id, start_date) DO NOTHING
         RETURNING *",
    )
    .bind(id_if_new)
    .bind(org_id)
    .bind(employee_id)
    .bind(start_date)
    .bind(end_date)
    .bind(now)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    if let Some(row) = created {
        return Ok((rows::timesheet(&row)?, true));
    }
    let row = sqlx::query(
        "SELECT * FROM timesheets WHERE employee_id = $1 AND start_date = $2 AND org_id = $3",
    )
    .bind(employee_id)
    .bind(start_date)
    .bind(org_id)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    Ok((rows::timesheet(&row)?, false))
}

pub(super) async fn timesheet(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Timesheet> {
    let row = sqlx::query("SELECT * FROM timesheets WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::timesheet(&row)
}

pub(super) async fn timesheet_by_seq(pool: &PgPool, org_id: Uuid, seq: i64) -> Result<Timesheet> {
    let row = sqlx::query("SELECT * FROM timesheets WHERE org_id = $1 AND seq = $2")
        .bind(org_id)
        .bind(seq)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::timesheet(&row)
}

/// Appends the WHERE clause both the page query and the count share.
fn push_where(q: &mut QueryBuilder<Postgres>, f: &TimesheetFilter) {
    q.push(" WHERE org_id = ").push_bind(f.org_id);
    push_ids(q, "employee_id", f.employee_ids.as_deref());
    if let Some(statuses) = &f.statuses {
        let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        q.push(" AND status = ANY(").push_bind(names).push(")");
    }
    // The week [start_date, end_date] overlaps [from, to].
    if let Some(from) = f.from {
        q.push(" AND end_date >= ").push_bind(from);
    }
    if let Some(to) = f.to {
        q.push(" AND start_date <= ").push_bind(to);
    }
}

/// Newest week first (then newest sheet), and the count ignoring the page.
/// Both queries run in one REPEATABLE READ snapshot so the count matches
/// the page even while sheets are being created.
pub(super) async fn list_timesheets(
    pool: &PgPool,
    f: &TimesheetFilter,
) -> Result<(Vec<Timesheet>, i64)> {
    let mut tx = pool.begin().await.map_err(db)?;
    let result = list_in(&mut tx, f).await;
    finish(tx, result).await
}

async fn list_in(conn: &mut PgConnection, f: &TimesheetFilter) -> Result<(Vec<Timesheet>, i64)> {
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    let mut q = QueryBuilder::<Postgres>::new("SELECT * FROM timesheets");
    push_where(&mut q, f);
    q.push(" ORDER BY start_date DESC, seq DESC");
    // A negative limit means none, as SQLite reads it.
    if let Some(limit) = f.limit.filter(|l| *l >= 0) {
        q.push(" LIMIT ").push_bind(limit);
    }
    if f.offset > 0 {
        q.push(" OFFSET ").push_bind(f.offset);
    }
    let found = q.build().fetch_all(&mut *conn).await.map_err(db)?;
    let sheets = rows::all(&found, rows::timesheet)?;

    let mut c = QueryBuilder::<Postgres>::new("SELECT count(*) FROM timesheets");
    push_where(&mut c, f);
    let total: i64 = c
        .build_query_scalar()
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    Ok((sheets, total))
}

/// All or nothing: a sheet that is missing (or of another organization)
/// rolls back the sheets written before it.
pub(super) async fn update_timesheets(pool: &PgPool, sheets: &[Timesheet]) -> Result<()> {
    let mut tx = pool.begin().await.map_err(db)?;
    let result = update_in(&mut tx, sheets).await;
    finish(tx, result).await
}

async fn update_in(conn: &mut PgConnection, sheets: &[Timesheet]) -> Result<()> {
    for s in sheets {
        let done = sqlx::query(
            "UPDATE timesheets SET status = $3, submitted_at = $4, approved_at = $5,
                 approved_by = $6, updated_at = $7, rejection_reason = $8
             WHERE org_id = $1 AND id = $2",
        )
        .bind(s.org_id)
        .bind(s.id)
        .bind(s.status.as_str())
        .bind(s.submitted_at.map(|t| t.timestamp_millis()))
        .bind(s.approved_at.map(|t| t.timestamp_millis()))
        .bind(s.approved_by)
        .bind(s.updated_at.timestamp_millis())
        .bind(s.rejection_reason.as_deref())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
    }
    Ok(())
}
