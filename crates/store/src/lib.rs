//! Persistence for the Stint server: one async [`Store`] trait, two backends.
//!
//! - [`sqlite::SqliteStore`] (rusqlite, bundled SQLite, WAL): the embedded
//!   default and small single-server installs.
//! - [`postgres::PgStore`] (sqlx): company installs, several replicas on one
//!   database.
//!
//! Both run their own migrations at start and are checked by the one
//! [`conformance`] suite, so the rest of the server cannot tell them apart.
//!
//! Writes that must be atomic per employee (no overlapping logs, one running
//! timer) are single store calls: the backend serialises them per employee
//! (SQLite: one writer; PostgreSQL: a row lock on the employee), so two
//! replicas cannot interleave them.

use std::future::Future;

use async_trait::async_trait;
use chrono::NaiveDate;
use stint_model::{
    Activity, Instant, Organization, Project, Role, Screenshot, ScreenshotView, SlotPart, Task,
    TimeLog, TimeSlot, Timesheet, TimesheetStatus, User,
};
use uuid::Uuid;

#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod batch;
pub mod conformance;
mod log_run;
pub mod pool;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

/// What can go wrong. `NotFound` covers "exists in another organization" too:
/// callers must never learn that another organization's ids exist.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule (e-mail, organization or project name) was hit.
    #[error("{0}")]
    Conflict(String),
    /// The log would overlap this existing log of the same employee.
    #[error("overlaps time log {}", .0.id)]
    Overlap(Box<TimeLog>),
    /// The database failed; the message is for logs, not for users.
    #[error("database error: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use log_run::{LogRun, RunLog, RunOutcome};
pub use pool::PoolStatus;

/// What a client id names. Each kind is its own namespace: an agent may use
/// one id for a log and for something else, but never one id for two
/// people's objects of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    Log,
    /// A time-slot report (part); a slot's id is its first part's.
    Slot,
    Activity,
    Screenshot,
    /// A project made by a client (the app makes one offline and syncs it).
    Project,
    Task,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Log => "log",
            IdKind::Slot => "slot",
            IdKind::Activity => "activity",
            IdKind::Screenshot => "screenshot",
            IdKind::Project => "project",
            IdKind::Task => "task",
        }
    }
}

/// A user to create; the store assigns `seq`.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub supervisor_id: Option<Uuid>,
    pub timezone: String,
}

/// Selects rows of one organization: logs, slots, activities, screenshots.
/// Range filters keep rows that overlap `[from, to)` (for point-in-time rows,
/// `from <= t < to`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub org_id: Uuid,
    /// `None`: everyone in the organization (the caller has checked it may).
    pub employee_ids: Option<Vec<Uuid>>,
    pub project_ids: Option<Vec<Uuid>>,
    pub from: Option<Instant>,
    pub to: Option<Instant>,
}

impl Filter {
    pub fn org(org_id: Uuid) -> Filter {
        Filter {
            org_id,
            ..Filter::default()
        }
    }
}

/// Selects tasks of one organization, by seq.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub org_id: Uuid,
    pub project_ids: Option<Vec<Uuid>>,
    /// Only tasks assigned to this user.
    pub assignee_id: Option<Uuid>,
}

/// Selects timesheets of one organization. Dates select sheets whose week
/// overlaps `[from, to]` (inclusive local dates).
#[derive(Debug, Clone, Default)]
pub struct TimesheetFilter {
    pub org_id: Uuid,
    pub employee_ids: Option<Vec<Uuid>>,
    pub statuses: Option<Vec<TimesheetStatus>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Newest week first; `limit = None` returns all.
    pub limit: Option<i64>,
    pub offset: i64,
}

