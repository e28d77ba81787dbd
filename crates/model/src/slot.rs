//! Ten-minute activity slots, the application usage inside them, and the
//! screenshots taken in them.

use chrono::{DurationRound, TimeDelta};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Instant, Invalid};

/// A slot is ten wall-clock minutes: 09:00, 09:10, ...
pub const SLOT_SECONDS: i64 = 600;

/// The start of the slot an instant falls in.
pub fn slot_start(t: Instant) -> Instant {
    t.duration_trunc(TimeDelta::seconds(SLOT_SECONDS))
        .unwrap_or(t)
}

/// One employee's ten minutes: tracked seconds and activity percentages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSlot {
    pub id: Uuid,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub project_id: Option<Uuid>,
    /// Always a slot boundary (see [`slot_start`]).
    pub started_at: Instant,
    /// Seconds tracked inside the slot, 0..=600.
    pub duration: i64,
    /// Percent of tracked seconds with keyboard, mouse, and any input.
    pub keyboard: i64,
    pub mouse: i64,
    pub overall: i64,
    pub time_log_ids: Vec<Uuid>,
}

/// What one client report adds to a slot. Several parts (two devices, or a
/// slot split by a restart) merge into the same ten minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotPart {
    /// Client id of this report; replaying it changes nothing.
    pub id: Uuid,
    pub duration: i64,
    pub keyboard: i64,
    pub mouse: i64,
    pub overall: i64,
}

impl SlotPart {
    /// Checks the numbers are in range.
    pub fn validate(&self) -> Result<(), Invalid> {
        if !(0..=SLOT_SECONDS).contains(&self.duration) {
            return Err(Invalid::new(format!(
                "duration must be 0..=600 seconds, got {}",
                self.duration
            )));
        }
        for (name, v) in [
            ("keyboard", self.keyboard),
            ("mouse", self.mouse),
            ("overall", self.overall),
        ] {
            if !(0..=100).contains(&v) {
                return Err(Invalid::new(format!(
                    "{name} must be a percentage 0..=100, got {v}"
                )));
            }
        }
        Ok(())
    }
}

impl TimeSlot {
    /// Adds a part: durations add up (capped at ten minutes) and percentages
    /// are averaged weighted by the seconds each part tracked.
    pub fn merge(&mut self, part: &SlotPart) {
        let (a, b) = (self.duration, part.duration);
        let total = a + b;
        let avg = |x: i64, y: i64| {
            if total == 0 {
                0
            } else {
                (x * a + y * b + total / 2) / total
            }
        };
        self.keyboard = avg(self.keyboard, part.keyboard);
        self.mouse = avg(self.mouse, part.mouse);
        self.overall = avg(self.overall, part.overall);
        self.duration = total.min(SLOT_SECONDS);
    }
}

/// Time spent in one application or on one URL during a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Uuid,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub time_slot_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub title: String,
    /// APP or URL.
    pub kind: String,
    pub recorded_at: Instant,
    pub duration: i64,
}

/// A captured screen. The image bytes live in blob storage under `file_key`
/// and `thumb_key`; they are served only to people who may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screenshot {
    pub id: Uuid,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub time_slot_id: Option<Uuid>,
    pub recorded_at: Instant,
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub sha256: String,
    pub file_key: String,
    pub thumb_key: String,
    pub content_type: String,
}

/// Someone other than its owner opened a screenshot (DESIGN.md: every such
/// view is recorded and shown to the owner, and cannot be edited or
/// deleted). Kept after the screenshot is deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenshotView {
    pub id: Uuid,
    pub org_id: Uuid,
    pub screenshot_id: Uuid,
    /// The employee whose screenshot it is.
    pub owner_id: Uuid,
    pub viewer_id: Uuid,
    pub viewed_at: Instant,
    /// The thumbnail rather than the full image.
    pub thumb: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn instants_fall_into_ten_minute_slots() {
        let t = Utc.with_ymd_and_hms(2026, 4, 6, 9, 17, 42).unwrap();
        assert_eq!(
            slot_start(t),
            Utc.with_ymd_and_hms(2026, 4, 6, 9, 10, 0).unwrap()
        );
        assert_eq!(slot_start(slot_start(t)), slot_start(t));
    }

    #[test]
    fn merging_weights_by_tracked_seconds_and_caps_at_ten_minutes() {
        let mut s = TimeSlot {
            id: Uuid::nil(),
            org_id: Uuid::nil(),
            employee_id: Uuid::nil(),
            project_id: None,
            started_at: Utc::now(),
            duration: 300,
            keyboard: 100,
            mouse: 0,
            overall: 100,
            time_log_ids: vec![],
        };
        s.merge(&SlotPart {
            id: Uuid::nil(),
            duration: 100,
            keyboard: 0,
            mouse: 100,
            overall: 0,
        });
        assert_eq!(
            (s.duration, s.keyboard, s.mouse, s.overall),
            (400, 75, 25, 75)
        );
        s.merge(&SlotPart {
            id: Uuid::nil(),
            duration: 400,
            keyboard: 0,
            mouse: 0,
            overall: 0,
        });
        assert_eq!(s.duration, 600);
    }

    #[test]
    fn out_of_range_parts_are_refused() {
        let p = SlotPart {
            id: Uuid::nil(),
            duration: 601,
            keyboard: 0,
            mouse: 0,
            overall: 0,
        };
        assert!(p.validate().unwrap_err().0.contains("600"));
        let p = SlotPart {
            id: Uuid::nil(),
            duration: 60,
            keyboard: 101,
            mouse: 0,
            overall: 0,
        };
        assert!(p.validate().unwrap_err().0.contains("keyboard"));
    }
}
