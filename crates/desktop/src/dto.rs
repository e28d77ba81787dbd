//! The shapes that cross IPC, exactly as `ui/src/ipc.ts` declares them:
//! camelCase keys, lower camelCase enum strings, RFC 3339 instants in UTC,
//! `YYYY-MM-DD` days in the user's zone, whole seconds.

use serde::{Deserialize, Serialize};

pub type Instant = stint_model::Instant;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub name: String,
    pub email: String,
    /// The server's URL; `None` for "this computer only".
    pub server: Option<String>,
    pub can_approve: bool,
    /// Whether Settings offers renaming and archiving the organization's
    /// projects (managers and admins; on "this computer only", its one person).
    pub can_manage_projects: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum TrackingState {
    Stopped,
    Tracking,
    Idle,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Tracking {
    pub state: TrackingState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_since: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Tracking {
    pub fn stopped(message: Option<String>) -> Tracking {
        Tracking {
            state: TrackingState::Stopped,
            log_id: None,
            started_at: None,
            elapsed_seconds: None,
            project_id: None,
            project_name: None,
            description: None,
            idle_since: None,
            message,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub pending: i64,
    pub failed: i64,
    pub last_sync: Option<Instant>,
    pub offline: bool,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IdlePrompt {
    pub idle_log_id: String,
    pub from: Instant,
    pub to: Instant,
}

/// "Still working?": the timer has run since `running_since`; without an
/// answer it stops at the last input at `stops_at`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StillWorking {
    pub running_since: Instant,
    pub stops_at: Instant,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub signed_in: bool,
    pub user: Option<User>,
    pub tracking: Tracking,
    pub today_seconds: i64,
    pub week_seconds: i64,
    pub sync: SyncStatus,
    pub idle_prompts: Vec<IdlePrompt>,
    pub still_working: Option<StillWorking>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// A task of a project, for the task picker.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub title: String,
    pub project_id: String,
}

impl From<stint_agent::tasks::Task> for Task {
    fn from(t: stint_agent::tasks::Task) -> Self {
        Task {
            id: t.id.to_string(),
            title: t.title,
            project_id: t.project_id.to_string(),
        }
    }
}

/// How "New project…" went.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Made {
    /// The server made it.
    Created,
    /// One of that name was there: it is picked instead of a second one.
    Existing,
    /// Made on this computer; the sync sends it when the server answers.
    Queued,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NewProject {
    pub project: Project,
    pub made: Made,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum LogKind {
    Tracked,
    Idle,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SyncState {
    Pending,
    Synced,
    Refused,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub id: String,
    pub project_name: Option<String>,
    pub description: String,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    pub kind: LogKind,
    pub seconds: i64,
    pub sync: SyncState,
    pub sync_message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Screenshot {
    pub id: String,
    pub taken_at: Instant,
    /// `data:image/jpeg;base64,...` of the 320 px thumbnail.
    pub thumbnail: String,
    pub uploaded: bool,
    /// Deleting it keeps its time (the organization's `keep-time` rule);
    /// otherwise the time it stood for goes with it.
    pub delete_keeps_time: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Screens {
    All,
    Active,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub idle_threshold_seconds: u64,
    pub screenshot_interval_seconds: Option<u64>,
    pub screens: Screens,
    pub blur: bool,
    pub start_at_login: bool,
    /// Ask "Still working?" after this many hours of running; `None` never
    /// asks. Settings saved before it existed get the default (10).
    #[serde(default = "default_still_working_hours")]
    pub still_working_hours: Option<u64>,
    /// Applications and window titles never captured, comma-separated
    /// (see `stint_model::private_apps`).
    #[serde(default)]
    pub never_capture: String,
    /// Remind to start after this many minutes of work without a timer;
    /// `None` never reminds. Older saved settings get the default (5).
    #[serde(default = "default_remind_to_start_minutes")]
    pub remind_to_start_minutes: Option<u32>,
}

fn default_remind_to_start_minutes() -> Option<u32> {
    Some(5)
}

fn default_still_working_hours() -> Option<u64> {
    Some(10)
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum TimesheetStatus {
    Draft,
    Submitted,
    InReview,
    Approved,
    Rejected,
}

/// The model's status, spelled for IPC (the words of each dialect are the
/// model's alone).
impl From<stint_model::TimesheetStatus> for TimesheetStatus {
    fn from(s: stint_model::TimesheetStatus) -> Self {
        use stint_model::TimesheetStatus as M;
        match s {
            M::Draft => TimesheetStatus::Draft,
            M::Submitted => TimesheetStatus::Submitted,
            M::InReview => TimesheetStatus::InReview,
            M::Approved => TimesheetStatus::Approved,
            M::Rejected => TimesheetStatus::Rejected,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TimesheetEntry {
    pub id: String,
    pub date: String,
    pub project_name: Option<String>,
    pub description: String,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    pub seconds: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Timesheet {
    pub id: Option<String>,
    pub week_start: String,
    pub week_end: String,
    pub status: TimesheetStatus,
    pub total_seconds: i64,
    /// Why the manager rejected the week; only while it is rejected.
    pub rejection_reason: Option<String>,
    pub entries: Vec<TimesheetEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PendingTimesheet {
    pub id: String,
    pub employee_name: String,
    pub employee_email: String,
    pub week_start: String,
    pub week_end: String,
    pub total_seconds: i64,
    pub submitted_at: Option<Instant>,
}

/// What of a screenshot someone opened: the full image or its thumbnail
/// (an employee reads these differently: "opened" vs "saw the thumbnail").
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ViewKind {
    File,
    Thumb,
}

/// One view of the signed-in person's screenshot by someone else, as the
/// server recorded it before serving the image (DESIGN.md, trust rules).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotView {
    pub id: String,
    pub screenshot_id: String,
    pub viewer_id: String,
    /// "" for someone no longer in the organization.
    pub viewer_name: String,
    pub viewed_at: Instant,
    pub kind: ViewKind,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum IdleAnswer {
    Keep,
    Discard,
    Stop,
}

impl From<IdleAnswer> for stint_agent::IdleAnswer {
    fn from(a: IdleAnswer) -> Self {
        match a {
            IdleAnswer::Keep => stint_agent::IdleAnswer::Keep,
            IdleAnswer::Discard => stint_agent::IdleAnswer::Discard,
            IdleAnswer::Stop => stint_agent::IdleAnswer::DiscardAndStop,
        }
    }
}

/// What Rust tells the window without being asked (`app.emit(name, payload)`).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Tracking(Tracking),
    IdlePrompt(IdlePrompt),
    StillWorking(StillWorking),
    /// Work without a timer: the words to show ("forgot to start").
    Reminder(String),
    Sync(SyncStatus),
}

impl Notice {
    /// The event's name in `ipc.ts`'s `Events`.
    pub fn name(&self) -> &'static str {
        match self {
            Notice::Tracking(_) => "tracking-changed",
            Notice::IdlePrompt(_) => "idle-prompt",
            Notice::StillWorking(_) => "still-working",
            Notice::Reminder(_) => "reminder",
            Notice::Sync(_) => "sync-changed",
        }
    }

    pub fn payload(&self) -> serde_json::Value {
        match self {
            Notice::Tracking(t) => serde_json::to_value(t),
            Notice::IdlePrompt(p) => serde_json::to_value(p),
            Notice::StillWorking(q) => serde_json::to_value(q),
            Notice::Reminder(text) => Ok(serde_json::json!({ "text": text })),
            Notice::Sync(s) => serde_json::to_value(s),
        }
        .unwrap_or_default()
    }
}

/// Where "Download my data" saved the zip.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// The full path.
    pub path: String,
    /// As the window says it: `~/Downloads/stint-my-data-2026-12-07.zip`.
    pub shown: String,
}
