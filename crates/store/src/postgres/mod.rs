//! PostgreSQL backend (sqlx): company installs, several `stint serve`
//! replicas sharing one database.
//!
//! Nothing is cached in the process: every rule that must hold across
//! replicas (unique names, one timesheet per week, no overlapping logs, one
//! slot per ten minutes, one winner per refresh token) is decided by the
//! database, through unique constraints, `ON CONFLICT` and row locks. See the
//! submodules: `orgs`, `logs`, `timesheets`, `slots`, `sessions`; `rows`
//! turns rows into model types.
//!
//! Queries are plain `sqlx::query` with binds, not the compile-time checked
//! macros, so building needs no database. Instants are stored as BIGINT
//! milliseconds, exactly like the SQLite backend.

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, QueryBuilder, Transaction};
use stint_model::{
    Activity, Instant, Organization, Project, Screenshot, ScreenshotView, SlotPart, Task, TimeLog,
    TimeSlot, Timesheet, User,
};
use uuid::Uuid;

use crate::{
    Filter, IdKind, NewUser, Result, Rotated, Session, Store, StoreError, TaskFilter,
    TimesheetFilter,
};

mod client_ids;
mod log_run;
mod logs;
mod logs_batch;
mod logs_page;
mod orgs;
mod retention;
mod rows;
mod sessions;
mod slots;
mod tasks;
mod timesheets;

/// Enough for a busy replica; several replicas share the server's
/// `max_connections` (100 by default), so this stays modest.
const MAX_CONNECTIONS: u32 = 16;

/// A request waiting longer than this for a connection fails instead of
/// hanging: the database is down or overloaded.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL [`Store`]. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`, any libpq-style
    /// parameters sqlx understands, e.g. `options[search_path]=...`) and
    /// brings the schema up to date.
    ///
    /// Every connection plans each statement for its own parameters
    /// (`plan_cache_mode = force_custom_plan`). sqlx prepares statements
    /// once per connection, and PostgreSQL's default then settles on a
    /// generic plan after five runs, planned against the table statistics of
    /// that moment and kept until the next ANALYZE. On a young database (a new
    /// company, the benchmarks) that moment is an empty `time_logs`, where
    /// every index looks alike: the sync's lookup of ids by organization
    /// then scanned the whole organization's logs, 2 ms a request and
    /// growing with every log (issue 14). Planning each run costs tens of
    /// microseconds and always sees the table as it is.
    pub async fn connect(url: &str) -> Result<PgStore> {
        let failed =
            |e: sqlx::Error| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}"));
        let options = url
            .parse::<sqlx::postgres::PgConnectOptions>()
            .map_err(failed)?
            .options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // Every acquire's wait as a trace event, for the metrics (see
            // `crate::pool`); nothing is printed at the default log levels.
            .acquire_time_level(log::LevelFilter::Trace)
            .connect_with(options)
            .await
            .map_err(failed)?;
        PgStore::with_pool(pool).await
    }

    /// Uses an existing pool, applying the migrations first.
    ///
    /// sqlx's migrator holds a PostgreSQL advisory lock while it runs, so
    /// replicas starting together apply each migration exactly once; the
    /// others wait and then find nothing to do.
    pub async fn with_pool(pool: PgPool) -> Result<PgStore> {
        sqlx::migrate!("src/postgres/migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("PostgreSQL migrations failed: {e}")))?;
        Ok(PgStore { pool })
    }

    /// The pool, for health checks and metrics.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Maps a database error to the store's vocabulary: no row is `NotFound`; a
/// foreign key naming a missing row (or a row of another organization, the
/// keys are per organization) is `NotFound` too; a unique violation is a
/// `Conflict`; anything else is `Backend`, with the message for the logs.
pub(super) fn db(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::RowNotFound = e {
        return StoreError::NotFound;
    }
    if let sqlx::Error::Database(d) = &e {
        match d.code().as_deref() {
            Some("23505") => {
                let what = match d.constraint() {
                    Some("orgs_name_key") => "an organization with this name",
                    Some("users_email_key") => "a user with this e-mail",
                    Some("projects_org_name_key") => "a project with this name",
                    _ => "an object with this id",
                };
                return StoreError::Conflict(format!("{what} already exists"));
            }
            Some("23503") => return StoreError::NotFound,
            _ => {}
        }
    }
    StoreError::Backend(e.to_string())
}

/// Like [`db`], but a violation of `constraint` reads `message`, which can
/// name the value that is taken.
pub(super) fn db_unique(e: sqlx::Error, constraint: &str, message: String) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && d.code().as_deref() == Some("23505")
        && d.constraint() == Some(constraint)
    {
        return StoreError::Conflict(message);
    }
    db(e)
}

