//! The [`Store`] trait for [`SqliteStore`]: each method moves its arguments
//! onto the blocking pool and runs the matching function of a sibling
//! module, writes inside one `BEGIN IMMEDIATE` transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use stint_model::{
    Activity, Instant, Organization, Project, Screenshot, ScreenshotView, SlotPart, Task, TimeLog,
    TimeSlot, Timesheet, User,
};
use uuid::Uuid;

use super::rows::opt_ms;
use super::slots::PartTarget;
use super::{SqliteStore, client_ids, logs, orgs, screenshots, sessions, slots, tasks, timesheets};
use crate::{
    Filter, IdKind, NewUser, Result, Rotated, Session, Store, TaskFilter, TimesheetFilter,
};

#[async_trait]
impl Store for SqliteStore {
    async fn create_org(&self, id: Uuid, name: &str) -> Result<Organization> {
        let name = name.to_owned();
        self.write(move |tx| orgs::create_org(tx, id, &name)).await
    }

    async fn org(&self, id: Uuid) -> Result<Organization> {
        self.call(move |c| orgs::org(c, id)).await
    }

    async fn org_by_name(&self, name: &str) -> Result<Organization> {
        let name = name.to_owned();
        self.call(move |c| orgs::org_by_name(c, &name)).await
    }

    async fn list_orgs(&self) -> Result<Vec<Organization>> {
        self.call(|c| orgs::list_orgs(c)).await
    }

    async fn set_all_projects_available(&self, org_id: Uuid, on: bool) -> Result<Organization> {
        self.write(move |tx| orgs::set_org_setting(tx, org_id, "all_projects_available", on))
            .await
    }

    async fn set_screenshot_retention(
        &self,
        org_id: Uuid,
        days: Option<u32>,
    ) -> Result<Organization> {
        let column = "screenshot_retention_days";
        self.write(move |tx| orgs::set_org_setting(tx, org_id, column, days))
            .await
    }

    async fn set_members_create_projects(&self, org_id: Uuid, on: bool) -> Result<Organization> {
        self.write(move |tx| orgs::set_org_setting(tx, org_id, "members_create_projects", on))
            .await
    }

    async fn set_screenshot_deletion(
        &self,
        org_id: Uuid,
        rule: stint_model::ScreenshotDeletion,
    ) -> Result<Organization> {
        let rule = rule.as_str();
        self.write(move |tx| orgs::set_org_setting(tx, org_id, "screenshot_deletion", rule))
            .await
    }

    async fn set_never_capture(&self, org_id: Uuid, list: &str) -> Result<Organization> {
        let list = list.to_string();
        self.write(move |tx| orgs::set_org_setting(tx, org_id, "never_capture", list))
            .await
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.write(move |tx| orgs::create_user(tx, user)).await
    }

    async fn user(&self, org_id: Uuid, id: Uuid) -> Result<User> {
        self.call(move |c| orgs::user(c, org_id, id)).await
    }

    async fn user_by_seq(&self, org_id: Uuid, seq: i64) -> Result<User> {
        self.call(move |c| orgs::user_by_seq(c, org_id, seq)).await
    }

    async fn user_by_id(&self, user_id: Uuid) -> Result<User> {
        self.call(move |c| orgs::user_by_id(c, user_id)).await
    }

    async fn user_by_email(&self, email: &str) -> Result<User> {
        let email = email.to_owned();
        self.call(move |c| orgs::user_by_email(c, &email)).await
    }

    async fn list_users(&self, org_id: Uuid) -> Result<Vec<User>> {
        self.call(move |c| orgs::list_users(c, org_id)).await
    }

    async fn create_project(&self, id: Uuid, org_id: Uuid, name: &str) -> Result<Project> {
        let name = name.to_owned();
        self.write(move |tx| orgs::create_project(tx, id, org_id, &name))
            .await
    }

    async fn project(&self, org_id: Uuid, id: Uuid) -> Result<Project> {
        self.call(move |c| orgs::project(c, org_id, id)).await
    }

    async fn project_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Project> {
        self.call(move |c| orgs::project_by_seq(c, org_id, seq))
            .await
    }

    async fn project_by_name(&self, org_id: Uuid, name: &str) -> Result<Project> {
        let name = name.to_owned();
        self.call(move |c| orgs::project_by_name(c, org_id, &name))
            .await
    }

    async fn list_projects(&self, org_id: Uuid) -> Result<Vec<Project>> {
        self.call(move |c| orgs::list_projects(c, org_id)).await
    }

    async fn rename_project(&self, org_id: Uuid, id: Uuid, name: &str) -> Result<Project> {
        let name = name.to_owned();
        self.write(move |tx| orgs::rename_project(tx, org_id, id, &name))
            .await
    }

