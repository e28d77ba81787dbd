//! Weeks in an employee's own time zone.
//!
//! A timesheet covers one local week (Sunday to Saturday by default, as
//! IceHrm). Its edges are local midnights, which are different UTC instants
//! for each zone and can be 23 or 25 hours apart across a daylight-saving
//! change; all of that is computed here.

use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;

use crate::{Instant, Invalid};

/// The day every week starts on: Sunday, as IceHrm's (the organization
/// setting is fixed to that for now). Timesheets, reports and the app's
/// "this week" all begin on it, so it is named once, here.
pub const WEEK_START: Weekday = Weekday::Sun;

/// One local week: `start` is its first day, `start + 6` its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    pub start: NaiveDate,
}

impl Week {
    /// The week containing local date `d`, weeks starting on `first`.
    pub fn containing(d: NaiveDate, first: Weekday) -> Week {
        let back = (7 + d.weekday().num_days_from_sunday() - first.num_days_from_sunday()) % 7;
        Week {
            start: d - Duration::days(back as i64),
        }
    }

    /// The week containing instant `t` as seen in zone `tz`.
    pub fn at(t: Instant, tz: Tz, first: Weekday) -> Week {
        Week::containing(t.with_timezone(&tz).date_naive(), first)
    }

    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(6)
    }

    pub fn next(&self) -> Week {
        Week {
            start: self.start + Duration::days(7),
        }
    }

    pub fn previous(&self) -> Week {
        Week {
            start: self.start - Duration::days(7),
        }
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let s = self.start;
        (0..7).map(move |i| s + Duration::days(i))
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start && d <= self.end()
    }

    /// `[first local midnight, next week's first local midnight)` in UTC.
    pub fn bounds(&self, tz: Tz) -> (Instant, Instant) {
        (
            local_midnight(self.start, tz),
            local_midnight(self.next().start, tz),
        )
    }

    /// Every week that a log `[start, stop)` touches, in order (a running log
    /// is taken up to `now`). A log crossing the boundary belongs to both.
    pub fn spanned(
        start: Instant,
        stop: Option<Instant>,
        now: Instant,
        tz: Tz,
        first: Weekday,
    ) -> Vec<Week> {
        let end = stop.unwrap_or(now).max(start);
        // The last instant inside the log: a log ending exactly at midnight
        // does not touch the following week.
        let last = if end > start {
            end - Duration::milliseconds(1)
        } else {
            start
        };
        let (mut w, last_w) = (Week::at(start, tz, first), Week::at(last, tz, first));
        let mut out = vec![w];
        while w < last_w {
            w = w.next();
            out.push(w);
        }
        out
    }
}

/// The UTC instant of local midnight starting `d` in `tz`. Where midnight does
/// not exist (a DST jump at 00:00) the day starts at the first valid minute.
pub fn local_midnight(d: NaiveDate, tz: Tz) -> Instant {
    local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight is valid"), tz)
}

/// A local wall-clock time to UTC. Ambiguous times (DST fall-back) take the
/// earlier instant; skipped times (spring-forward) move to the first valid one.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> Instant {
    let mut probe = local;
    for _ in 0..=180 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.to_utc(),
            LocalResult::None => probe += Duration::minutes(1),
        }
    }
    chrono::Utc.from_utc_datetime(&local)
}

/// Parses a `YYYY-MM-DD` date with a clear message.
pub fn parse_date(s: &str, field: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new(format!("{field} must be a date YYYY-MM-DD, got '{s}'")))
}