/// Ends a transaction: commit on `Ok`, roll back on `Err`.
///
/// Rolling back explicitly matters: a dropped sqlx transaction only queues
/// its ROLLBACK, which is sent when the pool next pings the connection from
/// a spawned task. Until then the transaction's locks (the employee lock of
/// a refused overlapping log, say) stay held and block other replicas.
pub(super) async fn finish<T>(tx: Transaction<'static, Postgres>, result: Result<T>) -> Result<T> {
    match result {
        Ok(value) => {
            tx.commit().await.map_err(db)?;
            Ok(value)
        }
        Err(e) => {
            // The error that matters is `e`; a failed rollback closes the
            // connection, which rolls back too.
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// Now, in stored precision.
pub(super) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// ` AND <col> = ANY($n)` when the filter names ids; an empty list matches
/// nothing, as it should.
pub(super) fn push_ids(q: &mut QueryBuilder<Postgres>, col: &str, ids: Option<&[Uuid]>) {
    if let Some(ids) = ids {
        q.push(format!(" AND {col} = ANY("))
            .push_bind(ids.to_vec())
            .push(")");
    }
}

#[async_trait]
impl Store for PgStore {
    async fn create_org(&self, id: Uuid, name: &str) -> Result<Organization> {
        orgs::create_org(&self.pool, id, name).await
    }
    async fn org(&self, id: Uuid) -> Result<Organization> {
        orgs::org(&self.pool, id).await
    }
    async fn org_by_name(&self, name: &str) -> Result<Organization> {
        orgs::org_by_name(&self.pool, name).await
    }
    async fn list_orgs(&self) -> Result<Vec<Organization>> {
        orgs::list_orgs(&self.pool).await
    }
    async fn set_all_projects_available(&self, org_id: Uuid, on: bool) -> Result<Organization> {
        orgs::set_org_setting(&self.pool, org_id, "all_projects_available", on).await
    }
    async fn set_screenshot_retention(
        &self,
        org_id: Uuid,
        days: Option<u32>,
    ) -> Result<Organization> {
        let days = days.map(|d| d.min(i32::MAX as u32) as i32);
        orgs::set_org_setting(&self.pool, org_id, "screenshot_retention_days", days).await
    }

    async fn set_members_create_projects(&self, org_id: Uuid, on: bool) -> Result<Organization> {
        orgs::set_org_setting(&self.pool, org_id, "members_create_projects", on).await
    }

    async fn set_screenshot_deletion(
        &self,
        org_id: Uuid,
        rule: stint_model::ScreenshotDeletion,
    ) -> Result<Organization> {
        orgs::set_org_setting(&self.pool, org_id, "screenshot_deletion", rule.as_str()).await
    }

    async fn set_never_capture(&self, org_id: Uuid, list: &str) -> Result<Organization> {
        orgs::set_org_setting(&self.pool, org_id, "never_capture", list.to_string()).await
    }
    async fn create_user(&self, user: NewUser) -> Result<User> {
        orgs::create_user(&self.pool, user).await
    }
    async fn user(&self, org_id: Uuid, id: Uuid) -> Result<User> {
        orgs::user(&self.pool, org_id, id).await
    }
    async fn user_by_seq(&self, org_id: Uuid, seq: i64) -> Result<User> {
        orgs::user_by_seq(&self.pool, org_id, seq).await
    }
    async fn user_by_id(&self, id: Uuid) -> Result<User> {
        orgs::user_by_id(&self.pool, id).await
    }
    async fn user_by_email(&self, email: &str) -> Result<User> {
        orgs::user_by_email(&self.pool, email).await
    }
    async fn list_users(&self, org_id: Uuid) -> Result<Vec<User>> {
        orgs::list_users(&self.pool, org_id).await
    }

    async fn create_project(&self, id: Uuid, org_id: Uuid, name: &str) -> Result<Project> {
        orgs::create_project(&self.pool, id, org_id, name).await
    }
    async fn project(&self, org_id: Uuid, id: Uuid) -> Result<Project> {
        orgs::project(&self.pool, org_id, id).await
    }
    async fn project_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Project> {
        orgs::project_by_seq(&self.pool, org_id, seq).await
    }
    async fn project_by_name(&self, org_id: Uuid, name: &str) -> Result<Project> {
        orgs::project_by_name(&self.pool, org_id, name).await
    }
    async fn list_projects(&self, org_id: Uuid) -> Result<Vec<Project>> {
        orgs::list_projects(&self.pool, org_id).await
    }
    async fn rename_project(&self, org_id: Uuid, id: Uuid, name: &str) -> Result<Project> {
        orgs::rename_project(&self.pool, org_id, id, name).await
    }
    async fn set_project_archived(
        &self,
        org_id: Uuid,
        id: Uuid,
        at: Option<Instant>,
    ) -> Result<Project> {
        let at = at.map(|t| t.timestamp_millis());
        orgs::set_project_archived(&self.pool, org_id, id, at).await
    }
    async fn create_task(&self, task: Task) -> Result<Task> {
        tasks::create_task(&self.pool, task).await
    }
    async fn task(&self, org_id: Uuid, id: Uuid) -> Result<Task> {
        tasks::task(&self.pool, org_id, id).await
    }
    async fn update_task(&self, task: Task) -> Result<Task> {
        tasks::update_task(&self.pool, task).await
    }
    async fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>> {
        tasks::list_tasks(&self.pool, filter).await
    }
    async fn assign_project(&self, project_id: Uuid, user_id: Uuid) -> Result<()> {
        orgs::assign_project(&self.pool, project_id, user_id).await
    }
    async fn assigned_projects(&self, user_id: Uuid) -> Result<Vec<Uuid>> {
        orgs::assigned_projects(&self.pool, user_id).await
    }

    async fn claim_ids(
        &self,
        org_id: Uuid,
        kind: IdKind,
        owner_id: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>> {
        client_ids::claim_ids(&self.pool, org_id, kind, owner_id, ids).await
    }

    async fn insert_log(
        &self,
        log: TimeLog,
        stop_running: Option<String>,
    ) -> Result<(TimeLog, bool)> {
        logs::insert_log(&self.pool, log, stop_running).await
    }
    async fn insert_logs(
        &self,
        logs: Vec<(TimeLog, Option<String>)>,
    ) -> Result<Vec<Result<(TimeLog, bool)>>> {
        logs_batch::insert_logs(&self.pool, logs).await
    }
    async fn sync_logs(&self, run: crate::LogRun) -> Result<crate::RunOutcome> {
        match log_run::sync_logs(&self.pool, &run).await? {
            Some(outcome) => Ok(outcome),
            None => crate::log_run::reference(self, run).await,
        }
    }
    async fn update_log(&self, log: TimeLog) -> Result<TimeLog> {
        logs::update_log(&self.pool, log).await
    }
    async fn delete_log(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        logs::delete_log(&self.pool, org_id, id).await
    }
    async fn log(&self, org_id: Uuid, id: Uuid) -> Result<TimeLog> {
        logs::log(&self.pool, org_id, id).await
    }
    async fn logs(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeLog>> {
        logs_batch::live_logs(&self.pool, org_id, ids).await
    }
    async fn log_by_seq(&self, org_id: Uuid, seq: i64) -> Result<TimeLog> {
        logs::log_by_seq(&self.pool, org_id, seq).await
    }
    async fn running_log(&self, org_id: Uuid, employee_id: Uuid) -> Result<Option<TimeLog>> {
        logs::running_log(&self.pool, org_id, employee_id).await
    }
    async fn list_logs(&self, filter: &Filter) -> Result<Vec<TimeLog>> {
        logs::list_logs(&self.pool, filter).await
    }

    async fn page_logs(
        &self,
        filter: &Filter,
        after: Option<(Instant, i64)>,
        limit: u32,
    ) -> Result<Vec<TimeLog>> {
        logs_page::page_logs(&self.pool, filter, after, limit).await
    }

    async fn ensure_timesheet(
        &self,
        id_if_new: Uuid,
        org_id: Uuid,
        employee_id: Uuid,
        start_date: NaiveDate,
        end_date: NaiveDate,
    ) -> Result<(Timesheet, bool)> {
        timesheets::ensure_timesheet(
            &self.pool,
            id_if_new,
            org_id,
            employee_id,
            start_date,
            end_date,
        )
        .await
    }
    async fn timesheet(&self, org_id: Uuid, id: Uuid) -> Result<Timesheet> {
        timesheets::timesheet(&self.pool, org_id, id).await
    }
    async fn timesheet_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Timesheet> {
        timesheets::timesheet_by_seq(&self.pool, org_id, seq).await
    }
    async fn list_timesheets(&self, filter: &TimesheetFilter) -> Result<(Vec<Timesheet>, i64)> {
        timesheets::list_timesheets(&self.pool, filter).await
    }
    async fn update_timesheets(&self, sheets: &[Timesheet]) -> Result<()> {
        timesheets::update_timesheets(&self.pool, sheets).await
    }

    async fn add_slot_part(
        &self,
        slot_id_if_new: Uuid,
        org_id: Uuid,
        employee_id: Uuid,
        project_id: Option<Uuid>,
        started_at: Instant,
        part: SlotPart,
        time_log_ids: Vec<Uuid>,
    ) -> Result<TimeSlot> {
        let at = slots::PartTarget {
            slot_id_if_new,
            org_id,
            employee_id,
            project_id,
            started_at,
        };
        slots::add_slot_part(&self.pool, at, part, time_log_ids).await
    }
    async fn slot(&self, org_id: Uuid, id: Uuid) -> Result<TimeSlot> {
        slots::slot(&self.pool, org_id, id).await
    }
    async fn list_slots(&self, filter: &Filter) -> Result<Vec<TimeSlot>> {
        slots::list_slots(&self.pool, filter).await
    }
    async fn delete_slots(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeSlot>> {
        slots::delete_slots(&self.pool, org_id, ids).await
    }
    async fn insert_activities(&self, activities: &[Activity]) -> Result<u64> {
        slots::insert_activities(&self.pool, activities).await
    }
    async fn list_activities(&self, filter: &Filter) -> Result<Vec<Activity>> {
        slots::list_activities(&self.pool, filter).await
    }

    async fn insert_screenshot(&self, shot: Screenshot) -> Result<(Screenshot, bool)> {
        slots::insert_screenshot(&self.pool, shot).await
    }
    async fn screenshot(&self, org_id: Uuid, id: Uuid) -> Result<Screenshot> {
        slots::screenshot(&self.pool, org_id, id).await
    }
    async fn list_screenshots(&self, filter: &Filter) -> Result<Vec<Screenshot>> {
        slots::list_screenshots(&self.pool, filter).await
    }
    async fn record_screenshot_view(&self, view: ScreenshotView) -> Result<()> {
        slots::record_view(&self.pool, view).await
    }
    async fn list_screenshot_views(&self, filter: &Filter) -> Result<Vec<ScreenshotView>> {
        slots::list_views(&self.pool, filter).await
    }
    async fn purge_screenshot_views(&self, deleted_before: Instant) -> Result<u64> {
        slots::purge_views(&self.pool, deleted_before).await
    }

    async fn delete_screenshot(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        slots::delete_screenshot(&self.pool, org_id, id).await
    }
    async fn screenshots_recorded_before(
        &self,
        org_id: Uuid,
        before: Instant,
        limit: u32,
    ) -> Result<Vec<Screenshot>> {
        retention::recorded_before(&self.pool, org_id, before, limit).await
    }

    async fn create_session(&self, session: Session) -> Result<()> {
        sessions::create_session(&self.pool, session).await
    }
    async fn session(&self, id: Uuid) -> Result<Session> {
        sessions::session(&self.pool, id).await
    }
    async fn session_user(&self, sid: Uuid, org_id: Uuid, user_id: Uuid) -> Result<User> {
        sessions::session_user(&self.pool, sid, org_id, user_id).await
    }
    async fn rotate_session(
        &self,
        id: Uuid,
        presented: &str,
        new_hash: &str,
        now: Instant,
        grace_since: Instant,
        expires_at: Instant,
    ) -> Result<Rotated> {
        sessions::rotate_session(
            &self.pool,
            id,
            presented,
            new_hash,
            now,
            grace_since,
            expires_at,
        )
        .await
    }
    async fn revoke_session(&self, id: Uuid) -> Result<()> {
        sessions::revoke_session(&self.pool, id).await
    }
    async fn setting_or_init(&self, key: &str, value_if_new: &str) -> Result<String> {
        sessions::setting_or_init(&self.pool, key, value_if_new).await
    }
    async fn run_exclusive<'a>(&'a self, key: i64, job: crate::Job<'a>) -> Result<bool> {
        retention::run_exclusive(&self.pool, key, job).await
    }
    fn pool_status(&self) -> crate::PoolStatus {
        let size = self.pool.size();
        crate::PoolStatus {
            size,
            in_use: size.saturating_sub(self.pool.num_idle() as u32),
            max: MAX_CONNECTIONS,
        }
    }
}
