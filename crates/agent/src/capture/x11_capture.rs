//! Screen capture on X11 over one long-lived x11rb connection.
//!
//! xcap opens new X connections for every shot and converts each pixel
//! through `image`'s generic API: 270 ms for a 1080p screen. Here one
//! connection lives as long as the capturer, the server writes the pixels
//! into a reused shared-memory segment (MIT-SHM; plain `GetImage` where the
//! server has no MIT-SHM or is across a network), and the BGRX → RGB copy
//! is one pass over the buffer. Monitors come from RandR, so each is one
//! image as with xcap.

use image::RgbImage;
use x11rb::connection::Connection;
use x11rb::protocol::randr::ConnectionExt as _;
use x11rb::protocol::xproto::{
    AtomEnum, ConnectionExt as _, ImageFormat, ImageOrder, Screen, Window,
};
use x11rb::rust_connection::RustConnection;

use super::x11_shm::{self, Segment};
use super::xcap_capture::XcapCapturer;
use super::{Captured, Capturer, Screens};

/// One monitor: its RandR name and its place on the root window.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Monitor {
    name: String,
    primary: bool,
    x: i16,
    y: i16,
    width: u16,
    height: u16,
}

impl Monitor {
    fn contains(&self, (x, y): (i32, i32)) -> bool {
        let (left, top) = (i32::from(self.x), i32::from(self.y));
        (left..left + i32::from(self.width)).contains(&x)
            && (top..top + i32::from(self.height)).contains(&y)
    }
}

pub struct X11Capturer {
    conn: RustConnection,
    root: Window,
    /// The server sends 32-bit pixels least significant byte first (BGRX in
    /// memory, the usual case) or the other way round (XRGB).
    lsb_first: bool,
    active_atom: Option<u32>,
    /// `None` when the server cannot share memory: plain `GetImage`.
    shm: Option<Option<Segment>>,
}

impl X11Capturer {
    /// Connects to `$DISPLAY`, with shared memory where the server has it.
    pub fn connect() -> Result<X11Capturer, String> {
        X11Capturer::connect_to(None, true)
    }

    /// Connects to `display` (`$DISPLAY` when `None`); `shared_memory:
    /// false` always uses plain `GetImage`, as on a server without MIT-SHM.
    pub fn connect_to(display: Option<&str>, shared_memory: bool) -> Result<X11Capturer, String> {
        let (conn, screen) =
            x11rb::connect(display).map_err(|e| format!("cannot open the X display: {e}"))?;
        let setup = conn.setup();
        let root = setup
            .roots
            .get(screen)
            .ok_or("the X display has no screen")?;
        check_true_colour(setup, root)?;
        let lsb_first = setup.image_byte_order == ImageOrder::LSB_FIRST;
        let root_window = root.root;
        // Interned even before a window manager sets it (one that starts
        // later still counts).
        let active_atom = conn
            .intern_atom(false, b"_NET_ACTIVE_WINDOW")
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|r| r.atom)
            .filter(|a| *a != 0);
        let shm = (shared_memory && x11_shm::available(&conn)).then_some(None);
        Ok(X11Capturer {
            conn,
            root: root_window,
            lsb_first,
            active_atom,
            shm,
        })
    }

    /// Whether shots go through shared memory (false: `GetImage`).
    pub fn uses_shared_memory(&self) -> bool {
        self.shm.is_some()
    }

    /// The monitors RandR knows, or the whole root window as one when it
    /// has none (no RandR 1.5).
    fn monitors(&self) -> Result<Vec<Monitor>, String> {
        let listed = self
            .conn
            .randr_get_monitors(self.root, true)
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|r| r.monitors)
            .unwrap_or_default();
        let monitors: Vec<Monitor> = listed
            .into_iter()
            .filter(|m| m.width > 0 && m.height > 0)
            .map(|m| Monitor {
                name: self.atom_name(m.name).unwrap_or_else(|| "screen".into()),
                primary: m.primary,
                x: m.x,
                y: m.y,
                width: m.width,
                height: m.height,
            })
            .collect();
        if !monitors.is_empty() {
            return Ok(monitors);
        }
        let root = self
            .conn
            .get_geometry(self.root)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("cannot read the screen's size: {e}"))?;
        Ok(vec![Monitor {
            name: "screen".into(),
            primary: true,
            x: 0,
            y: 0,
            width: root.width,
            height: root.height,
        }])
    }

    fn atom_name(&self, atom: u32) -> Option<String> {
        let reply = self.conn.get_atom_name(atom).ok()?.reply().ok()?;
        Some(String::from_utf8_lossy(&reply.name).into_owned())
    }

    /// The centre of the focused window on the root (EWMH window managers).
    fn focus_centre(&self) -> Option<(i32, i32)> {
        let reply = self
            .conn
            .get_property(false, self.root, self.active_atom?, AtomEnum::WINDOW, 0, 1)
            .ok()?
            .reply()
            .ok()?;
        let window = reply.value32()?.next().filter(|w| *w != 0)?;
        let size = self.conn.get_geometry(window).ok()?.reply().ok()?;
        let at = self
            .conn
            .translate_coordinates(window, self.root, 0, 0)
            .ok()?
            .reply()
            .ok()?;
        Some((
            i32::from(at.dst_x) + i32::from(size.width) / 2,
            i32::from(at.dst_y) + i32::from(size.height) / 2,
        ))
    }

    /// One monitor's pixels as RGB.
    fn grab(&mut self, m: &Monitor) -> Result<RgbImage, String> {
        let (w, h) = (usize::from(m.width), usize::from(m.height));
        let len = w * h * 4;
        if let Some(slot) = &mut self.shm {
            match shm_grab(&self.conn, self.root, slot, m, len) {
                Ok(()) => {
                    let bytes = slot.as_ref().map(|s| s.bytes(len)).unwrap_or_default();
                    return to_rgb(bytes, m, self.lsb_first);
                }
                // Attached but unusable (a server across the network):
                // GetImage from now on.
                Err(e) => {
                    tracing::debug!("shared-memory capture failed, using GetImage: {e}");
                    self.shm = None;
                }
            }
        }
        let reply = self
            .conn
            .get_image(
                ImageFormat::Z_PIXMAP,
                self.root,
                m.x,
                m.y,
                m.width,
                m.height,
                !0,
            )
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| format!("GetImage failed: {e}"))?;
        to_rgb(&reply.data, m, self.lsb_first)
    }
}

