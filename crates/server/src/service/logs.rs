//! Time logs: create, change, delete, list, and the agent's idempotent sync.
//!
//! Every write checks, in this order: the caller may write for the employee,
//! the project is usable, the stretch is well formed, no week it touches is
//! approved (locked); then the store writes it atomically with the
//! no-overlap rule, and the weeks it touches get their timesheets.

use chrono::Utc;
use stint_model::{
    Instant, LogSource, LogType, TimeLog, Timesheet, TimesheetStatus, User, Week,
    validate_description, validate_interval,
};
use stint_store::{Filter, StoreError, TimesheetFilter};
use uuid::Uuid;

use super::client_ids::{self, IdKind};
use super::{WEEK_START, access, limits};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A whole log as a client describes it.
#[derive(Debug, Clone)]
pub struct LogInput {
    /// Client-chosen id (replays are no-ops); a new v7 id when absent.
    pub id: Option<Uuid>,
    pub employee_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    pub log_type: LogType,
    pub source: LogSource,
    pub description: String,
    pub is_billable: bool,
    pub version: i64,
}

/// The fields a change may touch; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct LogPatch {
    pub project_id: Option<Option<Uuid>>,
    pub task_id: Option<Option<Uuid>>,
    pub started_at: Option<Instant>,
    pub stopped_at: Option<Option<Instant>>,
    pub log_type: Option<LogType>,
    pub source: Option<LogSource>,
    pub description: Option<String>,
    pub is_billable: Option<bool>,
}

/// The longest stretch one log may cover.
pub const MAX_LOG_DAYS: i64 = 366;

/// An instant a client may report: between 1970 and 2100 (a year-0 or
/// year-99999 date is a client's mistake, not time worked).
pub fn check_instant(field: &str, t: Instant) -> AppResult<()> {
    let latest = chrono::DateTime::from_timestamp(4_102_444_800, 0).unwrap_or(Instant::MAX_UTC);
    if t < Instant::UNIX_EPOCH || t >= latest {
        return Err(AppError::bad_request(format!(
            "{field} must lie between 1970 and 2100, got {}",
            crate::wire::iso(t)
        )));
    }
    Ok(())
}

/// A well-formed stretch (stop after start) between 1970 and 2100 and at
/// most [`MAX_LOG_DAYS`] long: anything else is a client's mistake, and a
/// log over centuries would also make thousands of timesheets.
pub fn check_interval(start: Instant, stop: Option<Instant>) -> AppResult<()> {
    validate_interval(start, stop)?;
    check_instant("startedAt", start)?;
    if let Some(stop) = stop {
        check_instant("stoppedAt", stop)?;
    }
    if let Some(stop) = stop
        && stop - start > chrono::Duration::days(MAX_LOG_DAYS)
    {
        return Err(AppError::bad_request(format!(
            "a time log may cover at most {MAX_LOG_DAYS} days"
        )));
    }
    Ok(())
}

/// Refuses a change to time inside an approved week of `employee`.
pub async fn ensure_unlocked(
    state: &AppState,
    employee: &User,
    start: Instant,
    stop: Option<Instant>,
) -> AppResult<()> {
    let weeks = weeks_of(employee, start, stop);
    refuse_locked(&approved_sheets(state, employee, &weeks).await?, &weeks)
}

/// The weeks (in the employee's zone) that `[start, stop)` touches.
pub fn weeks_of(employee: &User, start: Instant, stop: Option<Instant>) -> Vec<Week> {
    Week::spanned(start, stop, Utc::now(), employee.tz(), WEEK_START)
}

/// The employee's approved sheets from the first of `weeks` to the last.
pub async fn approved_sheets(
    state: &AppState,
    employee: &User,
    weeks: &[Week],
) -> AppResult<Vec<Timesheet>> {
    let (Some(first), Some(last)) = (weeks.first(), weeks.last()) else {
        return Ok(Vec::new());
    };
    let filter = TimesheetFilter {
        org_id: employee.org_id,
        employee_ids: Some(vec![employee.id]),
        statuses: Some(vec![TimesheetStatus::Approved]),
        from: Some(first.start),
        to: Some(last.end()),
        ..TimesheetFilter::default()
    };
    Ok(state.store.list_timesheets(&filter).await?.0)
}

