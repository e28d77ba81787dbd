//! X11: idle time from the XScreenSaver extension (`ms_since_user_input`),
//! pointer movement and held keys for activity, and the focused
//! application's class, over a pure-Rust connection.

use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::screensaver::{ConnectionExt as _, State};
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, Window};
use x11rb::rust_connection::RustConnection;

use crate::slots::Sample;

pub struct X11Idle {
    conn: RustConnection,
    root: Window,
    active_atom: Option<u32>,
    /// `_NET_WM_NAME` and `UTF8_STRING`, for window titles.
    net_wm_name: Option<(u32, u32)>,
    pointer: Option<(i16, i16)>,
    /// Since when the screensaver (which screen lockers raise) has been on,
    /// kept up by each `idle_time` query: one round trip answers both.
    saver: super::LockClock,
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
        // Only atoms that exist: a display without a window manager has none.
        let atom = |name: &[u8]| {
            conn.intern_atom(true, name)
                .ok()
                .and_then(|c| c.reply().ok())
                .map(|r| r.atom)
                .filter(|a| *a != 0)
        };
        let active_atom = atom(b"_NET_ACTIVE_WINDOW");
        let net_wm_name = atom(b"_NET_WM_NAME").zip(atom(b"UTF8_STRING"));
        Ok(X11Idle {
            conn,
            root,
            active_atom,
            net_wm_name,
            pointer: None,
            saver: super::LockClock::default(),
        })
    }

    fn pointer_moved(&mut self) -> bool {
        let now = self
            .conn
            .query_pointer(self.root)
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|r| (r.root_x, r.root_y));
        let moved = matches!((self.pointer, now), (Some(a), Some(b)) if a != b);
        self.pointer = now.or(self.pointer);
        moved
    }

    fn key_held(&self) -> bool {
        self.conn
            .query_keymap()
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|r| r.keys.iter().any(|b| *b != 0))
    }

    /// The focused window (EWMH window managers).
    fn active_window(&self) -> Option<Window> {
        let atom = self.active_atom?;
        let reply = self
            .conn
            .get_property(false, self.root, atom, AtomEnum::WINDOW, 0, 1)
            .ok()?
            .reply()
            .ok()?;
        reply.value32()?.next().filter(|w| *w != 0)
    }

    /// A window's title: EWMH's UTF-8 `_NET_WM_NAME`, else ICCCM's `WM_NAME`.
    fn title(&self, window: Window) -> Option<String> {
        let read = |name: u32, kind: u32| {
            let r = self
                .conn
                .get_property(false, window, name, kind, 0, 1024)
                .ok()?
                .reply()
                .ok()?;
            (!r.value.is_empty()).then(|| String::from_utf8_lossy(&r.value).into_owned())
        };
        let net = self.net_wm_name.and_then(|(name, utf8)| read(name, utf8));
        net.or_else(|| read(AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()))
    }

    /// The WM_CLASS class name of a window.
    fn app(&self, window: Window) -> Option<String> {
        let class = self
            .conn
            .get_property(false, window, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 256)
            .ok()?
            .reply()
            .ok()?;
        // WM_CLASS is "instance\0Class\0": the class names the application.
        let mut parts = class.value.split(|b| *b == 0).filter(|p| !p.is_empty());
        let instance = parts.next();
        let name = parts.next().or(instance)?;
        Some(String::from_utf8_lossy(name).into_owned())
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
        self.saver.saw(info.state == u8::from(State::ON));
        Ok(Duration::from_millis(info.ms_since_user_input as u64))
    }

    fn locked_for(&mut self) -> Option<Duration> {
        self.saver.held()
    }

    fn name(&self) -> &'static str {
        "x11-screensaver"
    }

    /// Input in the last interval without pointer movement was the keyboard
    /// (X reports no key events to a non-focused client; a key held at the
    /// sample counts too).
    fn sample(&mut self, idle: Duration, poll: Duration) -> Sample {
        let mouse = self.pointer_moved();
        let input = idle < poll;
        let front = self.active_window();
        Sample {
            keyboard: self.key_held() || (input && !mouse),
            mouse,
            app: front.and_then(|w| self.app(w)),
            title: front.and_then(|w| self.title(w)),
        }
    }
}
