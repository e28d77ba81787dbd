//! Stint's domain, with no I/O and no async.
//!
//! Every rule that both HTTP dialects (Ever Gauzy and IceHrm) and the agent
//! must agree on lives here exactly once: the status table, week boundaries in
//! an employee's time zone (and the day weeks start on), which log types count
//! towards totals and what Keep makes of idle time, who may approve, overlap,
//! how 10-minute activity slots merge, and the sync outcome's statuses. The
//! server, the agent, the desktop app and the CLI call these functions instead
//! of re-deriving the rules, so the dialects and the clients cannot drift.

pub mod org;
pub mod private_apps;
pub mod slot;
pub mod sync;
pub mod task;
pub mod time_log;
pub mod timesheet;
pub mod week;

pub use org::{
    Organization, Project, Role, SCREENSHOT_REMOVED, ScreenshotDeletion, User, may_manage_projects,
    normalize_email, parse_timezone, validate_name,
};
pub use slot::{Activity, Screenshot, ScreenshotView, SlotPart, TimeSlot, slot_start};
pub use sync::SyncStatus;
pub use task::{Task, TaskStatus, validate_estimate};
pub use time_log::{
    Interval, LogSource, LogType, MAX_DESCRIPTION, TimeLog, Timed, counted_seconds, format_hh_mm,
    validate_description, validate_interval,
};
pub use timesheet::{
    MAX_REJECTION_REASON, Timesheet, TimesheetStatus, Transition, rejection_reason,
};
pub use week::{WEEK_START, Week, day_display, local_midnight, local_to_utc, parse_date};

/// Instants are UTC with millisecond precision everywhere (Gauzy's wire format
/// has milliseconds; storage keeps integer milliseconds).
pub type Instant = chrono::DateTime<chrono::Utc>;

/// Truncates an instant to whole milliseconds, the precision we store.
pub fn to_millis_precision(t: Instant) -> Instant {
    from_millis(t.timestamp_millis())
}

/// Milliseconds since the Unix epoch to an instant; out-of-range values clamp
/// to the epoch rather than panic (the store only ever holds valid values).
pub fn from_millis(ms: i64) -> Instant {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A rule of the domain was broken by an input: the caller answers 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(msg: impl Into<String>) -> Self {
        Invalid(msg.into())
    }
}
