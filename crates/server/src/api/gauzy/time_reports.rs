//! Gauzy's time reports: `report/daily`, `report/weekly` and the
//! time-limit report, spelled as ever-gauzy's `TimeLogService`
//! (`getDailyReport`, `getWeeklyReport`, `getTimeLimit`, and its
//! `GetTimeLogGroupBy{Date,Employee,Project}` handlers) answers them, for
//! the query the Gauzy web app sends (`startDate`/`endDate` as UTC
//! `YYYY-MM-DD HH:mm:ss`, `timeZone`, `employeeIds[]`, `projectIds[]`,
//! `logType[]`, `source[]`, `groupBy`, `duration`).
//!
//! Where Stint differs from Gauzy, on purpose:
//! - durations are counted time (IDLE left out) split at each local
//!   midnight, so the reports add up to the timesheets; Gauzy sums whole
//!   logs on the day they start, IDLE included;
//! - days are each employee's own local days (the days of their
//!   timesheets); `timeZone` only says which local dates an instant in
//!   `startDate`/`endDate` falls on (a bare date is taken as it is);
//! - `activity` is the average overall activity (%) of the slots,
//!   weighted by their seconds, as Gauzy computes it;
//! - the time-limit report's `limit` and `durationPercentage` are null:
//!   Stint keeps no weekly limit (Gauzy's `reWeeklyLimit`) nor expected
//!   hours for anyone, so there is nothing to compare against.
//!
//! The service ([`crate::service::time_reports`]) does the counting and
//! grouping; this module reads the query and spells the answer.

use std::collections::BTreeMap;

use axum::extract::State;
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use stint_model::{LogSource, LogType};
use utoipa::ToSchema;

use super::report_shapes::{
    DateGroup, DateOfEmployee, DateOfProject, DurationParam, EmployeeGroup, EmployeeLine,
    EmployeeRef, GroupByParam, ProjectGroup, ProjectLine, ProjectOfDate, ProjectRef, ReportParams,
};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::ledger::{Ledger, Range};
use crate::service::time_reports::{self, GroupBy, Key, Level, Node, Period, per_day, tree};
use crate::state::AppState;
use crate::wire::{Json, Query, parse_instant};

/// The query every report reads: the range, who and what, and filters.
async fn read(st: &AppState, caller: &Caller, q: &Query) -> AppResult<Ledger> {
    caller.check_org(q.get("organizationId"), "organizationId")?;
    caller.check_org(q.get("tenantId"), "tenantId")?;
    let tz = match q.get("timeZone") {
        Some(z) => stint_model::parse_timezone(z).map_err(|_| {
            AppError::bad_request(format!(
                "timeZone must be an IANA zone such as Europe/Berlin, got '{z}'"
            ))
        })?,
        None => caller.user.tz(),
    };
    let first = date(q, "startDate", tz, false)?;
    let last = date(q, "endDate", tz, true)?;
    let mut range = Range::new(first, last, None)?;
    range.log_types = q
        .all(&["logType", "logTypes"])
        .into_iter()
        .map(LogType::parse)
        .collect::<Result<_, _>>()?;
    range.sources = q
        .all(&["source", "sources"])
        .into_iter()
        .map(LogSource::parse)
        .collect::<Result<_, _>>()?;
    time_reports::for_caller(
        st,
        caller,
        q.uuids(&["employeeIds", "employeeId"])?,
        q.uuids(&["projectIds", "projectId"])?,
        range,
    )
    .await
}

/// A required date: a bare `YYYY-MM-DD` as it is, or an instant (what the
/// web app sends) as the local date it falls on in `tz`; an end instant at
/// exactly local midnight ends the day before.
fn date(q: &Query, key: &str, tz: Tz, end: bool) -> AppResult<NaiveDate> {
    let s = q
        .get(key)
        .ok_or_else(|| AppError::bad_request(format!("{key} is required (YYYY-MM-DD)")))?;
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Ok(d);
    }
    let t = parse_instant(s, key, tz)?;
    let d = t.with_timezone(&tz).date_naive();
    Ok(if end && stint_model::local_midnight(d, tz) == t {
        d - Duration::days(1)
    } else {
        d
    })
}

