//! `/api/timesheet/time-log`: list, create, update, delete, and the agent's
//! idempotent bulk sync.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use stint_model::{LogSource, LogType};
use utoipa::ToSchema;

use super::dto::{Page, TimeLogOut, opt_instant, opt_uuid};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::logs::{self, LogInput, LogPatch, LogQuery};
use crate::service::sync::{self, SyncOutcome};
use crate::service::timesheets;
use crate::state::AppState;
use crate::wire::{Json, Path, Query, parse_range_end, parse_uuid};

/// A time log as Gauzy clients send it. Ids may be null; unknown fields are
/// ignored.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct TimeLogIn {
    /// Client id (UUID); a replay with the same id creates nothing.
    pub id: Option<String>,
    pub employee_id: Option<String>,
    pub project_id: Option<String>,
    pub task_id: Option<String>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
    pub started_at: Option<String>,
    pub stopped_at: Option<String>,
    pub log_type: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub is_billable: Option<bool>,
    /// The agent's change counter (the sync applies only newer versions).
    /// Gauzy clients send their app version string here; it is ignored.
    pub version: Option<Value>,
}

impl TimeLogIn {
    fn check_org(&self, caller: &Caller) -> AppResult<()> {
        caller.check_org(self.organization_id.as_deref(), "organizationId")?;
        caller.check_org(self.tenant_id.as_deref(), "tenantId")
    }

    /// A complete log; `default_type` when the client names none.
    pub fn into_input(self, caller: &Caller, default_type: LogType) -> AppResult<LogInput> {
        self.check_org(caller)?;
        let started_at = opt_instant(&self.started_at, "startedAt", &caller.user)?
            .ok_or_else(|| AppError::bad_request("startedAt is required"))?;
        Ok(LogInput {
            id: opt_uuid(&self.id, "id")?,
            employee_id: opt_uuid(&self.employee_id, "employeeId")?,
            project_id: opt_uuid(&self.project_id, "projectId")?,
            task_id: opt_uuid(&self.task_id, "taskId")?,
            started_at,
            stopped_at: opt_instant(&self.stopped_at, "stoppedAt", &caller.user)?,
            log_type: self
                .log_type
                .as_deref()
                .map(LogType::parse)
                .transpose()?
                .unwrap_or(default_type),
            source: self
                .source
                .as_deref()
                .map(LogSource::parse)
                .transpose()?
                .unwrap_or(LogSource::WebTimer),
            description: self.description.unwrap_or_default(),
            is_billable: self.is_billable.unwrap_or(true),
            version: self.version.as_ref().and_then(Value::as_i64).unwrap_or(0),
        })
    }

    fn into_patch(self, caller: &Caller) -> AppResult<LogPatch> {
        self.check_org(caller)?;
        Ok(LogPatch {
            project_id: self
                .project_id
                .as_ref()
                .map(|_| opt_uuid(&self.project_id, "projectId"))
                .transpose()?,
            task_id: self
                .task_id
                .as_ref()
                .map(|_| opt_uuid(&self.task_id, "taskId"))
                .transpose()?,
            started_at: opt_instant(&self.started_at, "startedAt", &caller.user)?,
            stopped_at: opt_instant(&self.stopped_at, "stoppedAt", &caller.user)?.map(Some),
            log_type: self.log_type.as_deref().map(LogType::parse).transpose()?,
            source: self.source.as_deref().map(LogSource::parse).transpose()?,
            description: self.description,
            is_billable: self.is_billable,
        })
    }
}

/// Spells logs with the timesheet each belongs to.
pub async fn spell(
    st: &AppState,
    logs: &[stint_model::TimeLog],
    employees: &[stint_model::User],
) -> AppResult<Vec<TimeLogOut>> {
    let sheets = timesheets::sheet_ids(st, logs, employees).await?;
    Ok(TimeLogOut::many(logs, &sheets))
}