/// 409 when one of the `approved` sheets covers one of `weeks`: approved
/// time is locked.
pub fn refuse_locked(approved: &[Timesheet], weeks: &[Week]) -> AppResult<()> {
    let covers = |s: &&Timesheet| {
        weeks
            .iter()
            .any(|w| s.start_date <= w.end() && s.end_date >= w.start)
    };
    match approved.iter().find(covers) {
        Some(s) => Err(locked(s.start_date, s.end_date)),
        None => Ok(()),
    }
}

/// The refusal of a change to the week `[start, end]`, whose timesheet is
/// approved.
pub fn locked(start: chrono::NaiveDate, end: chrono::NaiveDate) -> AppError {
    AppError::conflict(format!(
        "the timesheet of the week {start} to {end} is approved and locked"
    ))
}

/// Makes sure every week the log touches has its timesheet.
pub async fn ensure_sheets(state: &AppState, employee: &User, log: &TimeLog) -> AppResult<()> {
    for w in weeks_of(employee, log.started_at, log.stopped_at) {
        super::timesheets::ensure_week(state, employee, w).await?;
    }
    Ok(())
}

/// Creates a log (or returns the stored one for a replayed id). With
/// `stop_running`, a running log of the employee is stopped at the new start.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: LogInput,
    stop_running: Option<String>,
) -> AppResult<(TimeLog, bool)> {
    let employee = access::employee_to_write(state, caller, input.employee_id).await?;
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    client_ids::claim(state, caller.org.id, IdKind::Log, employee.id, &[id]).await?;
    match state.store.log(caller.org.id, id).await {
        // The owner's replay: the claim says the id is theirs.
        Ok(stored) if stored.employee_id == employee.id => return Ok((stored, false)),
        Ok(_) => return Err(client_ids::taken(IdKind::Log, id)),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let input = LogInput {
        id: Some(id),
        ..input
    };
    check_input(&input)?;
    access::log_target(state, caller, &employee, input.project_id, input.task_id).await?;
    check_interval(input.started_at, input.stopped_at)?;
    ensure_unlocked(state, &employee, input.started_at, input.stopped_at).await?;
    let log = new_log(caller, &employee, input);
    let (log, created) = state.store.insert_log(log, stop_running).await?;
    if created {
        ensure_sheets(state, &employee, &log).await?;
    }
    Ok((log, created))
}

/// What a client may put in a log besides its times: a description of at
/// most [`stint_model::MAX_DESCRIPTION`] characters and a version that cannot
/// overflow.
pub fn check_input(input: &LogInput) -> AppResult<()> {
    validate_description(&input.description)?;
    limits::check_version(input.version)
}

/// The log `input` describes, as a new row of `employee`'s.
pub fn new_log(caller: &Caller, employee: &User, input: LogInput) -> TimeLog {
    let now = Utc::now();
    TimeLog {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        seq: 0,
        org_id: caller.org.id,
        employee_id: employee.id,
        project_id: input.project_id,
        task_id: input.task_id,
        started_at: input.started_at,
        stopped_at: input.stopped_at,
        log_type: input.log_type,
        source: input.source,
        description: input.description,
        is_billable: input.is_billable,
        version: input.version,
        stopped_reason: None,
        created_at: now,
        updated_at: now,
    }
}

/// A log the caller may see (404 for other organizations' and unknown ids,
/// 403 for a colleague's).
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(TimeLog, User)> {
    let log = state
        .store
        .log(caller.org.id, id)
        .await
        .map_err(AppError::naming("time log"))?;
    let employee = state.store.user(caller.org.id, log.employee_id).await?;
    if !access::may_see(caller, &employee) {
        return Err(AppError::forbidden(
            "this time log belongs to another employee",
        ));
    }
    Ok((log, employee))
}

/// A log the caller may change: the owner's or, for an admin, anyone's.
pub async fn writable(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(TimeLog, User)> {
    let (log, employee) = get(state, caller, id).await?;
    if !access::may_edit(caller, &employee) {
        return Err(AppError::forbidden(
            "only the employee or an admin may change their time",
        ));
    }
    Ok((log, employee))
}

/// Applies a change. The old and the new stretch must both be unlocked.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    patch: LogPatch,
) -> AppResult<TimeLog> {
    let (old, employee) = writable(state, caller, id).await?;
    let mut log = old.clone();
    log.project_id = patch.project_id.unwrap_or(log.project_id);
    log.task_id = patch.task_id.unwrap_or(log.task_id);
    // Only a change of project or task is checked: a log stays editable
    // (stopped, say) after its project is archived.
    if log.project_id != old.project_id
        && let Some(p) = log.project_id
    {
        access::open_project(state, caller, &employee, p).await?;
    }
    if (log.project_id, log.task_id) != (old.project_id, old.task_id)
        && let Some(t) = log.task_id
    {
        access::task_of_log(state, caller, log.project_id, t).await?;
    }
    log.started_at = patch.started_at.unwrap_or(log.started_at);
    log.stopped_at = patch.stopped_at.unwrap_or(log.stopped_at);
    log.log_type = patch.log_type.unwrap_or(log.log_type);
    log.source = patch.source.unwrap_or(log.source);
    if let Some(d) = &patch.description {
        validate_description(d)?;
    }
    log.description = patch.description.unwrap_or(log.description);
    log.is_billable = patch.is_billable.unwrap_or(log.is_billable);
    check_interval(log.started_at, log.stopped_at)?;
    ensure_unlocked(state, &employee, old.started_at, old.stopped_at).await?;
    ensure_unlocked(state, &employee, log.started_at, log.stopped_at).await?;
    log.version = old.version.checked_add(1).ok_or_else(|| {
        AppError::bad_request("this time log's version cannot grow further; create a new log")
    })?;
    log.updated_at = Utc::now();
    let log = state.store.update_log(log).await?;
    ensure_sheets(state, &employee, &log).await?;
    Ok(log)
}

pub async fn delete(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<TimeLog> {
    let (log, employee) = writable(state, caller, id).await?;
    ensure_unlocked(state, &employee, log.started_at, log.stopped_at).await?;
    state.store.delete_log(caller.org.id, id).await?;
    Ok(log)
}

/// Deletes several logs, all or nothing: every one is found, the caller's
/// to change and outside approved weeks before any is deleted.
pub async fn delete_many(state: &AppState, caller: &Caller, ids: &[Uuid]) -> AppResult<usize> {
    let mut checked = Vec::with_capacity(ids.len());
    for id in ids {
        let (log, employee) = writable(state, caller, *id).await?;
        ensure_unlocked(state, &employee, log.started_at, log.stopped_at).await?;
        checked.push(log.id);
    }
    for id in &checked {
        state.store.delete_log(caller.org.id, *id).await?;
    }
    Ok(checked.len())
}

/// What to list; empty vectors mean "no filter".
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub employee_ids: Vec<Uuid>,
    pub project_ids: Vec<Uuid>,
    pub from: Option<Instant>,
    pub to: Option<Instant>,
    /// Without explicit employees: only the caller's own logs.
    pub own_by_default: bool,
}

/// Logs the caller may see matching `q`, with the employees they belong to.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    q: &LogQuery,
) -> AppResult<(Vec<TimeLog>, Vec<User>)> {
    let employees =
        access::selected_employees(state, caller, &q.employee_ids, q.own_by_default).await?;
    if employees.is_empty() {
        return Ok((vec![], vec![]));
    }
    let filter = Filter {
        org_id: caller.org.id,
        employee_ids: Some(employees.keys().copied().collect()),
        project_ids: (!q.project_ids.is_empty()).then(|| q.project_ids.clone()),
        from: q.from,
        to: q.to,
    };
    let logs = state.store.list_logs(&filter).await?;
    Ok((logs, employees.into_values().collect()))
}
