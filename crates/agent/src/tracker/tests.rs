//! Stories of an employee at the keyboard, on a fake clock.

use super::*;
use chrono::{TimeZone, Utc};

const S: Duration = Duration::from_secs(1);

fn t0() -> Instant {
    Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap()
}

fn at(secs: i64) -> Instant {
    t0() + TimeDelta::seconds(secs)
}

fn tracker() -> Tracker {
    Tracker::new(TrackerConfig {
        idle_threshold: Duration::from_secs(300),
        poll: S,
    })
}

/// Ticks every second from `from` to `to` with the idle time the script says.
fn run(t: &mut Tracker, from: i64, to: i64, idle: impl Fn(i64) -> u64) -> Vec<Change> {
    (from..=to)
        .flat_map(|s| t.tick(at(s), Duration::from_secs(idle(s))))
        .collect()
}

fn opened(c: &[Change]) -> Vec<(LogType, Instant)> {
    c.iter()
        .filter_map(|c| match c {
            Change::Opened { log_type, at, .. } => Some((*log_type, *at)),
            _ => None,
        })
        .collect()
}

#[test]
fn moving_the_mouse_keeps_one_tracked_log() {
    let mut t = tracker();
    let start = t.start(at(0));
    assert_eq!(opened(&start), vec![(LogType::Tracked, at(0))]);
    assert!(
        t.start(at(1)).is_empty(),
        "start while running does nothing"
    );
    assert!(run(&mut t, 1, 3600, |s| (s % 7) as u64).is_empty());
    assert_eq!(t.phase(), Phase::Tracking);
}

#[test]
fn idle_starts_when_input_stopped_not_when_the_threshold_was_reached() {
    let mut t = tracker();
    t.start(at(0));
    // Input stops at 600 s; the threshold (300 s) is reached at 900 s.
    let c = run(
        &mut t,
        1,
        1000,
        |s| if s < 600 { 0 } else { (s - 600) as u64 },
    );
    assert!(matches!(c[0], Change::Closed { at, .. } if at == at_(600)));
    assert_eq!(opened(&c), vec![(LogType::Idle, at(600))]);
    assert_eq!(t.phase(), Phase::Idle);
}

/// `at` under another name, for use inside `matches!` guards that bind `at`.
fn at_(s: i64) -> Instant {
    at(s)
}

#[test]
fn input_after_idle_opens_resumed_and_asks() {
    let mut t = tracker();
    t.start(at(0));
    // Maya reads for 12 minutes without touching anything, then moves the mouse at 1320 s.
    let c = run(&mut t, 1, 1400, |s| {
        if s < 600 {
            0
        } else if s < 1320 {
            (s - 600) as u64
        } else {
            (s - 1320) as u64
        }
    });
    assert_eq!(
        opened(&c),
        vec![(LogType::Idle, at(600)), (LogType::Resumed, at(1320))]
    );
    let p = t.prompts()[0];
    assert_eq!((p.from, p.to), (at(600), at(1320)));
    assert_eq!(p.duration(), TimeDelta::minutes(12));
    assert_eq!(t.phase(), Phase::Tracking);
    // She keeps it: the IDLE log becomes TRACKED.
    assert_eq!(
        t.answer(p.idle_log, IdleAnswer::Keep),
        vec![Change::Retyped {
            id: p.idle_log,
            to: LogType::Tracked
        }]
    );
    assert!(t.prompts().is_empty());
}

#[test]
fn discard_leaves_idle_and_discard_and_stop_stops_as_of_idle_start() {
    for (answer, phase) in [
        (IdleAnswer::Discard, Phase::Tracking),
        (IdleAnswer::DiscardAndStop, Phase::Stopped),
    ] {
        let mut t = tracker();
        t.start(at(0));
        run(&mut t, 1, 1400, |s| {
            if s < 1320 {
                s as u64
            } else {
                (s - 1320) as u64
            }
        });
        let p = t.prompts()[0];
        let c = t.answer(p.idle_log, answer);
        assert_eq!(t.phase(), phase);
        match answer {
            IdleAnswer::Discard => assert!(c.is_empty()),
            _ => assert_eq!(c, vec![Change::Deleted { id: p.resumed_log }]),
        }
    }
}