async fn spell_one(
    st: &AppState,
    caller: &Caller,
    log: &stint_model::TimeLog,
) -> AppResult<TimeLogOut> {
    let employee = st.store.user(caller.org.id, log.employee_id).await?;
    Ok(spell(st, std::slice::from_ref(log), &[employee])
        .await?
        .remove(0))
}

/// Range and employee filters shared by the Gauzy list endpoints.
pub fn log_query(q: &Query, caller: &Caller) -> AppResult<LogQuery> {
    let tz = caller.user.tz();
    Ok(LogQuery {
        employee_ids: q.uuids(&["employeeId", "employeeIds"])?,
        project_ids: q.uuids(&["projectId", "projectIds"])?,
        from: q
            .get("startDate")
            .map(|s| crate::wire::parse_instant(s, "startDate", tz))
            .transpose()?,
        to: q
            .get("endDate")
            .map(|s| parse_range_end(s, "endDate", tz))
            .transpose()?,
        own_by_default: false,
    })
}

#[utoipa::path(get, path = "/api/timesheet/time-log", tag = "time-log",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query),
           ("employeeId" = Option<String>, Query), ("projectId" = Option<String>, Query)),
    responses((status = 200, body = Page<TimeLogOut>), (status = 400), (status = 401)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<TimeLogOut>>> {
    let (logs, employees) = logs::list(&st, &caller, &log_query(&q, &caller)?).await?;
    Ok(Json(Page::of(spell(&st, &logs, &employees).await?)))
}

/// The desktop timer lists its logs with a trailing slash: the same list.
#[utoipa::path(get, path = "/api/timesheet/time-log/", tag = "time-log",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query),
           ("employeeId" = Option<String>, Query), ("projectId" = Option<String>, Query)),
    responses((status = 200, body = Page<TimeLogOut>), (status = 400), (status = 401)))]
pub async fn list_slash(
    st: State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<TimeLogOut>>> {
    list(st, caller, q).await
}

#[utoipa::path(post, path = "/api/timesheet/time-log", tag = "time-log", request_body = TimeLogIn,
    responses((status = 201, body = TimeLogOut), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimeLogIn>,
) -> AppResult<(StatusCode, Json<TimeLogOut>)> {
    let input = b.into_input(&caller, LogType::Manual)?;
    let (log, _) = logs::create(&st, &caller, input, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(spell_one(&st, &caller, &log).await?),
    ))
}

#[utoipa::path(get, path = "/api/timesheet/time-log/{id}", tag = "time-log",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TimeLogOut), (status = 403), (status = 404)))]
pub async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<TimeLogOut>> {
    let (log, employee) = logs::get(&st, &caller, parse_uuid(&id, "id")?).await?;
    Ok(Json(spell(&st, &[log], &[employee]).await?.remove(0)))
}

#[utoipa::path(put, path = "/api/timesheet/time-log/{id}", tag = "time-log", request_body = TimeLogIn,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TimeLogOut), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<TimeLogIn>,
) -> AppResult<Json<TimeLogOut>> {
    let id = parse_uuid(&id, "id")?;
    let log = logs::update(&st, &caller, id, b.into_patch(&caller)?).await?;
    Ok(Json(spell_one(&st, &caller, &log).await?))
}

/// The desktop timer's offline queue sends `PUT /api/timesheet/time-log`
/// with the id in the body: an upsert.
#[utoipa::path(put, path = "/api/timesheet/time-log", tag = "time-log", request_body = TimeLogIn,
    responses((status = 200, body = TimeLogOut), (status = 400), (status = 403), (status = 404, description = "No such project or task"), (status = 409)))]
