//! The OpenAPI description of IceHrm's JSON shapes. The handlers build their
//! bodies as `serde_json::Value` (see `dto`); these types exist only to
//! document those bodies (schemathesis checks the real answers against
//! them: `scripts/schemathesis.sh`).

#![allow(dead_code)]

use serde::Serialize;
use utoipa::ToSchema;

/// Every IceHrm error: `{error, message}` (errors raised before the
/// dialect is known, such as a missing token or a malformed body, carry a
/// `statusCode` as well).
#[derive(Serialize, ToSchema)]
pub struct IceError {
    /// The HTTP reason phrase, e.g. "Bad Request".
    pub error: String,
    /// What was wrong, for a person to read.
    pub message: String,
}

/// A timesheet in a list.
#[derive(Serialize, ToSchema)]
pub struct SheetRow {
    pub id: i64,
    /// The employee's integer id.
    pub employee: i64,
    /// Only in the direct-reports lists.
    pub employee_name: Option<String>,
    /// `YYYY-MM-DD`, the Sunday the week starts on.
    pub date_start: String,
    pub date_end: String,
    /// Pending, Submitted, Approved or Rejected.
    pub status: String,
    /// `HH:MM`.
    pub total_time: String,
    pub total_minutes: i64,
    /// Why the supervisor rejected the week: only on a Rejected sheet (it is
    /// cleared when the week is submitted again).
    pub rejection_reason: Option<String>,
}

/// `{data, total, page, nextPage}`.
#[derive(Serialize, ToSchema)]
pub struct SheetPage {
    pub data: Vec<SheetRow>,
    pub total: i64,
    pub page: i64,
    #[serde(rename = "nextPage")]
    pub next_page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Day {
    pub date: String,
    /// e.g. "(Sun) 05 Apr".
    pub display: String,
}

/// A timesheet with the days of its week.
#[derive(Serialize, ToSchema)]
pub struct SheetFull {
    pub id: i64,
    pub employee: i64,
    pub date_start: String,
    pub date_end: String,
    pub status: String,
    pub total_time: String,
    pub total_minutes: i64,
    /// Why the supervisor rejected the week: only on a Rejected sheet (it is
    /// cleared when the week is submitted again).
    pub rejection_reason: Option<String>,
    pub days: Vec<Day>,
}

/// The answer of create-current, create-previous and create-next.
#[derive(Serialize, ToSchema)]
pub struct SheetCreated {
    pub timesheet: SheetFull,
    /// False when the week's timesheet already existed (200, not 201).
    pub created: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EntryProject {
    /// Always "Project".
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub display: String,
}

/// A time entry (a time log of the timesheet's week), in the employee's
/// local time.
#[derive(Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    /// The timesheet's integer id.
    pub timesheet: i64,
    pub project: Option<EntryProject>,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub date_start: String,
    /// Null while the log runs.
    pub date_end: Option<String>,
    pub details: String,
    pub duration_minutes: i64,
    pub duration_hours: f64,
    /// TRACKED, MANUAL or IDLE.
    pub log_type: String,
}

#[derive(Serialize, ToSchema)]
pub struct EmployeeRef {
    pub id: i64,
    pub name: String,
}

/// `GET /timesheets/{id}`.
#[derive(Serialize, ToSchema)]
pub struct SheetDetails {
    pub timesheet: SheetFull,
    pub entries: Vec<Entry>,
    pub employee: EmployeeRef,
}

#[derive(Serialize, ToSchema)]
pub struct SheetShort {
    pub id: i64,
    pub status: String,
    pub total_time: String,
    /// Why the supervisor rejected the week: only on a Rejected sheet (it is
    /// cleared when the week is submitted again).
    pub rejection_reason: Option<String>,
}

/// What a supervisor sends with a rejection.
#[derive(Serialize, ToSchema)]
pub struct RejectIn {
    /// Required: what the employee should fix (trimmed, at most 1,000
    /// characters).
    pub reason: String,
}

/// The answer of submit, approve and reject.
#[derive(Serialize, ToSchema)]
pub struct SheetChanged {
    /// "Timesheet Submitted", "Timesheet Approved" or "Timesheet Rejected".
    pub message: String,
    pub timesheet: SheetShort,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectRef {
    pub id: i64,
    pub name: String,
}

/// `GET /timesheets/projects`.
#[derive(Serialize, ToSchema)]
pub struct ProjectList {
    pub data: Vec<ProjectRef>,
    pub total: i64,
}

/// `POST /timesheets/entries/{id}/delete`.
#[derive(Serialize, ToSchema)]
pub struct EntryDeleted {
    pub message: String,
    /// The deleted entry's id.
    pub id: i64,
}

/// An entry to add (date, start_time and end_time required) or the fields
/// of one to change (any subset).
#[derive(Serialize, ToSchema)]
pub struct EntryIn {
    /// `YYYY-MM-DD`, inside the timesheet's week.
    pub date: Option<String>,
    /// `HH:MM:SS` or `HH:MM`, local time.
    pub start_time: Option<String>,
    /// `HH:MM:SS` or `HH:MM`, after start_time.
    pub end_time: Option<String>,
    /// An integer project id; null for none; absent keeps the project.
    pub project: Option<i64>,
    pub details: Option<String>,
}
