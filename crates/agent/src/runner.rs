//! The tracking loop: poll idle time every second, feed the tracker, write
//! each step to the outbox, and sync in the background until told to stop.
//! The headless `stint track` and the desktop app both run this.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use stint_model::Instant;
use uuid::Uuid;

use crate::capture::Capturer;
use crate::idle::IdleSource;
use crate::outbox::{Live, LogContext, Outbox, OutboxError, with};
use crate::pending_writes::{PendingWrites, Step, Written};
use crate::slots::SlotBuilder;
use crate::tracker::{Change, IdleAnswer, IdlePrompt, Phase, Tracker, TrackerConfig};
use stint_model::private_apps::{PRIVATE_APP, PrivateApps, Verdict};

mod handle;
mod runaway;
mod shots;

use handle::Request;
pub use handle::{Controls, Requests, RunError, RunHandle, channel, start};
pub use runaway::StillWorking;

/// What happened, for a person to see (CLI lines, tray, UI).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Recovered {
        log: Uuid,
        closed_at: Instant,
    },
    Started {
        log: Uuid,
        at: Instant,
    },
    IdleSince(Instant),
    Resumed {
        idle_from: Instant,
        idle_to: Instant,
        answer: IdleAnswer,
    },
    Stopped {
        at: Instant,
    },
    StoppedElsewhere {
        reason: String,
    },
    /// Input came back after idle and nobody answers for the user: ask
    /// Keep / Discard / Discard & stop, and send the answer as [`Control::Answer`].
    IdlePrompt(IdlePrompt),
    /// The sync found the server stopped one of our logs; whoever runs the
    /// tracking loop passes it on as [`Control::StoppedElsewhere`].
    ServerStopped {
        log: Uuid,
        reason: String,
    },
    Screenshot {
        at: Instant,
        monitors: usize,
    },
    /// A screenshot was due while a never-capture application was in front.
    ScreenshotSkipped {
        at: Instant,
    },
    Synced {
        acknowledged: usize,
        failed: usize,
    },
    Offline {
        error: String,
        retry_in: Duration,
    },
    SignedOut(String),
    Warning(String),
    /// The timer has run since `running_since`: ask "Still working?" and
    /// send [`Control::StillWorking`]; without it the run stops at the last
    /// input at `stops_at`.
    StillWorking {
        running_since: Instant,
        stops_at: Instant,
    },
    /// Nobody answered "Still working?": the run stopped at the last input.
    StoppedUnanswered {
        at: Instant,
    },
}

/// What the tracking loop is told while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// The user's answer to an idle prompt.
    Answer { idle_log: Uuid, answer: IdleAnswer },
    /// The server stopped this log (a timer was started on another device).
    StoppedElsewhere { log: Uuid, reason: String },
    /// Take `[from, to)` out of the running log (a screenshot deleted).
    Cut { from: Instant, to: Instant },
    /// The running log, and the logs the run opens after it, are about
    /// this now (the person changed project, task or description).
    Retarget(LogContext),
    /// "Still working?" was answered yes.
    StillWorking,
}

pub struct TrackOptions {
    /// Shared with the sync loop and, in the desktop app, the window's reads.
    pub outbox: Arc<Mutex<Outbox>>,
    pub context: LogContext,
    pub tracker: TrackerConfig,
    /// Answers every idle prompt at once (the headless tracker); `None`
    /// asks through [`Event::IdlePrompt`] and waits for [`Control::Answer`].
    pub idle_answer: Option<IdleAnswer>,
    /// Screenshots, if taken at all.
    pub shots: Option<crate::capture::ShotConfig>,
    /// When to ask "Still working?"; `None` never asks.
    pub still_working: Option<StillWorking>,
    /// Applications and windows never captured (see [`stint_model::private_apps`]).
    pub private: PrivateApps,
}

pub type OnEvent = Arc<dyn Fn(Event) + Send + Sync>;

/// Closes a log that a crash or kill left open, at the last heartbeat the
/// outbox recorded (the time after it is unknown, so not counted), and
/// queues the activity slot it was building if that slot's ten minutes are
/// over (otherwise the next run carries on with it).
pub fn recover(
    outbox: &Mutex<Outbox>,
    ctx: &LogContext,
    cfg: TrackerConfig,
    on_event: &OnEvent,
) -> Result<(), OutboxError> {
    let recovered = with(outbox, |o| {
        o.resume_slot(Utc::now())?;
        let Some(open) = o.open_log()? else {
            return Ok(None);
        };
        let hb = o.last_heartbeat()?;
        let (_, changes) = Tracker::recover(cfg, open.id, open.started_at, hb);
        o.apply(&changes, ctx, None)?;
        Ok::<_, OutboxError>(Some((open, hb)))
    })?;
    if let Some((open, hb)) = recovered {
        on_event(Event::Recovered {
            log: open.id,
            closed_at: hb.unwrap_or(open.started_at).max(open.started_at),
        });
    }
    Ok(())
}

