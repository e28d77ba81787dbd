//! Ten-minute activity slots built from one sample a second.
//!
//! While tracking (and not idle) each poll adds one second to the current
//! wall-clock slot (09:00, 09:10, ...), noting whether the keyboard and the
//! mouse were used and which application was in front. When the clock passes
//! into the next slot, or tracking stops, the slot is finished: seconds
//! tracked, keyboard/mouse/overall activity as percentages of those seconds,
//! and seconds per application.
//!
//! The slot being built is saved with every heartbeat (see
//! `Outbox::apply_with_slots`), so `kill -9` loses at most a poll of it:
//! the next start carries on with it while its ten minutes last, or
//! finishes it as it was ([`SlotBuilder::resume`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stint_model::{Instant, slot_start};
use uuid::Uuid;

/// One second of input, as the platform tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    pub keyboard: bool,
    pub mouse: bool,
    /// Application in front, where the OS tells it.
    pub app: Option<String>,
    /// Its window's title, for the never-capture rules only: slots do not
    /// keep it.
    pub title: Option<String>,
}

/// A finished slot, waiting in the outbox to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotReport {
    /// Client id: a replayed report changes nothing on the server.
    pub id: Uuid,
    pub started_at: Instant,
    pub duration: i64,
    pub keyboard: i64,
    pub mouse: i64,
    pub overall: i64,
    pub time_log_ids: Vec<Uuid>,
    /// Seconds per application, most used first.
    pub apps: Vec<(String, i64)>,
}

impl SlotReport {
    /// The note a deleted screenshot leaves where the organization keeps
    /// its time (`keep-time`): a part of the slot it was taken in, with no
    /// seconds of its own (the tracked seconds are reported as usual) and
    /// one activity naming what happened, which the server merges into
    /// that slot for the manager to see.
    pub fn screenshot_removed(taken_at: Instant) -> SlotReport {
        SlotReport {
            id: Uuid::now_v7(),
            started_at: slot_start(taken_at),
            duration: 0,
            keyboard: 0,
            mouse: 0,
            overall: 0,
            time_log_ids: Vec::new(),
            apps: vec![(stint_model::SCREENSHOT_REMOVED.to_string(), 0)],
        }
    }
}

/// The slot being built. Serialized as it stands into the outbox with each
/// heartbeat.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotBuilder {
    /// The id its report will carry, chosen when the slot opens. A slot
    /// resumed after a crash keeps it: nothing of the slot was sent before
    /// it finished, and the server takes a part id once, so its seconds
    /// can reach the server only once.
    id: Uuid,
    start: Option<Instant>,
    seconds: i64,
    keyboard: i64,
    mouse: i64,
    any: i64,
    logs: Vec<Uuid>,
    apps: BTreeMap<String, i64>,
}

fn pct(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        0
    } else {
        (part * 100 + whole / 2) / whole
    }
}

impl SlotBuilder {
    /// Adds one tracked second at `now` under `log`; returns the previous
    /// slot when `now` falls into a new one.
    pub fn add(&mut self, now: Instant, log: Uuid, s: &Sample) -> Option<SlotReport> {
        let start = slot_start(now);
        let done = match self.start {
            Some(current) if current != start => self.finish(),
            _ => None,
        };
        if self.start.is_none() {
            self.id = Uuid::now_v7();
        }
        self.start = Some(start);
        self.seconds = (self.seconds + 1).min(stint_model::slot::SLOT_SECONDS);
        self.keyboard += i64::from(s.keyboard);
        self.mouse += i64::from(s.mouse);
        self.any += i64::from(s.keyboard || s.mouse);
        if !self.logs.contains(&log) {
            self.logs.push(log);
        }
        if let Some(app) = &s.app {
            *self.apps.entry(app.clone()).or_default() += 1;
        }
        done
    }

    /// Ends the current slot (tracking stopped or idle began).
    pub fn finish(&mut self) -> Option<SlotReport> {
        let start = self.start.take()?;
        let b = std::mem::take(self);
        let mut apps: Vec<(String, i64)> = b.apps.into_iter().collect();
        apps.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(SlotReport {
            id: b.id,
            started_at: start,
            duration: b.seconds,
            keyboard: pct(b.keyboard, b.seconds).min(100),
            mouse: pct(b.mouse, b.seconds).min(100),
            overall: pct(b.any, b.seconds).min(100),
            time_log_ids: b.logs,
            apps,
        })
    }

