//! `/api/timesheet/time-slot` and `/api/timesheet/activity`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::{ActivityOut, Page, ScreenshotOut, TimeSlotOut, opt_instant, opt_uuid};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::service::slots::{self, ActivityInput, SlotInput};
use crate::state::AppState;
use crate::wire::{Json, OneOrMany, Path, Query, parse_instant, parse_range_end, parse_uuid};

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ActivityIn {
    pub id: Option<String>,
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD` and `HH:mm:ss` (UTC), as the desktop timer sends them.
    pub date: Option<String>,
    pub time: Option<String>,
    pub recorded_at: Option<String>,
    #[serde(default)]
    pub duration: i64,
    /// APP or URL.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub project_id: Option<String>,
    pub time_slot_id: Option<String>,
    pub employee_id: Option<String>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

impl ActivityIn {
    fn into_input(
        self,
        caller: &Caller,
        default_at: Option<stint_model::Instant>,
    ) -> AppResult<ActivityInput> {
        caller.check_org(self.organization_id.as_deref(), "organizationId")?;
        caller.check_org(self.tenant_id.as_deref(), "tenantId")?;
        let utc = chrono_tz::UTC;
        let at = match (&self.recorded_at, &self.date, &self.time) {
            (Some(r), _, _) => Some(parse_instant(r, "recordedAt", utc)?),
            (None, Some(d), Some(t)) => Some(parse_instant(&format!("{d} {t}"), "date/time", utc)?),
            (None, Some(d), None) => Some(parse_instant(d, "date", utc)?),
            _ => default_at,
        };
        Ok(ActivityInput {
            id: opt_uuid(&self.id, "id")?,
            title: self.title,
            kind: self.kind.unwrap_or_else(|| "APP".into()),
            recorded_at: at.ok_or_else(|| AppError::bad_request("activity date is required"))?,
            duration: self.duration,
            project_id: opt_uuid(&self.project_id, "projectId")?,
            time_slot_id: opt_uuid(&self.time_slot_id, "timeSlotId")?,
            employee_id: opt_uuid(&self.employee_id, "employeeId")?,
        })
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct TimeSlotIn {
    /// Client id of this report; a replay changes nothing.
    pub id: Option<String>,
    pub employee_id: Option<String>,
    pub project_id: Option<String>,
    #[serde(default)]
    pub duration: i64,
    #[serde(default)]
    pub keyboard: i64,
    #[serde(default)]
    pub mouse: i64,
    #[serde(default)]
    pub overall: i64,
    pub started_at: Option<String>,
    pub recorded_at: Option<String>,
    /// A string, an array of strings, or null.
    #[schema(value_type = Option<Vec<String>>)]
    #[serde(default)]
    pub time_log_id: OneOrMany,
    #[serde(default)]
    pub activities: Vec<ActivityIn>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

async fn spell(
    st: &AppState,
    caller: &Caller,
    slot: &stint_model::TimeSlot,
) -> AppResult<TimeSlotOut> {
    let shots = slots::screenshots_of(st, slot).await?;
    Ok(TimeSlotOut::new(
        slot,
        shots
            .iter()
            .map(|s| ScreenshotOut::new(s, &st.keys, caller))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/timesheet/time-slot", tag = "time-slot", request_body = TimeSlotIn,
    responses((status = 201, body = TimeSlotOut), (status = 400), (status = 403, description = "Another organization's id, or another employee's slot"), (status = 404, description = "No such time log or project"), (status = 409, description = "The id is already used by another employee")))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TimeSlotIn>,
) -> AppResult<(StatusCode, Json<TimeSlotOut>)> {
    caller.check_org(b.organization_id.as_deref(), "organizationId")?;
    caller.check_org(b.tenant_id.as_deref(), "tenantId")?;
    let started_at = opt_instant(&b.started_at, "startedAt", &caller.user)?
        .or(opt_instant(&b.recorded_at, "recordedAt", &caller.user)?)
        .ok_or_else(|| AppError::bad_request("startedAt is required"))?;
    let activities = b
        .activities
        .into_iter()
        .map(|a| a.into_input(&caller, Some(started_at)))
        .collect::<AppResult<Vec<_>>>()?;
    let input = SlotInput {
        id: opt_uuid(&b.id, "id")?,
        employee_id: opt_uuid(&b.employee_id, "employeeId")?,
        project_id: opt_uuid(&b.project_id, "projectId")?,
        started_at,
        // The desktop timer reports the seconds since its last report, up
        // to 660 when screenshots come at random moments; a slot holds ten
        // minutes, so the excess is dropped rather than the report refused.
        duration: b.duration.min(stint_model::slot::SLOT_SECONDS),
        keyboard: b.keyboard,
        mouse: b.mouse,
        overall: b.overall,
        time_log_ids: b.time_log_id.uuids("timeLogId")?,
        activities,
    };
    let slot = slots::add(&st, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(spell(&st, &caller, &slot).await?)))
}

#[utoipa::path(get, path = "/api/timesheet/time-slot/{id}", tag = "time-slot",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TimeSlotOut), (status = 403), (status = 404)))]
pub async fn get(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<TimeSlotOut>> {
    let (slot, _) = slots::get(&st, &caller, parse_uuid(&id, "id")?).await?;
    Ok(Json(spell(&st, &caller, &slot).await?))
}

/// `DELETE /api/timesheet/time-slot?ids[0]=..&ids[1]=..` → `true`.
#[utoipa::path(delete, path = "/api/timesheet/time-slot", tag = "time-slot",
    params(("ids" = Vec<String>, Query)), responses((status = 200, body = bool), (status = 403), (status = 404), (status = 409)))]
pub async fn delete(State(st): State<AppState>, caller: Caller, q: Query) -> AppResult<Json<bool>> {
    let ids = q.uuids(&["ids", "id"])?;
    if ids.is_empty() {
        return Err(AppError::bad_request(
            "ids must name at least one time slot",
        ));
    }
    slots::delete(&st, &caller, &ids).await?;
    Ok(Json(true))
}

#[utoipa::path(get, path = "/api/timesheet/time-slot", tag = "time-slot",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("employeeId" = Option<String>, Query)),
    responses((status = 200, body = Page<TimeSlotOut>)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<TimeSlotOut>>> {
    let Some(filter) = range_filter(&st, &caller, &q).await? else {
        return Ok(Json(Page::of(vec![])));
    };
    let mut out = Vec::new();
    for s in st.store.list_slots(&filter).await? {
        out.push(spell(&st, &caller, &s).await?);
    }
    Ok(Json(Page::of(out)))
}

/// `startDate` and `endDate` of a list request, in the caller's zone (an
/// end date alone means the end of that day).
pub fn date_range(
    q: &Query,
    caller: &Caller,
) -> AppResult<(Option<stint_model::Instant>, Option<stint_model::Instant>)> {
    let tz = caller.user.tz();
    let from = q
        .get("startDate")
        .map(|s| parse_instant(s, "startDate", tz))
        .transpose()?;
    let to = q
        .get("endDate")
        .map(|s| parse_range_end(s, "endDate", tz))
        .transpose()?;
    Ok((from, to))
}

/// The employee and date filters of the list endpoints.
pub async fn range_filter(
    st: &AppState,
    caller: &Caller,
    q: &Query,
) -> AppResult<Option<stint_store::Filter>> {
    let (from, to) = date_range(q, caller)?;
    access::filter_for(
        st,
        caller,
        &q.uuids(&["employeeId", "employeeIds"])?,
        from,
        to,
    )
    .await
}

#[utoipa::path(get, path = "/api/timesheet/activity", tag = "activity",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("employeeId" = Option<String>, Query)),
    responses((status = 200, body = Page<ActivityOut>)))]
pub async fn activities(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<ActivityOut>>> {
    let Some(filter) = range_filter(&st, &caller, &q).await? else {
        return Ok(Json(Page::of(vec![])));
    };
    let items = st.store.list_activities(&filter).await?;
    Ok(Json(Page::of(
        items.iter().map(ActivityOut::from).collect(),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivitiesBody {
    #[serde(default)]
    pub activities: Vec<ActivityIn>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

#[utoipa::path(post, path = "/api/timesheet/activity/bulk", tag = "activity", request_body = ActivitiesBody,
    responses((status = 201, body = Vec<ActivityOut>), (status = 400), (status = 403, description = "Another organization's id"), (status = 404, description = "No such project or employee"), (status = 409, description = "An id is already used by another employee")))]
pub async fn bulk(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<ActivitiesBody>,
) -> AppResult<(StatusCode, Json<Vec<ActivityOut>>)> {
    caller.check_org(b.organization_id.as_deref(), "organizationId")?;
    caller.check_org(b.tenant_id.as_deref(), "tenantId")?;
    let inputs = b
        .activities
        .into_iter()
        .map(|a| a.into_input(&caller, None))
        .collect::<AppResult<Vec<_>>>()?;
    let saved = slots::add_activities(&st, &caller, inputs).await?;
    Ok((
        StatusCode::CREATED,
        Json(saved.iter().map(ActivityOut::from).collect()),
    ))
}
