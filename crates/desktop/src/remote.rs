//! What the window asks the server for: projects, the week's timesheet and
//! its submission, a manager's pending approvals, and who opened the user's
//! screenshots. All through the session's one client and its typed calls
//! ([`stint_agent::client`]), so tokens rotate in one place and the server's
//! shapes are declared once ([`stint_agent::wire`]).

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use stint_agent::api::{Api, ApiError};
use stint_agent::client::Decision;
use stint_agent::outbox::with;
use stint_agent::projects::{self, ProjectList};
use stint_agent::sync::SharedApi;
use stint_agent::wire;
use stint_model::{WEEK_START, Week, parse_date};
use uuid::Uuid;

use crate::app::Desktop;
use crate::dto::{
    Made, NewProject, PendingTimesheet, Project, ScreenshotView, Timesheet, TimesheetEntry,
    TimesheetStatus, ViewKind,
};
use crate::error::{IpcError, IpcResult, parse_id};

/// How far back the Privacy tab looks.
const VIEWS_DAYS: i64 = 30;

impl From<wire::ViewKind> for ViewKind {
    fn from(k: wire::ViewKind) -> Self {
        match k {
            wire::ViewKind::File => ViewKind::File,
            wire::ViewKind::Thumb => ViewKind::Thumb,
        }
    }
}

/// The agent's project list as the window shows it.
fn shown(list: ProjectList) -> Vec<Project> {
    list.projects
        .into_iter()
        .map(|p| Project {
            id: p.id.to_string(),
            name: p.name,
        })
        .collect()
}

impl Desktop {
    /// The session's client, and where its server is (for messages).
    pub(crate) async fn client(&self) -> IpcResult<(SharedApi, String)> {
        let inner = self.inner.lock().await;
        let c = inner.conn.as_ref().ok_or_else(IpcError::signed_out)?;
        Ok((c.api.clone(), c.place.clone()))
    }

    /// One call on the session's server, its errors in words.
    pub(crate) async fn call<T>(
        &self,
        f: impl AsyncFnOnce(&mut Api) -> Result<T, ApiError>,
    ) -> IpcResult<T> {
        let (api, place) = self.client().await?;
        let mut api = api.lock().await;
        f(&mut api).await.map_err(|e| IpcError::from_api(&place, e))
    }

    pub(crate) async fn me(&self) -> IpcResult<Uuid> {
        let inner = self.inner.lock().await;
        Ok(inner
            .conn
            .as_ref()
            .ok_or_else(IpcError::signed_out)?
            .employee_id)
    }

    /// The project list the server last gave (shared with `stint track`).
    pub(crate) fn cached_projects(&self) -> IpcResult<Vec<Project>> {
        Ok(with(&self.outbox, |o| projects::cached(o))?
            .map(shown)
            .unwrap_or_default())
    }

    /// Projects the user may track time on; the saved list when the server
    /// does not answer within a few seconds (Start waits on this).
    pub async fn projects(&self) -> IpcResult<Vec<Project>> {
        let (api, place) = self.client().await?;
        projects::list(&self.outbox, &api, projects::START_WAIT)
            .await
            .map(shown)
            .map_err(|e| IpcError::from_api(&place, e))
    }

    /// "New project…": made on the server when it answers within a few
    /// seconds, else on this computer to be sent by the sync, so the timer
    /// can start on it at once either way.
    pub async fn create_project(&self, name: &str) -> IpcResult<NewProject> {
        let (api, _) = self.client().await?;
        let made = projects::create(&self.outbox, &api, name, projects::START_WAIT)
            .await
            .map_err(|e| match e {
                projects::CreateError::Invalid(m) => IpcError::invalid(m),
                projects::CreateError::Refused(m) => IpcError::new("refused", m),
                projects::CreateError::Outbox(e) => e.into(),
            })?;
        let how = match &made {
            projects::Made::Created(_) => Made::Created,
            projects::Made::Existing(_) => Made::Existing,
            projects::Made::Queued(_) => Made::Queued,
        };
        let p = made.project();
        Ok(NewProject {
            project: Project {
                id: p.id.to_string(),
                name: p.name.clone(),
            },
            made: how,
        })
    }

    /// A project's name, from the cache or else the server.
    pub(crate) async fn project_name(&self, id: Uuid) -> IpcResult<Option<String>> {
        let find = |list: Vec<Project>| {
            list.into_iter()
                .find(|p| p.id == id.to_string())
                .map(|p| p.name)
        };
        if let Some(n) = find(self.cached_projects()?) {
            return Ok(Some(n));
        }
        Ok(find(self.projects().await?))
    }

