//! Time entries of a timesheet: add, update, delete. An entry is a time log
//! (MANUAL when added here), so the Gauzy dialect sees the same thing.

use std::str::FromStr;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use serde_json::{Value, json};
use stint_model::{LogSource, LogType, Project, TimeLog, Timesheet, User, Week, local_to_utc};
use stint_store::StoreError;

use super::dto::{IceResult, entry, to_local};
use super::schema::{Entry, EntryDeleted, EntryIn, IceError};
use super::sheets::visible;
use crate::auth::Caller;
use crate::error::AppError;
use crate::service::logs::{self, LogInput, LogPatch};
use crate::service::{WEEK_START, access, timesheets};
use crate::state::AppState;
use crate::wire::{Json, Path};

#[derive(Deserialize, Default)]
pub struct EntryBody {
    pub date: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// Integer project id, or null for none. Absent (`None`) keeps the
    /// project; an explicit null arrives as `Some(Value::Null)`.
    #[serde(default, deserialize_with = "present")]
    pub project: Option<Value>,
    pub details: Option<String>,
}

/// A field that is present, null included (serde maps a null `Option` to
/// `None`, which would read as "absent").
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn time(s: &str, field: &str) -> Result<NaiveTime, AppError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M"))
        .map_err(|_| AppError::bad_request(format!("{field} must be a time HH:MM:SS, got '{s}'")))
}

fn required<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, AppError> {
    v.as_deref()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| AppError::bad_request(format!("{field} is required")))
}

fn refuse_locked(sheet: &Timesheet) -> Result<(), AppError> {
    if sheet.status.is_locked() {
        return Err(AppError::bad_request(
            "this timesheet is approved: its entries can no longer be changed",
        ));
    }
    Ok(())
}

