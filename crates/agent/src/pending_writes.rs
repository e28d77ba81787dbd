//! Steps the tracking loop could not write to the outbox yet (a full disk,
//! a read-only data directory). They wait here, in memory and in order, and
//! are retried on every tick: a step is never dropped, and a new one never
//! overtakes an older one (it queues behind while anything waits).

use std::collections::VecDeque;

use stint_model::Instant;

use crate::outbox::{Live, LogContext, Outbox};
use crate::slots::SlotReport;
use crate::tracker::Change;

/// One tracker step: what `Outbox::apply_with_slots` writes in one
/// transaction, and the screenshots of an idle stretch to drop first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    pub drop_shots_since: Option<Instant>,
    pub changes: Vec<Change>,
    pub slots: Vec<crate::slots::SlotReport>,
    pub heartbeat: Option<Instant>,
    /// The loop's state as of this step (written with it).
    pub live: Option<Live>,
}

impl Step {
    pub fn new(changes: Vec<Change>, slots: Vec<SlotReport>, heartbeat: Option<Instant>) -> Step {
        Step {
            drop_shots_since: None,
            changes,
            slots,
            heartbeat,
            live: None,
        }
    }

    /// Only a heartbeat: it can ride on the step before it.
    fn heartbeat_only(&self) -> bool {
        self.drop_shots_since.is_none() && self.changes.is_empty() && self.slots.is_empty()
    }
}

/// What a write did, for the user to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Everything is in the outbox, as usual.
    Saved,
    /// The outbox takes writes again: `steps` that waited are in it now.
    Recovered { steps: usize },
    /// Writing failed after it had worked: a failure streak starts (told
    /// once).
    Failed(String),
    /// Still failing, already told.
    StillFailing,
}

#[derive(Debug, Default)]
pub struct PendingWrites {
    queue: VecDeque<Step>,
    failing: bool,
    written_in_streak: usize,
    dropped_shots: usize,
}

impl PendingWrites {
    /// Steps waiting to be written.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Queues `step` behind the others and writes everything it can.
    pub fn write(&mut self, o: &mut Outbox, ctx: &LogContext, step: Step) -> Written {
        self.push(step);
        self.flush(o, ctx)
    }

    /// Queues `step`. A heartbeat alone is folded into the step before it
    /// (a later heartbeat, and the loop's state with it, replaces an
    /// earlier one), so a long outage keeps one entry per real change, not
    /// one per second.
    pub fn push(&mut self, step: Step) {
        match self.queue.back_mut() {
            Some(last) if step.heartbeat_only() => {
                if step.heartbeat.is_some() {
                    last.heartbeat = step.heartbeat;
                }
                if step.live.is_some() {
                    last.live = step.live;
                }
            }
            _ => self.queue.push_back(step),
        }
    }

    /// Writes the waiting steps, oldest first, each in its own transaction,
    /// and stops at the first that fails (it stays first in line).
    pub fn flush(&mut self, o: &mut Outbox, ctx: &LogContext) -> Written {
        while let Some(step) = self.queue.front_mut() {
            if let Some(since) = step.drop_shots_since {
                match o.drop_shots_since(since) {
                    Ok(n) => {
                        self.dropped_shots += n;
                        step.drop_shots_since = None;
                    }
                    Err(e) => return self.failed(e.to_string()),
                }
            }
            if let Err(e) = o.apply_with_slots(
                &step.changes,
                &step.slots,
                ctx,
                step.heartbeat,
                step.live.as_ref(),
            ) {
                return self.failed(e.to_string());
            }
            self.queue.pop_front();
            if self.failing {
                self.written_in_streak += 1;
            }
        }
        if self.failing {
            self.failing = false;
            Written::Recovered {
                steps: std::mem::take(&mut self.written_in_streak),
            }
        } else {
            Written::Saved
        }
    }

    fn failed(&mut self, error: String) -> Written {
        if self.failing {
            Written::StillFailing
        } else {
            self.failing = true;
            Written::Failed(error)
        }
    }

    /// Screenshots of idle time dropped by the writes so far (then zero).
    pub fn take_dropped_shots(&mut self) -> usize {
        std::mem::take(&mut self.dropped_shots)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};
    use stint_model::LogType;
    use uuid::Uuid;

    use super::*;