    async fn set_project_archived(
        &self,
        org_id: Uuid,
        id: Uuid,
        at: Option<Instant>,
    ) -> Result<Project> {
        self.write(move |tx| orgs::set_project_archived(tx, org_id, id, opt_ms(at)))
            .await
    }

    async fn create_task(&self, task: Task) -> Result<Task> {
        self.write(move |tx| tasks::create_task(tx, task)).await
    }

    async fn task(&self, org_id: Uuid, id: Uuid) -> Result<Task> {
        self.call(move |c| tasks::task(c, org_id, id)).await
    }

    async fn update_task(&self, task: Task) -> Result<Task> {
        self.write(move |tx| tasks::update_task(tx, task)).await
    }

    async fn list_tasks(&self, filter: &TaskFilter) -> Result<Vec<Task>> {
        let filter = filter.clone();
        self.call(move |c| tasks::list_tasks(c, &filter)).await
    }

    async fn assign_project(&self, project_id: Uuid, user_id: Uuid) -> Result<()> {
        self.write(move |tx| orgs::assign_project(tx, project_id, user_id))
            .await
    }

    async fn assigned_projects(&self, user_id: Uuid) -> Result<Vec<Uuid>> {
        self.call(move |c| orgs::assigned_projects(c, user_id))
            .await
    }

