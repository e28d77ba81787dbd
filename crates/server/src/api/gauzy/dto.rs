//! Gauzy's JSON shapes (camelCase, UUIDs, ISO-8601 UTC with milliseconds)
//! and the small parsers its request fields need.

use std::collections::HashMap;

use serde::Serialize;
use stint_model::{Activity, Instant, Screenshot, TimeLog, TimeSlot, User};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::AppError;
use crate::service::timesheets::SheetView;
use crate::wire::{iso, parse_instant, parse_uuid};

/// `{items, total}`, Gauzy's list envelope.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn of(items: Vec<T>) -> Self {
        let total = items.len() as i64;
        Page { items, total }
    }
}

/// An id field that may be absent, null or empty (all meaning "none"). The
/// desktop timer's FormData spells a missing id as "undefined".
pub fn opt_uuid(v: &Option<String>, field: &str) -> Result<Option<Uuid>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") | Some("null") | Some("undefined") => Ok(None),
        Some(s) => parse_uuid(s, field).map(Some),
    }
}

pub fn opt_instant(
    v: &Option<String>,
    field: &str,
    user: &User,
) -> Result<Option<Instant>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_instant(s, field, user.tz()).map(Some),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeLogOut {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub organization_id: Uuid,
    pub tenant_id: Uuid,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub timesheet_id: Option<Uuid>,
    pub started_at: String,
    pub stopped_at: Option<String>,
    /// Whole seconds; for a running log, up to now.
    pub duration: i64,
    pub log_type: &'static str,
    pub source: &'static str,
    pub description: String,
    pub is_billable: bool,
    pub is_running: bool,
    pub version: i64,
    /// Why the server stopped this log (a timer started on another device).
    pub stopped_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl TimeLogOut {
    pub fn new(l: &TimeLog, timesheet_id: Option<Uuid>) -> Self {
        TimeLogOut {
            id: l.id,
            employee_id: l.employee_id,
            organization_id: l.org_id,
            tenant_id: l.org_id,
            project_id: l.project_id,
            task_id: l.task_id,
            timesheet_id,
            started_at: iso(l.started_at),
            stopped_at: l.stopped_at.map(iso),
            duration: l.duration_seconds(chrono::Utc::now()),
            log_type: l.log_type.as_str(),
            source: l.source.as_str(),
            description: l.description.clone(),
            is_billable: l.is_billable,
            is_running: l.is_running(),
            version: l.version,
            stopped_reason: l.stopped_reason.clone(),
            created_at: iso(l.created_at),
            updated_at: iso(l.updated_at),
        }
    }

    pub fn many(logs: &[TimeLog], sheets: &HashMap<Uuid, Uuid>) -> Vec<Self> {
        logs.iter()
            .map(|l| TimeLogOut::new(l, sheets.get(&l.id).copied()))
            .collect()
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimesheetOut {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub organization_id: Uuid,
    pub tenant_id: Uuid,
    /// First local midnight of the week, as a UTC instant.
    pub started_at: String,
    pub stopped_at: String,
    pub start_date: String,
    pub end_date: String,
    /// Seconds that count (IDLE excluded).
    pub duration: i64,
    /// DRAFT, PENDING, IN_REVIEW, APPROVED or DENIED.
    pub status: &'static str,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    pub approved_by_id: Option<Uuid>,
    pub is_billed: bool,
    /// Why the supervisor denied the week (DENIED sheets only; null
    /// otherwise, cleared when the week is submitted again).
    pub rejection_reason: Option<String>,
    /// Whose week it is (Gauzy's `employee.user` relation), so an approver's
    /// list can name people without a second request.
    pub employee: SheetEmployeeOut,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SheetEmployeeOut {
    pub id: Uuid,
    pub full_name: String,
    pub user: SheetUserOut,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SheetUserOut {
    pub name: String,
    pub email: String,
    /// The employee's IANA zone: their week's days are local days there.
    pub time_zone: String,
}

impl From<&SheetView> for TimesheetOut {
    fn from(v: &SheetView) -> Self {
        let s = &v.sheet;
        let (a, b) = stint_model::Week {
            start: s.start_date,
        }
        .bounds(v.employee.tz());
        TimesheetOut {
            id: s.id,
            employee_id: s.employee_id,
            organization_id: s.org_id,
            tenant_id: s.org_id,
            started_at: iso(a),
            stopped_at: iso(b),
            start_date: s.start_date.to_string(),
            end_date: s.end_date.to_string(),
            duration: v.counted_seconds,
            status: s.status.gauzy(),
            submitted_at: s.submitted_at.map(iso),
            approved_at: s.approved_at.map(iso),
            approved_by_id: s.approved_by,
            is_billed: false,
            rejection_reason: s.rejection_reason.clone(),
            employee: SheetEmployeeOut {
                id: v.employee.id,
                full_name: v.employee.name.clone(),
                user: SheetUserOut {
                    name: v.employee.name.clone(),
                    email: v.employee.email.clone(),
                    time_zone: v.employee.timezone.clone(),
                },
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityOut {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub organization_id: Uuid,
    pub time_slot_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: String,
    pub time: String,
    pub recorded_at: String,
    pub duration: i64,
}

impl From<&Activity> for ActivityOut {
    fn from(a: &Activity) -> Self {
        ActivityOut {
            id: a.id,
            employee_id: a.employee_id,
            organization_id: a.org_id,
            time_slot_id: a.time_slot_id,
            project_id: a.project_id,
            title: a.title.clone(),
            kind: a.kind.clone(),
            date: a.recorded_at.format("%Y-%m-%d").to_string(),
            time: a.recorded_at.format("%H:%M:%S").to_string(),
            recorded_at: iso(a.recorded_at),
            duration: a.duration,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotOut {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub organization_id: Uuid,
    pub time_slot_id: Option<Uuid>,
    /// Server paths; they need the bearer token.
    pub file: String,
    pub thumb: String,
    /// Short-lived signed URLs a browser can load without the token.
    pub full_url: String,
    pub thumb_url: String,
    pub recorded_at: String,
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub sha256: String,
}

impl ScreenshotOut {
    /// The screenshot as `viewer` sees it: the signed links are theirs
    /// alone and die with their session.
    pub fn new(s: &Screenshot, keys: &crate::auth::tokens::Keys, viewer: &Caller) -> Self {
        let path = |kind: &str| format!("/api/timesheet/screenshot/{}/{kind}", s.id);
        let grant = viewer.url_grant();
        let signed =
            |kind: &str| format!("{}?token={}", path(kind), keys.sign_url(&grant, s.id, kind));
        ScreenshotOut {
            id: s.id,
            employee_id: s.employee_id,
            organization_id: s.org_id,
            time_slot_id: s.time_slot_id,
            file: path("file"),
            thumb: path("thumb"),
            full_url: signed("file"),
            thumb_url: signed("thumb"),
            recorded_at: iso(s.recorded_at),
            width: s.width,
            height: s.height,
            size: s.size,
            sha256: s.sha256.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimeSlotOut {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub organization_id: Uuid,
    pub project_id: Option<Uuid>,
    pub started_at: String,
    pub stopped_at: String,
    pub duration: i64,
    pub keyboard: i64,
    pub mouse: i64,
    pub overall: i64,
    pub time_logs: Vec<IdRef>,
    pub screenshots: Vec<ScreenshotOut>,
}

#[derive(Serialize, ToSchema)]
pub struct IdRef {
    pub id: Uuid,
}

impl TimeSlotOut {
    pub fn new(s: &TimeSlot, screenshots: Vec<ScreenshotOut>) -> Self {
        TimeSlotOut {
            id: s.id,
            employee_id: s.employee_id,
            organization_id: s.org_id,
            project_id: s.project_id,
            started_at: iso(s.started_at),
            stopped_at: iso(
                s.started_at + chrono::Duration::seconds(stint_model::slot::SLOT_SECONDS)
            ),
            duration: s.duration,
            keyboard: s.keyboard,
            mouse: s.mouse,
            overall: s.overall,
            time_logs: s.time_log_ids.iter().map(|id| IdRef { id: *id }).collect(),
            screenshots,
        }
    }
}
