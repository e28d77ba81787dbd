//! How long the user has not touched keyboard or mouse, as the OS tells it.
//!
//! Each platform source sits behind [`IdleSource`]; tests script it.
//! - Linux, X11: the XScreenSaver extension (x11rb, pure Rust), tested under
//!   Xvfb with xdotool.
//! - Linux, GNOME on Wayland: Mutter's IdleMonitor over D-Bus (zbus).
//! - Windows: `GetLastInputInfo`; macOS: `CGEventSourceSecondsSinceLastEventType`.
//!   Both are compiled only on their own platform (not on this Linux CI).
//!
//! Where no source works (no display, a Wayland desktop other than GNOME),
//! [`detect`] says why and tracking goes on without idle detection rather
//! than not at all.

use std::time::Duration;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "linux")]
pub mod mutter;
#[cfg(windows)]
mod windows;
#[cfg(target_os = "linux")]
mod x11;

pub trait IdleSource: Send {
    /// Time since the last keyboard or mouse input.
    fn idle_time(&mut self) -> Result<Duration, String>;
    fn name(&self) -> &'static str;

    /// What the last poll interval held: keyboard, mouse, the application
    /// in front. By default only "some input" is known, counted as keyboard.
    fn sample(&mut self, idle: Duration, poll: Duration) -> crate::slots::Sample {
        crate::slots::Sample {
            keyboard: idle < poll,
            mouse: false,
            app: None,
        }
    }
}

/// Used when the platform gives no idle time: never idle.
pub struct NoIdle;

impl IdleSource for NoIdle {
    fn idle_time(&mut self) -> Result<Duration, String> {
        Ok(Duration::ZERO)
    }
    fn name(&self) -> &'static str {
        "none"
    }
}

/// A source that plays back idle times, for tests and demos.
pub struct Scripted(pub std::collections::VecDeque<Duration>);

impl IdleSource for Scripted {
    fn idle_time(&mut self) -> Result<Duration, String> {
        Ok(self.0.pop_front().unwrap_or(Duration::ZERO))
    }
    fn name(&self) -> &'static str {
        "scripted"
    }
}

/// The best idle source of this machine, or `NoIdle` with the reason.
pub fn detect() -> (Box<dyn IdleSource>, Option<String>) {
    #[cfg(target_os = "linux")]
    {
        // Under Wayland, X11 (XWayland) sees only X clients' input: ask the
        // compositor first.
        if std::env::var_os("WAYLAND_DISPLAY").is_some()
            && let Ok(m) = mutter::MutterIdle::connect()
        {
            return (Box::new(m), None);
        }
        if std::env::var_os("DISPLAY").is_some() {
            return match x11::X11Idle::connect() {
                Ok(s) => (Box::new(s), None),
                Err(e) => (
                    Box::new(NoIdle),
                    Some(format!("idle detection is off: {e}")),
                ),
            };
        }
        if std::env::var_os("WAYLAND_DISPLAY").is_some() {
            return (
                Box::new(NoIdle),
                Some("idle detection is off: this Wayland session offers no X11 idle time".into()),
            );
        }
    }
    (
        Box::new(NoIdle),
        Some("idle detection is off: no display found (set DISPLAY)".into()),
    )
}