/// The loop's state saved with each heartbeat.
fn live(tracker: &Tracker, slots: &SlotBuilder) -> Option<Live> {
    Some(Live {
        input_seen: tracker.input_seen(),
        slot: Some(slots.clone()),
    })
}

/// Writes `step` behind whatever waits, and says so when writing starts
/// failing (once per streak) or works again.
fn save(
    outbox: &Mutex<Outbox>,
    ctx: &LogContext,
    pending: &mut PendingWrites,
    step: Option<Step>,
    on_event: &OnEvent,
) {
    if step.is_none() && pending.is_empty() {
        return;
    }
    let (written, path) = with(outbox, |o| {
        let written = match step {
            Some(step) => pending.write(o, ctx, step),
            None => pending.flush(o, ctx),
        };
        let path = o
            .path()
            .map_or_else(|| "the outbox".into(), |p| p.display().to_string());
        (written, path)
    });
    match written {
        Written::Saved | Written::StillFailing => {}
        Written::Failed(e) => on_event(Event::Warning(format!(
            "Can't save to {path}: {e}; tracking goes on and will be saved when it can"
        ))),
        Written::Recovered { steps } => on_event(Event::Warning(format!(
            "Saving to {path} works again: the {steps} step(s) that waited are saved"
        ))),
    }
}

/// How long a stopping tracker keeps retrying writes that wait.
const FINAL_RETRY: Duration = Duration::from_secs(5);

