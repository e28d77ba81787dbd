//! The tracking loop: poll idle time every second, feed the tracker, write
//! each step to the outbox, and sync in the background until told to stop.
//! The headless `stint track` and the desktop app both run this.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use stint_model::Instant;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::api::{Api, ApiError, Session};
use crate::capture::{Capturer, Encoded, Schedule, ShotConfig};
use crate::idle::IdleSource;
use crate::outbox::{LogContext, Outbox, OutboxError, lock};
use crate::sync::{Backoff, SyncError, sync_once};
use crate::tracker::{Change, IdleAnswer, Phase, Tracker, TrackerConfig};

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
    Screenshot {
        at: Instant,
        monitors: usize,
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
}

pub struct TrackOptions {
    pub outbox: PathBuf,
    pub context: LogContext,
    pub tracker: TrackerConfig,
    /// Stands in for the UI's Keep / Discard / Discard & stop prompt.
    pub idle_answer: IdleAnswer,
    /// Pause between syncs while everything is acknowledged.
    pub sync_every: Duration,
    /// Screenshots, if taken at all.
    pub shots: Option<crate::capture::ShotConfig>,
}

pub type OnEvent = Arc<dyn Fn(Event) + Send + Sync>;

/// The session key in the outbox's key-value table.
pub const SESSION_KEY: &str = "session";

pub fn load_session(o: &Outbox) -> Result<Option<Session>, OutboxError> {
    Ok(o.get(SESSION_KEY)?
        .and_then(|s| serde_json::from_str(&s).ok()))
}

pub fn save_session(o: &mut Outbox, s: &Session) -> Result<(), OutboxError> {
    o.put(SESSION_KEY, &serde_json::to_string(s).unwrap_or_default())
}

/// Keeps rotated tokens, but not the server address a session was resolved
/// to (an embedded server gets a new port at every start).
pub fn save_tokens(o: &mut Outbox, s: &Session) -> Result<(), OutboxError> {
    let server = load_session(o)?.map_or_else(|| s.server.clone(), |stored| stored.server);
    save_session(
        o,
        &Session {
            server,
            ..s.clone()
        },
    )
}