/// A group of the daily report, in one of Gauzy's three shapes (by
/// `groupBy`); every group of one answer has the same shape.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum DailyGroup {
    /// `groupBy=date` (the default): a day, its projects, their people.
    ByDate(DateGroup),
    /// `groupBy=employee`: a person, their days, the projects of each.
    ByEmployee(EmployeeGroup),
    /// `groupBy=project`: a project, its days, the people on each.
    ByProject(ProjectGroup),
}

/// Counted time per day of the range that has any, grouped by `groupBy`
/// (date, employee or project), each group with its `sum` (seconds) and
/// `activity` (%), and at the innermost level the logs' parts (`tasks`).
/// Who is in it follows the list rule: yourself, a supervisor's direct
/// reports, an admin's organization; others asked for are left out; an
/// employee or project id of another organization is 404.
#[utoipa::path(get, path = "/api/timesheet/time-log/report/daily", tag = "statistics",
    params(ReportParams,
        ("groupBy" = inline(Option<GroupByParam>), Query, description = "date (the default), employee or project")),
    responses((status = 200, body = Vec<DailyGroup>),
        (status = 400, description = "A missing or bad date or zone, endDate before startDate, a range over 400 days, an unknown groupBy, logType or source, a malformed id"),
        (status = 404, description = "An employee or project id of no one in the caller's organization")))]
pub async fn daily(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Vec<DailyGroup>>> {
    let by = GroupBy::parse(q.get("groupBy"))?;
    let ledger = read(&st, &caller, &q).await?;
    let nodes = tree(&ledger, &by.levels());
    let l = &ledger;
    let group = |n: &Node| match by {
        GroupBy::Date => DailyGroup::ByDate(DateGroup {
            date: date_of(n),
            logs: n
                .children
                .iter()
                .map(|p| ProjectOfDate {
                    project: ProjectRef::of(l, p.key),
                    employee_logs: p.children.iter().map(|e| EmployeeLine::of(l, e)).collect(),
                })
                .collect(),
            sum: n.total.seconds,
            activity: n.total.activity(),
        }),
        GroupBy::Employee => DailyGroup::ByEmployee(EmployeeGroup {
            employee: EmployeeRef::of(l, n.key),
            logs: n
                .children
                .iter()
                .map(|d| DateOfEmployee {
                    date: date_of(d),
                    project_logs: d.children.iter().map(|p| ProjectLine::of(l, p)).collect(),
                })
                .collect(),
            sum: n.total.seconds,
            activity: n.total.activity(),
        }),
        GroupBy::Project => DailyGroup::ByProject(ProjectGroup {
            project: ProjectRef::of(l, n.key),
            logs: n
                .children
                .iter()
                .map(|d| DateOfProject {
                    date: date_of(d),
                    employee_logs: d.children.iter().map(|e| EmployeeLine::of(l, e)).collect(),
                })
                .collect(),
            sum: n.total.seconds,
            activity: n.total.activity(),
        }),
    };
    Ok(Json(nodes.iter().map(group).collect()))
}

fn date_of(n: &Node) -> String {
    match n.key {
        Key::Date(d) => d.to_string(),
        _ => String::new(),
    }
}

/// A day of the weekly report: Gauzy's `0` for a day without counted time.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum WeekDay {
    Nothing(u8),
    Worked {
        /// Counted seconds that day.
        sum: i64,
    },
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeekRow {
    pub employee: EmployeeRef,
    /// Every day of the range (`YYYY-MM-DD`, the employee's local days).
    pub dates: BTreeMap<String, WeekDay>,
    /// Counted seconds in the range.
    pub sum: i64,
    pub activity: f64,
}

/// Per employee with counted time in the range, per local day of theirs:
/// counted seconds (`0` for none), the sum and the activity. Who is in it
/// follows the list rule, as the daily report.
#[utoipa::path(get, path = "/api/timesheet/time-log/report/weekly", tag = "statistics",
    params(ReportParams),
    responses((status = 200, body = Vec<WeekRow>),
        (status = 400, description = "A missing or bad date or zone, a bad range, logType or source, a malformed id"),
        (status = 404, description = "An employee or project id of no one in the caller's organization")))]
