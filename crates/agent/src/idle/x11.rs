//! X11 idle time from the XScreenSaver extension (`XScreenSaverQueryInfo`'s
//! `ms_since_user_input`), over a pure-Rust connection.

use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

pub struct X11Idle {
    conn: RustConnection,
    root: u32,
}

impl X11Idle {
    pub fn connect() -> Result<X11Idle, String> {
        let (conn, screen) =
            x11rb::connect(None).map_err(|e| format!("cannot open the X display: {e}"))?;
        let root = conn
            .setup()
            .roots
            .get(screen)
            .map(|s| s.root)
            .ok_or("the X display has no screen")?;
        conn.screensaver_query_version(1, 1)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("the X server has no XScreenSaver extension: {e}"))?;
        Ok(X11Idle { conn, root })
    }
}

impl super::IdleSource for X11Idle {
    fn idle_time(&mut self) -> Result<Duration, String> {
        let info = self
            .conn
            .screensaver_query_info(self.root)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        Ok(Duration::from_millis(info.ms_since_user_input as u64))
    }

    fn name(&self) -> &'static str {
        "x11-screensaver"
    }
}
