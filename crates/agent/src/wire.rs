//! The server's answers the agent and the desktop app read, typed: Gauzy's
//! JSON (camelCase, ISO-8601 UTC instants, `YYYY-MM-DD` dates) as
//! stint-server writes it (`api/gauzy/dto.rs`, `api/gauzy/privacy.rs`,
//! `service/sync.rs`). Only the fields a client reads are declared and serde
//! passes over the rest, so a server that adds fields does not break an
//! installed app.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use stint_model::{Instant, LogType, Role, SyncStatus, TimesheetStatus};
use uuid::Uuid;

/// `{items, total}`, Gauzy's list envelope.
#[derive(Debug, Clone, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

/// One time log (`TimeLogOut`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeLog {
    pub id: Uuid,
    pub project_id: Option<Uuid>,
    pub log_type: LogType,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    /// Whole seconds; a running log's up to when the server answered.
    #[serde(default)]
    pub duration: i64,
    #[serde(default)]
    pub description: String,
    /// Why the server stopped it (a timer started on another device).
    pub stopped_reason: Option<String>,
}

/// One employee's week (`TimesheetOut`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timesheet {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Seconds that count (IDLE left out).
    pub duration: i64,
    /// Spelled as Gauzy does: `DRAFT`, `PENDING`, … ([`TimesheetStatus::gauzy`]).
    #[serde(deserialize_with = "gauzy_status")]
    pub status: TimesheetStatus,
    pub submitted_at: Option<Instant>,
    /// Why the supervisor denied it (a DENIED sheet only).
    #[serde(default)]
    pub rejection_reason: Option<String>,
    /// Whose week it is, so an approver's list names people.
    #[serde(default)]
    pub employee: SheetEmployee,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SheetEmployee {
    pub full_name: String,
    pub user: SheetUser,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SheetUser {
    pub email: String,
    /// The employee's IANA zone: the week's days are local days there ("" from
    /// a server that does not say; then the viewer's own zone is used).
    #[serde(rename = "timeZone")]
    pub time_zone: String,
}

/// A screenshot as a list names it: when it was taken is all a count needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShotRef {
    pub id: Uuid,
    pub recorded_at: Instant,
}

fn gauzy_status<'de, D: Deserializer<'de>>(d: D) -> Result<TimesheetStatus, D::Error> {
    let s = String::deserialize(d)?;
    TimesheetStatus::from_gauzy(&s).map_err(serde::de::Error::custom)
}

/// What of a screenshot someone opened: the full image or its thumbnail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewKind {
    File,
    Thumb,
}

/// One view of a screenshot by someone other than its owner
/// (`ScreenshotViewOut`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotView {
    pub id: Uuid,
    pub screenshot_id: Uuid,
    pub viewer_id: Uuid,
    /// "" for someone no longer in the organization.
    #[serde(default)]
    pub viewer_name: String,
    pub viewed_at: Instant,
    pub kind: ViewKind,
}

/// A task as `GET /api/tasks` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRef {
    pub id: Uuid,
    pub title: String,
    pub project_id: Uuid,
}

/// A project the employee may track time on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProjectRef {
    pub id: Uuid,
    pub name: String,
}

/// What the server decided about one log of a sync batch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub id: Uuid,
    pub status: SyncStatus,
    pub message: Option<String>,
    /// Set with `stopped_reason` when the server stopped the log because a
    /// timer was started elsewhere.
    pub stopped_at: Option<Instant>,
    pub stopped_reason: Option<String>,
}

/// The role a sign-in answer names (`ADMIN`, `MANAGER`, `EMPLOYEE`). A
/// missing or unknown name is an employee's: it approves nothing.
pub fn role_named(name: &str) -> Role {
    Role::parse(name).unwrap_or(Role::Employee)
}

/// Serde for the stored session's role, spelled as the server's sign-in
/// answer spells it (`MANAGER`), as sessions have always been stored; one
/// stored before roles were kept reads as [`role_named`] says.
pub mod gauzy_role {
    use super::*;

    pub fn serialize<S: Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(role.gauzy_name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        Ok(role_named(&String::deserialize(d)?))
    }

    /// A session stored before roles were kept.
    pub fn missing() -> Role {
        Role::Employee
    }
}

#[cfg(test)]
mod tests;
