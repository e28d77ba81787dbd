//! `/api/timesheet`: list weekly timesheets, submit or recall, approve, deny.

use axum::extract::State;
use serde::Deserialize;
use stint_model::{Timesheet, TimesheetStatus, Transition};
use utoipa::ToSchema;

use super::dto::{Page, TimesheetOut};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::timesheets::{self, SheetQuery};
use crate::state::AppState;
use crate::wire::{Json, Path, Query, parse_uuid};

#[utoipa::path(get, path = "/api/timesheet", tag = "timesheet",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query),
           ("employeeId" = Option<String>, Query), ("status" = Option<String>, Query)),
    responses((status = 200, body = Page<TimesheetOut>), (status = 400)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<TimesheetOut>>> {
    let date = |k: &str| {
        q.get(k)
            .map(|s| stint_model::parse_date(s.get(..10).unwrap_or(s), k))
            .transpose()
    };
    let statuses = q
        .all(&["status"])
        .into_iter()
        .map(TimesheetStatus::from_gauzy)
        .collect::<Result<Vec<_>, _>>()?;
    let query = SheetQuery {
        employee_ids: q.uuids(&["employeeId", "employeeIds"])?,
        statuses: (!statuses.is_empty()).then_some(statuses),
        from: date("startDate")?,
        to: date("endDate")?,
        ..SheetQuery::default()
    };
    let (views, total) = timesheets::list(&st, &caller, &query).await?;
    Ok(Json(Page {
        items: views.iter().map(TimesheetOut::from).collect(),
        total,
    }))
}

/// One timesheet (Gauzy's `GET /timesheet/:id`): its status, total and,
/// once denied, why — for the employee, their supervisor and admins.
#[utoipa::path(get, path = "/api/timesheet/{id}", tag = "timesheet",
    params(("id" = uuid::Uuid, Path, description = "The timesheet's id")),
    responses((status = 200, body = TimesheetOut), (status = 400), (status = 403, description = "A colleague's timesheet"), (status = 404)))]
pub async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<TimesheetOut>> {
    let id = parse_uuid(&id, "id")?;
    let sheet = st
        .store
        .timesheet(caller.org.id, id)
        .await
        .map_err(AppError::naming("timesheet"))?;
    let view = timesheets::get(&st, &caller, sheet).await?;
    Ok(Json(TimesheetOut::from(&view)))
}

#[derive(Deserialize, ToSchema)]
pub struct IdsBody {
    #[serde(default)]
    pub ids: Vec<String>,
    /// For submit: PENDING submits, DRAFT recalls.
    pub status: Option<String>,
    /// For deny, required: what the employee should fix (trimmed, at most
    /// 1,000 characters). Gauzy has no field for it; the sheets answer it
    /// as `rejectionReason` until they are submitted again.
    pub reason: Option<String>,
    #[serde(rename = "organizationId")]
    pub organization_id: Option<String>,
    #[serde(rename = "tenantId")]
    pub tenant_id: Option<String>,
}

async fn load(st: &AppState, caller: &Caller, ids: &[String]) -> AppResult<Vec<Timesheet>> {
    if ids.is_empty() {
        return Err(AppError::bad_request(
            "ids must name at least one timesheet",
        ));
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let id = parse_uuid(id, "ids")?;
        out.push(
            st.store
                .timesheet(caller.org.id, id)
                .await
                .map_err(AppError::naming("timesheet"))?,
        );
    }
    Ok(out)
}

async fn apply(
    st: AppState,
    caller: Caller,
    b: IdsBody,
    t: Transition,
) -> AppResult<Json<Vec<TimesheetOut>>> {
    caller.check_org(b.organization_id.as_deref(), "organizationId")?;
    caller.check_org(b.tenant_id.as_deref(), "tenantId")?;
    let sheets = load(&st, &caller, &b.ids).await?;
    let views = timesheets::transition(&st, &caller, sheets, t, b.reason.as_deref()).await?;
    Ok(Json(views.iter().map(TimesheetOut::from).collect()))
}

#[utoipa::path(put, path = "/api/timesheet/submit", tag = "timesheet", request_body = IdsBody,
    responses((status = 200, body = Vec<TimesheetOut>), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn submit(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<IdsBody>,
) -> AppResult<Json<Vec<TimesheetOut>>> {
    let t = match b.status.as_deref().unwrap_or("PENDING") {
        "PENDING" => Transition::Submit,
        "DRAFT" => Transition::Recall,
        other => {
            return Err(AppError::bad_request(format!(
                "status must be PENDING (submit) or DRAFT (recall), got '{other}'"
            )));
        }
    };
    apply(st, caller, b, t).await
}

#[utoipa::path(put, path = "/api/timesheet/approve", tag = "timesheet", request_body = IdsBody,
    responses((status = 200, body = Vec<TimesheetOut>), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<IdsBody>,
) -> AppResult<Json<Vec<TimesheetOut>>> {
    apply(st, caller, b, Transition::Approve).await
}

#[utoipa::path(put, path = "/api/timesheet/deny", tag = "timesheet", request_body = IdsBody,
    responses((status = 200, body = Vec<TimesheetOut>), (status = 400, description = "A missing, blank or too long reason"), (status = 403), (status = 404), (status = 409)))]
pub async fn deny(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<IdsBody>,
) -> AppResult<Json<Vec<TimesheetOut>>> {
    apply(st, caller, b, Transition::Reject).await
}
