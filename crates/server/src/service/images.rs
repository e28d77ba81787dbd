//! Untrusted images, measured before they are decoded (DESIGN.md, "Trust
//! rules").
//!
//! A 0.5 MB PNG can declare 23000×23000 pixels, and decoding it takes
//! 529 MB. So an upload is first measured from its header (format and
//! size, no pixels), refused when it is larger than its field allows, and
//! only then decoded: within [`image::Limits`] derived from the same
//! bounds (so a header that lies cannot get past), and at most one decode
//! per core at a time.

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// The most a screenshot may have: three 4K screens side by side
/// (11520×2160, 25 MP) fit.
pub const MAX_MEGAPIXELS: u64 = 40;

/// How large an image one form field may hold.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max_width: u32,
    pub max_height: u32,
    pub max_pixels: u64,
}

/// A screenshot (`file`): 40 megapixels, and no side longer than a strip of
/// ten 4K screens.
pub const SCREENSHOT: Bounds = Bounds {
    max_width: 40_000,
    max_height: 40_000,
    max_pixels: MAX_MEGAPIXELS * 1_000_000,
};

/// A thumbnail the client made (`thumb`): at most 640 px wide (twice what
/// the timers show); 2000 px high leaves room for a portrait screen.
pub const THUMBNAIL: Bounds = Bounds {
    max_width: 640,
    max_height: 2000,
    max_pixels: 640 * 2000,
};

/// What reading a header may allocate (a PNG's ICC profile is inflated
/// while its header is read): more metadata than this is refused before
/// any pixel is looked at.
const HEADER_ALLOC: u64 = 8 << 20;

/// Bytes per pixel a decode may use: 8-bit RGBA, what screenshots are.
const BYTES_PER_PIXEL: u64 = 4;

const FORMATS: &str = "a PNG, JPEG or WebP image";

impl Bounds {
    /// The decoder's limits: these bounds, and the memory their pixels
    /// take in 8-bit RGBA.
    fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_width);
        limits.max_image_height = Some(self.max_height);
        limits.max_alloc = Some(self.max_pixels * BYTES_PER_PIXEL);
        limits
    }

    /// Refuses a `width`×`height` image in `field`, saying why.
    fn check(&self, field: &str, width: u32, height: u32) -> AppResult<()> {
        let size = format!("{field} is {width}×{height} pixels");
        if width == 0 || height == 0 {
            return Err(AppError::bad_request(format!("{size}; it has no pixels")));
        }
        if width > self.max_width || height > self.max_height {
            return Err(AppError::bad_request(format!(
                "{size}; at most {} wide and {} high are accepted",
                self.max_width, self.max_height
            )));
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(AppError::bad_request(format!(
                "{size}; at most {} megapixels are accepted",
                megapixels(self.max_pixels)
            )));
        }
        Ok(())
    }
}

/// `40_000_000` → "40", `1_280_000` → "1.28".
fn megapixels(pixels: u64) -> String {
    let mp = format!("{:.2}", pixels as f64 / 1e6);
    mp.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// An upload whose header was read and found within its field's bounds;
/// not decoded yet.
#[derive(Debug)]
pub struct Measured {
    /// The form field it came in (`file`, `thumb`), for messages.
    pub field: &'static str,
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    bounds: Bounds,
}

impl Measured {
    /// Reads the format (from the content, not the name: PNG, JPEG or WebP
    /// only) and the dimensions from the header, and refuses an image
    /// larger than `bounds`. Decodes no pixels.
    pub fn new(field: &'static str, bytes: Vec<u8>, bounds: Bounds) -> AppResult<Measured> {
        let mut limits = Limits::default();
        limits.max_alloc = Some(HEADER_ALLOC);
        let (reader, format) = reader(field, &bytes, limits)?;
        let (width, height) = reader.into_dimensions().map_err(|e| match e {
            ImageError::Limits(_) => AppError::bad_request(format!(
                "{field} carries more than {} MiB of metadata",
                HEADER_ALLOC >> 20
            )),
            e => unreadable(field, e),
        })?;
        bounds.check(field, width, height)?;
        Ok(Measured {
            field,
            bytes,
            format,
            width,
            height,
            bounds,
        })
    }

    /// Decodes the pixels, within the bounds it was measured against. It
    /// blocks: call it inside [`decoding`].
    pub fn decode(&self) -> AppResult<DynamicImage> {
        let field = self.field;
        let (reader, _) = reader(field, &self.bytes, self.bounds.limits())?;
        let img = reader.decode().map_err(|e| match e {
            ImageError::Limits(_) => AppError::bad_request(format!(
                "{field} needs more memory to decode than {} megapixels of 8-bit RGBA",
                megapixels(self.bounds.max_pixels)
            )),
            e => unreadable(field, e),
        })?;
        if (img.width(), img.height()) != (self.width, self.height) {
            return Err(AppError::bad_request(format!(
                "{field} is not a readable image: its header says {}×{} pixels, its data {}×{}",
                self.width,
                self.height,
                img.width(),
                img.height()
            )));
        }
        Ok(img)
    }
}

/// A reader of `bytes` with `limits`, if they are one of the accepted
/// formats.
fn reader<'a>(
    field: &str,
    bytes: &'a [u8],
    limits: Limits,
) -> AppResult<(ImageReader<Cursor<&'a [u8]>>, ImageFormat)> {
    let not_accepted = || AppError::bad_request(format!("{field} must be {FORMATS}"));
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_accepted())?;
    let format = reader
        .format()
        .filter(|f| matches!(f, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP))
        .ok_or_else(not_accepted)?;
    reader.limits(limits);
    Ok((reader, format))
}

