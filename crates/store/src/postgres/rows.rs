//! Rows to model types.
//!
//! Every column is read with `try_get`, and stored enum spellings are parsed
//! with the model's own parsers: a value this build does not understand (a
//! newer migration, a hand edit) becomes a `Backend` error for that call
//! instead of a panic that would take the server down. Columns are read by
//! name, so queries may `SELECT *` / `RETURNING *` (extra columns such as
//! `deleted_at` are simply not read).

use sqlx::Row;
use sqlx::postgres::PgRow;
use stint_model::{
    Activity, LogSource, LogType, Organization, Project, Role, Screenshot, ScreenshotDeletion,
    ScreenshotView, Task, TaskStatus, TimeLog, TimeSlot, Timesheet, TimesheetStatus, User,
    from_millis,
};

use super::db;
use crate::{Result, Session, StoreError};

/// Reads one column; a missing column or a type mismatch is a backend error.
fn get<'r, T>(row: &'r PgRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(col).map_err(db)
}

fn instant(row: &PgRow, col: &str) -> Result<stint_model::Instant> {
    Ok(from_millis(get::<i64>(row, col)?))
}

fn opt_instant(row: &PgRow, col: &str) -> Result<Option<stint_model::Instant>> {
    Ok(get::<Option<i64>>(row, col)?.map(from_millis))
}

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Backend(format!("stored {what} '{value}' is not understood"))
}

pub(super) fn org(row: &PgRow) -> Result<Organization> {
    Ok(Organization {
        id: get(row, "id")?,
        name: get(row, "name")?,
        all_projects_available: get(row, "all_projects_available")?,
        screenshot_retention_days: get::<Option<i32>>(row, "screenshot_retention_days")?
            .map(|d| d.max(0) as u32),
        members_create_projects: get(row, "members_create_projects")?,
        never_capture: get(row, "never_capture")?,
        screenshot_deletion: {
            let rule: String = get(row, "screenshot_deletion")?;
            ScreenshotDeletion::parse(&rule).map_err(|_| bad("screenshot deletion", &rule))?
        },
    })
}

pub(super) fn user(row: &PgRow) -> Result<User> {
    let role: String = get(row, "role")?;
    Ok(User {
        id: get(row, "id")?,
        seq: get(row, "seq")?,
        org_id: get(row, "org_id")?,
        email: get(row, "email")?,
        name: get(row, "name")?,
        password_hash: get(row, "password_hash")?,
        role: Role::parse(&role).map_err(|_| bad("role", &role))?,
        supervisor_id: get(row, "supervisor_id")?,
        timezone: get(row, "timezone")?,
    })
}

pub(super) fn project(row: &PgRow) -> Result<Project> {
    Ok(Project {
        id: get(row, "id")?,
        seq: get(row, "seq")?,
        org_id: get(row, "org_id")?,
        name: get(row, "name")?,
        archived_at: opt_instant(row, "archived_at")?,
    })
}

/// A task row with an `assignee_ids` array column (see `tasks.rs`).
pub(super) fn task(row: &PgRow) -> Result<Task> {
    let status: String = get(row, "status")?;
    let mut assignee_ids: Vec<uuid::Uuid> = get(row, "assignee_ids")?;
    assignee_ids.sort();
    Ok(Task {
        id: get(row, "id")?,
        seq: get(row, "seq")?,
        org_id: get(row, "org_id")?,
        project_id: get(row, "project_id")?,
        title: get(row, "title")?,
        status: TaskStatus::parse(&status).map_err(|_| bad("task status", &status))?,
        estimate: get(row, "estimate")?,
        assignee_ids,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
    })
}

