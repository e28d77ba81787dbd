//! `GET /api/timesheet/time-log/report/export`: the time logs of a range
//! as a CSV download, streamed (see [`crate::service::export`]).

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::service::export::{self, ExportQuery};
use crate::state::AppState;
use crate::wire::Query;

/// One row per time log overlapping the range (the caller's local dates,
/// both included), ordered by start: `date` (the employee's local date),
/// `employee`, `email`, `project`, `description`, `started_at` and
/// `stopped_at` (ISO 8601 with the employee's offset; empty while
/// running), `duration_minutes` (the whole log, two decimals), `log_type`
/// (IDLE rows are reported, not counted: leave them out of any total),
/// `source`, `timesheet_status` (Gauzy's spelling). Who is in it follows
/// the list rule: yourself, a supervisor's direct reports, an admin's
/// organization; ids the caller may not see are left out, another
/// organization's ids are 404. Text beginning with `=`, `+`, `-`, `@`, tab
/// or carriage return is prefixed with `'`.
#[utoipa::path(get, path = "/api/timesheet/time-log/report/export", tag = "statistics",
    params(
        ("startDate" = chrono::NaiveDate, Query, description = "First local date, YYYY-MM-DD"),
        ("endDate" = chrono::NaiveDate, Query, description = "Last local date, YYYY-MM-DD (at most 400 days after startDate)"),
        ("employeeIds" = Option<Vec<uuid::Uuid>>, Query, description = "Employee ids (also employeeIds[]=.., employeeId)"),
        ("projectIds" = Option<Vec<uuid::Uuid>>, Query, description = "Project ids (also projectIds[]=.., projectId)"),
        ("format" = Option<String>, Query, description = "csv (the default and only format)"),
    ),
    responses(
        (status = 200, description = "RFC 4180 CSV, UTF-8, with a header row; sent in chunks as it is read",
         content_type = "text/csv", body = String),
        (status = 400, description = "A missing or bad date, endDate before startDate, a range over 400 days, an unknown format or a malformed id"),
        (status = 401),
        (status = 404, description = "An employee or project id of no one in the caller's organization"),
    ))]
pub async fn export(State(st): State<AppState>, caller: Caller, q: Query) -> AppResult<Response> {
    if let Some(f) = q.get("format")
        && !f.eq_ignore_ascii_case("csv")
    {
        return Err(AppError::bad_request(format!(
            "format must be csv, got '{f}'"
        )));
    }
    let date = |k: &str| {
        let s = q
            .get(k)
            .ok_or_else(|| AppError::bad_request(format!("{k} is required (YYYY-MM-DD)")))?;
        Ok::<_, AppError>(stint_model::parse_date(s.get(..10).unwrap_or(s), k)?)
    };
    let query = ExportQuery {
        first: date("startDate")?,
        last: date("endDate")?,
        employee_ids: q.uuids(&["employeeIds", "employeeId"])?,
        project_ids: q.uuids(&["projectIds", "projectId"])?,
    };
    let out = export::export(&st, &caller, query).await?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", out.filename),
            ),
        ],
        Body::from_stream(out.body),
    )
        .into_response())
}
