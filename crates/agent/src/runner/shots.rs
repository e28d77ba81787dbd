//! The tracking loop's screenshots: captured and encoded off the loop when
//! one is due, then kept in the outbox unless they show idle time.
//!
//! The rule (issue 15): a screenshot is dropped only if it was taken after
//! the last input of a stretch that became idle (and before input came
//! back): it shows an empty desk. Screenshots are taken only while
//! tracking, so that is one taken just before idle was noticed: those
//! already stored go with the idle step (`Outbox::drop_shots_since`), one
//! still being captured then is refused here ([`Tracker::idle_at`]). Every
//! other one is kept, and uploaded as soon as input is seen after it or
//! tracking stops (`Outbox::shots_to_upload`); captures still running when
//! tracking stops are waited for and kept too.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use stint_model::Instant;
use tokio::sync::mpsc;

use super::{Event, OnEvent};
use crate::capture::{Capturer, Encoded, Schedule, ShotConfig};
use crate::outbox::{Outbox, with};
use crate::tracker::Tracker;
use stint_model::private_apps::Verdict;

/// A capture come back: when it was taken, and its images.
pub(super) type Taken = (Instant, Result<Vec<Encoded>, String>);

/// How long a stopping tracker waits for captures still running.
const CAPTURE_WAIT: Duration = Duration::from_secs(5);

/// The capturer, shared with the blocking task that runs it.
type Shared = Arc<Mutex<Box<dyn Capturer>>>;

pub(super) struct Shots {
    plan: Option<(ShotConfig, Schedule, Shared)>,
    tx: mpsc::Sender<Taken>,
    rx: mpsc::Receiver<Taken>,
    /// Captures started and not back yet.
    in_flight: usize,
}

impl Shots {
    pub(super) fn new(cfg: Option<ShotConfig>, capturer: Option<Box<dyn Capturer>>) -> Shots {
        let (tx, rx) = mpsc::channel(4);
        let plan = cfg
            .zip(capturer)
            .map(|(cfg, c)| (cfg, Schedule::new(cfg.interval), Arc::new(Mutex::new(c))));
        Shots {
            plan,
            tx,
            rx,
            in_flight: 0,
        }
    }

    /// Starts a capture if one is due at `now` and the tracker is tracking
    /// (not idle), blurred or not at all as the never-capture rules say of
    /// the window in front (`front`); true when one was due and skipped.
    pub(super) fn poll(&mut self, now: Instant, tracking: bool, front: Verdict) -> bool {
        let Some((cfg, schedule, capturer)) = self.plan.as_mut() else {
            return false;
        };
        if !schedule.poll(now, tracking) {
            return false;
        }
        let cfg = match front {
            Verdict::Skip => return true,
            Verdict::Blur => ShotConfig { blur: true, ..*cfg },
            Verdict::Capture => *cfg,
        };
        self.in_flight += 1;
        take_shot(cfg, capturer.clone(), now, self.tx.clone());
        false
    }

    /// The next capture to come back (cancel-safe: nothing is lost when
    /// another branch of the loop wins).
    pub(super) async fn next(&mut self) -> Option<Taken> {
        let taken = self.rx.recv().await;
        self.in_flight = self.in_flight.saturating_sub(1);
        taken
    }

    /// After tracking stopped: keeps the captures still running (at most
    /// [`CAPTURE_WAIT`]): they were taken while working, and a stop is not
    /// idle.
    pub(super) async fn finish(
        &mut self,
        outbox: &Mutex<Outbox>,
        tracker: &Tracker,
        writes_wait: bool,
        on_event: &OnEvent,
    ) {
        let deadline = tokio::time::Instant::now() + CAPTURE_WAIT;
        while self.in_flight > 0 {
            match tokio::time::timeout_at(deadline, self.next()).await {
                Ok(Some(taken)) => keep(outbox, taken, tracker, writes_wait, on_event),
                _ => return,
            }
        }
    }
}

/// Stores a capture come back, unless it shows idle time or the outbox
/// cannot take it now.
pub(super) fn keep(
    outbox: &Mutex<Outbox>,
    (at, result): Taken,
    tracker: &Tracker,
    writes_wait: bool,
    on_event: &OnEvent,
) {
    let warn = |m: String| on_event(Event::Warning(m));
    match result {
        // Not kept while steps wait: a screenshot must not land before the
        // idle drop or the log it belongs to.
        Ok(_) if writes_wait => warn("screenshot not kept: the outbox cannot be written".into()),
        Ok(_) if tracker.idle_at(at) => warn("1 screenshot of the idle time not kept".into()),
        Ok(images) => {
            let kept = with(outbox, |o| {
                images.iter().try_for_each(|e| o.add_shot(at, e).map(drop))
            });
            match kept {
                Ok(()) => on_event(Event::Screenshot {
                    at,
                    monitors: images.len(),
                }),
                Err(e) => warn(format!("screenshot not kept: {e}")),
            }
        }
        Err(e) => warn(format!("screenshot not taken: {e}")),
    }
}

/// Captures and encodes off the tracking loop; the result comes back on `tx`.
fn take_shot(cfg: ShotConfig, capturer: Shared, at: Instant, tx: mpsc::Sender<Taken>) {
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