pub(super) fn log(row: &PgRow) -> Result<TimeLog> {
    let log_type: String = get(row, "log_type")?;
    let source: String = get(row, "source")?;
    Ok(TimeLog {
        id: get(row, "id")?,
        seq: get(row, "seq")?,
        org_id: get(row, "org_id")?,
        employee_id: get(row, "employee_id")?,
        project_id: get(row, "project_id")?,
        task_id: get(row, "task_id")?,
        started_at: instant(row, "started_at")?,
        stopped_at: opt_instant(row, "stopped_at")?,
        log_type: LogType::parse(&log_type).map_err(|_| bad("log type", &log_type))?,
        source: LogSource::parse(&source).map_err(|_| bad("log source", &source))?,
        description: get(row, "description")?,
        is_billable: get(row, "is_billable")?,
        version: get(row, "version")?,
        stopped_reason: get(row, "stopped_reason")?,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
    })
}

pub(super) fn timesheet(row: &PgRow) -> Result<Timesheet> {
    let status: String = get(row, "status")?;
    Ok(Timesheet {
        id: get(row, "id")?,
        seq: get(row, "seq")?,
        org_id: get(row, "org_id")?,
        employee_id: get(row, "employee_id")?,
        start_date: get(row, "start_date")?,
        end_date: get(row, "end_date")?,
        status: TimesheetStatus::from_storage(&status)
            .ok_or_else(|| bad("timesheet status", &status))?,
        submitted_at: opt_instant(row, "submitted_at")?,
        approved_at: opt_instant(row, "approved_at")?,
        approved_by: get(row, "approved_by")?,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
        rejection_reason: get(row, "rejection_reason")?,
    })
}

pub(super) fn slot(row: &PgRow) -> Result<TimeSlot> {
    Ok(TimeSlot {
        id: get(row, "id")?,
        org_id: get(row, "org_id")?,
        employee_id: get(row, "employee_id")?,
        project_id: get(row, "project_id")?,
        started_at: instant(row, "started_at")?,
        duration: get(row, "duration")?,
        keyboard: get(row, "keyboard")?,
        mouse: get(row, "mouse")?,
        overall: get(row, "overall")?,
        time_log_ids: get(row, "time_log_ids")?,
    })
}

pub(super) fn activity(row: &PgRow) -> Result<Activity> {
    Ok(Activity {
        id: get(row, "id")?,
        org_id: get(row, "org_id")?,
        employee_id: get(row, "employee_id")?,
        time_slot_id: get(row, "time_slot_id")?,
        project_id: get(row, "project_id")?,
        title: get(row, "title")?,
        kind: get(row, "kind")?,
        recorded_at: instant(row, "recorded_at")?,
        duration: get(row, "duration")?,
    })
}

pub(super) fn screenshot(row: &PgRow) -> Result<Screenshot> {
    Ok(Screenshot {
        id: get(row, "id")?,
        org_id: get(row, "org_id")?,
        employee_id: get(row, "employee_id")?,
        time_slot_id: get(row, "time_slot_id")?,
        recorded_at: instant(row, "recorded_at")?,
        width: get(row, "width")?,
        height: get(row, "height")?,
        size: get(row, "size")?,
        sha256: get(row, "sha256")?,
        file_key: get(row, "file_key")?,
        thumb_key: get(row, "thumb_key")?,
        content_type: get(row, "content_type")?,
    })
}

pub(super) fn screenshot_view(row: &PgRow) -> Result<ScreenshotView> {
    Ok(ScreenshotView {
        id: get(row, "id")?,
        org_id: get(row, "org_id")?,
        screenshot_id: get(row, "screenshot_id")?,
        owner_id: get(row, "employee_id")?,
        viewer_id: get(row, "viewer_id")?,
        viewed_at: instant(row, "viewed_at")?,
        thumb: get(row, "thumb")?,
    })
}

pub(super) fn session(row: &PgRow) -> Result<Session> {
    Ok(Session {
        id: get(row, "id")?,
        user_id: get(row, "user_id")?,
        refresh_hash: get(row, "refresh_hash")?,
        previous_hash: get(row, "previous_hash")?,
        rotated_at: opt_instant(row, "rotated_at")?,
        expires_at: instant(row, "expires_at")?,
        revoked: get(row, "revoked")?,
    })
}

/// Decodes every row with `f`, stopping at the first that fails.
pub(super) fn all<T>(rows: &[PgRow], f: fn(&PgRow) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(f).collect()
}