fn unreadable(field: &str, e: ImageError) -> AppError {
    AppError::bad_request(format!("{field} is not a readable image: {e}"))
}

/// One decode per core: a decode holds a whole image in memory, so this
/// bounds memory as well as CPU however many uploads arrive at once.
fn decode_slots() -> Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            Arc::new(Semaphore::new(cores))
        })
        .clone()
}

/// Runs `work` (which decodes) on the blocking pool once a decode slot is
/// free. The slot is held by the work itself, so a client that hangs up
/// does not free it before the decode ends.
pub async fn decoding<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let slot = decode_slots()
        .acquire_owned()
        .await
        .map_err(|_| AppError::bad_request("the image could not be decoded"))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|_| AppError::bad_request("the image could not be decoded"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image::RgbImage::new(w, h)
            .write_to(&mut out, format)
            .expect("encode");
        out.into_inner()
    }

    fn message(r: AppResult<Measured>) -> String {
        let e = r.expect_err("refused");
        assert_eq!(e.status, 400, "{}", e.message);
        e.message
    }

    #[test]
    fn accepted_formats_are_measured_without_decoding() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            let m = Measured::new("file", encoded(64, 48, format), SCREENSHOT).unwrap();
            assert_eq!((m.format, m.width, m.height), (format, 64, 48));
            assert_eq!(m.decode().unwrap().width(), 64);
        }
        let gif = b"GIF89a\x04\x00\x04\x00\x00\x00\x00;".to_vec();
        let m = message(Measured::new("file", gif, SCREENSHOT));
        assert_eq!(m, "file must be a PNG, JPEG or WebP image");
        let m = message(Measured::new("thumb", b"not an image".to_vec(), THUMBNAIL));
        assert_eq!(m, "thumb must be a PNG, JPEG or WebP image");
        // A PNG signature and nothing after it.
        let cut = encoded(4, 4, ImageFormat::Png)[..12].to_vec();
        let m = message(Measured::new("file", cut, SCREENSHOT));
        assert!(m.starts_with("file is not a readable image"), "{m}");
    }

    #[test]
    fn bounds_name_the_field_and_the_limit() {
        let png = encoded(641, 10, ImageFormat::Png);
        let m = message(Measured::new("thumb", png.clone(), THUMBNAIL));
        assert_eq!(
            m,
            "thumb is 641×10 pixels; at most 640 wide and 2000 high are accepted"
        );
        assert!(Measured::new("file", png, SCREENSHOT).is_ok());
        let small = Bounds {
            max_width: 1000,
            max_height: 1000,
            max_pixels: 250_000,
        };
        let m = message(Measured::new(
            "file",
            encoded(600, 500, ImageFormat::Png),
            small,
        ));
        assert_eq!(
            m,
            "file is 600×500 pixels; at most 0.25 megapixels are accepted"
        );
        assert_eq!(megapixels(SCREENSHOT.max_pixels), "40");
        assert_eq!(megapixels(THUMBNAIL.max_pixels), "1.28");
    }

    #[test]
    fn decoding_is_bounded_even_when_measuring_was_not() {
        // As if the header had said less than the decoder finds.
        let lying = Measured {
            field: "file",
            bytes: encoded(64, 48, ImageFormat::Png),
            format: ImageFormat::Png,
            width: 64,
            height: 48,
            bounds: Bounds {
                max_width: 32,
                max_height: 32,
                max_pixels: 1024,
            },
        };
        let e = lying.decode().unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.starts_with("file "), "{}", e.message);
    }

    #[tokio::test]
    async fn decodes_run_one_per_core() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..cores * 3 {
            let (running, most) = (running.clone(), most.clone());
            tasks.spawn(decoding(move || {
                most.fetch_max(running.fetch_add(1, SeqCst) + 1, SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, SeqCst);
                Ok(())
            }));
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task").expect("decode");
        }
        let most = most.load(SeqCst);
        assert!(
            (1..=cores).contains(&most),
            "{most} decodes at once on {cores} cores"
        );
    }
}
