//! Periodic screenshots: when to take them, and how to turn a captured
//! screen into a full image and a 320 px thumbnail.
//!
//! One shot per interval (default 10 minutes) at a random moment inside it,
//! so nobody can tidy their screen for it; only while tracking and not idle.
//! Capture sits behind [`Capturer`] ([`native`] picks one); a failure is
//! reported and tracking goes on.

use std::io::Cursor;
use std::time::Duration;

use chrono::TimeDelta;
use fast_image_resize::images::{TypedImage, TypedImageRef};
use fast_image_resize::pixels::U8x3;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageFormat, RgbImage};
use rand::Rng;
use stint_model::Instant;

#[cfg(target_os = "linux")]
pub mod x11_capture;
#[cfg(target_os = "linux")]
mod x11_shm;
#[cfg(target_os = "linux")]
pub mod xcap_capture;

/// Thumbnail width, as the Gauzy clients show them.
pub const THUMB_WIDTH: u32 = 320;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screens {
    /// One image per monitor.
    All,
    /// The monitor with the focused window (the first one when unknown).
    Active,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    WebP,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::WebP => "webp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShotConfig {
    pub interval: Duration,
    pub screens: Screens,
    pub blur: bool,
    pub format: Format,
}

/// One monitor's picture. RGB: a screen has no transparency, and JPEG
/// and the thumbnail want three channels.
pub struct Captured {
    pub monitor: String,
    pub image: RgbImage,
}

pub trait Capturer: Send {
    fn capture(&mut self, screens: Screens) -> Result<Vec<Captured>, String>;
}

/// This computer's screen capture: x11rb on an X11 session (one connection
/// and shared memory kept from shot to shot, xcap when that fails), xcap
/// under Wayland; none yet on other systems.
pub fn native() -> Option<Box<dyn Capturer>> {
    #[cfg(target_os = "linux")]
    {
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
        if !wayland && std::env::var_os("DISPLAY").is_some() {
            return Some(Box::new(x11_capture::X11OrXcap::default()));
        }
        Some(Box::new(xcap_capture::XcapCapturer))
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// A screen ready to store: encoded full image and thumbnail.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub monitor: String,
    pub width: u32,
    pub height: u32,
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub format: Format,
}

#[cfg(test)]
impl Encoded {
    /// A stand-in image for the outbox's tests: its bytes are never decoded.
    pub fn tiny() -> Encoded {
        Encoded {
            monitor: "m".into(),
            width: 1,
            height: 1,
            full: vec![1, 2, 3],
            thumb: vec![4, 5],
            format: Format::Jpeg,
        }
    }
}

fn write(img: RgbImage, format: Format) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    match format {
        // WebP from `image` is lossless; JPEG at quality 80 is the small one.
        Format::WebP => DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::WebP)
            .map_err(|e| e.to_string())?,
        // jpeg-encoder (AVX2 where the CPU has it): 18 ms at 1080p where
        // `image`'s encoder took 83, most of the pipeline once capture was fast.
        Format::Jpeg => {
            let (w, h) = img.dimensions();
            let (w, h) = (u16::try_from(w), u16::try_from(h));
            let (Ok(w), Ok(h)) = (w, h) else {
                return Err("screen too large for JPEG".into());
            };
            jpeg_encoder::Encoder::new(&mut out, 80)
                .encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| e.to_string())?
        }
    }
    Ok(out.into_inner())
}

/// `img` scaled to `width` × `height` (bilinear) with fast_image_resize's
/// SIMD convolution: `image`'s resize took 18 ms for a 1080p thumbnail.
pub fn resized(img: &RgbImage, width: u32, height: u32) -> Result<RgbImage, String> {
    let (w, h) = img.dimensions();
    let (width, height) = (width.max(1), height.max(1));
    // Typed to RGB: `Resizer::resize` dispatches on the pixel type at run
    // time, which links every pixel type's kernels (and a 512 KiB alpha
    // table) into the app; this links only the one it uses.
    let src = TypedImageRef::<U8x3>::from_buffer(w, h, img.as_raw()).map_err(|e| e.to_string())?;
    let mut raw = vec![0u8; width as usize * height as usize * 3];
    let mut out =
        TypedImage::<U8x3>::from_buffer(width, height, &mut raw).map_err(|e| e.to_string())?;
    let bilinear = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize_typed(&src, &mut out, &bilinear)
        .map_err(|e| e.to_string())?;
    RgbImage::from_raw(width, height, raw).ok_or_else(|| "resize: bad size".into())
}

/// The 320 px wide thumbnail of a screen.
pub fn thumbnail(img: &RgbImage) -> Result<RgbImage, String> {
    let (width, height) = img.dimensions();
    let th = ((height as u64 * THUMB_WIDTH as u64) / width.max(1) as u64).max(1) as u32;
    resized(img, THUMB_WIDTH, th)
}

