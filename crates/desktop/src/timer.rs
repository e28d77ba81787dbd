//! Start, Stop, the idle prompt's answers and deleting a screenshot with
//! the time it stood for: the commands that change what is tracked.

use chrono::Utc;
use stint_agent::cut::cut_log;
use stint_agent::outbox::{LogContext, OutboxError, with};
use stint_agent::runner::{self, Control, TrackOptions, start};
use stint_agent::slots::SlotReport;
use stint_agent::tracker::Change;
use stint_model::ScreenshotDeletion;

use crate::app::Desktop;
use crate::dto::Settings;
use crate::dto::{IdleAnswer, Status};
use crate::error::{IpcError, IpcResult, parse_id};
use crate::live::Run;

/// What a start or a change names, checked.
struct Target {
    project: Option<String>,
    project_uuid: Option<uuid::Uuid>,
    project_name: Option<String>,
    task_uuid: Option<uuid::Uuid>,
    description: String,
}

impl Desktop {
    /// Starts the timer on `project_id` (or none); a timer already running
    /// here is stopped first. The server stops one running elsewhere.
    pub async fn start(
        &self,
        project_id: Option<String>,
        description: String,
    ) -> IpcResult<Status> {
        self.start_on(project_id, None, description).await
    }

    /// [`Desktop::start`] on a task of the project too.
    pub async fn start_on(
        &self,
        project_id: Option<String>,
        task_id: Option<String>,
        description: String,
    ) -> IpcResult<Status> {
        let Target {
            project,
            project_uuid,
            project_name,
            task_uuid,
            description,
        } = self.target(project_id, task_id, &description).await?;
        let mut inner = self.inner.lock().await;
        if inner.conn.is_none() {
            return Err(IpcError::signed_out());
        }
        self.stop_run(&mut inner).await;
        let settings = with(&self.outbox, |o| Settings::load(o))?;
        let opts = TrackOptions {
            outbox: self.outbox.clone(),
            context: LogContext {
                project_id: project_uuid,
                task_id: task_uuid,
                description: description.clone(),
            },
            tracker: settings.tracker(self.platform.poll),
            idle_answer: None,
            shots: settings.shots(),
            still_working: settings.still_working(),
            private: settings
                .private_apps()
                .and(&with(&self.outbox, |o| stint_agent::policy::saved(o))),
        };
        let (idle, capturer) = ((self.platform.idle)(), (self.platform.capturer)());
        let on_event = self.live.on_event();
        let mut handle = start(opts, idle, capturer, on_event, runner::channel());
        let started = handle.started();
        self.live.begin(Run {
            started_at: Utc::now(),
            project_id: project,
            project_name,
            description,
            handle,
        });
        // The answer shows the run's first log.
        started.await;
        if let Some(c) = &inner.conn {
            c.wake.notify_one();
        }
        self.live.tell_tracking();
        self.status_of(&inner)
    }

    /// Changes what the running timer is about: its log (synced again with
    /// the change) and any log the run opens after it. Errors as for Start;
    /// `conflict` when nothing runs.
    pub async fn change_running(
        &self,
        project_id: Option<String>,
        task_id: Option<String>,
        description: String,
    ) -> IpcResult<Status> {
        let t = self.target(project_id, task_id, &description).await?;
        let inner = self.inner.lock().await;
        let not_running = || IpcError::new("conflict", "The timer is not running.");
        let controls = self.live.controls().ok_or_else(not_running)?;
        let to = LogContext {
            project_id: t.project_uuid,
            task_id: t.task_uuid,
            description: t.description.clone(),
        };
        if !controls.send(Control::Retarget(to)).await
            || !self
                .live
                .retarget((t.project, t.project_name), t.description)
        {
            return Err(not_running());
        }
        if let Some(c) = &inner.conn {
            c.wake.notify_one();
        }
        self.live.tell_tracking();
        self.status_of(&inner)
    }

    /// Checks what a start (or a change) names: a description the model
    /// takes, a project the person may track on, a task of that project.
    async fn target(
        &self,
        project_id: Option<String>,
        task_id: Option<String>,
        description: &str,
    ) -> IpcResult<Target> {
        let description = description.trim().to_string();
        stint_model::validate_description(&description).map_err(|e| IpcError::invalid(e.0))?;
        let project = project_id.filter(|p| !p.trim().is_empty());
        let project_uuid = project
            .as_deref()
            .map(|p| parse_id(p, "project"))
            .transpose()?;
        let project_name = match project_uuid {
            Some(id) => Some(self.project_name(id).await?.ok_or_else(|| {
                IpcError::not_found("That project is not one you can track time on.")
            })?),
            None => None,
        };
        let task = self.start_task(project_uuid, task_id.as_deref()).await?;
        Ok(Target {
            project,
            project_uuid,
            project_name,
            task_uuid: task.map(|t| parse_id(&t.id, "task")).transpose()?,
            description,
        })
    }