    async fn claim_ids(
        &self,
        org_id: Uuid,
        kind: IdKind,
        owner_id: Uuid,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>> {
        let ids = ids.to_vec();
        self.write(move |tx| client_ids::claim_ids(tx, org_id, kind, owner_id, &ids))
            .await
    }

    async fn insert_log(
        &self,
        log: TimeLog,
        stop_running: Option<String>,
    ) -> Result<(TimeLog, bool)> {
        self.write(move |tx| logs::insert_log(tx, log, stop_running))
            .await
    }

    async fn insert_logs(
        &self,
        batch: Vec<(TimeLog, Option<String>)>,
    ) -> Result<Vec<Result<(TimeLog, bool)>>> {
        self.write(move |tx| logs::insert_logs(tx, batch)).await
    }

    async fn sync_logs(&self, run: crate::LogRun) -> Result<crate::RunOutcome> {
        self.write(move |tx| super::log_run::sync_logs(tx, run))
            .await
    }

    async fn update_log(&self, log: TimeLog) -> Result<TimeLog> {
        self.write(move |tx| logs::update_log(tx, log)).await
    }

    async fn delete_log(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        self.write(move |tx| logs::delete_log(tx, org_id, id)).await
    }

    async fn log(&self, org_id: Uuid, id: Uuid) -> Result<TimeLog> {
        self.call(move |c| logs::log(c, org_id, id)).await
    }

    async fn logs(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeLog>> {
        let ids = ids.to_vec();
        self.call(move |c| logs::live_logs(c, org_id, &ids)).await
    }

    async fn log_by_seq(&self, org_id: Uuid, seq: i64) -> Result<TimeLog> {
        self.call(move |c| logs::log_by_seq(c, org_id, seq)).await
    }

    async fn running_log(&self, org_id: Uuid, employee_id: Uuid) -> Result<Option<TimeLog>> {
        self.call(move |c| logs::running_log(c, org_id, employee_id))
            .await
    }

    async fn list_logs(&self, filter: &Filter) -> Result<Vec<TimeLog>> {
        let f = filter.clone();
        self.call(move |c| logs::list_logs(c, &f)).await
    }

    async fn page_logs(
        &self,
        filter: &Filter,
        after: Option<(Instant, i64)>,
        limit: u32,
    ) -> Result<Vec<TimeLog>> {
        let f = filter.clone();
        self.call(move |c| super::logs_page::page_logs(c, &f, after, limit))
            .await
    }

    async fn ensure_timesheet(
        &self,
        id_if_new: Uuid,
        org_id: Uuid,
        employee_id: Uuid,
        start_date: NaiveDate,
        end_date: NaiveDate,
    ) -> Result<(Timesheet, bool)> {
        self.write(move |tx| {
            timesheets::ensure_timesheet(tx, id_if_new, org_id, employee_id, start_date, end_date)
        })
        .await
    }

    async fn timesheet(&self, org_id: Uuid, id: Uuid) -> Result<Timesheet> {
        self.call(move |c| timesheets::timesheet(c, org_id, id))
            .await
    }

    async fn timesheet_by_seq(&self, org_id: Uuid, seq: i64) -> Result<Timesheet> {
        self.call(move |c| timesheets::timesheet_by_seq(c, org_id, seq))
            .await
    }

    async fn list_timesheets(&self, filter: &TimesheetFilter) -> Result<(Vec<Timesheet>, i64)> {
        let f = filter.clone();
        self.call(move |c| timesheets::list_timesheets(c, &f)).await
    }

    async fn update_timesheets(&self, sheets: &[Timesheet]) -> Result<()> {
        let sheets = sheets.to_vec();
        self.write(move |tx| timesheets::update_timesheets(tx, &sheets))
            .await
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
        let at = PartTarget {
            slot_id_if_new,
            org_id,
            employee_id,
            project_id,
            started_at,
        };
        self.write(move |tx| slots::add_slot_part(tx, at, part, time_log_ids))
            .await
    }

    async fn slot(&self, org_id: Uuid, id: Uuid) -> Result<TimeSlot> {
        self.call(move |c| slots::slot(c, org_id, id)).await
    }

    async fn list_slots(&self, filter: &Filter) -> Result<Vec<TimeSlot>> {
        let f = filter.clone();
        self.call(move |c| slots::list_slots(c, &f)).await
    }

    async fn delete_slots(&self, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeSlot>> {
        let ids = ids.to_vec();
        self.write(move |tx| slots::delete_slots(tx, org_id, &ids))
            .await
    }

    async fn insert_activities(&self, activities: &[Activity]) -> Result<u64> {
        let activities = activities.to_vec();
        self.write(move |tx| slots::insert_activities(tx, &activities))
            .await
    }

    async fn list_activities(&self, filter: &Filter) -> Result<Vec<Activity>> {
        let f = filter.clone();
        self.call(move |c| slots::list_activities(c, &f)).await
    }

    async fn insert_screenshot(&self, shot: Screenshot) -> Result<(Screenshot, bool)> {
        self.write(move |tx| screenshots::insert_screenshot(tx, shot))
            .await
    }

    async fn screenshot(&self, org_id: Uuid, id: Uuid) -> Result<Screenshot> {
        self.call(move |c| screenshots::screenshot(c, org_id, id))
            .await
    }

    async fn list_screenshots(&self, filter: &Filter) -> Result<Vec<Screenshot>> {
        let f = filter.clone();
        self.call(move |c| screenshots::list_screenshots(c, &f))
            .await
    }

    async fn record_screenshot_view(&self, view: ScreenshotView) -> Result<()> {
        self.write(move |tx| screenshots::record_view(tx, view))
            .await
    }

    async fn list_screenshot_views(&self, filter: &Filter) -> Result<Vec<ScreenshotView>> {
        let f = filter.clone();
        self.call(move |c| screenshots::list_views(c, &f)).await
    }

    async fn purge_screenshot_views(&self, deleted_before: Instant) -> Result<u64> {
        self.write(move |tx| screenshots::purge_views(tx, deleted_before))
            .await
    }

    async fn delete_screenshot(&self, org_id: Uuid, id: Uuid) -> Result<()> {
        self.write(move |tx| screenshots::delete_screenshot(tx, org_id, id))
            .await
    }

    async fn screenshots_recorded_before(
        &self,
        org_id: Uuid,
        before: Instant,
        limit: u32,
    ) -> Result<Vec<Screenshot>> {
        self.call(move |c| screenshots::recorded_before(c, org_id, before, limit))
            .await
    }

    async fn create_session(&self, session: Session) -> Result<()> {
        self.write(move |tx| sessions::create_session(tx, session))
            .await
    }

    async fn session(&self, id: Uuid) -> Result<Session> {
        self.call(move |c| sessions::session(c, id)).await
    }

    async fn session_user(&self, sid: Uuid, org_id: Uuid, user_id: Uuid) -> Result<User> {
        self.call(move |c| sessions::session_user(c, sid, org_id, user_id))
            .await
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
        let (presented, new) = (presented.to_owned(), new_hash.to_owned());
        self.write(move |tx| {
            sessions::rotate_session(tx, id, &presented, &new, now, grace_since, expires_at)
        })
        .await
    }

    async fn revoke_session(&self, id: Uuid) -> Result<()> {
        self.write(move |tx| sessions::revoke_session(tx, id)).await
    }

    async fn setting_or_init(&self, key: &str, value_if_new: &str) -> Result<String> {
        let (key, value) = (key.to_owned(), value_if_new.to_owned());
        self.write(move |tx| sessions::setting_or_init(tx, &key, &value))
            .await
    }

    /// One connection, in use while a call holds it.
    fn pool_status(&self) -> crate::PoolStatus {
        let held = matches!(
            self.conn.try_lock(),
            Err(std::sync::TryLockError::WouldBlock)
        );
        crate::PoolStatus {
            size: 1,
            in_use: u32::from(held),
            max: 1,
        }
    }
}
