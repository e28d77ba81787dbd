//! The X11 capturer against a real X server: Xvfb with and without MIT-SHM,
//! a coloured root and a coloured window drawn over x11rb, and the pixels
//! read back where they were drawn.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, CreateWindowAux, PropMode, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

use super::*;

const ROOT: u32 = 0x3366cc;
const WINDOW: u32 = 0xff8000;

/// An Xvfb on a display number it picks itself (`-displayfd`), killed on
/// drop. `None` when Xvfb is missing outside CI.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start(extra: &[&str]) -> Option<Xvfb> {
        let spawned = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "640x480x24",
                "-nolisten",
                "tcp",
            ])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(_) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!("skipping: Xvfb not installed (make setup installs it)");
                return None;
            }
            Err(e) => panic!("Xvfb is required under CI: {e}"),
        };
        // Xvfb writes its display number once it accepts connections.
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        BufReader::new(out)
            .read_line(&mut line)
            .expect("display number");
        let display = format!(":{}", line.trim());
        assert!(line.trim().parse::<u32>().is_ok(), "Xvfb said {line:?}");
        Some(Xvfb { child, display })
    }

    /// Paints the root and opens an unmanaged window at (100, 50), 200 × 100;
    /// the connection keeps the window until dropped.
    fn draw(&self) -> (RustConnection, u32) {
        let (conn, screen) = x11rb::connect(Some(&self.display)).expect("connect");
        let root = conn.setup().roots[screen].root;
        let bg = ChangeWindowAttributesAux::new().background_pixel(ROOT);
        conn.change_window_attributes(root, &bg).unwrap();
        conn.clear_area(false, root, 0, 0, 0, 0).unwrap();
        let win = conn.generate_id().unwrap();
        let aux = CreateWindowAux::new()
            .background_pixel(WINDOW)
            .override_redirect(1u32);
        let (depth, visual, class) = (0, 0, WindowClass::INPUT_OUTPUT);
        conn.create_window(depth, win, root, 100, 50, 200, 100, 0, class, visual, &aux)
            .unwrap();
        conn.map_window(win).unwrap();
        conn.sync().unwrap();
        (conn, win)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rgb(c: u32) -> image::Rgb<u8> {
    image::Rgb([(c >> 16) as u8, (c >> 8) as u8, c as u8])
}

/// The whole screen, at its size, with each colour where it was drawn.
fn check_screen(x: &Xvfb, shared_memory: bool) {
    let _drawn = x.draw();
    let mut capturer = X11Capturer::connect_to(Some(&x.display), true).expect("capturer");
    assert_eq!(capturer.uses_shared_memory(), shared_memory);
    for _ in 0..2 {
        // The second shot reuses the segment (or the plain path).
        let shots = capturer.capture(Screens::All).expect("capture");
        assert_eq!(shots.len(), 1);
        let img = &shots[0].image;
        assert_eq!(img.dimensions(), (640, 480));
        for (px, py, colour) in [
            (0, 0, ROOT),
            (99, 49, ROOT),
            (100, 50, WINDOW),
            (299, 149, WINDOW),
            (300, 150, ROOT),
            (639, 479, ROOT),
        ] {
            assert_eq!(*img.get_pixel(px, py), rgb(colour), "at {px},{py}");
        }
    }
}

#[test]
fn captures_what_is_on_screen_through_shared_memory() {
    let Some(x) = Xvfb::start(&[]) else { return };
    check_screen(&x, true);
}

#[test]
fn captures_with_get_image_when_the_server_has_no_shared_memory() {
    let Some(x) = Xvfb::start(&["-extension", "MIT-SHM"]) else {
        return;
    };
    check_screen(&x, false);
}

/// A monitor away from the origin is cut out at its place, through both
/// paths; and the forced plain path says so.
#[test]
fn a_monitor_is_its_own_rectangle_through_either_path() {
    let Some(x) = Xvfb::start(&[]) else { return };
    let _drawn = x.draw();
    let part = Monitor {
        name: "part".into(),
        primary: false,
        x: 90,
        y: 40,
        width: 20,
        height: 20,
    };
    for shared_memory in [true, false] {
        let mut c = X11Capturer::connect_to(Some(&x.display), shared_memory).unwrap();
        assert_eq!(c.uses_shared_memory(), shared_memory);
        let img = c.grab(&part).expect("grab");
        assert_eq!(img.dimensions(), (20, 20));
        assert_eq!(*img.get_pixel(9, 9), rgb(ROOT));
        assert_eq!(*img.get_pixel(10, 10), rgb(WINDOW));
        assert_eq!(*img.get_pixel(19, 19), rgb(WINDOW));
    }
}

/// "Active screen" finds the focused window from `_NET_ACTIVE_WINDOW`.
#[test]
fn the_focused_window_centre_comes_from_the_window_manager_hint() {
    let Some(x) = Xvfb::start(&[]) else { return };
    let (conn, win) = x.draw();
    let mut c = X11Capturer::connect_to(Some(&x.display), true).unwrap();
    assert_eq!(c.focus_centre(), None);
    assert_eq!(c.capture(Screens::Active).unwrap().len(), 1);
    let root = conn.setup().roots[0].root;
    let active = conn
        .intern_atom(false, b"_NET_ACTIVE_WINDOW")
        .unwrap()
        .reply()
        .unwrap()
        .atom;
    conn.change_property32(PropMode::REPLACE, root, active, AtomEnum::WINDOW, &[win])
        .unwrap();
    conn.sync().unwrap();
    assert_eq!(c.focus_centre(), Some((200, 100)));
}

/// Two monitors side by side, as RandR 1.5 lists them (virtual monitors
/// over Xvfb's one screen, as `xrandr --setmonitor` makes): "all screens"
/// takes each at its place and size, "active screen" the one holding the
/// focused window, the primary one without a hint.
#[test]
fn two_monitors_are_two_shots_and_active_follows_the_focus() {
    use x11rb::protocol::randr::{ConnectionExt as _, MonitorInfo};
    let Some(x) = Xvfb::start(&[]) else { return };
    let (conn, win) = x.draw();
    let root = conn.setup().roots[0].root;
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    // LEFT takes over Xvfb's one output (so its automatic monitor goes, as
    // with two real outputs); RIGHT is a second, virtual one.
    let output = conn
        .randr_get_screen_resources(root)
        .unwrap()
        .reply()
        .unwrap()
        .outputs[0];
    for (name, left, primary, outputs) in [
        (&b"LEFT"[..], 0, false, vec![output]),
        (&b"RIGHT"[..], 320, true, vec![]),
    ] {
        let m = MonitorInfo {
            name: atom(name),
            primary,
            automatic: false,
            x: left,
            y: 0,
            width: 320,
            height: 480,
            width_in_millimeters: 85,
            height_in_millimeters: 127,
            outputs,
        };
        conn.randr_set_monitor(root, m).unwrap().check().unwrap();
    }
    let mut c = X11Capturer::connect_to(Some(&x.display), true).unwrap();

    let mut shots = c.capture(Screens::All).expect("capture");
    shots.sort_by(|a, b| a.monitor.cmp(&b.monitor));
    let names: Vec<&str> = shots.iter().map(|s| s.monitor.as_str()).collect();
    assert_eq!(names, ["LEFT", "RIGHT"]);
    for s in &shots {
        assert_eq!(s.image.dimensions(), (320, 480), "{}", s.monitor);
    }
    // The window (100..300, 50..150) is on the left monitor only.
    assert_eq!(*shots[0].image.get_pixel(100, 50), rgb(WINDOW));
    assert_eq!(*shots[1].image.get_pixel(0, 50), rgb(ROOT));

    let active = |c: &mut X11Capturer| {
        let shots = c.capture(Screens::Active).expect("capture");
        shots.into_iter().map(|s| s.monitor).collect::<Vec<_>>()
    };
    assert_eq!(active(&mut c), ["RIGHT"], "no hint: the primary one");
    let hint = atom(b"_NET_ACTIVE_WINDOW");
    conn.change_property32(PropMode::REPLACE, root, hint, AtomEnum::WINDOW, &[win])
        .unwrap();
    conn.sync().unwrap();
    assert_eq!(active(&mut c), ["LEFT"], "the focused window's monitor");
}

fn monitor(name: &str, x: i16, primary: bool) -> Monitor {
    Monitor {
        name: name.into(),
        primary,
        x,
        y: 0,
        width: 1920,
        height: 1080,
    }
}

#[test]
fn active_is_the_focused_monitor_else_the_primary_else_the_first() {
    let two = || vec![monitor("left", 0, false), monitor("right", 1920, true)];
    let names = |v: Vec<Monitor>| v.into_iter().map(|m| m.name).collect::<Vec<_>>();
    assert_eq!(names(choose(two(), Screens::All, None)), ["left", "right"]);
    assert_eq!(
        names(choose(two(), Screens::Active, Some((100, 500)))),
        ["left"]
    );
    assert_eq!(
        names(choose(two(), Screens::Active, Some((2000, 500)))),
        ["right"]
    );
    assert_eq!(names(choose(two(), Screens::Active, None)), ["right"]);
    let no_primary = vec![monitor("a", 0, false), monitor("b", 1920, false)];
    assert_eq!(
        names(choose(no_primary, Screens::Active, Some((-5, 0)))),
        ["a"]
    );
}
