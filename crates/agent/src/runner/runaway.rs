//! "Still working?": a timer left running for hours (overnight, over a
//! weekend) is the commonest way time trackers count time nobody worked.
//! After [`StillWorking::after`] of running it asks once; an answer starts
//! the count again, and no answer within [`StillWorking::grace`] stops the
//! run at the last input, so the hours after the person left count nothing.

use std::time::Duration;

use chrono::TimeDelta;
use stint_model::Instant;

/// When to ask, and how long an answer may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StillWorking {
    pub after: Duration,
    pub grace: Duration,
}

impl Default for StillWorking {
    /// Ten hours is longer than any working day a timer should cover
    /// without a break; a quarter of an hour to notice the question.
    fn default() -> Self {
        StillWorking {
            after: Duration::from_secs(10 * 3600),
            grace: Duration::from_secs(15 * 60),
        }
    }
}

/// What a tick owes the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Nothing,
    /// Ask now; without an answer the run stops at `stops_at`.
    Ask {
        running_since: Instant,
        stops_at: Instant,
    },
    /// Nobody answered: stop at the last input.
    Stop,
}

/// The question's clock for one run.
#[derive(Debug)]
pub struct Runaway {
    cfg: StillWorking,
    since: Instant,
    asked: Option<Instant>,
}

fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

impl Runaway {
    pub fn new(cfg: StillWorking, started: Instant) -> Runaway {
        Runaway {
            cfg,
            since: started,
            asked: None,
        }
    }

    pub fn poll(&mut self, now: Instant) -> Due {
        match self.asked {
            None if now - self.since >= delta(self.cfg.after) => {
                self.asked = Some(now);
                Due::Ask {
                    running_since: self.since,
                    stops_at: now + delta(self.cfg.grace),
                }
            }
            Some(at) if now - at >= delta(self.cfg.grace) => Due::Stop,
            _ => Due::Nothing,
        }
    }

    /// "Yes, still working": ask again after another `after`.
    pub fn confirmed(&mut self, now: Instant) {
        self.since = now;
        self.asked = None;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn at(h: i64, m: i64) -> Instant {
        Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap()
            + TimeDelta::hours(h)
            + TimeDelta::minutes(m)
    }

    #[test]
    fn asks_once_after_ten_hours_and_stops_when_nobody_answers() {
        let mut r = Runaway::new(StillWorking::default(), at(8, 0));
        assert_eq!(r.poll(at(17, 59)), Due::Nothing);
        assert_eq!(
            r.poll(at(18, 0)),
            Due::Ask {
                running_since: at(8, 0),
                stops_at: at(18, 15)
            }
        );
        assert_eq!(r.poll(at(18, 10)), Due::Nothing, "asked once");
        assert_eq!(r.poll(at(18, 15)), Due::Stop);
    }

    #[test]
    fn an_answer_starts_the_count_again() {
        let mut r = Runaway::new(StillWorking::default(), at(8, 0));
        assert!(matches!(r.poll(at(18, 0)), Due::Ask { .. }));
        r.confirmed(at(18, 5));
        assert_eq!(r.poll(at(18, 20)), Due::Nothing);
        assert_eq!(r.poll(at(28, 4)), Due::Nothing);
        assert!(matches!(r.poll(at(28, 5)), Due::Ask { .. }));
    }
}
