//! Weekly timesheets: one row per employee and week, created on demand,
//! listed newest week first, updated all together or not at all.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use stint_model::{Timesheet, TimesheetStatus};
use uuid::Uuid;

use super::filter::Where;
use super::rows::{self, TIMESHEET_COLS, day, id, ms, opt_id, opt_ms};
use crate::{Result, StoreError, TimesheetFilter};

/// The sheet of (employee, week), inserted as Draft if missing. The unique
/// (employee_id, start_date) index decides who created it.
pub(super) fn ensure_timesheet(
    tx: &Transaction<'_>,
    id_if_new: Uuid,
    org_id: Uuid,
    employee_id: Uuid,
    start_date: NaiveDate,
    end_date: NaiveDate,
) -> Result<(Timesheet, bool)> {
    let now = ms(chrono::Utc::now());
    let created = tx.execute(
        "INSERT INTO timesheets (id, org_id, employee_id, start_date, end_date, status,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (employee_id, start_date) DO NOTHING",
        params![
            id(id_if_new),
            id(org_id),
            id(employee_id),
            day(start_date),
            day(end_date),
            TimesheetStatus::Draft.as_str(),
            now
        ],
    )? == 1;
    let sql = format!(
        "SELECT {TIMESHEET_COLS} FROM timesheets
         WHERE org_id = ?1 AND employee_id = ?2 AND start_date = ?3"
    );
    let sheet = tx.query_row(
        &sql,
        [id(org_id), id(employee_id), day(start_date)],
        rows::timesheet,
    )?;
    Ok((sheet, created))
}

pub(super) fn timesheet(c: &Connection, org_id: Uuid, sheet_id: Uuid) -> Result<Timesheet> {
    let sql = format!("SELECT {TIMESHEET_COLS} FROM timesheets WHERE org_id = ?1 AND id = ?2");
    Ok(c.query_row(&sql, [id(org_id), id(sheet_id)], rows::timesheet)?)
}

pub(super) fn timesheet_by_seq(c: &Connection, org_id: Uuid, seq: i64) -> Result<Timesheet> {
    let sql = format!("SELECT {TIMESHEET_COLS} FROM timesheets WHERE org_id = ?1 AND seq = ?2");
    Ok(c.query_row(&sql, params![id(org_id), seq], rows::timesheet)?)
}

/// One page of matching sheets (newest week first, then newest row) and the
/// number of all matching sheets.
pub(super) fn list_timesheets(
    c: &Connection,
    f: &TimesheetFilter,
) -> Result<(Vec<Timesheet>, i64)> {
    let mut w = Where::default();
    w.and("org_id = ?", [Value::Text(id(f.org_id))]);
    if let Some(ids) = &f.employee_ids {
        w.any_of("employee_id", ids);
    }
    if let Some(statuses) = &f.statuses {
        if statuses.is_empty() {
            w.and("0", []);
        } else {
            let marks = vec!["?"; statuses.len()].join(", ");
            w.and(
                format!("status IN ({marks})"),
                statuses.iter().map(|s| Value::Text(s.as_str().into())),
            );
        }
    }
    // The week [start_date, end_date] overlaps [from, to].
    if let Some(from) = f.from {
        w.and("end_date >= ?", [Value::Text(day(from))]);
    }
    if let Some(to) = f.to {
        w.and("start_date <= ?", [Value::Text(day(to))]);
    }
    let total: i64 = c.query_row(
        &format!("SELECT COUNT(*) FROM timesheets{}", w.sql()),
        params_from_iter(w.params.iter()),
        |r| r.get(0),
    )?;
    let sql = format!(
        "SELECT {TIMESHEET_COLS} FROM timesheets{} ORDER BY start_date DESC, seq DESC
         LIMIT ? OFFSET ?",
        w.sql()
    );
    let mut params = w.params;
    // SQLite reads a negative LIMIT as "no limit".
    params.push(Value::Integer(f.limit.unwrap_or(-1)));
    params.push(Value::Integer(f.offset.max(0)));
    let mut stmt = c.prepare(&sql)?;
    let page = stmt
        .query_map(params_from_iter(params), rows::timesheet)?
        .collect::<Result<_, _>>()?;
    Ok((page, total))
}

/// Writes the workflow fields of every sheet; one unknown sheet (or one of
/// another organization) fails the whole batch.
pub(super) fn update_timesheets(tx: &Transaction<'_>, sheets: &[Timesheet]) -> Result<()> {
    let mut stmt = tx.prepare(
        "UPDATE timesheets SET status = ?3, submitted_at = ?4, approved_at = ?5,
             approved_by = ?6, updated_at = ?7, rejection_reason = ?8
         WHERE org_id = ?1 AND id = ?2",
    )?;
    for s in sheets {
        let n = stmt.execute(params![
            id(s.org_id),
            id(s.id),
            s.status.as_str(),
            opt_ms(s.submitted_at),
            opt_ms(s.approved_at),
            opt_id(s.approved_by),
            ms(s.updated_at),
            s.rejection_reason,
        ])?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
    }
    Ok(())
}
