//! GNOME on Wayland: idle time from Mutter's IdleMonitor over D-Bus
//! (`org.gnome.Mutter.IdleMonitor.GetIdletime`, milliseconds). Under
//! Wayland, X11 clients only see input to other X11 clients, so this is
//! asked first when a Wayland session is found.

use std::time::Duration;

const SERVICE: &str = "org.gnome.Mutter.IdleMonitor";
const PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";

pub struct MutterIdle {
    conn: zbus::blocking::Connection,
    /// `None` on the session bus (the service is named); a peer connection
    /// has no bus names.
    destination: Option<&'static str>,
}

impl MutterIdle {
    /// Connects to the session bus and checks Mutter answers.
    pub fn connect() -> Result<MutterIdle, String> {
        let conn =
            zbus::blocking::Connection::session().map_err(|e| format!("no D-Bus session: {e}"))?;
        let m = MutterIdle {
            conn,
            destination: Some(SERVICE),
        };
        m.query()
            .map_err(|e| format!("GNOME's IdleMonitor does not answer: {e}"))?;
        Ok(m)
    }

    /// Over an existing peer-to-peer connection (tests).
    pub fn with_peer(conn: zbus::blocking::Connection) -> MutterIdle {
        MutterIdle {
            conn,
            destination: None,
        }
    }

    fn query(&self) -> Result<Duration, String> {
        let reply = self
            .conn
            .call_method(self.destination, PATH, Some(SERVICE), "GetIdletime", &())
            .map_err(|e| e.to_string())?;
        let ms: u64 = reply.body().deserialize().map_err(|e| e.to_string())?;
        Ok(Duration::from_millis(ms))
    }
}

impl super::IdleSource for MutterIdle {
    fn idle_time(&mut self) -> Result<Duration, String> {
        self.query()
    }

    fn name(&self) -> &'static str {
        "gnome-mutter-idlemonitor"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idle::IdleSource;

    /// A stand-in for Mutter speaking real D-Bus over a socket pair.
    struct FakeMutter(u64);

    #[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
    impl FakeMutter {
        #[zbus(name = "GetIdletime")]
        fn get_idletime(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn idle_time_comes_from_get_idletime_in_milliseconds() {
        let (_server, client) = crate::idle::peer_pair(|b| b.serve_at(PATH, FakeMutter(42_500)));
        let mut m = MutterIdle::with_peer(client);
        assert_eq!(m.idle_time().unwrap(), Duration::from_millis(42_500));
    }
}
