//! Rows to model values, and model values to column values.
//!
//! Each `*_COLS` list is the column order its decoder reads, so a query is
//! `SELECT {COLS} FROM ...`. Decoding never panics: text that is not a
//! uuid, a date or a known enum spelling becomes a conversion error, which
//! the caller sees as `StoreError::Backend`.

use chrono::NaiveDate;
use rusqlite::Row;
use rusqlite::types::Type;
use stint_model::{
    Activity, Instant, LogSource, LogType, Organization, Project, Role, Screenshot,
    ScreenshotDeletion, Task, TaskStatus, TimeLog, TimeSlot, Timesheet, TimesheetStatus, User,
    from_millis,
};
use uuid::Uuid;

use crate::Session;

type R<T> = rusqlite::Result<T>;

/// A stored value this program cannot read (column `idx`).
fn bad(idx: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, what.into())
}

pub(super) fn uuid(row: &Row<'_>, idx: usize) -> R<Uuid> {
    let s: String = row.get(idx)?;
    Uuid::parse_str(&s).map_err(|e| bad(idx, format!("bad uuid '{s}': {e}")))
}

pub(super) fn opt_uuid(row: &Row<'_>, idx: usize) -> R<Option<Uuid>> {
    let s: Option<String> = row.get(idx)?;
    s.map(|s| Uuid::parse_str(&s).map_err(|e| bad(idx, format!("bad uuid '{s}': {e}"))))
        .transpose()
}

pub(super) fn instant(row: &Row<'_>, idx: usize) -> R<Instant> {
    Ok(from_millis(row.get(idx)?))
}

pub(super) fn opt_instant(row: &Row<'_>, idx: usize) -> R<Option<Instant>> {
    Ok(row.get::<_, Option<i64>>(idx)?.map(from_millis))
}

fn date(row: &Row<'_>, idx: usize) -> R<NaiveDate> {
    let s: String = row.get(idx)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| bad(idx, format!("bad date '{s}': {e}")))
}

/// Column value of a uuid.
pub(super) fn id(u: Uuid) -> String {
    u.hyphenated().to_string()
}

pub(super) fn opt_id(u: Option<Uuid>) -> Option<String> {
    u.map(id)
}

/// Column value of an instant.
pub(super) fn ms(t: Instant) -> i64 {
    t.timestamp_millis()
}

pub(super) fn opt_ms(t: Option<Instant>) -> Option<i64> {
    t.map(ms)
}

/// Column value of a local date.
pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) const ORG_COLS: &str = "id, name, all_projects_available, screenshot_retention_days, members_create_projects, never_capture, screenshot_deletion";

pub(super) fn org(row: &Row<'_>) -> R<Organization> {
    Ok(Organization {
        id: uuid(row, 0)?,
        name: row.get(1)?,
        all_projects_available: row.get(2)?,
        screenshot_retention_days: row.get(3)?,
        members_create_projects: row.get(4)?,
        never_capture: row.get(5)?,
        screenshot_deletion: {
            let rule: String = row.get(6)?;
            ScreenshotDeletion::parse(&rule).map_err(|e| bad(6, e.0))?
        },
    })
}

pub(super) const USER_COLS: &str =
    "id, seq, org_id, email, name, password_hash, role, supervisor_id, timezone";

pub(super) fn user(row: &Row<'_>) -> R<User> {
    let role: String = row.get(6)?;
    Ok(User {
        id: uuid(row, 0)?,
        seq: row.get(1)?,
        org_id: uuid(row, 2)?,
        email: row.get(3)?,
        name: row.get(4)?,
        password_hash: row.get(5)?,
        role: Role::parse(&role).map_err(|e| bad(6, e.0))?,
        supervisor_id: opt_uuid(row, 7)?,
        timezone: row.get(8)?,
    })
}

pub(super) const PROJECT_COLS: &str = "id, seq, org_id, name, archived_at";

pub(super) fn project(row: &Row<'_>) -> R<Project> {
    Ok(Project {
        id: uuid(row, 0)?,
        seq: row.get(1)?,
        org_id: uuid(row, 2)?,
        name: row.get(3)?,
        archived_at: opt_instant(row, 4)?,
    })
}

/// Task columns; the last is the task's assignees as a comma-separated
/// list (a subquery), see [`task`].
pub(super) const TASK_COLS: &str = "t.id, t.seq, t.org_id, t.project_id, t.title, t.status, \
     t.estimate, t.created_at, t.updated_at, \
     (SELECT group_concat(a.user_id) FROM task_assignees a WHERE a.task_id = t.id)";

pub(super) fn task(row: &Row<'_>) -> R<Task> {
    let status: String = row.get(5)?;
    let assignees: Option<String> = row.get(9)?;
    let mut assignee_ids = assignees
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| Uuid::parse_str(s).map_err(|e| bad(9, format!("bad uuid '{s}': {e}"))))
        .collect::<R<Vec<Uuid>>>()?;
    assignee_ids.sort();
    Ok(Task {
        id: uuid(row, 0)?,
        seq: row.get(1)?,
        org_id: uuid(row, 2)?,
        project_id: uuid(row, 3)?,
        title: row.get(4)?,
        status: TaskStatus::parse(&status).map_err(|e| bad(5, e.0))?,
        estimate: row.get(6)?,
        assignee_ids,
        created_at: instant(row, 7)?,
        updated_at: instant(row, 8)?,
    })
}

