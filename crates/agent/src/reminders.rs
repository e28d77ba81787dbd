//! "You're working but Stint isn't tracking — Start?": keyboard or mouse
//! activity for a while with no timer running is the commonest way time is
//! never recorded at all. Asked at most once an hour; the window or the
//! shell decides how to say it.

use std::time::{Duration, Instant};

/// When to remind, as the clock of its caller counts minutes (a real
/// minute in the app; tests shorten it).
#[derive(Debug)]
pub struct ForgotToStart {
    after: Duration,
    /// A pause longer than this ends a stretch of work.
    gap: Duration,
    /// At most one reminder this often.
    every: Duration,
    working_since: Option<Instant>,
    reminded: Option<Instant>,
}

impl ForgotToStart {
    /// Reminds after `minutes` of work, a `minute` being what the caller
    /// says; two minutes without input end a stretch; once an hour at most.
    pub fn new(minutes: u32, minute: Duration) -> ForgotToStart {
        ForgotToStart {
            after: minute * minutes,
            gap: minute * 2,
            every: minute * 60,
            working_since: None,
            reminded: None,
        }
    }

    /// One poll while no timer runs (`idle`: the OS's time since the last
    /// input); true when it is time to remind.
    pub fn poll(&mut self, now: Instant, idle: Duration) -> bool {
        if idle > self.gap {
            self.working_since = None;
            return false;
        }
        let since = *self
            .working_since
            .get_or_insert_with(|| now.checked_sub(idle).unwrap_or(now));
        let due = now.duration_since(since) >= self.after
            && self
                .reminded
                .is_none_or(|r| now.duration_since(r) >= self.every);
        if due {
            self.reminded = Some(now);
        }
        due
    }

    /// A timer runs: the stretch without one starts again after it.
    pub fn tracking(&mut self) {
        self.working_since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn five_minutes_of_work_without_a_timer_remind_once_an_hour() {
        let t0 = Instant::now();
        let at = |m: u64| t0 + MIN * m as u32;
        let mut r = ForgotToStart::new(5, MIN);
        assert!((0..5).all(|m| !r.poll(at(m), Duration::ZERO)));
        assert!(r.poll(at(5), Duration::ZERO));
        assert!(
            (6..65).all(|m| !r.poll(at(m), Duration::ZERO)),
            "once an hour"
        );
        assert!(r.poll(at(65), Duration::ZERO));
    }

    #[test]
    fn a_pause_starts_the_count_again_and_so_does_a_timer() {
        let t0 = Instant::now();
        let at = |m: u64| t0 + MIN * m as u32;
        let mut r = ForgotToStart::new(5, MIN);
        assert!(!r.poll(at(0), Duration::ZERO));
        assert!(!r.poll(at(4), Duration::ZERO));
        assert!(!r.poll(at(7), MIN * 3), "three minutes away");
        assert!(!r.poll(at(8), Duration::ZERO));
        assert!(!r.poll(at(12), Duration::ZERO));
        assert!(r.poll(at(13), Duration::ZERO));
        let mut r = ForgotToStart::new(5, MIN);
        assert!(!r.poll(at(0), Duration::ZERO));
        r.tracking();
        assert!(
            !r.poll(at(6), Duration::ZERO),
            "counted from after the timer"
        );
        assert!(r.poll(at(11), Duration::ZERO));
    }
}