/// Tracks until `shutdown` resolves (then stops the timer cleanly), the
/// user answers Discard & stop, or the server reports the timer was started
/// on another device. Syncing is the caller's: see [`crate::sync::run`].
/// Owners use [`start`], which runs this in a task and acknowledges each
/// control once its change is written.
///
/// A write the outbox refuses (a full disk, a read-only data directory)
/// does not end tracking: the step waits in memory, in order, and every
/// tick retries (see [`crate::pending_writes`]). Only steps still unsaved
/// when tracking ends, after [`FINAL_RETRY`], make this an error.
pub async fn track(
    opts: TrackOptions,
    mut idle: Box<dyn IdleSource>,
    capturer: Option<Box<dyn Capturer>>,
    on_event: OnEvent,
    mut requests: Requests,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), OutboxError> {
    let outbox = opts.outbox.clone();
    // What new logs are about; Control::Retarget changes it mid-run.
    let ctx = Mutex::new(opts.context.clone());
    let ctx_now = || ctx.lock().unwrap_or_else(|p| p.into_inner());
    let mut pending = PendingWrites::default();
    let write = |pending: &mut PendingWrites,
                 changes: Vec<Change>,
                 slots,
                 at: Option<Instant>,
                 live: Option<Live>| {
        let step = Step {
            live,
            ..Step::new(changes, slots, at)
        };
        save(&outbox, &ctx_now(), pending, Some(step), &on_event);
    };

    recover(&outbox, &ctx_now(), opts.tracker, &on_event)?;
    let now = Utc::now();
    // Killed in the middle of a slot: it carries on (see crate::slots).
    let mut slots = with(&outbox, |o| o.resume_slot(now))?;
    let mut tracker = Tracker::new(opts.tracker);
    let changes = tracker.start(now);
    write(
        &mut pending,
        changes,
        vec![],
        Some(now),
        live(&tracker, &slots),
    );
    if let Some((id, _, at)) = tracker.open_log() {
        on_event(Event::Started { log: id, at });
    }
    requests.started();

    let mut asked: usize = 0;
    let mut ticks = tokio::time::interval(opts.tracker.poll);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut warned = false;
    let mut shots = shots::Shots::new(opts.shots, capturer);
    let mut runaway = opts
        .still_working
        .map(|cfg| runaway::Runaway::new(cfg, now));
    // What the never-capture rules say of the window in front, as of the
    // last sample.
    let mut front = Verdict::Capture;
    tokio::pin!(shutdown);
    let ended_already = loop {
        tokio::select! {
            _ = &mut shutdown => break false,
            Some(taken) = shots.next() => {
                shots::keep(&outbox, taken, &tracker, !pending.is_empty(), &on_event);
            }
            Some(Request { control, written }) = requests.rx.recv() => {
                let end = match control {
                    Control::StoppedElsewhere { log, reason } => {
                        let elsewhere = tracker.stopped_elsewhere(log);
                        if elsewhere {
                            on_event(Event::StoppedElsewhere { reason });
                        }
                        elsewhere
                    }
                    Control::Cut { from, to } => {
                        write(&mut pending, tracker.cut(from, to), vec![], None, None);
                        false
                    }
                    Control::Retarget(to) => {
                        *ctx_now() = to;
                        if let Some((id, _, _)) = tracker.open_log() {
                            write(&mut pending, vec![Change::Retargeted { id }], vec![], None, None);
                        }
                        false
                    }
                    Control::StillWorking => {
                        if let Some(r) = &mut runaway {
                            r.confirmed(Utc::now());
                        }
                        false
                    }
                    Control::Answer { idle_log, answer } => {
                        match tracker.prompts().iter().find(|p| p.idle_log == idle_log).copied() {
                            Some(p) => {
                                asked = asked.saturating_sub(1);
                                let changes = tracker.answer(idle_log, answer);
                                write(&mut pending, changes, vec![], Some(Utc::now()), live(&tracker, &slots));
                                on_event(Event::Resumed { idle_from: p.from, idle_to: p.to, answer });
                                tracker.phase() == Phase::Stopped
                            }
                            None => false,
                        }
                    }
                };
                // Written (or waiting in memory, see pending_writes): the
                // sender may read the outbox now.
                if let Some(w) = written {
                    let _ = w.send(());
                }
                if end {
                    break true;
                }
            }
            _ = ticks.tick() => {
                let now = Utc::now();
                let idle_for = idle.idle_time().unwrap_or_else(|e| {
                    if !warned {
                        on_event(Event::Warning(format!("cannot read idle time ({}): {e}", idle.name())));
                        warned = true;
                    }
                    Duration::ZERO
                });
                let before = tracker.phase();
                let mut changes = tracker.tick_locked(now, idle_for, idle.locked_for());
                // Told after the write below, so a handler reading the
                // outbox sees the state the event describes.
                let mut events = Vec::new();
                match runaway.as_mut().map_or(runaway::Due::Nothing, |r| r.poll(now)) {
                    runaway::Due::Nothing => {}
                    runaway::Due::Ask { running_since, stops_at } => {
                        events.push(Event::StillWorking { running_since, stops_at });
                    }
                    runaway::Due::Stop => {
                        let at = tracker.input_seen().unwrap_or(now).min(now);
                        changes.extend(tracker.stop(at));
                        events.push(Event::StoppedUnanswered { at });
                    }
                }
                let mut drop_shots_since = None;
                if before != Phase::Idle && tracker.phase() == Phase::Idle
                    && let Some((_, _, since)) = tracker.open_log()
                {
                    events.push(Event::IdleSince(since));
                    drop_shots_since = Some(since);
                }
                match opts.idle_answer {
                    Some(answer) => for p in tracker.prompts().to_vec() {
                        changes.extend(tracker.answer(p.idle_log, answer));
                        events.push(Event::Resumed { idle_from: p.from, idle_to: p.to, answer });
                    },
                    None => {
                        for p in tracker.prompts().iter().skip(asked) {
                            events.push(Event::IdlePrompt(*p));
                        }
                        asked = tracker.prompts().len();
                    }
                }
                let mut done = Vec::new();
                match tracker.open_log() {
                    Some((log, t, _)) if t != stint_model::LogType::Idle => {
                        let mut sample = idle.sample(idle_for, opts.tracker.poll);
                        front = opts.private.verdict(sample.app.as_deref(), sample.title.as_deref());
                        if front != Verdict::Capture {
                            sample.app = Some(PRIVATE_APP.into());
                        }
                        done.extend(slots.add(now, log, &sample));
                    }
                    _ => done.extend(slots.finish()),
                }
                let step = Step {
                    drop_shots_since,
                    live: live(&tracker, &slots),
                    ..Step::new(changes, done, Some(now))
                };
                save(&outbox, &ctx_now(), &mut pending, Some(step), &on_event);
                let dropped = pending.take_dropped_shots();
                if dropped > 0 {
                    let at = events.iter().position(|e| matches!(e, Event::IdleSince(_))).map_or(0, |i| i + 1);
                    events.insert(at, Event::Warning(format!("{dropped} screenshot(s) of the idle time not kept")));
                }
                for e in events {
                    on_event(e);
                }
                if shots.poll(now, tracker.phase() == Phase::Tracking, front) {
                    on_event(Event::ScreenshotSkipped { at: now });
                }
                if tracker.phase() == Phase::Stopped {
                    break false;
                }
            }
        }
    };
    let now = Utc::now();
    let done: Vec<_> = slots.finish().into_iter().collect();
    let changes = if ended_already {
        vec![]
    } else {
        tracker.stop(now)
    };
    write(
        &mut pending,
        changes,
        done,
        Some(now),
        live(&tracker, &slots),
    );
    let deadline = tokio::time::Instant::now() + FINAL_RETRY;
    while !pending.is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        save(&outbox, &ctx_now(), &mut pending, None, &on_event);
    }
    shots
        .finish(&outbox, &tracker, !pending.is_empty(), &on_event)
        .await;
    on_event(Event::Stopped { at: now });
    if !pending.is_empty() {
        return Err(OutboxError::Unsaved(pending.len()));
    }
    Ok(())
}
