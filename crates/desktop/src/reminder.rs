//! The "forgot to start" reminder: while someone is signed in and no timer
//! runs, keyboard or mouse activity for the minutes chosen in Settings
//! (five unless changed; never, if turned off) says "You're working but
//! Stint isn't tracking", at most once an hour (see
//! [`stint_agent::reminders`]).

use std::sync::Arc;
use std::time::Instant;

use stint_agent::idle::IdleSource;
use stint_agent::outbox::with;
use stint_agent::reminders::ForgotToStart;

use crate::Desktop;
use crate::dto::Settings;

impl Desktop {
    /// Runs for the app's lifetime (the shell spawns it), polling idle time
    /// as often as the tracking loop does, and only while nothing runs.
    pub async fn remind_to_start(self: Arc<Desktop>) {
        let mut source: Option<Box<dyn IdleSource>> = None;
        let mut watch: Option<(u32, ForgotToStart)> = None;
        let mut ticks = tokio::time::interval(self.platform.poll);
        loop {
            ticks.tick().await;
            // The settings are read only while a reminder could be due,
            // not every second of a running timer.
            let quiet = self.live.controls().is_none() && self.inner.lock().await.conn.is_some();
            let minutes = quiet
                .then(|| with(&self.outbox, |o| Settings::load(o)).ok())
                .flatten()
                .and_then(|s| s.remind_to_start_minutes);
            let Some(minutes) = minutes else {
                if let Some((_, w)) = watch.as_mut() {
                    w.tracking();
                }
                continue;
            };
            if watch.as_ref().is_none_or(|(m, _)| *m != minutes) {
                watch = Some((minutes, ForgotToStart::new(minutes, self.platform.minute)));
            }
            let idle = source
                .get_or_insert_with(|| (self.platform.idle)())
                .idle_time();
            if let (Ok(idle), Some((_, w))) = (idle, watch.as_mut())
                && w.poll(Instant::now(), idle)
            {
                self.live.remind(format!(
                    "You've been working for {minutes} min, but Stint isn't tracking. Start the timer?"
                ));
            }
        }
    }
}
