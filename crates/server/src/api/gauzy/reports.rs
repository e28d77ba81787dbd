//! Statistics and the daily chart.

use axum::extract::State;
use chrono::{Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::AppResult;
use crate::service::reports;
use crate::state::AppState;
use crate::wire::{Json, Query, parse_instant, parse_range_end};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountsOut {
    /// Counted seconds in the range (this week by default).
    pub weekly_duration: i64,
    /// Average activity % in the range.
    pub weekly_activities: i64,
    pub today_duration: i64,
    pub today_activities: i64,
}

#[utoipa::path(get, path = "/api/timesheet/statistics/counts", tag = "statistics",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("employeeId" = Option<String>, Query)),
    responses((status = 200, body = CountsOut), (status = 400)))]
pub async fn counts(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<CountsOut>> {
    let tz = caller.user.tz();
    let range = match (q.get("startDate"), q.get("endDate")) {
        (Some(a), Some(b)) => Some((
            parse_instant(a, "startDate", tz)?,
            parse_range_end(b, "endDate", tz)?,
        )),
        _ => None,
    };
    let c = reports::counts(
        &st,
        &caller,
        &q.uuids(&["employeeId", "employeeIds"])?,
        range,
    )
    .await?;
    Ok(Json(CountsOut {
        weekly_duration: c.weekly_duration,
        weekly_activities: c.weekly_activities,
        today_duration: c.today_duration,
        today_activities: c.today_activities,
    }))
}

/// Counted seconds per local day, with a split per project when
/// `groupBy=project`.
#[utoipa::path(get, path = "/api/timesheet/time-log/report/daily-chart", tag = "statistics",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("groupBy" = Option<String>, Query)),
    responses((status = 200), (status = 400)))]
pub async fn daily_chart(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Vec<Value>>> {
    let today = Utc::now().with_timezone(&caller.user.tz()).date_naive();
    let date = |k: &str, dflt| {
        q.get(k)
            .map(|s| stint_model::parse_date(s.get(..10).unwrap_or(s), k))
            .transpose()
            .map(|d| d.unwrap_or(dflt))
    };
    let first = date("startDate", today - Duration::days(6))?;
    let last = date("endDate", today)?;
    let by_project = q
        .get("groupBy")
        .is_some_and(|g| g.eq_ignore_ascii_case("project"));
    let days = reports::daily(
        &st,
        &caller,
        &q.uuids(&["employeeId", "employeeIds"])?,
        first,
        last,
    )
    .await?;
    let names = super::projects::names(&st, &caller).await?;
    Ok(Json(
        days.into_iter()
            .map(|d| {
                let mut v = json!({ "date": d.date.to_string(), "duration": d.duration });
                if by_project {
                    v["projects"] = d
                        .projects
                        .iter()
                        .map(|(id, secs)| {
                            let name = id
                                .and_then(|i| names.get(&i).cloned())
                                .unwrap_or_else(|| "No project".into());
                            json!({ "projectId": id, "projectName": name, "duration": secs })
                        })
                        .collect();
                }
                v
            })
            .collect(),
    ))
}