pub async fn upsert(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimeLogIn>,
) -> AppResult<Json<TimeLogOut>> {
    let id = opt_uuid(&b.id, "id")?;
    let existing = match id {
        Some(id) => match logs::get(&st, &caller, id).await {
            Ok(found) => Some(found),
            // Unknown in the caller's organization: a new log with this id.
            Err(e) if e.status == StatusCode::NOT_FOUND => None,
            // A colleague's log is not the caller's to see or change (403),
            // not a new log that clashes with it.
            Err(e) => return Err(e),
        },
        None => None,
    };
    let log = match existing {
        Some((l, _)) => logs::update(&st, &caller, l.id, b.into_patch(&caller)?).await?,
        None => {
            logs::create(&st, &caller, b.into_input(&caller, LogType::Tracked)?, None)
                .await?
                .0
        }
    };
    Ok(Json(spell_one(&st, &caller, &log).await?))
}

/// The desktop timer's clean-up: `DELETE /api/timesheet/time-log?logIds[0]=..`
/// deletes several logs, all or nothing.
#[utoipa::path(delete, path = "/api/timesheet/time-log", tag = "time-log",
    params(("logIds" = Vec<String>, Query)),
    responses((status = 200), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn delete_many(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Value>> {
    let ids = q.uuids(&["logIds", "ids"])?;
    if ids.is_empty() {
        return Err(AppError::bad_request(
            "logIds must name at least one time log",
        ));
    }
    let affected = logs::delete_many(&st, &caller, &ids).await?;
    Ok(Json(json!({ "affected": affected })))
}

#[utoipa::path(delete, path = "/api/timesheet/time-log/{id}", tag = "time-log",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200), (status = 403), (status = 404), (status = 409)))]
pub async fn delete(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let log = logs::delete(&st, &caller, parse_uuid(&id, "id")?).await?;
    Ok(Json(
        json!({ "id": log.id, "deleted": true, "affected": 1 }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncBody {
    #[serde(default)]
    pub time_logs: Vec<TimeLogIn>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    pub time_logs: Vec<SyncOutcome>,
}

/// Most logs one sync request may carry.
pub const MAX_BATCH: usize = 5000;

/// Stint's own idempotent upsert, keyed by client ids: new ids are created,
/// higher versions replace, everything else is unchanged. Each log gets its
/// own outcome; one rejected log never blocks the others.
#[utoipa::path(post, path = "/api/timesheet/time-log/sync", tag = "time-log", request_body = SyncBody,
    responses((status = 200, body = SyncResult), (status = 400), (status = 401), (status = 403, description = "Another organization's id")))]
pub async fn sync(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<SyncBody>,
) -> AppResult<Json<SyncResult>> {
    caller.check_org(b.organization_id.as_deref(), "organizationId")?;
    caller.check_org(b.tenant_id.as_deref(), "tenantId")?;
    if b.time_logs.len() > MAX_BATCH {
        return Err(AppError::bad_request(format!(
            "a sync batch holds at most {MAX_BATCH} logs"
        )));
    }
    let mut inputs = Vec::with_capacity(b.time_logs.len());
    // Per position: a log that could not even be read fails here; the
    // others are decided by the service. Outcomes keep the batch's order.
    let mut parsed = Vec::with_capacity(b.time_logs.len());
    for l in b.time_logs {
        if l.id.as_deref().is_none_or(str::is_empty) {
            return Err(AppError::bad_request(
                "every synced log needs its client id",
            ));
        }
        let id = opt_uuid(&l.id, "id")?.unwrap_or_default();
        match l.into_input(&caller, LogType::Tracked) {
            Ok(i) => {
                inputs.push(i);
                parsed.push(None);
            }
            Err(e) => parsed.push(Some(sync::failed(id, e))),
        }
    }
    let mut decided = sync::apply_batch(&st, &caller, inputs).await.into_iter();
    let out = parsed
        .into_iter()
        .filter_map(|p| p.or_else(|| decided.next()))
        .collect::<Vec<_>>();
    crate::metrics::sync_outcomes(out.iter().map(|o| o.status));
    Ok(Json(SyncResult { time_logs: out }))
}
