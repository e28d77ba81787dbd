//! What the window asks the server for: projects, the week's timesheet and
//! its submission, a manager's pending approvals, and who opened the user's
//! screenshots. All through the
//! session's one client (Gauzy endpoints), so tokens rotate in one place.

use std::time::Duration;

use chrono::{SecondsFormat, TimeDelta, Utc, Weekday};
use serde_json::{Value, json};
use stint_agent::outbox::lock;
use stint_agent::projects::{self, ProjectList};
use stint_agent::sync::SharedApi;
use stint_model::{Week, parse_date};
use uuid::Uuid;

use crate::app::Desktop;
use crate::dto::{
    PendingTimesheet, Project, ScreenshotView, Timesheet, TimesheetEntry, TimesheetStatus, ViewKind,
};
use crate::error::{IpcError, IpcResult, parse_id};

/// How far back the Privacy tab looks.
const VIEWS_DAYS: i64 = 30;

fn items(v: &Value) -> Vec<Value> {
    v.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn text(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn instant(v: &Value, k: &str) -> Option<stint_model::Instant> {
    v.get(k)
        .and_then(Value::as_str)
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.to_utc())
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
    async fn client(&self) -> IpcResult<(SharedApi, String)> {
        let inner = self.inner.lock().await;
        let c = inner.conn.as_ref().ok_or_else(IpcError::signed_out)?;
        Ok((c.api.clone(), c.place.clone()))
    }

    /// GET (or PUT with a body) on the session's server, errors in words.
    async fn call(&self, path: &str, put: Option<Value>) -> IpcResult<Value> {
        let (api, place) = self.client().await?;
        let mut api = api.lock().await;
        let r = match &put {
            Some(body) => api.put(path, body).await,
            None => api.get(path).await,
        };
        r.map_err(|e| IpcError::from_api(&place, e))
    }

    async fn me(&self) -> IpcResult<Uuid> {
        let inner = self.inner.lock().await;
        Ok(inner
            .conn
            .as_ref()
            .ok_or_else(IpcError::signed_out)?
            .employee_id)
    }

    /// The project list the server last gave (shared with `stint track`).
    pub(crate) fn cached_projects(&self) -> IpcResult<Vec<Project>> {
        Ok(projects::cached(&lock(&self.outbox))?
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

    /// The week (Sun–Sat) holding `week_start`, or this week.
    pub async fn timesheet(&self, week_start: Option<String>) -> IpcResult<Timesheet> {
        let tz = self.live.zone();
        let week = match week_start.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Week::containing(
                parse_date(s, "weekStart").map_err(|e| IpcError::invalid(e.to_string()))?,
                Weekday::Sun,
            ),
            None => Week::at(Utc::now(), tz, Weekday::Sun),
        };
        let me = self.me().await?;
        let range = format!(
            "employeeId={me}&startDate={}&endDate={}",
            week.start,
            week.end()
        );
        let sheets = self.call(&format!("/api/timesheet?{range}"), None).await?;
        let sheet = items(&sheets)
            .into_iter()
            .find(|s| text(s, "startDate") == week.start.to_string());
        let logs = self
            .call(&format!("/api/timesheet/time-log?{range}"), None)
            .await?;
        let names = self.cached_projects()?;
        let mut entries: Vec<TimesheetEntry> = items(&logs)
            .iter()
            .filter(|l| text(l, "logType") != "IDLE")
            .filter_map(|l| {
                let started_at = instant(l, "startedAt")?;
                let project = text(l, "projectId");
                Some(TimesheetEntry {
                    id: text(l, "id"),
                    date: started_at.with_timezone(&tz).date_naive().to_string(),
                    project_name: names
                        .iter()
                        .find(|p| p.id == project)
                        .map(|p| p.name.clone()),
                    description: text(l, "description"),
                    started_at,
                    stopped_at: instant(l, "stoppedAt"),
                    seconds: l.get("duration").and_then(Value::as_i64).unwrap_or(0),
                })
            })
            .collect();
        entries.sort_by_key(|e| e.started_at);
        let total: i64 = entries.iter().map(|e| e.seconds).sum();
        Ok(Timesheet {
            id: sheet.as_ref().map(|s| text(s, "id")),
            week_start: week.start.to_string(),
            week_end: week.end().to_string(),
            status: sheet.as_ref().map_or(TimesheetStatus::Draft, |s| {
                stint_model::TimesheetStatus::from_gauzy(&text(s, "status"))
                    .map_or(TimesheetStatus::Draft, Into::into)
            }),
            total_seconds: sheet
                .as_ref()
                .and_then(|s| s.get("duration").and_then(Value::as_i64))
                .unwrap_or(total),
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
        let pending = lock(&self.outbox).backlog()?.pending;
        if pending > 0 {
            return Err(IpcError::conflict(format!(
                "{pending} log(s) tracked here have not reached the server yet; submit once they have."
            )));
        }
        let r = self
            .call(
                "/api/timesheet/submit",
                Some(json!({ "ids": [id], "status": "PENDING" })),
            )
            .await?;
        let start = r
            .as_array()
            .and_then(|a| a.first())
            .map(|s| text(s, "startDate"));
        self.timesheet(start).await
    }

    /// Submitted weeks of the people whose timesheets this user approves.
    pub async fn pending_approvals(&self) -> IpcResult<Vec<PendingTimesheet>> {
        let me = self.me().await?.to_string();
        let r = self.call("/api/timesheet?status=PENDING", None).await?;
        Ok(items(&r)
            .iter()
            .filter(|s| text(s, "employeeId") != me)
            .map(|s| {
                let employee = s.get("employee").cloned().unwrap_or_default();
                let user = employee.get("user").cloned().unwrap_or_default();
                PendingTimesheet {
                    id: text(s, "id"),
                    employee_name: text(&employee, "fullName"),
                    employee_email: text(&user, "email"),
                    week_start: text(s, "startDate"),
                    week_end: text(s, "endDate"),
                    total_seconds: s.get("duration").and_then(Value::as_i64).unwrap_or(0),
                    submitted_at: instant(s, "submittedAt"),
                }
            })
            .collect())
    }

    /// Who else opened the user's screenshots in the last [`VIEWS_DAYS`]
    /// days, newest first. Always narrowed to the user's own: an admin's
    /// unnarrowed list would be the whole organization's.
    pub async fn screenshot_views(&self) -> IpcResult<Vec<ScreenshotView>> {
        let me = self.me().await?;
        let since =
            (Utc::now() - TimeDelta::days(VIEWS_DAYS)).to_rfc3339_opts(SecondsFormat::Millis, true);
        let r = self
            .call(
                &format!("/api/privacy/screenshot-views?employeeId={me}&startDate={since}"),
                None,
            )
            .await?;
        let mut views: Vec<ScreenshotView> = items(&r)
            .iter()
            .filter_map(|v| {
                Some(ScreenshotView {
                    id: text(v, "id"),
                    screenshot_id: text(v, "screenshotId"),
                    viewer_id: text(v, "viewerId"),
                    viewer_name: text(v, "viewerName"),
                    viewed_at: instant(v, "viewedAt")?,
                    kind: match text(v, "kind").as_str() {
                        "thumb" => ViewKind::Thumb,
                        _ => ViewKind::File,
                    },
                })
            })
            .collect();
        // The server lists oldest first; the window reads the latest first.
        views.sort_by_key(|v| std::cmp::Reverse(v.viewed_at));
        Ok(views)
    }

    pub async fn approve(&self, id: &str) -> IpcResult<()> {
        self.decide(id, "approve").await
    }

    pub async fn reject(&self, id: &str) -> IpcResult<()> {
        self.decide(id, "deny").await
    }

    async fn decide(&self, id: &str, verb: &str) -> IpcResult<()> {
        let id = parse_id(id, "timesheet")?;
        self.call(
            &format!("/api/timesheet/{verb}"),
            Some(json!({ "ids": [id] })),
        )
        .await
        .map(|_| ())
    }
}