/// `project` as IceHrm sends it: absent (keep), null (none) or an integer id.
async fn project(
    st: &AppState,
    caller: &Caller,
    employee: &User,
    v: &Option<Value>,
) -> Result<Option<Option<Project>>, AppError> {
    let seq = match v {
        None => return Ok(None),
        Some(Value::Null) => return Ok(Some(None)),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => i64::from_str(s.trim()).ok(),
        Some(_) => None,
    };
    let seq = seq.ok_or_else(|| AppError::bad_request("project must be an integer project id"))?;
    let p = match st.store.project_by_seq(caller.org.id, seq).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => {
            return Err(AppError::bad_request(format!(
                "project {seq} does not exist"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    access::usable_project(st, caller, employee, p.id).await?;
    Ok(Some(Some(p)))
}

/// `[start, stop)` from a local date and two local times; the date must lie
/// in the sheet's week.
fn stretch(
    employee: &User,
    week: Week,
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
) -> Result<(stint_model::Instant, stint_model::Instant), AppError> {
    if !week.contains(date) {
        return Err(AppError::bad_request(format!(
            "date {date} is outside this timesheet ({} to {})",
            week.start,
            week.end()
        )));
    }
    if end <= start {
        return Err(AppError::bad_request("end_time must be after start_time"));
    }
    let tz = employee.tz();
    Ok((
        local_to_utc(date.and_time(start), tz),
        local_to_utc(date.and_time(end), tz),
    ))
}

async fn spell(
    st: &AppState,
    log: &TimeLog,
    sheet: &Timesheet,
    employee: &User,
) -> Result<Value, AppError> {
    let p = match log.project_id {
        Some(id) => Some(st.store.project(log.org_id, id).await?),
        None => None,
    };
    Ok(entry(log, sheet.seq, p.as_ref(), employee.tz()))
}

/// `POST /timesheets/{id}/entries`.
#[utoipa::path(post,
    path = "/timesheets/{id}/entries",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    request_body = EntryIn,
    responses((status = 201, description = "Created", body = Entry), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Conflicts with another time log", body = IceError)))]
pub async fn add(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<EntryBody>,
) -> IceResult<(StatusCode, Json<Value>)> {
    let v = visible(&st, &caller, &id).await?;
    let date = stint_model::parse_date(required(&b.date, "date")?, "date")?;
    let start = time(required(&b.start_time, "start_time")?, "start_time")?;
    let end = time(required(&b.end_time, "end_time")?, "end_time")?;
    refuse_locked(&v.sheet)?;
    let (started_at, stopped_at) = stretch(
        &v.employee,
        Week {
            start: v.sheet.start_date,
        },
        date,
        start,
        end,
    )?;
    let project = project(&st, &caller, &v.employee, &b.project)
        .await?
        .flatten();
    let input = LogInput {
        id: None,
        employee_id: Some(v.employee.id),
        project_id: project.map(|p| p.id),
        task_id: None,
        started_at,
        stopped_at: Some(stopped_at),
        log_type: LogType::Manual,
        source: LogSource::WebTimer,
        description: b.details.unwrap_or_default(),
        is_billable: true,
        version: 0,
    };
    let (log, _) = logs::create(&st, &caller, input, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(spell(&st, &log, &v.sheet, &v.employee).await?),
    ))
}

/// The entry with this integer id, its employee and its timesheet.
async fn load(
    st: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(TimeLog, User, Timesheet), AppError> {
    let seq: i64 = id.parse().map_err(|_| {
        AppError::bad_request(format!("entry id must be a whole number, got '{id}'"))
    })?;
    let log = st
        .store
        .log_by_seq(caller.org.id, seq)
        .await
        .map_err(AppError::naming("time entry"))?;
    let (log, employee) = logs::get(st, caller, log.id).await?;
    let week = Week::at(log.started_at, employee.tz(), WEEK_START);
    let (sheet, _) = timesheets::ensure_week(st, &employee, week).await?;
    Ok((log, employee, sheet))
}

/// `POST /timesheets/entries/{id}/update`: any subset of date, start_time,
/// end_time, project, details. The entry stays inside its timesheet's week;
/// without date or times its stretch is kept as it is (a log across
/// midnight, or a running one, can still get new details or a project).
#[utoipa::path(post,
    path = "/timesheets/entries/{id}/update",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The entry's integer id", example = 1)),
    request_body = EntryIn,
    responses((status = 200, body = Entry), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Conflicts with another time log", body = IceError)))]
pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<EntryBody>,
) -> IceResult<Json<Value>> {
    let (log, employee, sheet) = load(&st, &caller, &id).await?;
    refuse_locked(&sheet)?;
    refuse_locked_log(&st, &employee, &log).await?;
    let moved = b.date.is_some() || b.start_time.is_some() || b.end_time.is_some();
    let stretch = if moved {
        Some(new_stretch(&b, &log, &employee, &sheet)?)
    } else {
        None
    };
    let project = project(&st, &caller, &employee, &b.project).await?;
    let patch = LogPatch {
        project_id: project.map(|p| p.map(|p| p.id)),
        started_at: stretch.map(|(a, _)| a),
        stopped_at: stretch.map(|(_, b)| Some(b)),
        description: b.details,
        ..LogPatch::default()
    };
    let log = logs::update(&st, &caller, log.id, patch).await?;
    Ok(Json(spell(&st, &log, &sheet, &employee).await?))
}

/// The stretch an update asks for: the given date and times, the entry's
/// own for those left out.
fn new_stretch(
    b: &EntryBody,
    log: &TimeLog,
    employee: &User,
    sheet: &Timesheet,
) -> Result<(stint_model::Instant, stint_model::Instant), AppError> {
    let tz = employee.tz();
    let (old_start, old_end) = (
        to_local(log.started_at, tz),
        log.stopped_at.map(|t| to_local(t, tz)),
    );
    let date = match &b.date {
        Some(d) => stint_model::parse_date(d, "date")?,
        None => old_start.date(),
    };
    let start = match &b.start_time {
        Some(t) => time(t, "start_time")?,
        None => old_start.time(),
    };
    let end = match (&b.end_time, old_end) {
        (Some(t), _) => time(t, "end_time")?,
        (None, Some(e)) => e.time(),
        (None, None) => {
            return Err(AppError::bad_request("a running entry needs an end_time"));
        }
    };
    stretch(
        employee,
        Week {
            start: sheet.start_date,
        },
        date,
        start,
        end,
    )
}

/// An entry any part of which lies in an approved week is locked, even
/// when it starts in an open one (IceHrm answers 400 where Gauzy says 409).
async fn refuse_locked_log(st: &AppState, employee: &User, log: &TimeLog) -> Result<(), AppError> {
    logs::ensure_unlocked(st, employee, log.started_at, log.stopped_at)
        .await
        .map_err(|e| {
            if e.status == StatusCode::CONFLICT {
                AppError::bad_request(e.message)
            } else {
                e
            }
        })
}

/// `POST /timesheets/entries/{id}/delete`.
#[utoipa::path(post,
    path = "/timesheets/entries/{id}/delete",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The entry's integer id", example = 1)),
    responses((status = 200, body = EntryDeleted), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Conflicts with another time log", body = IceError)))]
pub async fn delete(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<Json<Value>> {
    let (log, employee, sheet) = load(&st, &caller, &id).await?;
    refuse_locked(&sheet)?;
    refuse_locked_log(&st, &employee, &log).await?;
    logs::delete(&st, &caller, log.id).await?;
    Ok(Json(
        json!({ "message": "Time entry deleted", "id": log.seq }),
    ))
}