pub(super) const LOG_COLS: &str = "id, seq, org_id, employee_id, project_id, task_id, \
     started_at, stopped_at, log_type, source, description, is_billable, version, \
     stopped_reason, created_at, updated_at";

pub(super) fn log(row: &Row<'_>) -> R<TimeLog> {
    let log_type: String = row.get(8)?;
    let source: String = row.get(9)?;
    Ok(TimeLog {
        id: uuid(row, 0)?,
        seq: row.get(1)?,
        org_id: uuid(row, 2)?,
        employee_id: uuid(row, 3)?,
        project_id: opt_uuid(row, 4)?,
        task_id: opt_uuid(row, 5)?,
        started_at: instant(row, 6)?,
        stopped_at: opt_instant(row, 7)?,
        log_type: LogType::parse(&log_type).map_err(|e| bad(8, e.0))?,
        source: LogSource::parse(&source).map_err(|e| bad(9, e.0))?,
        description: row.get(10)?,
        is_billable: row.get(11)?,
        version: row.get(12)?,
        stopped_reason: row.get(13)?,
        created_at: instant(row, 14)?,
        updated_at: instant(row, 15)?,
    })
}

pub(super) const TIMESHEET_COLS: &str = "id, seq, org_id, employee_id, start_date, end_date, \
     status, submitted_at, approved_at, approved_by, created_at, updated_at, rejection_reason";

pub(super) fn timesheet(row: &Row<'_>) -> R<Timesheet> {
    let status: String = row.get(6)?;
    Ok(Timesheet {
        id: uuid(row, 0)?,
        seq: row.get(1)?,
        org_id: uuid(row, 2)?,
        employee_id: uuid(row, 3)?,
        start_date: date(row, 4)?,
        end_date: date(row, 5)?,
        status: TimesheetStatus::from_storage(&status)
            .ok_or_else(|| bad(6, format!("unknown timesheet status '{status}'")))?,
        submitted_at: opt_instant(row, 7)?,
        approved_at: opt_instant(row, 8)?,
        approved_by: opt_uuid(row, 9)?,
        created_at: instant(row, 10)?,
        updated_at: instant(row, 11)?,
        rejection_reason: row.get(12)?,
    })
}

/// Slot columns; `seq` comes last because the model has no field for it
/// (the link table uses it), see [`slot`].
pub(super) const SLOT_COLS: &str = "id, org_id, employee_id, project_id, started_at, \
     duration, keyboard, mouse, overall, seq";

/// A slot row and its `seq`; `time_log_ids` is filled in by the caller.
pub(super) fn slot(row: &Row<'_>) -> R<(i64, TimeSlot)> {
    Ok((
        row.get(9)?,
        TimeSlot {
            id: uuid(row, 0)?,
            org_id: uuid(row, 1)?,
            employee_id: uuid(row, 2)?,
            project_id: opt_uuid(row, 3)?,
            started_at: instant(row, 4)?,
            duration: row.get(5)?,
            keyboard: row.get(6)?,
            mouse: row.get(7)?,
            overall: row.get(8)?,
            time_log_ids: Vec::new(),
        },
    ))
}

pub(super) const ACTIVITY_COLS: &str =
    "id, org_id, employee_id, time_slot_id, project_id, title, kind, recorded_at, duration";

pub(super) fn activity(row: &Row<'_>) -> R<Activity> {
    Ok(Activity {
        id: uuid(row, 0)?,
        org_id: uuid(row, 1)?,
        employee_id: uuid(row, 2)?,
        time_slot_id: opt_uuid(row, 3)?,
        project_id: opt_uuid(row, 4)?,
        title: row.get(5)?,
        kind: row.get(6)?,
        recorded_at: instant(row, 7)?,
        duration: row.get(8)?,
    })
}

pub(super) const SCREENSHOT_COLS: &str = "id, org_id, employee_id, time_slot_id, recorded_at, \
     width, height, size, sha256, file_key, thumb_key, content_type";

pub(super) fn screenshot(row: &Row<'_>) -> R<Screenshot> {
    Ok(Screenshot {
        id: uuid(row, 0)?,
        org_id: uuid(row, 1)?,
        employee_id: uuid(row, 2)?,
        time_slot_id: opt_uuid(row, 3)?,
        recorded_at: instant(row, 4)?,
        width: row.get(5)?,
        height: row.get(6)?,
        size: row.get(7)?,
        sha256: row.get(8)?,
        file_key: row.get(9)?,
        thumb_key: row.get(10)?,
        content_type: row.get(11)?,
    })
}

pub(super) const SESSION_COLS: &str =
    "id, user_id, refresh_hash, previous_hash, rotated_at, expires_at, revoked";

pub(super) fn session(row: &Row<'_>) -> R<Session> {
    Ok(Session {
        id: uuid(row, 0)?,
        user_id: uuid(row, 1)?,
        refresh_hash: row.get(2)?,
        previous_hash: row.get(3)?,
        rotated_at: opt_instant(row, 4)?,
        expires_at: instant(row, 5)?,
        revoked: row.get(6)?,
    })
}
