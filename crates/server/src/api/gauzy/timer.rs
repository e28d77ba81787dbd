//! `/api/timesheet/timer/*`: start, stop, toggle and status, with exactly
//! the fields the Ever Gauzy desktop timer sends.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use stint_model::{LogSource, LogType};
use utoipa::ToSchema;

use super::dto::{TimeLogOut, opt_instant, opt_uuid};
use super::time_log::spell;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::timer::{self, TimerStart};
use crate::state::AppState;
use crate::wire::{Json, Query, parse_instant};

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct TimerBody {
    pub id: Option<String>,
    pub description: Option<String>,
    pub is_billable: Option<bool>,
    pub log_type: Option<String>,
    pub project_id: Option<String>,
    pub task_id: Option<String>,
    pub source: Option<String>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
    pub organization_contact_id: Option<String>,
    pub organization_team_id: Option<String>,
    pub is_running: Option<bool>,
    /// The client's app version; ignored.
    pub version: Option<Value>,
    pub started_at: Option<String>,
    pub stopped_at: Option<String>,
    pub manual_time_slot: Option<bool>,
}

impl TimerBody {
    /// `organizationId` and `tenantId`, when sent, name the caller's own.
    fn check_org(&self, caller: &Caller) -> AppResult<()> {
        caller.check_org(self.organization_id.as_deref(), "organizationId")?;
        caller.check_org(self.tenant_id.as_deref(), "tenantId")
    }

    fn start(self, caller: &Caller) -> AppResult<TimerStart> {
        self.check_org(caller)?;
        Ok(TimerStart {
            id: opt_uuid(&self.id, "id")?,
            project_id: opt_uuid(&self.project_id, "projectId")?,
            task_id: opt_uuid(&self.task_id, "taskId")?,
            description: self.description.unwrap_or_default(),
            is_billable: self.is_billable.unwrap_or(true),
            source: self
                .source
                .as_deref()
                .map(LogSource::parse)
                .transpose()?
                .unwrap_or(LogSource::Desktop),
            log_type: self
                .log_type
                .as_deref()
                .map(LogType::parse)
                .transpose()?
                .unwrap_or(LogType::Tracked),
            started_at: opt_instant(&self.started_at, "startedAt", &caller.user)?,
        })
    }
}

async fn answer(
    st: &AppState,
    caller: &Caller,
    log: stint_model::TimeLog,
) -> AppResult<(StatusCode, Json<TimeLogOut>)> {
    let out = spell(
        st,
        std::slice::from_ref(&log),
        std::slice::from_ref(&caller.user),
    )
    .await?
    .remove(0);
    Ok((StatusCode::CREATED, Json(out)))
}

/// Starts a timer; one already running (on any device) stops at the new start.
#[utoipa::path(post, path = "/api/timesheet/timer/start", tag = "timer", request_body = TimerBody,
    responses((status = 201, body = TimeLogOut), (status = 400), (status = 403), (status = 404, description = "No such project"), (status = 409)))]
pub async fn start(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimerBody>,
) -> AppResult<(StatusCode, Json<TimeLogOut>)> {
    let log = timer::start(&st, &caller, b.start(&caller)?).await?;
    answer(&st, &caller, log).await
}

/// Stops the running timer at `stoppedAt` (now by default; may be in the
/// past, which is how idle time is cut off). Nothing running: 406.
#[utoipa::path(post, path = "/api/timesheet/timer/stop", tag = "timer", request_body = TimerBody,
    responses((status = 201, body = TimeLogOut), (status = 400), (status = 403, description = "Another organization's id"), (status = 406)))]
pub async fn stop(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimerBody>,
) -> AppResult<(StatusCode, Json<TimeLogOut>)> {
    b.check_org(&caller)?;
    let at = opt_instant(&b.stopped_at, "stoppedAt", &caller.user)?;
    let log = timer::stop(&st, &caller, at).await?;
    answer(&st, &caller, log).await
}

#[utoipa::path(post, path = "/api/timesheet/timer/toggle", tag = "timer", request_body = TimerBody,
    responses((status = 201, body = TimeLogOut), (status = 400), (status = 403), (status = 404, description = "No such project"), (status = 409)))]
pub async fn toggle(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimerBody>,
) -> AppResult<(StatusCode, Json<TimeLogOut>)> {
    b.check_org(&caller)?;
    let running = st.store.running_log(caller.org.id, caller.id()).await?;
    let log = match running {
        Some(_) => {
            let at = opt_instant(&b.stopped_at, "stoppedAt", &caller.user)?;
            timer::stop(&st, &caller, at).await?
        }
        None => timer::start(&st, &caller, b.start(&caller)?).await?,
    };
    answer(&st, &caller, log).await
}

/// `{duration, running, lastLog}`: today's counted seconds (or those between
/// `todayStart` and `todayEnd`, UTC), whether a timer runs, the latest log.
#[utoipa::path(get, path = "/api/timesheet/timer/status", tag = "timer",
    params(("todayStart" = Option<String>, Query), ("todayEnd" = Option<String>, Query)),
    responses((status = 200), (status = 401)))]
pub async fn status(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Value>> {
    let utc = chrono_tz::UTC;
    let day = match (q.get("todayStart"), q.get("todayEnd")) {
        (Some(a), Some(b)) => Some((
            parse_instant(a, "todayStart", utc)?,
            parse_instant(b, "todayEnd", utc)?,
        )),
        (None, None) => None,
        _ => return Err(AppError::bad_request("todayStart and todayEnd go together")),
    };
    let s = timer::status(&st, &caller, day).await?;
    let last = match &s.last_log {
        Some(l) => Some(
            spell(
                &st,
                std::slice::from_ref(l),
                std::slice::from_ref(&caller.user),
            )
            .await?
            .remove(0),
        ),
        None => None,
    };
    Ok(Json(
        json!({ "duration": s.duration, "running": s.running.is_some(), "lastLog": last }),
    ))
}