#[test]
fn an_unanswered_prompt_stays_and_a_second_idle_adds_another() {
    let mut t = tracker();
    t.start(at(0));
    let idle = |s: i64| -> u64 {
        match s {
            0..1000 => s as u64,
            1000..3000 => (s - 1000) as u64,
            _ => (s - 3000) as u64,
        }
    };
    run(&mut t, 1, 3100, idle);
    assert_eq!(t.prompts().len(), 2);
    assert!(
        t.answer(Uuid::now_v7(), IdleAnswer::Keep).is_empty(),
        "unknown prompt changes nothing"
    );
}

#[test]
fn a_closed_lid_is_idle_from_the_last_tick() {
    let mut t = tracker();
    t.start(at(0));
    run(&mut t, 1, 100, |_| 0);
    // Lid closed at 100 s, opened at 4000 s: the OS idle counter was reset by the wake-up key press.
    let c = t.tick(at(4000), Duration::from_secs(0));
    assert_eq!(
        opened(&c),
        vec![(LogType::Idle, at(100)), (LogType::Resumed, at(4000))]
    );
    assert!(matches!(c[0], Change::Closed { at, .. } if at == at_(100)));
    assert_eq!(t.prompts()[0].from, at(100));
}

#[test]
fn a_stalled_poll_shorter_than_the_threshold_is_not_idle() {
    let mut t = tracker();
    t.start(at(0));
    run(&mut t, 1, 100, |_| 0);
    // The machine was too busy to poll for 20 s; the user was typing.
    assert!(t.tick(at(120), Duration::from_secs(0)).is_empty());
    assert_eq!(t.phase(), Phase::Tracking);
}

#[test]
fn a_lid_opened_without_input_stays_idle() {
    let mut t = tracker();
    t.start(at(0));
    run(&mut t, 1, 100, |_| 0);
    let c = t.tick(at(4000), Duration::from_secs(3900));
    assert_eq!(opened(&c), vec![(LogType::Idle, at(100))]);
    assert_eq!(t.phase(), Phase::Idle);
}

#[test]
fn a_locked_screen_is_idle_from_the_lock_until_it_is_unlocked() {
    let mut t = tracker();
    t.start(at(0));
    run(&mut t, 1, 100, |_| 0);
    // Locked at 100 s with the last input a second before: idle from the
    // lock, long before the 300 s threshold.
    let c = t.tick_locked(at(101), S, Some(S));
    assert_eq!(opened(&c), vec![(LogType::Idle, at(100))]);
    // Typing the password on the lock screen is not work.
    for s in 102..=400 {
        assert!(
            t.tick_locked(
                at(s),
                Duration::ZERO,
                Some(Duration::from_secs(s as u64 - 100))
            )
            .is_empty()
        );
    }
    assert_eq!(t.phase(), Phase::Idle);
    // Unlocked: the input that follows resumes, and the stretch is asked about.
    let c = t.tick_locked(at(401), Duration::ZERO, None);
    assert_eq!(opened(&c), vec![(LogType::Resumed, at(401))]);
    assert_eq!((t.prompts()[0].from, t.prompts()[0].to), (at(100), at(401)));
}

#[test]
fn a_screen_locked_after_the_user_left_is_idle_from_the_last_input() {
    let mut t = tracker();
    t.start(at(0));
    // Input stopped at 100 s; the screen locked itself at 500 s.
    run(&mut t, 1, 299, |s| (s - 100).max(0) as u64);
    let c = t.tick_locked(at(500), Duration::from_secs(400), Some(Duration::ZERO));
    assert_eq!(opened(&c), vec![(LogType::Idle, at(100))]);
}

