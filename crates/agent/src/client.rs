//! The calls the desktop app makes besides syncing, typed: a week's
//! timesheets and logs, submitting a week, a manager's approvals, and who
//! opened the employee's screenshots, renaming and archiving projects,
//! and the download of "My data".
//! Paths, queries and bodies are
//! Gauzy's, as stint-server serves them; answers are [`crate::wire`] shapes.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;
use stint_model::{Instant, TimesheetStatus, Week};
use uuid::Uuid;

use crate::api::{Api, ApiError, answer, with_causes};
use crate::wire::{Page, ProjectRef, ScreenshotView, ShotRef, TimeLog, Timesheet};

/// What a manager decides about submitted weeks. A denial says why: the
/// server refuses one without a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Approve,
    Deny { reason: &'a str },
}

/// A download may take minutes to build and to send (a year of
/// screenshots): no total limit, only between reads.
const DOWNLOAD_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

impl Api {
    /// `GET path` for a file: the answer once it has succeeded, its body
    /// still to read (with [`reqwest::Response::chunk`], so it never sits
    /// in memory); a 401 refreshes the tokens and asks once more, a
    /// failure is the usual [`ApiError`].
    pub async fn download(&mut self, path: &str) -> Result<reqwest::Response, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .read_timeout(DOWNLOAD_READ_TIMEOUT)
            .build()
            .map_err(|e| ApiError::Offline(with_causes(&e)))?;
        let url = format!("{}{path}", self.session.server);
        for retry in [true, false] {
            let r = http
                .get(&url)
                .bearer_auth(&self.session.token)
                .send()
                .await
                .map_err(|e| ApiError::Offline(with_causes(&e)))?;
            let status = r.status();
            if status.is_success() {
                return Ok(r);
            }
            // A failed status is always an error (a 3xx, not followed, too).
            let e = answer(Ok(r))
                .await
                .err()
                .unwrap_or_else(|| ApiError::Offline(format!("{status}")));
            match e {
                ApiError::SignedOut(_) if retry => self.refresh().await?,
                e => return Err(e),
            }
        }
        Err(ApiError::SignedOut(
            "the server refused the new token".into(),
        ))
    }

    /// `employee`'s timesheet of `week`, if the server has made one yet.
    pub async fn week_timesheet(
        &mut self,
        employee: Uuid,
        week: Week,
    ) -> Result<Option<Timesheet>, ApiError> {
        let sheets: Vec<Timesheet> = self.week_list("/api/timesheet", employee, week).await?;
        Ok(sheets.into_iter().find(|s| s.start_date == week.start))
    }

    /// `employee`'s logs of `week`, IDLE ones too.
    pub async fn week_logs(
        &mut self,
        employee: Uuid,
        week: Week,
    ) -> Result<Vec<TimeLog>, ApiError> {
        self.week_list("/api/timesheet/time-log", employee, week)
            .await
    }

    /// A Gauzy list narrowed to one employee's week.
    async fn week_list<T: DeserializeOwned>(
        &mut self,
        path: &str,
        employee: Uuid,
        week: Week,
    ) -> Result<Vec<T>, ApiError> {
        let (from, to) = (week.start, week.end());
        let page: Page<T> = self
            .get(&format!(
                "{path}?employeeId={employee}&startDate={from}&endDate={to}"
            ))
            .await?;
        Ok(page.items)
    }

    /// Submits timesheets for approval; the server answers with them.
    pub async fn submit_timesheets(&mut self, ids: &[Uuid]) -> Result<Vec<Timesheet>, ApiError> {
        let body = json!({ "ids": ids, "status": TimesheetStatus::Submitted.gauzy() });
        self.put("/api/timesheet/submit", &body).await
    }

    /// Submitted timesheets this user may see: their own and, for a
    /// supervisor or an admin, those waiting for their decision.
    pub async fn submitted_timesheets(&mut self) -> Result<Vec<Timesheet>, ApiError> {
        let path = format!(
            "/api/timesheet?status={}",
            TimesheetStatus::Submitted.gauzy()
        );
        let page: Page<Timesheet> = self.get(&path).await?;
        Ok(page.items)
    }

    /// Approves or denies submitted timesheets; what the server answers
    /// besides success is not needed.
    pub async fn decide_timesheets(
        &mut self,
        ids: &[Uuid],
        decision: Decision<'_>,
    ) -> Result<(), ApiError> {
        let (verb, body) = match decision {
            Decision::Approve => ("approve", json!({ "ids": ids })),
            Decision::Deny { reason } => ("deny", json!({ "ids": ids, "reason": reason })),
        };
        let _: IgnoredAny = self.put(&format!("/api/timesheet/{verb}"), &body).await?;
        Ok(())
    }

    /// `employee`'s logs overlapping `[from, to)`, IDLE ones too: a week
    /// given by its instants, so it is the employee's week whatever zone the
    /// caller is in.
    pub async fn logs_between(
        &mut self,
        employee: Uuid,
        from: Instant,
        to: Instant,
    ) -> Result<Vec<TimeLog>, ApiError> {
        self.between("/api/timesheet/time-log", employee, from, to)
            .await
    }

    /// `employee`'s screenshots taken in `[from, to)` (the list only: no
    /// image is opened, so no view is recorded).
    pub async fn screenshots_between(
        &mut self,
        employee: Uuid,
        from: Instant,
        to: Instant,
    ) -> Result<Vec<ShotRef>, ApiError> {
        self.between("/api/timesheet/screenshot", employee, from, to)
            .await
    }

    async fn between<T: DeserializeOwned>(
        &mut self,
        path: &str,
        employee: Uuid,
        from: Instant,
        to: Instant,
    ) -> Result<Vec<T>, ApiError> {
        let iso = |t: Instant| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let (from, to) = (iso(from), iso(to));
        let page: Page<T> = self
            .get(&format!(
                "{path}?employeeId={employee}&startDate={from}&endDate={to}"
            ))
            .await?;
        Ok(page.items)
    }

    /// The projects `employee` may log time on (the desktop timer's picker
    /// of theirs), for naming their logs.
    pub async fn employee_projects(&mut self, employee: Uuid) -> Result<Vec<ProjectRef>, ApiError> {
        self.get(&format!("/api/organization-projects/employee/{employee}"))
            .await
    }

    /// Views of `employee`'s screenshots by others since `since`, in the
    /// server's order (oldest first).
    pub async fn screenshot_views(
        &mut self,
        employee: Uuid,
        since: Instant,
    ) -> Result<Vec<ScreenshotView>, ApiError> {
        let since = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let page: Page<ScreenshotView> = self
            .get(&format!(
                "/api/privacy/screenshot-views?employeeId={employee}&startDate={since}"
            ))
            .await?;
        Ok(page.items)
    }

    /// Renames project `id` (managers and admins); the server answers the
    /// project as it now is. A taken name is 409, another organization's
    /// id 404.
    pub async fn rename_project(
        &mut self,
        id: Uuid,
        name: &str,
    ) -> Result<(Uuid, String), ApiError> {
        let body = json!({ "name": name });
        let p: ProjectRef = self
            .put(&format!("/api/organization-projects/{id}"), &body)
            .await?;
        Ok((p.id, p.name))
    }

    /// Archives project `id`: the server keeps it and its time for reports
    /// and history, and takes no new time on it.
    pub async fn archive_project(&mut self, id: Uuid) -> Result<(), ApiError> {
        self.delete(&format!("/api/organization-projects/{id}"))
            .await
    }

    /// Creates task `title` in `project` with the client id `id` (sent
    /// again, it answers the same task).
    pub async fn create_task(
        &mut self,
        id: Uuid,
        project: Uuid,
        title: &str,
    ) -> Result<crate::tasks::Task, ApiError> {
        let body = json!({ "id": id, "title": title, "projectId": project });
        let t: crate::wire::TaskRef = self.post("/api/tasks", &body).await?;
        Ok(crate::tasks::Task {
            id: t.id,
            title: t.title,
            project_id: t.project_id,
        })
    }
}
