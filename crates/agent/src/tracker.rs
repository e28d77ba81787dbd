//! The tracking state machine. No I/O and no clock of its own: every call
//! takes `now`, so tests drive it with a fake clock and scripted idle times.
//!
//! It answers each call with the [`Change`]s to write to the outbox in one
//! transaction. The rules (DESIGN.md, "Agent"):
//! - Start opens a TRACKED log.
//! - When the OS idle time reaches the threshold, the open log is closed at
//!   the moment input stopped (`now - idle`, not `now`) and an IDLE log opens
//!   there.
//! - On the first input after idle, the IDLE log is closed at that input's
//!   moment, a RESUMED log opens there, and the user is asked Keep / Discard
//!   / Discard & stop. Keep turns the IDLE log into TRACKED; with no answer
//!   it stays IDLE (reported, not counted).
//! - A wall-clock jump of more than twice the poll interval (suspend, lid
//!   closed) is idle from the last tick.
//! - A locked screen is idle from the moment it locked, whatever the input
//!   timer says (typing the password on the lock screen is not work), and
//!   stays idle until it is unlocked; the first input after that resumes as
//!   after any idle stretch.
//!
//! It also answers what screenshots need: whether a moment fell in idle
//! time (after the last input of a stretch that became idle, before input
//! came back: a picture of an empty desk), and when input was last seen (a
//! screenshot taken before that moment is of work and may be uploaded).

use std::collections::VecDeque;
use std::time::Duration;

use chrono::TimeDelta;
use stint_model::{Instant, LogType};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerConfig {
    pub idle_threshold: Duration,
    pub poll: Duration,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            idle_threshold: Duration::from_secs(300),
            poll: Duration::from_secs(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Stopped,
    Tracking,
    Idle,
}

/// A change to write to the outbox (and later to sync).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Opened {
        id: Uuid,
        log_type: LogType,
        at: Instant,
    },
    Closed {
        id: Uuid,
        at: Instant,
    },
    Retyped {
        id: Uuid,
        to: LogType,
    },
    Deleted {
        id: Uuid,
    },
    /// Log `id` is about something else now: the step's context (project,
    /// task, description), as the person changed it while it ran.
    Retargeted {
        id: Uuid,
    },
}

impl Change {
    /// What the user's Keep changes about log `id` of type `log_type`:
    /// [`LogType::kept`] decides (idle time becomes tracked; any other log
    /// has nothing to keep). The tracker and the desktop app, which answers
    /// for a timer that has stopped since, both write Keep through this.
    pub fn kept(id: Uuid, log_type: LogType) -> Option<Change> {
        log_type.kept().map(|to| Change::Retyped { id, to })
    }
}

/// An idle stretch the user has not decided about yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdlePrompt {
    pub idle_log: Uuid,
    pub from: Instant,
    pub to: Instant,
    /// The RESUMED log opened when input came back.
    pub resumed_log: Uuid,
}