/// Tracks until `shutdown` resolves (then stops the timer cleanly) or the
/// server reports the timer was started on another device.
pub async fn track(
    opts: TrackOptions,
    mut idle: Box<dyn IdleSource>,
    capturer: Option<Box<dyn Capturer>>,
    api: Option<Api>,
    on_event: OnEvent,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), OutboxError> {
    let outbox = Arc::new(Mutex::new(Outbox::open(&opts.outbox)?));
    let ctx = opts.context.clone();
    let write = |changes: &[Change], at: Option<Instant>| lock(&outbox).apply(changes, &ctx, at);

    let open = lock(&outbox).open_log()?;
    if let Some(open) = open {
        let hb = lock(&outbox).last_heartbeat()?;
        let (_, changes) = Tracker::recover(opts.tracker, open.id, open.started_at, hb);
        write(&changes, None)?;
        on_event(Event::Recovered {
            log: open.id,
            closed_at: hb.unwrap_or(open.started_at).max(open.started_at),
        });
    }
    let mut tracker = Tracker::new(opts.tracker);
    let now = Utc::now();
    let changes = tracker.start(now);
    write(&changes, Some(now))?;
    if let Some((id, _, at)) = tracker.open_log() {
        on_event(Event::Started { log: id, at });
    }

    let (stopped_tx, mut stopped_rx) = mpsc::channel::<(Uuid, String)>(8);
    let syncer = api.map(|api| {
        tokio::spawn(sync_loop(
            outbox.clone(),
            api,
            opts.sync_every,
            opts.tracker.idle_threshold,
            on_event.clone(),
            stopped_tx,
        ))
    });

    let mut ticks = tokio::time::interval(opts.tracker.poll);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut warned = false;
    let mut slots = crate::slots::SlotBuilder::default();
    let shots = opts
        .shots
        .zip(capturer)
        .map(|(cfg, c)| (cfg, Schedule::new(cfg.interval), Arc::new(Mutex::new(c))));
    let mut shots = shots;
    let (shot_tx, mut shot_rx) = mpsc::channel::<(Instant, Result<Vec<Encoded>, String>)>(4);
    tokio::pin!(shutdown);
    let stopped_elsewhere = loop {
        tokio::select! {
            _ = &mut shutdown => break false,
            Some((at, result)) = shot_rx.recv() => match result {
                Ok(images) => {
                    let mut o = lock(&outbox);
                    for e in &images {
                        o.add_shot(at, e)?;
                    }
                    on_event(Event::Screenshot { at, monitors: images.len() });
                }
                Err(e) => on_event(Event::Warning(format!("screenshot not taken: {e}"))),
            },
            Some((id, reason)) = stopped_rx.recv() => {
                if tracker.stopped_elsewhere(id) {
                    on_event(Event::StoppedElsewhere { reason });
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
                let mut changes = tracker.tick(now, idle_for);
                if before != Phase::Idle && tracker.phase() == Phase::Idle
                    && let Some((_, _, since)) = tracker.open_log()
                {
                    on_event(Event::IdleSince(since));
                    let dropped = lock(&outbox).drop_shots_since(since)?;
                    if dropped > 0 {
                        on_event(Event::Warning(format!("{dropped} screenshot(s) of the idle time not kept")));
                    }
                }
                for p in tracker.prompts().to_vec() {
                    changes.extend(tracker.answer(p.idle_log, opts.idle_answer));
                    on_event(Event::Resumed { idle_from: p.from, idle_to: p.to, answer: opts.idle_answer });
                }
                let mut done = Vec::new();
                match tracker.open_log() {
                    Some((log, t, _)) if t != stint_model::LogType::Idle => {
                        let sample = idle.sample(idle_for, opts.tracker.poll);
                        done.extend(slots.add(now, log, &sample));
                    }
                    _ => done.extend(slots.finish()),
                }
                lock(&outbox).apply_with_slots(&changes, &done, &ctx, Some(now))?;
                if let Some((cfg, schedule, capturer)) = shots.as_mut()
                    && schedule.poll(now, tracker.phase() == Phase::Tracking)
                {
                    take_shot(*cfg, capturer.clone(), now, shot_tx.clone());
                }
                if tracker.phase() == Phase::Stopped {
                    break false;
                }
            }
        }
    };
    if !stopped_elsewhere {
        let now = Utc::now();
        let done: Vec<_> = slots.finish().into_iter().collect();
        lock(&outbox).apply_with_slots(&tracker.stop(now), &done, &ctx, Some(now))?;
        on_event(Event::Stopped { at: now });
    }
    if let Some(task) = syncer {
        task.abort();
    }
    Ok(())
}

/// Captures and encodes off the tracking loop; the result comes back on `tx`.
fn take_shot(
    cfg: ShotConfig,
    capturer: Arc<Mutex<Box<dyn Capturer>>>,
    at: Instant,
    tx: mpsc::Sender<(Instant, Result<Vec<Encoded>, String>)>,
) {
    tokio::task::spawn_blocking(move || {
        let captured = capturer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .capture(cfg.screens);
        let result = captured.and_then(|shots| {
            shots
                .into_iter()
                .map(|c| crate::capture::encode(c, &cfg))
                .collect()
        });
        let _ = tx.blocking_send((at, result));
    });
}

/// Syncs every `every` while the server answers, backing off while it does
/// not; a signed-out session waits for a new sign-in, keeping every log.
async fn sync_loop(
    outbox: Arc<Mutex<Outbox>>,
    mut api: Api,
    every: Duration,
    hold_shots: Duration,
    on_event: OnEvent,
    stopped: mpsc::Sender<(Uuid, String)>,
) {
    let mut backoff = Backoff::default();
    loop {
        let result = sync_once(&outbox, &mut api, hold_shots).await;
        let _ = save_tokens(&mut lock(&outbox), &api.session);
        let pause = match result {
            Ok(r) => {
                backoff.reset();
                if r.acknowledged + r.failed > 0 {
                    on_event(Event::Synced {
                        acknowledged: r.acknowledged,
                        failed: r.failed,
                    });
                }
                for s in r.stopped_elsewhere {
                    let _ = stopped.send(s).await;
                }
                every
            }
            Err(SyncError::Api(ApiError::SignedOut(m))) => {
                on_event(Event::SignedOut(m));
                Duration::from_secs(60)
            }
            Err(SyncError::Api(e)) => {
                let d = backoff.next_delay();
                on_event(Event::Offline {
                    error: e.to_string(),
                    retry_in: d,
                });
                d
            }
            Err(SyncError::Outbox(e)) => {
                on_event(Event::Warning(e.to_string()));
                every
            }
        };
        tokio::time::sleep(pause).await;
    }
}