    /// Whether a slot is being built (something to save).
    pub fn is_open(&self) -> bool {
        self.start.is_some()
    }

    /// Carries on with a slot saved before a crash: while its ten minutes
    /// last at `now` the next seconds add to it; once they are over it is
    /// finished as it was, and returned to be queued like any other.
    pub fn resume(saved: SlotBuilder, now: Instant) -> (SlotBuilder, Option<SlotReport>) {
        match saved.start {
            Some(start) if start == slot_start(now) => (saved, None),
            _ => {
                let mut ended = saved;
                (SlotBuilder::default(), ended.finish())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone, Utc};

    fn at(s: i64) -> Instant {
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    #[test]
    fn seconds_fold_into_wall_clock_slots_with_percentages() {
        let mut b = SlotBuilder::default();
        let log = Uuid::now_v7();
        let typing = Sample {
            keyboard: true,
            mouse: false,
            app: Some("Editor".into()),
            title: None,
        };
        let pointing = Sample {
            keyboard: false,
            mouse: true,
            app: Some("Browser".into()),
            title: None,
        };
        let reading = Sample {
            app: Some("Browser".into()),
            ..Sample::default()
        };
        for s in 0..600 {
            let sample = match s % 4 {
                0 => &typing,
                1 => &pointing,
                _ => &reading,
            };
            assert!(b.add(at(s), log, sample).is_none());
        }
        let r = b.add(at(600), log, &typing).expect("09:10 closes 09:00");
        assert_eq!((r.started_at, r.duration), (at(0), 600));
        assert_eq!((r.keyboard, r.mouse, r.overall), (25, 25, 50));
        assert_eq!(
            r.apps,
            vec![("Browser".into(), 450), ("Editor".into(), 150)]
        );
        assert_eq!(r.time_log_ids, vec![log]);
        let last = b.finish().expect("the 09:10 slot");
        assert_eq!(
            (last.started_at, last.duration, last.keyboard),
            (at(600), 1, 100)
        );
        assert!(b.finish().is_none());
    }

    /// Issue 15, point 4: a slot saved at a heartbeat and resumed after
    /// `kill -9` reports both runs' seconds once, under one id.
    #[test]
    fn a_saved_slot_resumes_in_its_window_and_finishes_after_it() {
        let (before, after) = (Uuid::now_v7(), Uuid::now_v7());
        let typing = Sample {
            keyboard: true,
            ..Sample::default()
        };
        let mut b = SlotBuilder::default();
        for s in 0..30 {
            b.add(at(s), before, &typing);
        }
        let saved: SlotBuilder = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(saved, b);
        // Killed at 30 s, started again at 45 s: the same slot carries on.
        let (mut resumed, done) = SlotBuilder::resume(saved.clone(), at(45));
        assert!(done.is_none());
        for s in 45..65 {
            assert!(resumed.add(at(s), after, &Sample::default()).is_none());
        }
        let r = resumed.finish().unwrap();
        let uninterrupted = b.clone().finish().unwrap();
        assert_eq!(r.id, uninterrupted.id, "one part id for both runs");
        assert_eq!((r.started_at, r.duration, r.keyboard), (at(0), 50, 60));
        assert_eq!(r.time_log_ids, vec![before, after]);
        // Started again after 09:10: the saved slot is finished as it was.
        let (fresh, done) = SlotBuilder::resume(saved, at(600));
        let done = done.expect("the 09:00 slot");
        assert_eq!((done.id, done.duration), (uninterrupted.id, 30));
        assert!(!fresh.is_open());
        let (_, nothing) = SlotBuilder::resume(SlotBuilder::default(), at(600));
        assert!(nothing.is_none());
    }

    #[test]
    fn a_slot_lists_every_log_it_saw() {
        let mut b = SlotBuilder::default();
        let (a, c) = (Uuid::now_v7(), Uuid::now_v7());
        b.add(at(0), a, &Sample::default());
        b.add(at(1), c, &Sample::default());
        let r = b.finish().unwrap();
        assert_eq!((r.time_log_ids, r.overall), (vec![a, c], 0));
    }
}