/// Encodes one capture; with `blur`, both images are blurred so text cannot
/// be read (privacy mode).
pub fn encode(c: Captured, cfg: &ShotConfig) -> Result<Encoded, String> {
    let (width, height) = c.image.dimensions();
    let mut img = c.image;
    if cfg.blur {
        // Shrinking and growing back blurs far faster than a Gaussian.
        let small = resized(&img, (width / 16).max(1), (height / 16).max(1))?;
        img = resized(&small, width, height)?;
    }
    let thumb = thumbnail(&img)?;
    Ok(Encoded {
        monitor: c.monitor,
        width,
        height,
        full: write(img, cfg.format)?,
        thumb: write(thumb, Format::Jpeg)?,
        format: cfg.format,
    })
}

/// When the next screenshot is due: a random moment inside each interval.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval: TimeDelta,
    /// Start of the first interval; windows follow back to back.
    origin: Option<Instant>,
    /// The window the current plan is for, its moment, and whether it passed.
    window: i64,
    due: Instant,
    done: bool,
}

impl Schedule {
    pub fn new(interval: Duration) -> Schedule {
        let interval = TimeDelta::from_std(interval)
            .unwrap_or(TimeDelta::minutes(10))
            .max(TimeDelta::seconds(1));
        Schedule {
            interval,
            origin: None,
            window: -1,
            due: Instant::default(),
            done: true,
        }
    }

    /// True once per interval, at its random moment, if `eligible` then
    /// (tracking and not idle). A moment that falls in idle time is skipped,
    /// not made up later.
    ///
    /// A moment after the last poll of its interval (polls come a second
    /// apart, moments to the millisecond) is taken at the first poll after
    /// it, in the next interval: otherwise a 2 s interval polled every
    /// second lost half its screenshots.
    pub fn poll(&mut self, now: Instant, eligible: bool) -> bool {
        let origin = *self.origin.get_or_insert(now);
        let span = self.interval.num_milliseconds();
        let window = (now - origin).num_milliseconds().max(0) / span;
        if window != self.window {
            let missed = !self.done && now >= self.due;
            self.window = window;
            self.due =
                origin + TimeDelta::milliseconds(window * span + rand::rng().random_range(0..span));
            self.done = false;
            if missed {
                return eligible;
            }
        }
        if !self.done && now >= self.due {
            self.done = true;
            return eligible;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(s: i64) -> Instant {
        Utc.with_ymd_and_hms(2026, 4, 6, 9, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    #[test]
    fn one_shot_per_interval_at_a_random_moment() {
        let mut s = Schedule::new(Duration::from_secs(60));
        let fired: Vec<i64> = (0..600).filter(|t| s.poll(at(*t), true)).collect();
        assert!((9..=10).contains(&fired.len()), "{fired:?}");
        for (n, t) in fired.iter().enumerate() {
            assert!(
                n as i64 <= t / 60,
                "more shots than intervals by {t} s: {fired:?}"
            );
        }
        let moments: std::collections::HashSet<i64> = fired.iter().map(|t| t % 60).collect();
        assert!(
            moments.len() > 1,
            "the moment inside the interval varies: {fired:?}"
        );
    }

    /// Short intervals polled every second: no interval goes without its
    /// screenshot (half of them did when a moment after the last poll of
    /// its interval was lost).
    #[test]
    fn every_interval_gets_its_shot_even_between_polls() {
        for _ in 0..20 {
            let mut s = Schedule::new(Duration::from_secs(2));
            let fired = (0..=40).filter(|t| s.poll(at(*t), true)).count();
            assert!((19..=21).contains(&fired), "{fired} shots in 20 intervals");
        }
    }

    #[test]
    fn no_shot_while_idle_or_stopped() {
        let mut s = Schedule::new(Duration::from_secs(60));
        assert_eq!((0..600).filter(|t| s.poll(at(*t), false)).count(), 0);
    }

    #[test]
    fn thumbnails_are_320_wide_and_blur_hides_detail() {
        let mut img = RgbImage::new(1280, 800);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = image::Rgb([
                ((x * 7) % 256) as u8,
                ((y * 3) % 256) as u8,
                if (x / 2 + y / 2) % 2 == 0 { 255 } else { 0 },
            ]);
        }
        let cfg = ShotConfig {
            interval: Duration::from_secs(600),
            screens: Screens::All,
            blur: false,
            format: Format::Jpeg,
        };
        let e = encode(
            Captured {
                monitor: "m".into(),
                image: img.clone(),
            },
            &cfg,
        )
        .unwrap();
        let thumb = image::load_from_memory(&e.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 200));
        assert_eq!((e.width, e.height), (1280, 800));
        assert_eq!(image::guess_format(&e.full).unwrap(), ImageFormat::Jpeg);
        let blurred = encode(
            Captured {
                monitor: "m".into(),
                image: img,
            },
            &ShotConfig {
                blur: true,
                format: Format::WebP,
                ..cfg
            },
        )
        .unwrap();
        assert_eq!(
            image::guess_format(&blurred.full).unwrap(),
            ImageFormat::WebP
        );
        let b = image::load_from_memory(&blurred.full).unwrap().to_rgba8();
        // The checkerboard's neighbouring pixels are nearly equal once blurred.
        let (p, q) = (
            b.get_pixel(100, 100)[2] as i32,
            b.get_pixel(102, 100)[2] as i32,
        );
        assert!((p - q).abs() < 40, "{p} vs {q}");
    }
}