    fn at(s: i64) -> Instant {
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    /// A long description: a log row that needs overflow pages, so the
    /// insert fails on a database that may not grow (SQLITE_FULL).
    fn big() -> LogContext {
        LogContext {
            description: "x".repeat(64 * 1024),
            ..LogContext::default()
        }
    }

    fn opened(id: Uuid, s: i64) -> Change {
        Change::Opened {
            id,
            log_type: LogType::Tracked,
            at: at(s),
        }
    }

    fn file_outbox() -> (tempfile::TempDir, Outbox) {
        let dir = tempfile::tempdir().unwrap();
        let o = Outbox::open(&dir.path().join("outbox.db")).unwrap();
        (dir, o)
    }

    #[test]
    fn a_full_disk_keeps_steps_in_order_and_writes_them_once_it_has_room() {
        let (_dir, mut o) = file_outbox();
        let ctx = big();
        let mut p = PendingWrites::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(
            p.write(
                &mut o,
                &ctx,
                Step::new(vec![opened(a, 0)], vec![], Some(at(0)))
            ),
            Written::Saved
        );
        o.cap_pages(true).unwrap();
        // The close of `a` alone might fit; the new log cannot: it waits, and
        // so does everything after it.
        let w = p.write(
            &mut o,
            &ctx,
            Step::new(
                vec![Change::Closed { id: a, at: at(10) }, opened(b, 10)],
                vec![],
                Some(at(10)),
            ),
        );
        let Written::Failed(e) = w else {
            panic!("{w:?}")
        };
        assert!(e.contains("full"), "{e}");
        for s in 11..20 {
            assert_eq!(
                p.write(&mut o, &ctx, Step::new(vec![], vec![], Some(at(s)))),
                Written::StillFailing
            );
        }
        assert_eq!(
            p.write(
                &mut o,
                &ctx,
                Step::new(
                    vec![Change::Closed { id: b, at: at(20) }],
                    vec![],
                    Some(at(20))
                )
            ),
            Written::StillFailing
        );
        assert_eq!(p.len(), 2, "heartbeats ride on the step before them");
        assert_eq!(
            o.open_log().unwrap().map(|l| l.id),
            Some(a),
            "nothing of the failed step"
        );
        o.cap_pages(false).unwrap();
        assert_eq!(p.flush(&mut o, &ctx), Written::Recovered { steps: 2 });
        assert!(p.is_empty());
        let logs = o.logs().unwrap();
        let stretches: Vec<_> = logs
            .iter()
            .map(|l| (l.id, l.started_at, l.stopped_at))
            .collect();
        assert_eq!(
            stretches,
            [(a, at(0), Some(at(10))), (b, at(10), Some(at(20)))]
        );
        assert_eq!(o.last_heartbeat().unwrap(), Some(at(20)));
        assert_eq!(p.flush(&mut o, &ctx), Written::Saved);
    }

    #[test]
    fn a_read_only_outbox_keeps_everything_until_it_is_writable() {
        let (_dir, mut o) = file_outbox();
        let ctx = LogContext::default();
        let mut p = PendingWrites::default();
        o.set_read_only(true).unwrap();
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let first = p.write(
            &mut o,
            &ctx,
            Step::new(vec![opened(ids[0], 0)], vec![], None),
        );
        assert!(
            matches!(first, Written::Failed(ref e) if e.contains("readonly")),
            "{first:?}"
        );
        for (i, id) in ids.iter().enumerate().skip(1) {
            let s = i as i64 * 10;
            let step = Step::new(
                vec![
                    Change::Closed {
                        id: ids[i - 1],
                        at: at(s),
                    },
                    opened(*id, s),
                ],
                vec![],
                None,
            );
            assert_eq!(p.write(&mut o, &ctx, step), Written::StillFailing);
        }
        assert!(o.logs().unwrap().is_empty());
        o.set_read_only(false).unwrap();
        let step = Step::new(
            vec![Change::Closed {
                id: ids[2],
                at: at(30),
            }],
            vec![],
            Some(at(30)),
        );
        assert_eq!(p.write(&mut o, &ctx, step), Written::Recovered { steps: 4 });
        let logs: Vec<_> = o
            .logs()
            .unwrap()
            .iter()
            .map(|l| (l.id, l.stopped_at))
            .collect();
        assert_eq!(
            logs,
            [
                (ids[0], Some(at(10))),
                (ids[1], Some(at(20))),
                (ids[2], Some(at(30)))
            ]
        );
        // Each log once, at version 2 (opened, closed): nothing applied twice.
        assert!(o.logs().unwrap().iter().all(|l| l.version == 2));
    }

    #[test]
    fn the_idle_drop_of_screenshots_waits_its_turn_and_is_done_once() {
        let (_dir, mut o) = file_outbox();
        let ctx = LogContext::default();
        let e = crate::capture::Encoded::tiny();
        o.add_shot(at(5), &e).unwrap();
        o.add_shot(at(15), &e).unwrap();
        let mut p = PendingWrites::default();
        o.set_read_only(true).unwrap();
        let step = Step {
            drop_shots_since: Some(at(10)),
            ..Step::new(vec![opened(Uuid::now_v7(), 10)], vec![], Some(at(10)))
        };
        assert!(matches!(p.write(&mut o, &ctx, step), Written::Failed(_)));
        assert_eq!(p.take_dropped_shots(), 0);
        o.set_read_only(false).unwrap();
        assert_eq!(p.flush(&mut o, &ctx), Written::Recovered { steps: 1 });
        assert_eq!(p.take_dropped_shots(), 1, "the shot of the idle time");
        assert_eq!(p.take_dropped_shots(), 0);
        let left: Vec<_> = o
            .pending_shots(10)
            .unwrap()
            .iter()
            .map(|s| s.recorded_at)
            .collect();
        assert_eq!(left, [at(5)]);
    }
}