    /// The week (Sun–Sat, [`WEEK_START`]) holding `week_start`, or this
    /// week.
    pub async fn timesheet(&self, week_start: Option<String>) -> IpcResult<Timesheet> {
        let tz = self.live.zone();
        let week = match week_start.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Week::containing(
                parse_date(s, "weekStart").map_err(|e| IpcError::invalid(e.to_string()))?,
                WEEK_START,
            ),
            None => Week::at(Utc::now(), tz, WEEK_START),
        };
        let me = self.me().await?;
        let sheet = self
            .call(async |api| api.week_timesheet(me, week).await)
            .await?;
        let logs = self.call(async |api| api.week_logs(me, week).await).await?;
        let names = self.cached_projects()?;
        let mut entries: Vec<TimesheetEntry> = logs
            .into_iter()
            .filter(|l| l.log_type.counts())
            .map(|l| TimesheetEntry {
                id: l.id.to_string(),
                date: l.started_at.with_timezone(&tz).date_naive().to_string(),
                project_name: l.project_id.and_then(|project| {
                    names
                        .iter()
                        .find(|p| p.id == project.to_string())
                        .map(|p| p.name.clone())
                }),
                description: l.description,
                started_at: l.started_at,
                stopped_at: l.stopped_at,
                seconds: l.duration,
            })
            .collect();
        entries.sort_by_key(|e| e.started_at);
        let total: i64 = entries.iter().map(|e| e.seconds).sum();
        Ok(Timesheet {
            id: sheet.as_ref().map(|s| s.id.to_string()),
            week_start: week.start.to_string(),
            week_end: week.end().to_string(),
            status: sheet
                .as_ref()
                .map_or(TimesheetStatus::Draft, |s| s.status.into()),
            total_seconds: sheet.as_ref().map_or(total, |s| s.duration),
            rejection_reason: sheet.and_then(|s| s.rejection_reason),
            entries,
        })
    }

    /// Submits a week, after sending everything tracked here: a week must
    /// not go to the manager without time still waiting on this computer.
    pub async fn submit_timesheet(&self, id: &str) -> IpcResult<Timesheet> {
        let id = parse_id(id, "timesheet")?;
        {
            let inner = self.inner.lock().await;
            let c = inner.conn.as_ref().ok_or_else(IpcError::signed_out)?;
            c.push_now(&self.outbox, Duration::from_secs(10)).await;
        }
        let pending = with(&self.outbox, |o| o.backlog())?.pending;
        if pending > 0 {
            return Err(IpcError::conflict(format!(
                "{pending} log(s) tracked here have not reached the server yet; submit once they have."
            )));
        }
        let submitted = self
            .call(async |api| api.submit_timesheets(&[id]).await)
            .await?;
        let start = submitted.first().map(|s| s.start_date.to_string());
        self.timesheet(start).await
    }

    /// Submitted weeks of the people whose timesheets this user approves.
    pub async fn pending_approvals(&self) -> IpcResult<Vec<PendingTimesheet>> {
        let me = self.me().await?;
        let submitted = self
            .call(async |api| api.submitted_timesheets().await)
            .await?;
        Ok(submitted
            .into_iter()
            .filter(|s| s.employee_id != me)
            .map(|s| PendingTimesheet {
                id: s.id.to_string(),
                employee_name: s.employee.full_name,
                employee_email: s.employee.user.email,
                week_start: s.start_date.to_string(),
                week_end: s.end_date.to_string(),
                total_seconds: s.duration,
                submitted_at: s.submitted_at,
            })
            .collect())
    }

    /// Who else opened the user's screenshots in the last [`VIEWS_DAYS`]
    /// days, newest first. Always narrowed to the user's own: an admin's
    /// unnarrowed list would be the whole organization's.
    pub async fn screenshot_views(&self) -> IpcResult<Vec<ScreenshotView>> {
        let me = self.me().await?;
        let since = Utc::now() - TimeDelta::days(VIEWS_DAYS);
        let seen = self
            .call(async |api| api.screenshot_views(me, since).await)
            .await?;
        let mut views: Vec<ScreenshotView> = seen
            .into_iter()
            .map(|v| ScreenshotView {
                id: v.id.to_string(),
                screenshot_id: v.screenshot_id.to_string(),
                viewer_id: v.viewer_id.to_string(),
                viewer_name: v.viewer_name,
                viewed_at: v.viewed_at,
                kind: v.kind.into(),
            })
            .collect();
        // The server lists oldest first; the window reads the latest first.
        views.sort_by_key(|v| std::cmp::Reverse(v.viewed_at));
        Ok(views)
    }

    pub async fn approve(&self, id: &str) -> IpcResult<()> {
        self.decide(id, Decision::Approve).await
    }

    /// Sends the week back with `reason`, checked here by the model's rule
    /// first so a blank or too long one is answered without a round trip.
    pub async fn reject(&self, id: &str, reason: &str) -> IpcResult<()> {
        let reason = stint_model::rejection_reason(stint_model::Transition::Reject, Some(reason))
            .map_err(|e| IpcError::invalid(e.to_string()))?
            .unwrap_or_default();
        self.decide(id, Decision::Deny { reason: &reason }).await
    }

    async fn decide(&self, id: &str, decision: Decision<'_>) -> IpcResult<()> {
        let id = parse_id(id, "timesheet")?;
        self.call(async |api| api.decide_timesheets(&[id], decision).await)
            .await
    }
}
