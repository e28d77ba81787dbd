//! IceHrm's JSON shapes: snake_case, integer ids, local dates and times,
//! `HH:MM` totals, `{data, total, page, nextPage}` pages.

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Value, json};
use stint_model::{Instant, Project, TimeLog, Week, day_display, format_hh_mm};

use crate::error::{AppError, IceHrmError};
use crate::service::timesheets::SheetView;
use crate::wire::Query;

pub type IceResult<T> = Result<T, IceHrmError>;

/// `limit` (default 50) and `page` (from 1).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: i64,
    pub page: i64,
}

impl Paging {
    pub fn from(q: &Query) -> Result<Paging, AppError> {
        let limit = q.int("limit")?.unwrap_or(50);
        let page = q.int("page")?.unwrap_or(1);
        if !(1..=1000).contains(&limit) {
            return Err(AppError::bad_request("limit must be between 1 and 1000"));
        }
        if page < 1 {
            return Err(AppError::bad_request("page must be 1 or more"));
        }
        Ok(Paging { limit, page })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.limit)
    }

    pub fn envelope<T: Serialize>(&self, data: Vec<T>, total: i64) -> Value {
        let more = self.offset() + (data.len() as i64) < total;
        json!({ "data": data, "total": total, "page": self.page, "nextPage": if more { Some(self.page + 1) } else { None } })
    }
}

/// A local wall-clock time in the employee's zone: `YYYY-MM-DD HH:MM:SS`.
pub fn local(t: Instant, tz: chrono_tz::Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn to_local(t: Instant, tz: chrono_tz::Tz) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

fn minutes(v: &SheetView) -> i64 {
    v.counted_seconds / 60
}

pub fn days(week: Week) -> Vec<Value> {
    week.days()
        .map(|d| json!({ "date": d.to_string(), "display": day_display(d) }))
        .collect()
}

/// The list row of a timesheet.
pub fn sheet_row(v: &SheetView, with_name: bool) -> Value {
    let mut row = json!({
        "id": v.sheet.seq,
        "employee": v.employee.seq,
        "date_start": v.sheet.start_date.to_string(),
        "date_end": v.sheet.end_date.to_string(),
        "status": v.sheet.status.icehrm(),
        "total_time": format_hh_mm(minutes(v)),
        "total_minutes": minutes(v),
    });
    if with_name {
        row["employee_name"] = json!(v.employee.name);
    }
    with_reason(row, v)
}

/// `rejection_reason` on a Rejected sheet; other sheets keep IceHrm's
/// documented shape exactly.
fn with_reason(mut sheet: Value, v: &SheetView) -> Value {
    if let Some(why) = &v.sheet.rejection_reason {
        sheet["rejection_reason"] = json!(why);
    }
    sheet
}

/// A timesheet with its days (create-* and details).
pub fn sheet_full(v: &SheetView) -> Value {
    let mut s = sheet_row(v, false);
    s["days"] = json!(days(Week {
        start: v.sheet.start_date
    }));
    s
}

/// `{id, status, total_time}` as submit/approve/reject answer (with the
/// reason after a rejection).
pub fn sheet_short(v: &SheetView) -> Value {
    let short = json!({
        "id": v.sheet.seq,
        "status": v.sheet.status.icehrm(),
        "total_time": format_hh_mm(minutes(v)),
    });
    with_reason(short, v)
}

/// A time log as an IceHrm entry of `sheet_seq`.
pub fn entry(l: &TimeLog, sheet_seq: i64, project: Option<&Project>, tz: chrono_tz::Tz) -> Value {
    let mins = l.duration_seconds(chrono::Utc::now()) / 60;
    json!({
        "id": l.seq,
        "timesheet": sheet_seq,
        "project": project.map(|p| json!({ "type": "Project", "id": p.seq, "display": p.name })),
        "date_start": local(l.started_at, tz),
        "date_end": l.stopped_at.map(|t| local(t, tz)),
        "details": l.description,
        "duration_minutes": mins,
        "duration_hours": (mins as f64 / 60.0 * 100.0).round() / 100.0,
        "log_type": l.log_type.as_str(),
    })
}