#[test]
fn stop_closes_the_open_log_even_while_idle() {
    let mut t = tracker();
    t.start(at(0));
    run(&mut t, 1, 400, |s| s as u64);
    let c = t.stop(at(500));
    assert!(matches!(c[..], [Change::Closed { at, .. }] if at == at_(500)));
    assert_eq!(t.phase(), Phase::Stopped);
    assert!(
        t.tick(at(501), S).is_empty(),
        "a stopped tracker writes nothing"
    );
}

#[test]
fn idle_right_at_start_never_makes_a_log_without_length() {
    let mut t = tracker();
    t.start(at(0));
    // The OS says 10 minutes idle on the first tick: the idle began before Start.
    let c = t.tick(at(1), Duration::from_secs(600));
    assert!(matches!(c[0], Change::Deleted { .. }));
    assert_eq!(opened(&c), vec![(LogType::Idle, at(0))]);
}

#[test]
fn after_a_crash_the_open_log_closes_at_the_last_heartbeat() {
    let id = Uuid::now_v7();
    let (t, c) = Tracker::recover(TrackerConfig::default(), id, at(0), Some(at(42)));
    assert_eq!(c, vec![Change::Closed { id, at: at(42) }]);
    assert_eq!(t.phase(), Phase::Stopped);
    let (_, c) = Tracker::recover(TrackerConfig::default(), id, at(0), None);
    assert_eq!(c, vec![Change::Deleted { id }]);
}

#[test]
fn a_timer_started_elsewhere_stops_this_one() {
    let mut t = tracker();
    let id = match t.start(at(0))[0] {
        Change::Opened { id, .. } => id,
        _ => unreachable!(),
    };
    assert!(!t.stopped_elsewhere(Uuid::now_v7()));
    assert!(t.stopped_elsewhere(id));
    assert_eq!(t.phase(), Phase::Stopped);
}

/// Issue 15, point 3: every screenshot after a return from idle was taken
/// for idle time. Only moments after the last input of a stretch that
/// became idle, and before input came back, are idle.
#[test]
fn only_the_moments_between_the_last_input_and_the_return_are_idle() {
    let mut t = Tracker::new(TrackerConfig {
        idle_threshold: Duration::from_secs(3),
        poll: S,
    });
    t.start(at(0));
    // Input every second until 8 s, nothing until 14 s, input again to 22 s.
    run(&mut t, 1, 22, |s| match s {
        ..=8 => 0,
        9..=13 => (s - 8) as u64,
        _ => 0,
    });
    assert_eq!(t.phase(), Phase::Tracking);
    for s in [0, 2, 4, 7, 14, 16, 18, 20, 22] {
        assert!(!t.idle_at(at(s)), "{s} s was work");
    }
    for s in [8, 9, 11, 13] {
        assert!(t.idle_at(at(s)), "{s} s was idle");
    }
    assert_eq!(t.input_seen(), Some(at(22)));
    // Gone idle again at 22 s: from then on, until input comes back.
    run(&mut t, 23, 26, |s| (s - 22) as u64);
    assert_eq!(t.phase(), Phase::Idle);
    assert!(t.idle_at(at(22)) && t.idle_at(at(26)) && !t.idle_at(at(21)));
    assert_eq!(
        t.input_seen(),
        Some(at(22)),
        "idle time is not input: a screenshot after 22 s waits"
    );
    // A stop is not idle, and ends the idle stretch: a later start's
    // screenshots are of work.
    t.stop(at(27));
    t.start(at(30));
    assert!(!t.idle_at(at(30)) && !t.idle_at(at(40)));
    assert_eq!(t.input_seen(), Some(at(30)));
}

#[test]
fn input_seen_follows_the_last_input_and_never_goes_back() {
    let mut t = tracker();
    assert_eq!(t.input_seen(), None);
    t.start(at(0));
    assert_eq!(t.input_seen(), Some(at(0)));
    t.tick(at(10), Duration::from_secs(4));
    assert_eq!(t.input_seen(), Some(at(6)));
    // A later poll that reads a longer idle time than it should (clocks
    // drift by milliseconds) does not move it back.
    t.tick(at(11), Duration::from_secs(6));
    assert_eq!(t.input_seen(), Some(at(6)));
}
