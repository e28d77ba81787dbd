//! Start, Stop, the idle prompt's answers and deleting a screenshot with
//! the time it stood for: the commands that change what is tracked.

use std::time::Duration;

use chrono::Utc;
use stint_agent::cut::cut_log;
use stint_agent::outbox::{LogContext, lock};
use stint_agent::runner::{Control, TrackOptions, track};
use stint_agent::tracker::Change;
use tokio::sync::{mpsc, oneshot};

use crate::app::{Desktop, RunTask};
use crate::dto::Settings;
use crate::dto::{IdleAnswer, Status};
use crate::error::{IpcError, IpcResult, parse_id};
use crate::live::Run;

impl Desktop {
    /// Starts the timer on `project_id` (or none); a timer already running
    /// here is stopped first. The server stops one running elsewhere.
    pub async fn start(
        &self,
        project_id: Option<String>,
        description: String,
    ) -> IpcResult<Status> {
        stint_model::validate_description(description.trim())
            .map_err(|e| IpcError::invalid(e.0))?;
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
        let mut inner = self.inner.lock().await;
        if inner.conn.is_none() {
            return Err(IpcError::signed_out());
        }
        self.stop_run(&mut inner).await;
        let settings = Settings::load(&lock(&self.outbox))?;
        let (control, control_rx) = mpsc::channel(8);
        let description = description.trim().to_string();
        self.live.begin(Run {
            started_at: Utc::now(),
            project_id: project,
            project_name,
            description: description.clone(),
            control,
        });
        let opts = TrackOptions {
            outbox: self.outbox.clone(),
            context: LogContext {
                project_id: project_uuid,
                description,
            },
            tracker: settings.tracker(self.platform.poll),
            idle_answer: None,
            shots: settings.shots(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let (idle, capturer) = ((self.platform.idle)(), (self.platform.capturer)());
        let live = self.live.clone();
        let task = tokio::spawn(async move {
            let on_event = live.on_event();
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = track(opts, idle, capturer, on_event, control_rx, shutdown).await {
                tracing::error!("the tracking loop stopped: {e}");
                live.on_event()(stint_agent::runner::Event::Warning(format!(
                    "Tracking stopped: {e}"
                )));
            }
            live.end();
        });
        inner.run = Some(RunTask { stop, task });
        // The loop opens its log at once; wait for it so the answer shows it.
        for _ in 0..100 {
            if lock(&self.outbox).open_log()?.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if let Some(c) = &inner.conn {
            c.wake.notify_one();
        }
        self.live.tell_tracking();
        self.status_of(&inner)
    }

    pub async fn stop(&self) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        self.stop_run(&mut inner).await;
        self.status_of(&inner)
    }

    /// Keep counts the idle stretch, Discard leaves it idle, Stop also ends
    /// the timer as of the moment idle began.
    pub async fn answer_idle(&self, idle_log_id: &str, answer: IdleAnswer) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        let prompt = self
            .live
            .take_prompt(idle_log_id)
            .ok_or_else(|| IpcError::not_found("That idle time has already been answered."))?;
        let idle_log = parse_id(&prompt.idle_log_id, "log")?;
        let running = inner.run.as_ref().is_some_and(|r| !r.task.is_finished());
        match (self.live.run(), running) {
            (Some(run), true) => {
                let _ = run
                    .control
                    .send(Control::Answer {
                        idle_log,
                        answer: answer.into(),
                    })
                    .await;
                if answer == IdleAnswer::Stop
                    && let Some(run) = inner.run.take()
                {
                    let _ = tokio::time::timeout(Duration::from_secs(5), run.task).await;
                }
            }
            // The timer has stopped since: only Keep changes anything.
            _ if answer == IdleAnswer::Keep => {
                let log = lock(&self.outbox).log(idle_log)?;
                if let Some(keep) = log.and_then(|l| Change::kept(l.id, l.log_type)) {
                    lock(&self.outbox).apply(&[keep], &LogContext::default(), None)?;
                }
            }
            _ => {}
        }
        // Let the loop write the answer before reading the totals.
        tokio::time::sleep(Duration::from_millis(50)).await;
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
        let inner = self.inner.lock().await;
        let (shot, uploaded) = lock(&self.outbox)
            .shot(id)?
            .ok_or_else(|| IpcError::not_found("That screenshot is no longer here."))?;
        if uploaded {
            return Err(IpcError::conflict(
                "That screenshot has already been uploaded; ask your manager to remove it.",
            ));
        }
        let interval = Settings::load(&lock(&self.outbox))?
            .screenshot_interval_seconds
            .unwrap_or(600);
        let to = shot.recorded_at;
        let earliest = to - chrono::TimeDelta::seconds(interval as i64);
        let from = lock(&self.outbox)
            .shot_before(to)?
            .map_or(earliest, |t| t.max(earliest));
        {
            let mut o = lock(&self.outbox);
            o.delete_shot(id)?;
            for l in o.logs_since(from)?.iter().filter(|l| l.started_at < to) {
                let (changes, ctx) = cut_log(l, from, to);
                o.apply(&changes, &ctx, None)?;
            }
        }
        if let Some(run) = self.live.run()
            && inner.run.as_ref().is_some_and(|r| !r.task.is_finished())
        {
            let _ = run.control.send(Control::Cut { from, to }).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.live.tell_tracking();
        self.live.tell_sync();
        Ok(())
    }
}
