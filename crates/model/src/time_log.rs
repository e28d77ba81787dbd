//! Time logs: the one record both dialects read and write.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Instant, Invalid};

/// How a log came to be (Gauzy's log types). Only IDLE is left out of totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogType {
    Tracked,
    Manual,
    Idle,
    Resumed,
}

impl LogType {
    pub fn as_str(self) -> &'static str {
        match self {
            LogType::Tracked => "TRACKED",
            LogType::Manual => "MANUAL",
            LogType::Idle => "IDLE",
            LogType::Resumed => "RESUMED",
        }
    }

    pub fn parse(s: &str) -> Result<LogType, Invalid> {
        match s {
            "TRACKED" => Ok(LogType::Tracked),
            "MANUAL" => Ok(LogType::Manual),
            "IDLE" => Ok(LogType::Idle),
            "RESUMED" => Ok(LogType::Resumed),
            other => Err(Invalid::new(format!(
                "unknown logType '{other}' (expected TRACKED, MANUAL, IDLE or RESUMED)"
            ))),
        }
    }

    /// Totals count TRACKED, MANUAL and RESUMED time; IDLE is reported only.
    pub fn counts(self) -> bool {
        !matches!(self, LogType::Idle)
    }

    /// What the user's Keep makes of a log of this type: idle time they
    /// keep is counted as tracked time. Only IDLE is idle time, so for the
    /// other types there is nothing to keep (`None`).
    pub fn kept(self) -> Option<LogType> {
        (self == LogType::Idle).then_some(LogType::Tracked)
    }
}

/// A log as far as totals care: its type and its stretch of time. The
/// server's [`TimeLog`] and the agent's local copy both are one, so both
/// are totalled by the one [`counted_seconds`].
pub trait Timed {
    fn log_type(&self) -> LogType;
    fn interval(&self) -> Interval;
}

/// Where a log was recorded: the seed's list plus what Gauzy clients send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LogSource {
    WebTimer,
    Desktop,
    Mobile,
    BrowserExtension,
    Hubstaff,
    Upwork,
    Browser,
    Teams,
    Cloc,
}

impl LogSource {
    pub const ALL: [LogSource; 9] = [
        LogSource::WebTimer,
        LogSource::Desktop,
        LogSource::Mobile,
        LogSource::BrowserExtension,
        LogSource::Hubstaff,
        LogSource::Upwork,
        LogSource::Browser,
        LogSource::Teams,
        LogSource::Cloc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LogSource::WebTimer => "WEB_TIMER",
            LogSource::Desktop => "DESKTOP",
            LogSource::Mobile => "MOBILE",
            LogSource::BrowserExtension => "BROWSER_EXTENSION",
            LogSource::Hubstaff => "HUBSTAFF",
            LogSource::Upwork => "UPWORK",
            LogSource::Browser => "BROWSER",
            LogSource::Teams => "TEAMS",
            LogSource::Cloc => "CLOC",
        }
    }

    pub fn parse(s: &str) -> Result<LogSource, Invalid> {
        LogSource::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = LogSource::ALL.iter().map(|v| v.as_str()).collect();
                Invalid::new(format!(
                    "unknown source '{s}' (expected one of {})",
                    names.join(", ")
                ))
            })
    }
}

/// A stretch of time `[start, stop)`; `stop = None` means still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: Instant,
    pub stop: Option<Instant>,
}

impl Interval {
    /// Two stretches share time. Touching ends (one stops when the other
    /// starts) do not overlap: that is how consecutive logs are written.
    pub fn overlaps(&self, other: &Interval) -> bool {
        let a_before_b_ends = other.stop.is_none_or(|s| self.start < s);
        let b_before_a_ends = self.stop.is_none_or(|s| other.start < s);
        a_before_b_ends && b_before_a_ends
    }