/// Has the server copy a monitor into the segment, first making or growing
/// the segment to `len` bytes.
fn shm_grab(
    conn: &RustConnection,
    root: Window,
    slot: &mut Option<Segment>,
    m: &Monitor,
    len: usize,
) -> Result<(), String> {
    if slot.as_ref().is_none_or(|s| s.size() < len) {
        if let Some(old) = slot.take() {
            old.detach(conn);
        }
        *slot = Some(Segment::attach(conn, len)?);
    }
    let segment = slot.as_ref().map(|s| s.id).unwrap_or_default();
    let format = ImageFormat::Z_PIXMAP.into();
    use x11rb::protocol::shm::ConnectionExt as _;
    let reply = conn
        .shm_get_image(root, m.x, m.y, m.width, m.height, !0, format, segment, 0)
        .map_err(|e| e.to_string())?
        .reply()
        .map_err(|e| format!("{e}"))?;
    if (reply.size as usize) < len {
        return Err(format!("{} bytes where {len} were expected", reply.size));
    }
    Ok(())
}

/// Only 24-bit true colour in 32-bit pixels (what Xorg and Xvfb give at
/// depth 24) is converted here; anything else is xcap's.
fn check_true_colour(setup: &x11rb::protocol::xproto::Setup, root: &Screen) -> Result<(), String> {
    let bpp = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == root.root_depth)
        .map(|f| f.bits_per_pixel);
    let visual = root
        .allowed_depths
        .iter()
        .flat_map(|d| &d.visuals)
        .find(|v| v.visual_id == root.root_visual);
    let masks = visual.map(|v| (v.red_mask, v.green_mask, v.blue_mask));
    if bpp == Some(32) && masks == Some((0xff0000, 0xff00, 0xff)) {
        Ok(())
    } else {
        Err(format!(
            "unsupported X pixel format (depth {}, {bpp:?} bits a pixel)",
            root.root_depth
        ))
    }
}

/// 32-bit pixels to packed RGB in one pass over the buffer.
fn to_rgb(src: &[u8], m: &Monitor, lsb_first: bool) -> Result<RgbImage, String> {
    let (w, h) = (u32::from(m.width), u32::from(m.height));
    let n = w as usize * h as usize;
    if src.len() < n * 4 {
        return Err(format!("{} bytes for a {w}x{h} screen", src.len()));
    }
    let mut rgb = vec![0u8; n * 3];
    if lsb_first {
        copy_channels::<2, 1, 0>(&src[..n * 4], &mut rgb);
    } else {
        copy_channels::<1, 2, 3>(&src[..n * 4], &mut rgb);
    }
    RgbImage::from_raw(w, h, rgb).ok_or_else(|| "bad image size".into())
}

/// The byte offsets of red, green and blue are constants, so the loop
/// compiles to plain loads and stores.
fn copy_channels<const R: usize, const G: usize, const B: usize>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(3)) {
        d[0] = s[R];
        d[1] = s[G];
        d[2] = s[B];
    }
}

impl Capturer for X11Capturer {
    fn capture(&mut self, screens: Screens) -> Result<Vec<Captured>, String> {
        let monitors = self.monitors()?;
        let focus = match screens {
            Screens::All => None,
            Screens::Active => self.focus_centre(),
        };
        choose(monitors, screens, focus)
            .into_iter()
            .map(|m| {
                let image = self.grab(&m)?;
                Ok(Captured {
                    monitor: m.name,
                    image,
                })
            })
            .collect()
    }
}

/// The monitors to capture: all, or the one holding the focused window's
/// centre (the primary one when that is unknown, else the first).
fn choose(monitors: Vec<Monitor>, screens: Screens, focus: Option<(i32, i32)>) -> Vec<Monitor> {
    if screens == Screens::All {
        return monitors;
    }
    let index = focus
        .and_then(|c| monitors.iter().position(|m| m.contains(c)))
        .or_else(|| monitors.iter().position(|m| m.primary))
        .unwrap_or(0);
    monitors.into_iter().skip(index).take(1).collect()
}

/// X11 through x11rb, and xcap for a shot when that fails (an unusual
/// pixel format, a lost connection); the next shot connects again.
#[derive(Default)]
pub struct X11OrXcap {
    x11: Option<X11Capturer>,
}

impl Capturer for X11OrXcap {
    fn capture(&mut self, screens: Screens) -> Result<Vec<Captured>, String> {
        if self.x11.is_none() {
            match X11Capturer::connect() {
                Ok(c) => self.x11 = Some(c),
                Err(e) => tracing::warn!("X11 capture unavailable, using xcap: {e}"),
            }
        }
        if let Some(x11) = &mut self.x11 {
            match x11.capture(screens) {
                Ok(shots) => return Ok(shots),
                Err(e) => {
                    tracing::warn!("X11 capture failed, using xcap for this shot: {e}");
                    self.x11 = None;
                }
            }
        }
        XcapCapturer.capture(screens)
    }
}

#[cfg(test)]
#[path = "x11_capture_tests.rs"]
mod tests;