/// A signed-in session: the JWT names it, so revoking it ends the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    /// SHA-256 (hex) of the current refresh token; rotated on every refresh.
    pub refresh_hash: String,
    /// The hash `refresh_hash` replaced at the last rotation, still taken
    /// once shortly after it (the agent whose refresh answer was lost
    /// retries with it); `None` after sign-in and once it has been used.
    pub previous_hash: Option<String>,
    /// When the refresh hash last changed; `None` until the first refresh.
    pub rotated_at: Option<Instant>,
    pub expires_at: Instant,
    pub revoked: bool,
}

/// Which refresh hash [`Store::rotate_session`] took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotated {
    /// The current one. It becomes the previous one, good for one more
    /// rotation until the grace ends.
    Current,
    /// The previous one, inside its grace: the hash it had been rotated to
    /// (the answer the agent lost) is forgotten, and no hash is previous
    /// any more, so the grace is used up.
    Previous,
    /// Neither: a replay, a grace over or used up, an older hash, or a
    /// revoked session. Nothing changed.
    Refused,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- organizations -------------------------------------------------
    /// Creates an organization (`all_projects_available` on). Name taken: Conflict.
    async fn create_org(&self, id: Uuid, name: &str) -> Result<Organization>;
    async fn org(&self, id: Uuid) -> Result<Organization>;
    async fn org_by_name(&self, name: &str) -> Result<Organization>;
    async fn list_orgs(&self) -> Result<Vec<Organization>>;
    async fn set_all_projects_available(&self, org_id: Uuid, on: bool) -> Result<Organization>;
    /// `None` keeps screenshots forever (the default).
    async fn set_screenshot_retention(
        &self,
        org_id: Uuid,
        days: Option<u32>,
    ) -> Result<Organization>;

    /// Whether employees may create projects and tasks (off by default).
    async fn set_members_create_projects(&self, org_id: Uuid, on: bool) -> Result<Organization>;

    /// The organization's never-capture list, as given (the caller checks
    /// it with `stint_model::private_apps`).
    async fn set_never_capture(&self, org_id: Uuid, list: &str) -> Result<Organization>;

    /// What deleting a screenshot before upload does to its time.
    async fn set_screenshot_deletion(
        &self,
        org_id: Uuid,
        rule: stint_model::ScreenshotDeletion,
    ) -> Result<Organization>;

    // --- users -----------------------------------------------------------
    /// E-mail already used (in any organization): Conflict.
    async fn create_user(&self, user: NewUser) -> Result<User>;
    async fn user(&self, org_id: Uuid, id: Uuid) -> Result<User>;
    async fn user_by_seq(&self, org_id: Uuid, seq: i64) -> Result<User>;
    /// By id alone, for sessions (which outlive nothing but their user).
    async fn user_by_id(&self, id: Uuid) -> Result<User>;
    /// E-mails are unique across the server (they are the sign-in name).
    async fn user_by_email(&self, email: &str) -> Result<User>;
    /// Ordered by seq.
    async fn list_users(&self, org_id: Uuid) -> Result<Vec<User>>;

    // --- projects --------------------------------------------------------
    /// Name taken in this organization: Conflict.
    async fn create_project(&self, id: Uuid, org_id: Uuid, name: &str) -> Result<Project>;
    async fn project(&self, org_id: Uuid, id: Uuid) -> Result<Project>;
    async fn project_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Project>;
    async fn project_by_name(&self, org_id: Uuid, name: &str) -> Result<Project>;
    /// Ordered by seq, archived ones included (history and reports keep
    /// them; pickers leave them out).
    async fn list_projects(&self, org_id: Uuid) -> Result<Vec<Project>>;
    /// Name taken in this organization: Conflict; unknown: NotFound.
    async fn rename_project(&self, org_id: Uuid, id: Uuid, name: &str) -> Result<Project>;
    /// Archives the project at `at`, or restores it with `None`. Projects
    /// are never deleted.
    async fn set_project_archived(
        &self,
        org_id: Uuid,
        id: Uuid,
        at: Option<Instant>,
    ) -> Result<Project>;
    /// Idempotent.
    async fn assign_project(&self, project_id: Uuid, user_id: Uuid) -> Result<()>;
    async fn assigned_projects(&self, user_id: Uuid) -> Result<Vec<Uuid>>;

    // --- tasks -----------------------------------------------------------
    /// Inserts `task` with its assignees (the store assigns `seq`). Its
    /// project or an assignee not in its organization: NotFound; the id
    /// already used: Conflict.
    async fn create_task(&self, task: Task) -> Result<Task>;
    async fn task(&self, org_id: Uuid, id: Uuid) -> Result<Task>;
    /// Replaces project, title, status, estimate, assignees and
    /// updated_at of a stored task, all or nothing; NotFound as for
    /// [`create_task`](Store::create_task).
    async fn update_task(&self, task: Task) -> Result<Task>;
    /// Ordered by seq; assignees sorted.
    async fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>>;

    // --- client ids ------------------------------------------------------
    /// Claims client ids of `kind` for `owner_id`: each one nobody in the
    /// organization has used yet becomes the owner's, forever (also after
    /// its object is deleted). Returns those among `ids` that already belong
    /// to someone else. Atomic per id: of two people claiming one new id at
    /// once, exactly one gets it.
    async fn claim_ids(
        &self,
        org_id: Uuid,
        kind: IdKind,
        owner_id: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>>;

    // --- time logs -------------------------------------------------------
    /// Inserts `log` (the store assigns `seq`; other fields are taken as
    /// given). Returns `(log, true)` when created. If a log with this id
    /// already exists in the organization, nothing is written and the stored
    /// log comes back with `false` (replays are harmless), even if it was
    /// deleted. With `stop_running`, the employee's running log (if any) is
    /// first stopped at `log.started_at` with `stopped_reason` set to the
    /// given text, in the same transaction. A clash with another log of the
    /// employee: `Overlap(that log)`.
    async fn insert_log(
        &self,
        log: TimeLog,
        stop_running: Option<String>,
    ) -> Result<(TimeLog, bool)>;
    /// Several [`insert_log`](Store::insert_log)s of one employee, decided in
    /// the given order exactly as one call after the other would decide them,
    /// each with its own outcome: a refused log (overlap) writes nothing and
    /// does not stop the others. Backends do the whole batch in one
    /// transaction with a fixed number of round trips (the agent's sync sends
    /// hundreds at once); this default is the one-by-one reference.
    async fn insert_logs(
        &self,
        logs: Vec<(TimeLog, Option<String>)>,
    ) -> Result<Vec<Result<(TimeLog, bool)>>> {
        one_by_one(logs, |log, stop| self.insert_log(log, stop)).await
    }
    /// An agent's sync of one employee's new logs: claims the run's ids for
    /// the employee, refuses the logs whose id is someone else's or that
    /// touch an approved week of theirs, decides the others as
    /// [`insert_logs`](Store::insert_logs) does, and makes the timesheet of
    /// every week a created log touches; each log with its own outcome
    /// (see [`LogRun`]). Backends do it in one transaction with a handful
    /// of round trips; this default is the one-call-at-a-time reference.
    async fn sync_logs(&self, run: LogRun) -> Result<RunOutcome> {
        log_run::reference(self, run).await
    }
    /// Replaces the mutable fields of a stored, not deleted log (project,
    /// task, times, type, source, description, billable, version,
    /// stopped_reason, updated_at). Overlap with another log: `Overlap`.
    async fn update_log(&self, log: TimeLog) -> Result<TimeLog>;
    /// Soft delete, so that a replayed create does not bring it back.
    async fn delete_log(&self, org_id: Uuid, id: Uuid) -> Result<()>;
    /// Not deleted logs only.
    async fn log(&self, org_id: Uuid, id: Uuid) -> Result<TimeLog>;
    /// The not deleted logs among `ids` (unknown ids are left out), in no
    /// particular order: what a sync batch already holds.
    async fn logs(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeLog>>;
    async fn log_by_seq(&self, org_id: Uuid, seq: i64) -> Result<TimeLog>;
    async fn running_log(&self, org_id: Uuid, employee_id: Uuid) -> Result<Option<TimeLog>>;
    /// Not deleted logs overlapping the range, by `started_at` then seq.
    async fn list_logs(&self, filter: &Filter) -> Result<Vec<TimeLog>>;
    /// Up to `limit` of [`list_logs`](Store::list_logs)'s rows, in its
    /// order, after `after` (the `(started_at, seq)` of the previous page's
    /// last log; `None`: from the first): a listing of millions read a
    /// page at a time (keyset pagination, each page one indexed read).
    async fn page_logs(
        &self,
        filter: &Filter,
        after: Option<(Instant, i64)>,
        limit: u32,
    ) -> Result<Vec<TimeLog>>;

    // --- timesheets ------------------------------------------------------
    /// The employee's timesheet for the week starting `start_date`, created
    /// as Draft if missing; `true` when this call created it. Idempotent
    /// under concurrency (one row per employee and week).
    async fn ensure_timesheet(
        &self,
        id_if_new: Uuid,
        org_id: Uuid,
        employee_id: Uuid,
        start_date: NaiveDate,
        end_date: NaiveDate,
    ) -> Result<(Timesheet, bool)>;
    async fn timesheet(&self, org_id: Uuid, id: Uuid) -> Result<Timesheet>;
    async fn timesheet_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Timesheet>;
    /// Matching sheets (limit/offset applied) and the total count without them.
    async fn list_timesheets(&self, filter: &TimesheetFilter) -> Result<(Vec<Timesheet>, i64)>;
    /// Writes status, submitted_at, approved_at, approved_by and updated_at
    /// of every given sheet in one transaction (all or nothing).
    async fn update_timesheets(&self, sheets: &[Timesheet]) -> Result<()>;

    // --- time slots and activities ---------------------------------------
    /// Adds `part` to the employee's slot starting at `started_at` (a slot
    /// boundary), creating the slot with id `slot_id_if_new` if missing, and
    /// links `time_log_ids`. A part id seen before changes nothing and returns
    /// the slot as stored.
    #[allow(clippy::too_many_arguments)]
    async fn add_slot_part(
        &self,
        slot_id_if_new: Uuid,
        org_id: Uuid,
        employee_id: Uuid,
        project_id: Option<Uuid>,
        started_at: Instant,
        part: SlotPart,
        time_log_ids: Vec<Uuid>,
    ) -> Result<TimeSlot>;
    async fn slot(&self, org_id: Uuid, id: Uuid) -> Result<TimeSlot>;
    /// Slots starting inside the range, by started_at.
    async fn list_slots(&self, filter: &Filter) -> Result<Vec<TimeSlot>>;
    /// Deletes these slots (ids of other organizations are ignored) with their
    /// activities; returns the slots that were deleted.
    async fn delete_slots(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeSlot>>;
    /// Inserts activities; ids already stored are skipped. Returns how many
    /// were new.
    async fn insert_activities(&self, activities: &[Activity]) -> Result<u64>;
    /// Activities recorded inside the range, by recorded_at.
    async fn list_activities(&self, filter: &Filter) -> Result<Vec<Activity>>;

    // --- screenshots -----------------------------------------------------
    /// Idempotent on id: an existing one comes back with `false`.
    async fn insert_screenshot(&self, shot: Screenshot) -> Result<(Screenshot, bool)>;
    async fn screenshot(&self, org_id: Uuid, id: Uuid) -> Result<Screenshot>;
    /// Recorded inside the range, by recorded_at.
    async fn list_screenshots(&self, filter: &Filter) -> Result<Vec<Screenshot>>;
    /// Leaves a dated tombstone, so its views go a year later.
    async fn delete_screenshot(&self, org_id: Uuid, id: Uuid) -> Result<()>;
    /// Up to `limit` of the organization's screenshots recorded before
    /// `before`, oldest first: what a retention purge removes, a batch at
    /// a time so that a first purge of years of images stays small.
    async fn screenshots_recorded_before(
        &self,
        org_id: Uuid,
        before: Instant,
        limit: u32,
    ) -> Result<Vec<Screenshot>>;
    /// Records that someone other than its owner opened a screenshot.
    /// Views are only ever added; no method changes one, and they outlive
    /// their screenshot by a year ([`Store::purge_screenshot_views`]).
    async fn record_screenshot_view(&self, view: ScreenshotView) -> Result<()>;
    /// Removes the views of screenshots deleted before `deleted_before`
    /// (every deletion leaves a dated tombstone); how many went. The only
    /// way a view is ever deleted: the retention purge calls it with a
    /// year ago.
    async fn purge_screenshot_views(&self, deleted_before: Instant) -> Result<u64>;
    /// Views of the screenshots of the filter's employees (their owners)
    /// made inside the range, by time.
    async fn list_screenshot_views(&self, filter: &Filter) -> Result<Vec<ScreenshotView>>;

    // --- sessions and server settings -------------------------------------
    async fn create_session(&self, session: Session) -> Result<()>;
    async fn session(&self, id: Uuid) -> Result<Session>;
    /// User `user_id` of `org_id` if session `sid` is theirs and not
    /// revoked; `NotFound` otherwise. Every signed-in request asks it, so
    /// backends answer in one read; this default takes two.
    async fn session_user(&self, sid: Uuid, org_id: Uuid, user_id: Uuid) -> Result<User> {
        let s = self.session(sid).await?;
        if s.revoked || s.user_id != user_id {
            return Err(StoreError::NotFound);
        }
        self.user(org_id, user_id).await
    }
    /// Sets the refresh hash to `new_hash` (and the expiry and `rotated_at
    /// = now`) if `presented` is the current hash, or the previous one
    /// rotated out at or after `grace_since` and not used yet; see
    /// [`Rotated`]. One compare-and-set: of refreshes racing with the same
    /// hash, on any number of replicas, exactly one wins. A revoked session
    /// never rotates; an unknown one is `NotFound`.
    async fn rotate_session(
        &self,
        id: Uuid,
        presented: &str,
        new_hash: &str,
        now: Instant,
        grace_since: Instant,
        expires_at: Instant,
    ) -> Result<Rotated>;
    async fn revoke_session(&self, id: Uuid) -> Result<()>;
    /// The stored value of `key`, or `value_if_new` stored now (first writer
    /// wins, so replicas agree on generated secrets).
    async fn setting_or_init(&self, key: &str, value_if_new: &str) -> Result<String>;

    /// Runs `job` unless another process on this database is running a
    /// job under the same `key` right now; then returns `Ok(false)` without
    /// running it. For periodic work every replica schedules (the
    /// retention purge) but one at a time should do. This default runs it:
    /// SQLite has one server process.
    async fn run_exclusive<'a>(&'a self, key: i64, job: Job<'a>) -> Result<bool> {
        let _ = key;
        job.await;
        Ok(true)
    }

    /// Its connections now, for metrics (see [`pool`]).
    fn pool_status(&self) -> PoolStatus;
}

/// The work [`Store::run_exclusive`] runs.
pub type Job<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>;

/// The reference way to decide a batch: each log through `insert` (one
/// `insert_log`), in order. A refused log keeps its own outcome; a database
/// failure ends the batch, since the logs after it would fail the same way.
pub(crate) async fn one_by_one<F, Fut>(
    logs: Vec<(TimeLog, Option<String>)>,
    mut insert: F,
) -> Result<Vec<Result<(TimeLog, bool)>>>
where
    F: FnMut(TimeLog, Option<String>) -> Fut,
    Fut: Future<Output = Result<(TimeLog, bool)>>,
{
    let mut out = Vec::with_capacity(logs.len());
    for (log, stop_running) in logs {
        match insert(log, stop_running).await {
            Err(StoreError::Backend(e)) => return Err(StoreError::Backend(e)),
            r => out.push(r),
        }
    }
    Ok(out)
}