    pub async fn stop(&self) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        self.stop_run(&mut inner).await;
        self.status_of(&inner)
    }

    /// Keep counts the idle stretch, Discard leaves it idle, Stop also ends
    /// the timer as of the moment idle began.
    /// "Yes, still working": the timer goes on, and asks again after the
    /// same number of hours.
    pub async fn still_working(&self) -> IpcResult<Status> {
        let inner = self.inner.lock().await;
        self.live.take_still_working().ok_or_else(|| {
            IpcError::not_found("\u{201c}Still working?\u{201d} has already been answered.")
        })?;
        let answered = match self.live.controls() {
            Some(c) => c.send(Control::StillWorking).await,
            None => false,
        };
        if !answered {
            return Err(IpcError::not_found("The timer has already stopped."));
        }
        self.status_of(&inner)
    }

    pub async fn answer_idle(&self, idle_log_id: &str, answer: IdleAnswer) -> IpcResult<Status> {
        let inner = self.inner.lock().await;
        let prompt = self
            .live
            .take_prompt(idle_log_id)
            .ok_or_else(|| IpcError::not_found("That idle time has already been answered."))?;
        let idle_log = parse_id(&prompt.idle_log_id, "log")?;
        let control = Control::Answer {
            idle_log,
            answer: answer.into(),
        };
        // Discard & stop ends the run: its owner waits for the last write.
        let stopping = if answer == IdleAnswer::Stop {
            self.live.take_run()
        } else {
            None
        };
        let controls = match &stopping {
            Some(run) => Some(run.handle.controls()),
            None => self.live.controls(),
        };
        let answered = match controls {
            Some(c) => c.send(control).await,
            None => false,
        };
        if let Some(run) = stopping {
            let _ = run.handle.stop().await;
        }
        // The timer has stopped since: only Keep changes anything.
        if !answered && answer == IdleAnswer::Keep {
            with(&self.outbox, |o| {
                let log = o.log(idle_log)?;
                match log.and_then(|l| Change::kept(l.id, l.log_type)) {
                    Some(keep) => o.apply(&[keep], &LogContext::default(), None),
                    None => Ok(()),
                }
            })?;
        }
        if let Some(c) = &inner.conn {
            c.wake.notify_one();
        }
        self.live.tell_tracking();
        self.status_of(&inner)
    }

    /// Deletes a screenshot the server does not have yet, and the time it
    /// stood for: since the screenshot before it, at most one interval.
    pub async fn delete_screenshot(&self, id: &str) -> IpcResult<()> {
        let id = parse_id(id, "screenshot")?;
        // Commands that change what is tracked run one at a time.
        let _inner = self.inner.lock().await;
        let (shot, uploaded) = with(&self.outbox, |o| o.shot(id))?
            .ok_or_else(|| IpcError::not_found("That screenshot is no longer here."))?;
        if uploaded {
            return Err(IpcError::conflict(
                "That screenshot has already been uploaded; ask your manager to remove it.",
            ));
        }
        if with(&self.outbox, |o| {
            stint_agent::policy::screenshot_deletion(o)
        }) == ScreenshotDeletion::KeepTime
        {
            // The picture goes, the time stays, and the slot says so.
            let note = SlotReport::screenshot_removed(shot.recorded_at);
            with(&self.outbox, |o| {
                o.delete_shot(id)?;
                o.apply_with_slots(&[], &[note], &LogContext::default(), None, None)
            })?;
            self.live.tell_sync();
            return Ok(());
        }
        let interval = with(&self.outbox, |o| Settings::load(o))?
            .screenshot_interval_seconds
            .unwrap_or(600);
        let to = shot.recorded_at;
        let earliest = to - chrono::TimeDelta::seconds(interval as i64);
        let from = with(&self.outbox, |o| o.shot_before(to))?.map_or(earliest, |t| t.max(earliest));
        with(&self.outbox, |o| {
            o.delete_shot(id)?;
            for l in o.logs_since(from)?.iter().filter(|l| l.started_at < to) {
                let (changes, ctx) = cut_log(l, from, to);
                o.apply(&changes, &ctx, None)?;
            }
            Ok::<_, OutboxError>(())
        })?;
        if let Some(c) = self.live.controls() {
            c.send(Control::Cut { from, to }).await;
        }
        self.live.tell_tracking();
        self.live.tell_sync();
        Ok(())
    }
}
