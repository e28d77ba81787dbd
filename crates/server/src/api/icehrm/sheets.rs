//! `/timesheets`: my timesheets, create current/previous/next, details,
//! submit, approve, reject, and the supervisor's direct-reports views.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use stint_model::{Timesheet, TimesheetStatus, Transition, User, Week};

use super::dto::{IceResult, Paging, entry, sheet_full, sheet_row, sheet_short};
use super::schema::{
    IceError, ProjectList, RejectIn, SheetChanged, SheetCreated, SheetDetails, SheetPage,
};
use crate::auth::Caller;
use crate::error::AppError;
use crate::service::timesheets::{self, SheetQuery, SheetView};
use crate::service::{WEEK_START, access};
use crate::state::AppState;
use crate::wire::{Json, Path, Query};

/// A timesheet by its integer id, if the caller may see it (another
/// organization's: 404).
pub async fn visible(st: &AppState, caller: &Caller, id: &str) -> Result<SheetView, AppError> {
    let seq: i64 = id.parse().map_err(|_| {
        AppError::bad_request(format!("timesheet id must be a whole number, got '{id}'"))
    })?;
    let sheet = st
        .store
        .timesheet_by_seq(caller.org.id, seq)
        .await
        .map_err(AppError::naming("timesheet"))?;
    timesheets::get(st, caller, sheet).await
}

fn statuses(q: &Query) -> Result<Option<Vec<TimesheetStatus>>, AppError> {
    q.get("status")
        .map(|s| {
            TimesheetStatus::from_icehrm(s)
                .map(<[_]>::to_vec)
                .map_err(AppError::from)
        })
        .transpose()
}

/// `GET /timesheets`: the caller's own timesheets.
#[utoipa::path(get,
    path = "/timesheets",
    tag = "icehrm",
    params(("status" = Option<String>, Query, description = "Pending, Submitted, Approved or Rejected"), ("limit" = Option<i64>, Query, description = "1 to 1000, default 50"), ("page" = Option<i64>, Query, description = "From 1")),
    responses((status = 200, body = SheetPage), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError)))]
pub async fn mine(State(st): State<AppState>, caller: Caller, q: Query) -> IceResult<Json<Value>> {
    let paging = Paging::from(&q)?;
    let query = SheetQuery {
        employee_ids: vec![caller.id()],
        statuses: statuses(&q)?,
        limit: Some(paging.limit),
        offset: paging.offset(),
        own_by_default: true,
        ..SheetQuery::default()
    };
    let (views, total) = timesheets::list(&st, &caller, &query).await?;
    Ok(Json(paging.envelope(
        views.iter().map(|v| sheet_row(v, false)).collect(),
        total,
    )))
}

async fn create_week(
    st: &AppState,
    employee: User,
    week: Week,
) -> IceResult<(StatusCode, Json<Value>)> {
    let (sheet, created) = timesheets::ensure_week(st, &employee, week).await?;
    let view = timesheets::view(st, sheet, employee).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({ "timesheet": sheet_full(&view), "created": created })),
    ))
}

/// `POST /timesheets/create-current`: this week in the caller's time zone.
#[utoipa::path(post,
    path = "/timesheets/create-current",
    tag = "icehrm",
    responses((status = 201, description = "Created", body = SheetCreated), (status = 200, description = "Already there", body = SheetCreated), (status = 401, description = "Not signed in", body = IceError)))]
pub async fn create_current(
    State(st): State<AppState>,
    caller: Caller,
) -> IceResult<(StatusCode, Json<Value>)> {
    let week = Week::at(chrono::Utc::now(), caller.user.tz(), WEEK_START);
    create_week(&st, caller.user.clone(), week).await
}

async fn create_beside(
    st: AppState,
    caller: Caller,
    id: String,
    next: bool,
) -> IceResult<(StatusCode, Json<Value>)> {
    let v = visible(&st, &caller, &id).await?;
    if v.employee.id != caller.id() && !caller.is_admin() {
        return Err(AppError::forbidden(
            "only the owner or an admin may create timesheets for this employee",
        )
        .into());
    }
    let week = Week {
        start: v.sheet.start_date,
    };
    create_week(
        &st,
        v.employee,
        if next { week.next() } else { week.previous() },
    )
    .await
}

