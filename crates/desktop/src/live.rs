//! What the window shows, kept current by the agent's events: the run in
//! progress, idle prompts waiting for an answer, the connection, and the
//! status computed from the outbox. One [`Live`] is shared by the commands
//! and the event handler the tracking and sync loops call.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use stint_agent::outbox::{LocalLog, Outbox, OutboxError, with};
use stint_agent::runner::{Controls, Event, OnEvent, RunHandle};
use stint_model::{Instant, LogType, WEEK_START, Week, local_midnight};

use crate::dto::{self, Notice, SyncStatus, Tracking, TrackingState};
use crate::error::IpcResult;

pub type NoticeFn = Arc<dyn Fn(Notice) + Send + Sync>;

/// The timer run started by Start, until it ends: what the window shows of
/// it, and the agent's handle that controls it. The only run state.
pub struct Run {
    pub started_at: Instant,
    pub project_id: Option<String>,
    pub project_name: Option<String>,
    pub description: String,
    pub handle: RunHandle,
}

#[derive(Default)]
struct State {
    run: Option<Run>,
    prompts: Vec<dto::IdlePrompt>,
    /// "Still working?" while it waits for an answer.
    still_working: Option<dto::StillWorking>,
    /// Why the timer stopped on its own, until the next Start.
    message: Option<String>,
    offline: bool,
    sync_message: Option<String>,
}

pub struct Live {
    pub outbox: Arc<Mutex<Outbox>>,
    notify: NoticeFn,
    state: Mutex<State>,
    /// The user's zone, for "today" and "this week".
    tz: Mutex<chrono_tz::Tz>,
}

/// Counted seconds of `logs` inside `[from, now]`, by the model's rule
/// (IDLE time is not counted).
pub fn counted(logs: &[LocalLog], from: Instant, now: Instant) -> i64 {
    stint_model::counted_seconds(logs, from, now, now)
}