impl IdlePrompt {
    pub fn duration(&self) -> TimeDelta {
        self.to - self.from
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleAnswer {
    /// Count the idle time as worked (the IDLE log becomes TRACKED).
    Keep,
    /// Leave it IDLE: reported, not counted.
    Discard,
    /// Leave it IDLE and stop the timer as of the moment idle began.
    DiscardAndStop,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    id: Uuid,
    log_type: LogType,
    started_at: Instant,
}

#[derive(Debug, Clone)]
pub struct Tracker {
    cfg: TrackerConfig,
    open: Option<Open>,
    last_tick: Option<Instant>,
    prompts: Vec<IdlePrompt>,
    /// The latest moment input was seen while running (the start counts).
    input_seen: Option<Instant>,
    /// The last few idle stretches: from the moment input stopped to the
    /// moment it came back or tracking stopped (`None`: still idle). A few
    /// suffice: they only judge screenshots still being captured.
    spells: VecDeque<(Instant, Option<Instant>)>,
}

/// Idle stretches remembered for [`Tracker::idle_at`].
const SPELLS_KEPT: usize = 8;

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Tracker {
    pub fn new(cfg: TrackerConfig) -> Self {
        Tracker {
            cfg,
            open: None,
            last_tick: None,
            prompts: Vec::new(),
            input_seen: None,
            spells: VecDeque::new(),
        }
    }

    /// Resumes with a log still open in the outbox after a restart. A
    /// crashed or killed tracker never leaves a log running forever: it is
    /// closed at the last heartbeat the outbox recorded.
    pub fn recover(
        cfg: TrackerConfig,
        open_log: Uuid,
        started_at: Instant,
        last_heartbeat: Option<Instant>,
    ) -> (Self, Vec<Change>) {
        let at = last_heartbeat.unwrap_or(started_at).max(started_at);
        let change = if at > started_at {
            Change::Closed { id: open_log, at }
        } else {
            Change::Deleted { id: open_log }
        };
        (Tracker::new(cfg), vec![change])
    }

    pub fn phase(&self) -> Phase {
        match self.open {
            None => Phase::Stopped,
            Some(o) if o.log_type == LogType::Idle => Phase::Idle,
            Some(_) => Phase::Tracking,
        }
    }

    /// The log being written now, if any.
    pub fn open_log(&self) -> Option<(Uuid, LogType, Instant)> {
        self.open.map(|o| (o.id, o.log_type, o.started_at))
    }

    /// Idle stretches waiting for Keep / Discard / Discard & stop, oldest first.
    pub fn prompts(&self) -> &[IdlePrompt] {
        &self.prompts
    }

    /// The latest moment input was seen while running (or the start): a
    /// screenshot taken before it was followed by input, so it is of work
    /// whatever comes next.
    pub fn input_seen(&self) -> Option<Instant> {
        self.input_seen
    }

    /// Whether `at` fell in idle time: after the last input of a stretch
    /// that became idle, and before input came back. Screenshots are only
    /// taken while tracking, so this is the one that may still be being
    /// captured when idle is noticed; it shows an empty desk.
    pub fn idle_at(&self, at: Instant) -> bool {
        self.spells
            .iter()
            .any(|&(from, to)| from <= at && to.is_none_or(|to| at < to))
    }

    fn spell_began(&mut self, at: Instant) {
        if self.spells.len() == SPELLS_KEPT {
            self.spells.pop_front();
        }
        self.spells.push_back((at, None));
    }

    /// The idle stretch under way, if any, ends at `at` (input came back,
    /// or tracking stopped: nothing after a stop is idle time).
    fn spell_ended(&mut self, at: Instant) {
        if let Some((from, to @ None)) = self.spells.back_mut() {
            *to = Some(at.max(*from));
        }
    }

    fn open(&mut self, log_type: LogType, at: Instant) -> Change {
        let id = Uuid::now_v7();
        self.open = Some(Open {
            id,
            log_type,
            started_at: at,
        });
        Change::Opened { id, log_type, at }
    }

    /// Closes the open log at `at`; a log that would have no length is
    /// deleted instead (it never held any time).
    fn close(&mut self, at: Instant) -> Option<Change> {
        let o = self.open.take()?;
        Some(if at > o.started_at {
            Change::Closed { id: o.id, at }
        } else {
            Change::Deleted { id: o.id }
        })
    }

    pub fn start(&mut self, now: Instant) -> Vec<Change> {
        if self.open.is_some() {
            return vec![];
        }
        self.last_tick = Some(now);
        self.input_seen = Some(self.input_seen.map_or(now, |seen| seen.max(now)));
        vec![self.open(LogType::Tracked, now)]
    }

    /// Stops at `now`; an open IDLE log closes at `now` too (the user was
    /// away until then), and its prompt stays.
    pub fn stop(&mut self, now: Instant) -> Vec<Change> {
        self.last_tick = None;
        self.spell_ended(now);
        self.close(now).into_iter().collect()
    }

    /// The server stopped our log (a timer was started on another device):
    /// forget it without writing anything more; the sync brings the stop.
    pub fn stopped_elsewhere(&mut self, id: Uuid) -> bool {
        if self.open.is_some_and(|o| o.id == id) {
            let at = self.last_tick.take().unwrap_or_default();
            self.spell_ended(at);
            self.open = None;
            return true;
        }
        false
    }

    /// One poll: `idle` is how long the OS has seen no input.
    pub fn tick(&mut self, now: Instant, idle: Duration) -> Vec<Change> {
        self.tick_locked(now, idle, None)
    }

    /// One poll of a session that may be locked: `locked_for` is how long
    /// the screen has been locked (`None` when it is not).
    pub fn tick_locked(
        &mut self,
        now: Instant,
        idle: Duration,
        locked_for: Option<Duration>,
    ) -> Vec<Change> {
        let Some(open) = self.open else { return vec![] };
        let mut out = Vec::new();
        let last = self.last_tick.replace(now).unwrap_or(now);
        let threshold = delta(self.cfg.idle_threshold);
        // Lid closed or machine suspended: the clock jumped. Idle since the
        // last tick, whatever the OS idle counter says now; but only a jump
        // as long as the idle threshold is idle, as with input: a busy
        // machine that missed a few polls was not away.
        let gap = now - last;
        let suspended = gap > delta(self.cfg.poll) * 2 && gap >= threshold;
        let seen = now - delta(idle);
        self.input_seen = Some(self.input_seen.map_or(seen, |s| s.max(seen)));
        let locked_at = locked_for.map(|l| now - delta(l));
        if open.log_type != LogType::Idle
            && (suspended || locked_at.is_some() || delta(idle) >= threshold)
        {
            let since = match locked_at {
                Some(l) if !suspended && delta(idle) < threshold => l,
                Some(l) => l.min(if suspended { last } else { seen }),
                None if suspended => last,
                None => seen,
            }
            .max(open.started_at);
            out.extend(self.close(since));
            out.push(self.open(LogType::Idle, since));
            self.spell_began(since);
        }
        let Some(open) = self.open else { return out };
        if open.log_type == LogType::Idle
            && locked_at.is_none()
            && delta(idle) < threshold
            && !(suspended && delta(idle) >= now - last)
        {
            let back = seen.max(open.started_at);
            self.spell_ended(back);
            out.extend(self.close(back));
            let resumed = self.open(LogType::Resumed, back);
            if let Change::Opened { id, .. } = resumed
                && back > open.started_at
            {
                self.prompts.push(IdlePrompt {
                    idle_log: open.id,
                    from: open.started_at,
                    to: back,
                    resumed_log: id,
                });
            }
            out.push(resumed);
        }
        out
    }

    /// Takes `[from, to)` out of the running log (a screenshot deleted
    /// before upload): it closes at `from` (or goes, if it began inside) and
    /// a log of the same type carries on from `to`.
    pub fn cut(&mut self, from: Instant, to: Instant) -> Vec<Change> {
        let Some(o) = self.open else { return vec![] };
        if from >= to || to <= o.started_at {
            return vec![];
        }
        let mut out: Vec<Change> = self.close(from.max(o.started_at)).into_iter().collect();
        out.push(self.open(o.log_type, to));
        out
    }

    /// The user's answer about one idle stretch.
    pub fn answer(&mut self, idle_log: Uuid, answer: IdleAnswer) -> Vec<Change> {
        let Some(pos) = self.prompts.iter().position(|p| p.idle_log == idle_log) else {
            return vec![];
        };
        let prompt = self.prompts.remove(pos);
        match answer {
            IdleAnswer::Keep => Change::kept(idle_log, LogType::Idle).into_iter().collect(),
            IdleAnswer::Discard => vec![],
            IdleAnswer::DiscardAndStop => match self.open {
                Some(o) if o.id == prompt.resumed_log => {
                    self.last_tick = None;
                    self.open = None;
                    vec![Change::Deleted { id: o.id }]
                }
                Some(_) => {
                    let now = self.last_tick.unwrap_or(prompt.to);
                    self.stop(now)
                }
                None => vec![],
            },
        }
    }
}

#[cfg(test)]
mod tests;