    /// Whole seconds of this stretch inside `[from, to)`; a running stretch is
    /// counted up to `now`.
    pub fn seconds_within(&self, from: Instant, to: Instant, now: Instant) -> i64 {
        let stop = self.stop.unwrap_or(now);
        let a = self.start.max(from);
        let b = stop.min(to);
        if b > a {
            (b - a).num_milliseconds() / 1000
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLog {
    /// Client-generatable (UUIDv7 from the agent), unique per organization.
    pub id: Uuid,
    /// Stable integer id for the IceHrm dialect (its "entry id").
    pub seq: i64,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub started_at: Instant,
    pub stopped_at: Option<Instant>,
    pub log_type: LogType,
    pub source: LogSource,
    pub description: String,
    pub is_billable: bool,
    /// Bumped by each client change; the bulk sync only applies newer versions.
    pub version: i64,
    /// Set when the server stopped this log because the same employee started
    /// a timer elsewhere; tells the other device why its timer ended.
    pub stopped_reason: Option<String>,
    pub created_at: Instant,
    pub updated_at: Instant,
}

impl Timed for TimeLog {
    fn log_type(&self) -> LogType {
        self.log_type
    }

    fn interval(&self) -> Interval {
        TimeLog::interval(self)
    }
}

impl TimeLog {
    pub fn interval(&self) -> Interval {
        Interval {
            start: self.started_at,
            stop: self.stopped_at,
        }
    }

    pub fn is_running(&self) -> bool {
        self.stopped_at.is_none()
    }

    /// Whole seconds from start to stop (or to `now` while running).
    pub fn duration_seconds(&self, now: Instant) -> i64 {
        let stop = self.stopped_at.unwrap_or(now);
        ((stop - self.started_at).num_milliseconds() / 1000).max(0)
    }
}

/// Longest description of a time log, in characters (a paragraph or two).
/// The server refuses a longer one, and the trackers check it before they
/// start, so no log waits in an outbox for a server that will refuse it.
pub const MAX_DESCRIPTION: usize = 10_000;

/// Checks a description fits [`MAX_DESCRIPTION`] characters.
pub fn validate_description(text: &str) -> Result<(), Invalid> {
    // Bytes bound characters from above: short text is not counted.
    if text.len() > MAX_DESCRIPTION && text.chars().count() > MAX_DESCRIPTION {
        return Err(Invalid::new(format!(
            "description may hold at most {MAX_DESCRIPTION} characters, got {}",
            text.chars().count()
        )));
    }
    Ok(())
}

/// Checks a stretch is well formed: it stops after it starts.
pub fn validate_interval(start: Instant, stop: Option<Instant>) -> Result<(), Invalid> {
    match stop {
        Some(s) if s <= start => Err(Invalid::new("stoppedAt must be after startedAt")),
        _ => Ok(()),
    }
}

/// Seconds that count towards totals (not IDLE) inside `[from, to)`.
/// A log crossing the range's edge is split there, so a log across a week
/// boundary counts in each week for the part that lies in it.
pub fn counted_seconds<'a, L: Timed + 'a>(
    logs: impl IntoIterator<Item = &'a L>,
    from: Instant,
    to: Instant,
    now: Instant,
) -> i64 {
    logs.into_iter()
        .filter(|l| l.log_type().counts())
        .map(|l| l.interval().seconds_within(from, to, now))
        .sum()
}

/// `HH:MM` from minutes, hours not wrapped at 24 (IceHrm's `total_time`).
pub fn format_hh_mm(total_minutes: i64) -> String {
    let m = total_minutes.max(0);
    format!("{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_description_is_measured_in_characters() {
        assert!(validate_description(&"é".repeat(MAX_DESCRIPTION)).is_ok());
        let e = validate_description(&"é".repeat(MAX_DESCRIPTION + 1)).unwrap_err();
        assert!(e.0.contains("description"), "{}", e.0);
    }

    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> Instant {
        Utc.with_ymd_and_hms(2026, 4, 6, h, m, 0).unwrap()
    }

    fn log(start: Instant, stop: Option<Instant>, ty: LogType) -> TimeLog {
        TimeLog {
            id: Uuid::nil(),
            seq: 0,
            org_id: Uuid::nil(),
            employee_id: Uuid::nil(),
            project_id: None,
            task_id: None,
            started_at: start,
            stopped_at: stop,
            log_type: ty,
            source: LogSource::Desktop,
            description: String::new(),
            is_billable: true,
            version: 0,
            stopped_reason: None,
            created_at: start,
            updated_at: start,
        }
    }

    #[test]
    fn idle_time_is_reported_but_not_counted() {
        let logs = [
            log(t(9, 0), Some(t(10, 0)), LogType::Tracked),
            log(t(10, 0), Some(t(10, 12)), LogType::Idle),
            log(t(10, 12), Some(t(11, 0)), LogType::Resumed),
            log(t(13, 0), Some(t(14, 0)), LogType::Manual),
        ];
        assert_eq!(
            counted_seconds(&logs, t(0, 0), t(23, 0), t(23, 0)),
            (60 + 48 + 60) * 60
        );
    }

    #[test]
    fn keep_turns_idle_into_tracked_and_nothing_else() {
        assert_eq!(LogType::Idle.kept(), Some(LogType::Tracked));
        for ty in [LogType::Tracked, LogType::Manual, LogType::Resumed] {
            assert_eq!(ty.kept(), None, "{ty:?} is not idle time");
        }
        // Kept idle time counts, as the prompt promises.
        let kept = LogType::Idle.kept().unwrap();
        assert!(kept.counts() && !LogType::Idle.counts());
    }

    /// Anything [`Timed`] is totalled by the same rule as a [`TimeLog`].
    #[test]
    fn any_timed_log_is_counted_alike() {
        struct Local(LogType, Interval);
        impl Timed for Local {
            fn log_type(&self) -> LogType {
                self.0
            }
            fn interval(&self) -> Interval {
                self.1
            }
        }
        let span = |a, b| Interval {
            start: t(a, 0),
            stop: Some(t(b, 0)),
        };
        let local = [
            Local(LogType::Tracked, span(9, 10)),
            Local(LogType::Idle, span(10, 11)),
        ];
        let stored = [log(t(9, 0), Some(t(10, 0)), LogType::Tracked)];
        assert_eq!(
            counted_seconds(&local, t(0, 0), t(23, 0), t(23, 0)),
            counted_seconds(&stored, t(0, 0), t(23, 0), t(23, 0))
        );
    }

    #[test]
    fn running_logs_count_up_to_now() {
        let logs = [log(t(9, 0), None, LogType::Tracked)];
        assert_eq!(counted_seconds(&logs, t(0, 0), t(23, 0), t(9, 30)), 1800);
    }

    #[test]
    fn touching_logs_do_not_overlap_but_crossing_ones_do() {
        let a = Interval {
            start: t(9, 0),
            stop: Some(t(10, 0)),
        };
        let b = Interval {
            start: t(10, 0),
            stop: Some(t(11, 0)),
        };
        let c = Interval {
            start: t(9, 59),
            stop: None,
        };
        assert!(!a.overlaps(&b) && !b.overlaps(&a));
        assert!(a.overlaps(&c) && c.overlaps(&b));
    }

    #[test]
    fn stop_must_follow_start() {
        assert!(validate_interval(t(10, 0), Some(t(10, 0))).is_err());
        assert!(validate_interval(t(10, 0), Some(t(9, 0))).is_err());
        assert!(validate_interval(t(10, 0), None).is_ok());
    }

    #[test]
    fn totals_print_hours_past_24() {
        assert_eq!(format_hh_mm(1950), "32:30");
        assert_eq!(format_hh_mm(5), "00:05");
        assert_eq!(format_hh_mm(60 * 100 + 1), "100:01");
    }

    #[test]
    fn enum_spellings_round_trip_and_reject_unknown() {
        for s in LogSource::ALL {
            assert_eq!(LogSource::parse(s.as_str()).unwrap(), s);
        }
        assert!(LogSource::parse("FAX").unwrap_err().0.contains("FAX"));
        assert!(LogType::parse("tracked").is_err());
    }

    proptest! {
        #[test]
        fn splitting_at_any_point_keeps_the_total(
            a in 0i64..100_000, len in 1i64..100_000, cut in 0i64..200_000
        ) {
            let base = t(0, 0);
            let start = base + chrono::Duration::seconds(a);
            let stop = start + chrono::Duration::seconds(len);
            let l = [log(start, Some(stop), LogType::Tracked)];
            let far = base + chrono::Duration::days(10);
            let mid = base + chrono::Duration::seconds(cut);
            let whole = counted_seconds(&l, base, far, far);
            let parts = counted_seconds(&l, base, mid, far) + counted_seconds(&l, mid, far, far);
            prop_assert_eq!(whole, len);
            prop_assert_eq!(parts, whole);
        }

        #[test]
        fn overlap_is_symmetric(a in 0i64..1000, la in 1i64..1000, b in 0i64..1000, lb in 1i64..1000) {
            let base = t(0, 0);
            let s = |x: i64| base + chrono::Duration::seconds(x);
            let x = Interval { start: s(a), stop: Some(s(a + la)) };
            let y = Interval { start: s(b), stop: Some(s(b + lb)) };
            prop_assert_eq!(x.overlaps(&y), y.overlaps(&x));
            prop_assert_eq!(x.overlaps(&y), a < b + lb && b < a + la);
        }
    }
}