impl Live {
    pub fn new(outbox: Arc<Mutex<Outbox>>, notify: NoticeFn) -> Arc<Live> {
        Arc::new(Live {
            outbox,
            notify,
            state: Mutex::default(),
            tz: Mutex::new(chrono_tz::UTC),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_zone(&self, tz: chrono_tz::Tz) {
        *self.tz.lock().unwrap_or_else(|p| p.into_inner()) = tz;
    }

    pub fn zone(&self) -> chrono_tz::Tz {
        *self.tz.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How to tell the run things, while there is one.
    pub fn controls(&self) -> Option<Controls> {
        self.state().run.as_ref().map(|r| r.handle.controls())
    }

    /// The running timer is about `project` (id and name) and
    /// `description` now; false when nothing runs.
    pub fn retarget(&self, project: (Option<String>, Option<String>), description: String) -> bool {
        let mut s = self.state();
        let Some(run) = s.run.as_mut() else {
            return false;
        };
        (run.project_id, run.project_name) = project;
        run.description = description;
        true
    }

    pub fn begin(&self, run: Run) {
        let mut s = self.state();
        s.run = Some(run);
        s.message = None;
    }

    /// The run, for its owner to stop it.
    pub fn take_run(&self) -> Option<Run> {
        self.state().run.take()
    }

    pub fn take_prompt(&self, id: &str) -> Option<dto::IdlePrompt> {
        let mut s = self.state();
        let pos = s.prompts.iter().position(|p| p.idle_log_id == id)?;
        Some(s.prompts.remove(pos))
    }

    pub fn forget_prompts(&self) {
        let mut s = self.state();
        s.prompts.clear();
        s.still_working = None;
    }

    /// "Still working?", until answered or the run ends.
    pub fn still_working(&self) -> Option<dto::StillWorking> {
        self.state().still_working.clone()
    }

    pub fn take_still_working(&self) -> Option<dto::StillWorking> {
        self.state().still_working.take()
    }

    pub fn tracking(&self) -> IpcResult<Tracking> {
        let (run, message) = {
            let s = self.state();
            let run = s.run.as_ref().map(|r| {
                let (id, name) = (r.project_id.clone(), r.project_name.clone());
                (r.started_at, id, name, r.description.clone())
            });
            (run, s.message.clone())
        };
        let Some((started_at, project_id, project_name, description)) = run else {
            return Ok(Tracking::stopped(message));
        };
        let now = Utc::now();
        let (open, logs) = with(&self.outbox, |o| {
            Ok::<_, OutboxError>((o.open_log()?, o.logs_since(started_at)?))
        })?;
        let idle = open.as_ref().filter(|l| l.log_type == LogType::Idle);
        Ok(Tracking {
            state: if idle.is_some() {
                TrackingState::Idle
            } else {
                TrackingState::Tracking
            },
            log_id: open.as_ref().map(|l| l.id.to_string()),
            started_at: Some(started_at),
            elapsed_seconds: Some(counted(&logs, started_at, now)),
            project_id,
            project_name,
            description: Some(description),
            idle_since: idle.map(|l| l.started_at),
            message,
        })
    }

    /// Seconds counted today and this week (Sun–Sat) in the user's zone.
    pub fn totals(&self) -> IpcResult<(i64, i64)> {
        let tz = self.zone();
        let now = Utc::now();
        let today = local_midnight(now.with_timezone(&tz).date_naive(), tz);
        let (week, _) = Week::at(now, tz, WEEK_START).bounds(tz);
        let logs = with(&self.outbox, |o| o.logs_since(week))?;
        Ok((counted(&logs, today, now), counted(&logs, week, now)))
    }

    pub fn sync(&self) -> IpcResult<SyncStatus> {
        // Logs, slots and screenshots alike.
        let (b, last_sync) = with(&self.outbox, |o| {
            Ok::<_, OutboxError>((o.backlog()?, o.get(stint_agent::sync::LAST_SYNC_KEY)?))
        })?;
        let last_sync = last_sync
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.to_utc());
        let s = self.state();
        Ok(SyncStatus {
            pending: b.pending,
            failed: b.failed,
            last_sync,
            offline: s.offline,
            message: s.sync_message.clone(),
        })
    }

    pub fn prompts(&self) -> Vec<dto::IdlePrompt> {
        self.state().prompts.clone()
    }

    /// "Forgot to start": says `text` to the person (see `reminder.rs`).
    pub fn remind(&self, text: String) {
        (self.notify)(Notice::Reminder(text));
    }

    pub fn tell_tracking(&self) {
        match self.tracking() {
            Ok(t) => (self.notify)(Notice::Tracking(t)),
            Err(e) => tracing::warn!("tracking status: {e}"),
        }
    }

    pub fn tell_sync(&self) {
        match self.sync() {
            Ok(s) => (self.notify)(Notice::Sync(s)),
            Err(e) => tracing::warn!("sync status: {e}"),
        }
    }

    fn set_connection(&self, offline: bool, message: Option<String>) {
        let mut s = self.state();
        s.offline = offline;
        s.sync_message = message;
    }

    /// The handler the tracking and sync loops report to.
    pub fn on_event(self: &Arc<Live>) -> OnEvent {
        let live = self.clone();
        Arc::new(move |e| live.handle(e))
    }

    fn handle(&self, e: Event) {
        match e {
            Event::Started { .. } | Event::IdleSince(_) | Event::Resumed { .. } => {
                self.tell_tracking()
            }
            // The run has written its last: it ended on its own (Discard &
            // stop, stopped elsewhere) or its owner is stopping it.
            Event::Stopped { .. } => {
                let mut s = self.state();
                s.run = None;
                s.still_working = None;
                drop(s);
                self.tell_tracking();
            }
            Event::StillWorking {
                running_since,
                stops_at,
            } => {
                let q = dto::StillWorking {
                    running_since,
                    stops_at,
                };
                self.state().still_working = Some(q.clone());
                (self.notify)(Notice::StillWorking(q));
            }
            Event::StoppedUnanswered { at } => {
                let at = at.with_timezone(&self.zone()).format("%H:%M");
                self.state().message = Some(format!(
                    "Stopped at {at}, your last input: nobody answered \u{201c}Still working?\u{201d}"
                ));
            }
            Event::Recovered { .. } => {}
            Event::StoppedElsewhere { reason } => {
                self.state().message = Some(format!("Stopped: {reason}"));
            }
            Event::IdlePrompt(p) => {
                let p = dto::IdlePrompt {
                    idle_log_id: p.idle_log.to_string(),
                    from: p.from,
                    to: p.to,
                };
                self.state().prompts.push(p.clone());
                self.tell_tracking();
                (self.notify)(Notice::IdlePrompt(p));
            }
            Event::ServerStopped { .. } => {
                if let Some(c) = self.controls() {
                    c.bridge(&e);
                }
            }
            Event::Screenshot { .. } => self.tell_sync(),
            Event::ScreenshotSkipped { .. } => {}
            Event::Synced { .. } => {
                self.set_connection(false, None);
                self.tell_sync();
            }
            Event::Offline { error, retry_in } => {
                self.set_connection(
                    true,
                    Some(format!(
                        "Can't reach the server ({error}); retrying in {} s",
                        retry_in.as_secs().max(1)
                    )),
                );
                self.tell_sync();
            }
            Event::SignedOut(_) => {
                self.set_connection(
                    true,
                    Some(
                        "The server ended this session: sign in again. Nothing tracked is lost."
                            .into(),
                    ),
                );
                self.tell_sync();
            }
            Event::Warning(m) => {
                tracing::warn!("{m}");
                self.state().sync_message = Some(m);
                self.tell_sync();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn log(t: LogType, from: i64, to: Option<i64>) -> LocalLog {
        let at = |m: i64| Utc.timestamp_opt(m * 60, 0).unwrap();
        LocalLog::new(t, at(from), to.map(at))
    }

    #[test]
    fn idle_is_not_counted_and_the_running_log_counts_to_now() {
        let at = |m: i64| Utc.timestamp_opt(m * 60, 0).unwrap();
        let logs = [
            log(LogType::Tracked, 0, Some(10)),
            log(LogType::Idle, 10, Some(20)),
            log(LogType::Resumed, 20, None),
        ];
        assert_eq!(counted(&logs, at(0), at(25)), 15 * 60);
        assert_eq!(counted(&logs, at(5), at(25)), 10 * 60);
    }
}
