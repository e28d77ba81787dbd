//! The user's tracker settings, kept in the outbox beside the session, and
//! what they mean for the tracking loop. They apply from the next Start.

use std::time::Duration;

use stint_agent::capture::{Format, ShotConfig};
use stint_agent::outbox::{Outbox, OutboxError};
use stint_agent::runner::StillWorking;
use stint_agent::tracker::TrackerConfig;
use stint_model::private_apps::PrivateApps;

use crate::dto::{Screens, Settings};
use crate::error::{IpcError, IpcResult};

const KEY: &str = "desktop_settings";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            idle_threshold_seconds: 300,
            screenshot_interval_seconds: Some(600),
            screens: Screens::All,
            blur: false,
            start_at_login: false,
            still_working_hours: Some(10),
            never_capture: String::new(),
            remind_to_start_minutes: Some(5),
        }
    }
}

impl Settings {
    pub fn load(o: &Outbox) -> Result<Settings, OutboxError> {
        Ok(o.get(KEY)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    pub fn save(&self, o: &mut Outbox) -> Result<(), OutboxError> {
        o.put(KEY, &serde_json::to_string(self).unwrap_or_default())
    }

    /// Refuses values a person could not have meant, naming the field.
    pub fn validate(&self) -> IpcResult<()> {
        if !(60..=3600).contains(&self.idle_threshold_seconds) {
            return Err(IpcError::invalid(
                "The idle threshold must be between 1 and 60 minutes.",
            ));
        }
        if let Some(s) = self.screenshot_interval_seconds
            && !(60..=3600).contains(&s)
        {
            return Err(IpcError::invalid(
                "Screenshots can be taken every 1 to 60 minutes, or never.",
            ));
        }
        if let Some(h) = self.still_working_hours
            && !(1..=24).contains(&h)
        {
            return Err(IpcError::invalid(
                "\u{201c}Still working?\u{201d} can be asked after 1 to 24 hours, or never.",
            ));
        }
        if let Some(m) = self.remind_to_start_minutes
            && !(1..=120).contains(&m)
        {
            return Err(IpcError::invalid(
                "The reminder to start can come after 1 to 120 minutes of work, or never.",
            ));
        }
        PrivateApps::parse(&self.never_capture)
            .map_err(|e| IpcError::invalid(format!("Never capture: {e}.")))?;
        Ok(())
    }

    /// The never-capture rules; a list saved before a rule was refused
    /// cannot be, as saving validates it.
    pub fn private_apps(&self) -> PrivateApps {
        PrivateApps::parse(&self.never_capture).unwrap_or_default()
    }

    /// "Still working?" after the chosen hours, a quarter of an hour to answer.
    pub fn still_working(&self) -> Option<StillWorking> {
        self.still_working_hours.map(|h| StillWorking {
            after: Duration::from_secs(h * 3600),
            ..StillWorking::default()
        })
    }

    pub fn tracker(&self, poll: Duration) -> TrackerConfig {
        TrackerConfig {
            idle_threshold: Duration::from_secs(self.idle_threshold_seconds),
            poll,
        }
    }

    pub fn shots(&self) -> Option<ShotConfig> {
        self.screenshot_interval_seconds.map(|s| ShotConfig {
            interval: Duration::from_secs(s),
            screens: match self.screens {
                Screens::All => stint_agent::capture::Screens::All,
                Screens::Active => stint_agent::capture::Screens::Active,
            },
            blur: self.blur,
            format: Format::Jpeg,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_and_bad_values_are_named() {
        let mut o = Outbox::in_memory().unwrap();
        assert_eq!(Settings::load(&o).unwrap(), Settings::default());
        let s = Settings {
            screenshot_interval_seconds: None,
            ..Settings::default()
        };
        s.save(&mut o).unwrap();
        assert_eq!(Settings::load(&o).unwrap(), s);
        let bad = Settings {
            idle_threshold_seconds: 5,
            ..s.clone()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .message
                .contains("idle threshold")
        );
        let bad = Settings {
            screenshot_interval_seconds: Some(5),
            ..s
        };
        assert_eq!(bad.validate().unwrap_err().code, "invalid");
        let bad = Settings {
            never_capture: "keepassxc, title:".into(),
            ..Settings::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .message
                .contains("names nothing")
        );
        let private = Settings {
            never_capture: "KeePassXC".into(),
            ..Settings::default()
        };
        private.validate().unwrap();
        assert!(!private.private_apps().is_empty());
    }
}