/// IceHrm's day label, e.g. `(Sun) 05 Apr`.
pub fn day_display(d: NaiveDate) -> String {
    d.format("(%a) %d %b").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_run_sunday_to_saturday() {
        let w = Week::containing(date(2026, 4, 7), Weekday::Sun);
        assert_eq!(w.start, date(2026, 4, 5));
        assert_eq!(w.end(), date(2026, 4, 11));
        assert_eq!(Week::containing(date(2026, 4, 5), Weekday::Sun), w);
        assert_eq!(Week::containing(date(2026, 4, 11), Weekday::Sun), w);
        assert_eq!(day_display(w.start), "(Sun) 05 Apr");
    }

    #[test]
    fn stint_weeks_start_on_sunday() {
        // Wednesday 2026-04-08 10:00 UTC: the week began on Sunday the 5th.
        let t = Utc.with_ymd_and_hms(2026, 4, 8, 10, 0, 0).unwrap();
        let w = Week::at(t, chrono_tz::UTC, WEEK_START);
        assert_eq!(w.start, date(2026, 4, 5));
        assert_eq!(w.start.weekday(), Weekday::Sun);
    }

    #[test]
    fn a_zone_east_of_utc_starts_its_week_on_the_utc_saturday() {
        let tz: Tz = "Pacific/Auckland".parse().unwrap();
        // Saturday 2026-04-04 13:00 UTC is Sunday 01:00 in Auckland (NZST, +12).
        let t = Utc.with_ymd_and_hms(2026, 4, 4, 13, 0, 0).unwrap();
        assert_eq!(Week::at(t, tz, Weekday::Sun).start, date(2026, 4, 5));
        assert_eq!(
            Week::at(t, chrono_tz::UTC, Weekday::Sun).start,
            date(2026, 3, 29)
        );
    }

    #[test]
    fn a_week_with_a_dst_change_has_167_hours() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // DST starts Sunday 2026-03-08 in New York.
        let (a, b) = Week {
            start: date(2026, 3, 8),
        }
        .bounds(tz);
        assert_eq!((b - a).num_hours(), 167);
        let (a, b) = Week {
            start: date(2026, 11, 1),
        }
        .bounds(tz);
        assert_eq!((b - a).num_hours(), 169);
    }

    #[test]
    fn a_log_across_saturday_midnight_belongs_to_both_weeks() {
        let tz = chrono_tz::UTC;
        let s = Utc.with_ymd_and_hms(2026, 4, 11, 23, 0, 0).unwrap();
        let e = Utc.with_ymd_and_hms(2026, 4, 12, 1, 0, 0).unwrap();
        let ws = Week::spanned(s, Some(e), e, tz, Weekday::Sun);
        assert_eq!(
            ws.iter().map(|w| w.start).collect::<Vec<_>>(),
            vec![date(2026, 4, 5), date(2026, 4, 12)]
        );
        let at_midnight = Utc.with_ymd_and_hms(2026, 4, 12, 0, 0, 0).unwrap();
        assert_eq!(
            Week::spanned(s, Some(at_midnight), e, tz, Weekday::Sun).len(),
            1
        );
    }

    #[test]
    fn bad_dates_are_named() {
        assert!(
            parse_date("2026-02-30", "date")
                .unwrap_err()
                .0
                .contains("2026-02-30")
        );
        assert_eq!(parse_date("2026-02-28", "date").unwrap(), date(2026, 2, 28));
    }

    proptest! {
        #[test]
        fn every_day_lies_in_its_week(days in 0i64..20_000, first in 0u8..7) {
            let first = Weekday::try_from(first).unwrap();
            let d = date(2000, 1, 1) + Duration::days(days);
            let w = Week::containing(d, first);
            prop_assert!(w.contains(d));
            prop_assert_eq!(w.start.weekday(), first);
            prop_assert_eq!(w.next().previous(), w);
        }

        #[test]
        fn week_bounds_contain_the_instant(secs in 0i64..2_000_000_000, zone in 0usize..4) {
            let tz: Tz = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"][zone].parse().unwrap();
            let t = chrono::DateTime::from_timestamp(secs, 0).unwrap();
            let (a, b) = Week::at(t, tz, Weekday::Sun).bounds(tz);
            prop_assert!(a <= t && t < b);
        }
    }
}