pub async fn weekly(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Vec<WeekRow>>> {
    let ledger = read(&st, &caller, &q).await?;
    let nodes = tree(&ledger, &[Level::Employee, Level::Date]);
    Ok(Json(
        nodes
            .iter()
            .map(|e| WeekRow {
                employee: EmployeeRef::of(&ledger, e.key),
                dates: per_day(&ledger.range, e)
                    .into_iter()
                    .map(|(d, sum)| {
                        let day = if sum == 0 {
                            WeekDay::Nothing(0)
                        } else {
                            WeekDay::Worked { sum }
                        };
                        (d.to_string(), day)
                    })
                    .collect(),
                sum: e.total.seconds,
                activity: e.total.activity(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitLine {
    pub employee: EmployeeRef,
    /// Counted seconds in the period (within the range).
    pub duration: i64,
    /// Always null: Stint keeps no time limit or expected hours.
    pub limit: Option<i64>,
    /// Always null, for the same reason.
    pub duration_percentage: Option<f64>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitPeriod {
    /// The period's first day (a week starts on Sunday, as timesheets).
    pub date: String,
    /// Those with counted time in the period.
    pub employees: Vec<LimitLine>,
}

/// Each period of the range (`duration=day`, `week` or `month`) with each
/// employee's counted seconds in it. `limit` and `durationPercentage` are
/// null: Stint has no per-employee limit (Gauzy's `reWeeklyLimit`) or
/// expected hours. Gauzy's web app calls it at `/time-log/time-limit`; both
/// paths answer.
#[utoipa::path(get, path = "/api/timesheet/time-log/report/time-limit", tag = "statistics",
    params(ReportParams,
        ("duration" = inline(Option<DurationParam>), Query, description = "day (the default), week or month")),
    responses((status = 200, body = Vec<LimitPeriod>),
        (status = 400, description = "A missing or bad date or zone, a bad range or duration, a malformed id"),
        (status = 404, description = "An employee or project id of no one in the caller's organization")))]
pub async fn time_limit(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Vec<LimitPeriod>>> {
    let period = Period::parse(q.get("duration"))?;
    let ledger = read(&st, &caller, &q).await?;
    let nodes = tree(&ledger, &[Level::Period(period), Level::Employee]);
    let mut starts: Vec<NaiveDate> = ledger.range.days().map(|d| period.start(d)).collect();
    starts.dedup();
    Ok(Json(
        starts
            .into_iter()
            .map(|start| LimitPeriod {
                date: start.to_string(),
                employees: nodes
                    .iter()
                    .find(|n| n.key == Key::Date(start))
                    .map(|n| {
                        n.children
                            .iter()
                            .map(|e| LimitLine {
                                employee: EmployeeRef::of(&ledger, e.key),
                                duration: e.total.seconds,
                                limit: None,
                                duration_percentage: None,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    ))
}

/// [`time_limit`] where the Gauzy web app asks for it.
#[utoipa::path(get, path = "/api/timesheet/time-log/time-limit", tag = "statistics",
    params(ReportParams,
        ("duration" = inline(Option<DurationParam>), Query, description = "day (the default), week or month")),
    responses((status = 200, body = Vec<LimitPeriod>),
        (status = 400, description = "A missing or bad date or zone, a bad range or duration, a malformed id"),
        (status = 404, description = "An employee or project id of no one in the caller's organization")))]
pub async fn time_limit_gauzy(
    st: State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Vec<LimitPeriod>>> {
    time_limit(st, caller, q).await
}