#[utoipa::path(post,
    path = "/timesheets/{id}/create-previous",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    responses((status = 201, description = "Created", body = SheetCreated), (status = 200, description = "Already there", body = SheetCreated), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError)))]
pub async fn create_previous(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<(StatusCode, Json<Value>)> {
    create_beside(st, caller, id, false).await
}

#[utoipa::path(post,
    path = "/timesheets/{id}/create-next",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    responses((status = 201, description = "Created", body = SheetCreated), (status = 200, description = "Already there", body = SheetCreated), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError)))]
pub async fn create_next(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<(StatusCode, Json<Value>)> {
    create_beside(st, caller, id, true).await
}

/// `GET /timesheets/{id}`: the sheet, its entries (IDLE time is not an
/// entry: it does not count), and its employee.
#[utoipa::path(get,
    path = "/timesheets/{id}",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    responses((status = 200, body = SheetDetails), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError)))]
pub async fn details(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<Json<Value>> {
    let v = visible(&st, &caller, &id).await?;
    let projects: HashMap<_, _> = st
        .store
        .list_projects(caller.org.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let tz = v.employee.tz();
    let entries: Vec<Value> = v
        .logs
        .iter()
        .filter(|l| l.log_type.counts())
        .map(|l| {
            entry(
                l,
                v.sheet.seq,
                l.project_id.and_then(|p| projects.get(&p)),
                tz,
            )
        })
        .collect();
    Ok(Json(json!({
        "timesheet": sheet_full(&v),
        "entries": entries,
        "employee": { "id": v.employee.seq, "name": v.employee.name },
    })))
}

async fn change(
    st: AppState,
    caller: Caller,
    id: String,
    t: Transition,
    reason: Option<&str>,
    message: &str,
) -> IceResult<Json<Value>> {
    let v = visible(&st, &caller, &id).await?;
    let sheets: Vec<Timesheet> = vec![v.sheet];
    let out = timesheets::transition(&st, &caller, sheets, t, reason).await?;
    let v = out
        .first()
        .ok_or_else(|| AppError::not_found("timesheet"))?;
    let message = if v.sheet.status == TimesheetStatus::Approved {
        "Timesheet Approved"
    } else {
        message
    };
    Ok(Json(
        json!({ "message": message, "timesheet": sheet_short(v) }),
    ))
}

#[utoipa::path(post,
    path = "/timesheets/{id}/submit",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    responses((status = 200, body = SheetChanged), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Not in a state that allows it", body = IceError)))]
pub async fn submit(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<Json<Value>> {
    change(
        st,
        caller,
        id,
        Transition::Submit,
        None,
        "Timesheet Submitted",
    )
    .await
}

#[utoipa::path(post,
    path = "/timesheets/{id}/approve",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    responses((status = 200, body = SheetChanged), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Not in a state that allows it", body = IceError)))]
pub async fn approve(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> IceResult<Json<Value>> {
    change(
        st,
        caller,
        id,
        Transition::Approve,
        None,
        "Timesheet Approved",
    )
    .await
}

/// The body of a rejection: `{"reason": "..."}`, required.
#[derive(serde::Deserialize)]
pub struct RejectBody {
    pub reason: Option<String>,
}

/// `POST /timesheets/{id}/reject` with `{reason}`: the employee reads it in
/// the sheet until they submit the week again.
#[utoipa::path(post,
    path = "/timesheets/{id}/reject",
    tag = "icehrm",
    params(("id" = i64, Path, description = "The timesheet's integer id", example = 1)),
    request_body = RejectIn,
    responses((status = 200, body = SheetChanged), (status = 400, description = "Bad input (a missing, blank or too long reason)", body = IceError), (status = 401, description = "Not signed in", body = IceError), (status = 403, description = "Not allowed", body = IceError), (status = 404, description = "No such object in this organization", body = IceError), (status = 409, description = "Not in a state that allows it", body = IceError)))]
pub async fn reject(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<RejectBody>,
) -> IceResult<Json<Value>> {
    let reason = b.reason.as_deref();
    change(
        st,
        caller,
        id,
        Transition::Reject,
        reason,
        "Timesheet Rejected",
    )
    .await
}

/// The caller's direct reports (an admin: everyone else in the
/// organization), optionally those whose name contains `employee_name`.
async fn reports(
    st: &AppState,
    caller: &Caller,
    name: Option<&str>,
) -> Result<Vec<uuid::Uuid>, AppError> {
    let name = name.map(str::to_lowercase);
    let users = st.store.list_users(caller.org.id).await?;
    Ok(users
        .into_iter()
        .filter(|u| u.id != caller.id() && access::may_approve(caller, u))
        .filter(|u| {
            name.as_ref()
                .is_none_or(|n| u.name.to_lowercase().contains(n))
        })
        .map(|u| u.id)
        .collect())
}

async fn list_reports(
    st: AppState,
    caller: Caller,
    q: Query,
    statuses: Option<Vec<TimesheetStatus>>,
) -> IceResult<Json<Value>> {
    let paging = Paging::from(&q)?;
    let ids = reports(&st, &caller, q.get("employee_name")).await?;
    if ids.is_empty() {
        return Ok(Json(paging.envelope(Vec::<Value>::new(), 0)));
    }
    let query = SheetQuery {
        employee_ids: ids,
        statuses,
        limit: Some(paging.limit),
        offset: paging.offset(),
        exclude_own: true,
        ..SheetQuery::default()
    };
    let (views, total) = timesheets::list(&st, &caller, &query).await?;
    Ok(Json(paging.envelope(
        views.iter().map(|v| sheet_row(v, true)).collect(),
        total,
    )))
}

/// `GET /timesheets/direct-reports?status&limit&page&employee_name`.
#[utoipa::path(get,
    path = "/timesheets/direct-reports",
    tag = "icehrm",
    params(("status" = Option<String>, Query, description = "Pending, Submitted, Approved or Rejected"), ("limit" = Option<i64>, Query, description = "1 to 1000, default 50"), ("page" = Option<i64>, Query, description = "From 1"), ("employee_name" = Option<String>, Query, description = "Part of the employee's name")),
    responses((status = 200, body = SheetPage), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError)))]
pub async fn direct_reports(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> IceResult<Json<Value>> {
    let s = statuses(&q)?;
    list_reports(st, caller, q, s).await
}

/// `GET /timesheets/direct-reports/pending`: submitted, awaiting a decision.
#[utoipa::path(get,
    path = "/timesheets/direct-reports/pending",
    tag = "icehrm",
    params(("limit" = Option<i64>, Query, description = "1 to 1000, default 50"), ("page" = Option<i64>, Query, description = "From 1"), ("employee_name" = Option<String>, Query, description = "Part of the employee's name")),
    responses((status = 200, body = SheetPage), (status = 400, description = "Bad input", body = IceError), (status = 401, description = "Not signed in", body = IceError)))]
pub async fn pending(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> IceResult<Json<Value>> {
    let s = Some(vec![TimesheetStatus::Submitted, TimesheetStatus::InReview]);
    list_reports(st, caller, q, s).await
}

/// `GET /timesheets/projects`: what the caller may log time on.
#[utoipa::path(get,
    path = "/timesheets/projects",
    tag = "icehrm",
    responses((status = 200, body = ProjectList), (status = 401, description = "Not signed in", body = IceError)))]
pub async fn projects(State(st): State<AppState>, caller: Caller) -> IceResult<Json<Value>> {
    let ps = access::usable_projects(&st, &caller).await?;
    let data: Vec<Value> = ps
        .iter()
        .map(|p| json!({ "id": p.seq, "name": p.name }))
        .collect();
    Ok(Json(json!({ "data": data, "total": data.len() })))
}
