//! How long the user has not touched keyboard or mouse, as the OS tells it.
//!
//! Each platform source sits behind [`IdleSource`]; tests script it.
//! - Linux, X11: the XScreenSaver extension (x11rb, pure Rust), tested under
//!   Xvfb with xdotool.
//! - Linux, GNOME on Wayland: Mutter's IdleMonitor over D-Bus (zbus).
//! - Windows: `GetLastInputInfo`; macOS: `CGEventSourceSecondsSinceLastEventType`.
//!   Both are compiled only on their own platform (not on this Linux CI).
//!
//! - Linux: a session systemd-logind calls locked (`LockedHint`), and on
//!   X11 an active screensaver, count as idle from the moment they began
//!   ([`IdleSource::locked_for`]).
//!
//! Where no source works (no display, a Wayland desktop other than GNOME),
//! [`detect`] says why and tracking goes on without idle detection rather
//! than not at all.

use std::time::Duration;

#[cfg(target_os = "linux")]
pub mod logind;
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

    /// How long the screen has been locked (or the screensaver on), asked
    /// right after [`IdleSource::idle_time`]; `None` when it is not, or the
    /// source cannot tell. A locked screen is idle whatever the input timer
    /// says (typing the password on the lock screen is input too).
    fn locked_for(&mut self) -> Option<Duration> {
        None
    }

    /// What the last poll interval held: keyboard, mouse, the application
    /// in front. By default only "some input" is known, counted as keyboard.
    fn sample(&mut self, idle: Duration, poll: Duration) -> crate::slots::Sample {
        crate::slots::Sample {
            keyboard: idle < poll,
            ..Default::default()
        }
    }
}

/// Since when a lock has been seen: from the first poll that saw it, as
/// neither logind nor X11 says reliably when a lock began (X11's
/// "time since the saver came on" wraps around when a locker forced it).
#[derive(Debug, Default)]
pub struct LockClock(Option<std::time::Instant>);

impl LockClock {
    pub fn saw(&mut self, locked: bool) {
        self.0 = locked.then(|| self.0.unwrap_or_else(std::time::Instant::now));
    }

    pub fn held(&self) -> Option<Duration> {
        self.0.map(|t| t.elapsed())
    }
}

/// Real D-Bus over a socket pair, for the tests of the D-Bus sources: the
/// server side serves what `serve` adds to its builder; returns both ends
/// (the server's must live as long as the test talks to it).
#[cfg(all(test, target_os = "linux"))]
#[allow(deprecated)] // `unix_stream` is the blocking builder's std-socket entry point
pub(crate) fn peer_pair(
    serve: impl FnOnce(
        zbus::blocking::connection::Builder<'static>,
    ) -> zbus::Result<zbus::blocking::connection::Builder<'static>>
    + Send
    + 'static,
) -> (zbus::blocking::Connection, zbus::blocking::Connection) {
    let (a, b) = std::os::unix::net::UnixStream::pair().expect("a socket pair");
    let guid = zbus::Guid::generate();
    let server = std::thread::spawn(move || {
        let builder = zbus::blocking::connection::Builder::unix_stream(a)
            .server(guid)
            .expect("a server")
            .p2p();
        serve(builder)
            .expect("served")
            .build()
            .expect("the server side")
    });
    let client = zbus::blocking::connection::Builder::unix_stream(b)
        .p2p()
        .build()
        .expect("the client side");
    (server.join().expect("the server thread"), client)
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

/// The best idle source of this machine, or `NoIdle` with the reason; on
/// Linux it also watches logind's lock state where the system bus answers.
pub fn detect() -> (Box<dyn IdleSource>, Option<String>) {
    let (source, why) = detect_input();
    #[cfg(target_os = "linux")]
    {
        match logind::LogindSession::connect() {
            Ok(session) => return (Box::new(logind::WithLogind::new(source, session)), why),
            Err(e) => tracing::debug!("screen locks seen through X11 only: {e}"),
        }
    }
    (source, why)
}

fn detect_input() -> (Box<dyn IdleSource>, Option<String>) {
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
