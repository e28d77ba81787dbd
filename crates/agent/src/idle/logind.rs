//! A locked session, as systemd-logind tells it: the session's `LockedHint`
//! over the system D-Bus, which GNOME, KDE and most screen lockers set.
//! X11's screensaver state (see `x11.rs`) misses those lockers, so the
//! idle source is wrapped in [`WithLogind`] wherever logind answers.

use std::time::Duration;

use super::{IdleSource, LockClock};

const SERVICE: &str = "org.freedesktop.login1";
const MANAGER_PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
const SESSION: &str = "org.freedesktop.login1.Session";

/// This process's login session on the system bus.
pub struct LogindSession {
    conn: zbus::blocking::Connection,
    /// `None` on a peer connection (tests), which has no bus names.
    destination: Option<&'static str>,
    path: zbus::zvariant::OwnedObjectPath,
}

impl LogindSession {
    /// The session of `XDG_SESSION_ID`, else logind's "auto" (the caller's).
    pub fn connect() -> Result<LogindSession, String> {
        let conn =
            zbus::blocking::Connection::system().map_err(|e| format!("no system D-Bus: {e}"))?;
        LogindSession::open(conn, Some(SERVICE))
    }

    /// Over an existing peer-to-peer connection (tests).
    pub fn with_peer(conn: zbus::blocking::Connection) -> Result<LogindSession, String> {
        LogindSession::open(conn, None)
    }

    fn open(
        conn: zbus::blocking::Connection,
        destination: Option<&'static str>,
    ) -> Result<LogindSession, String> {
        let id = std::env::var("XDG_SESSION_ID").unwrap_or_else(|_| "auto".into());
        let reply = conn
            .call_method(
                destination,
                MANAGER_PATH,
                Some(MANAGER),
                "GetSession",
                &(id,),
            )
            .map_err(|e| format!("logind does not know this session: {e}"))?;
        let path = reply.body().deserialize().map_err(|e| e.to_string())?;
        let s = LogindSession {
            conn,
            destination,
            path,
        };
        s.locked()?;
        Ok(s)
    }

    pub fn locked(&self) -> Result<bool, String> {
        let reply = self
            .conn
            .call_method(
                self.destination,
                &self.path,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &(SESSION, "LockedHint"),
            )
            .map_err(|e| e.to_string())?;
        let value: zbus::zvariant::OwnedValue =
            reply.body().deserialize().map_err(|e| e.to_string())?;
        bool::try_from(value).map_err(|e| e.to_string())
    }
}

/// An idle source that also counts a session logind calls locked, from the
/// first poll that saw it locked.
pub struct WithLogind {
    inner: Box<dyn IdleSource>,
    session: LogindSession,
    lock: LockClock,
}

impl WithLogind {
    pub fn new(inner: Box<dyn IdleSource>, session: LogindSession) -> WithLogind {
        WithLogind {
            inner,
            session,
            lock: LockClock::default(),
        }
    }
}

impl IdleSource for WithLogind {
    fn idle_time(&mut self) -> Result<Duration, String> {
        // A bus that stops answering counts as unlocked: the input timer
        // still decides.
        self.lock.saw(self.session.locked().unwrap_or(false));
        self.inner.idle_time()
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn locked_for(&mut self) -> Option<Duration> {
        let logind = self.lock.held();
        match (logind, self.inner.locked_for()) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    fn sample(&mut self, idle: Duration, poll: Duration) -> crate::slots::Sample {
        self.inner.sample(idle, poll)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::idle::NoIdle;

    /// logind's manager and one session, speaking real D-Bus over a socket pair.
    struct FakeManager;
    struct FakeSession(Arc<Mutex<bool>>);

    const SESSION_PATH: &str = "/org/freedesktop/login1/session/c2";

    #[zbus::interface(name = "org.freedesktop.login1.Manager")]
    impl FakeManager {
        fn get_session(&self, _id: String) -> zbus::zvariant::OwnedObjectPath {
            zbus::zvariant::ObjectPath::try_from(SESSION_PATH)
                .unwrap()
                .into()
        }
    }

    #[zbus::interface(name = "org.freedesktop.login1.Session")]
    impl FakeSession {
        #[zbus(property)]
        fn locked_hint(&self) -> bool {
            *self.0.lock().unwrap()
        }
    }

    #[test]
    fn a_session_logind_calls_locked_is_locked_from_the_first_poll_that_saw_it() {
        let locked = Arc::new(Mutex::new(false));
        let flag = locked.clone();
        let (_server, client) = crate::idle::peer_pair(move |b| {
            b.serve_at(MANAGER_PATH, FakeManager)?
                .serve_at(SESSION_PATH, FakeSession(flag))
        });
        let mut s = WithLogind::new(Box::new(NoIdle), LogindSession::with_peer(client).unwrap());
        s.idle_time().unwrap();
        assert_eq!(s.locked_for(), None);
        *locked.lock().unwrap() = true;
        s.idle_time().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        s.idle_time().unwrap();
        let held = s.locked_for().expect("locked");
        assert!(
            held >= Duration::from_millis(20),
            "counted from the first locked poll: {held:?}"
        );
        *locked.lock().unwrap() = false;
        s.idle_time().unwrap();
        assert_eq!(s.locked_for(), None);
    }
}
