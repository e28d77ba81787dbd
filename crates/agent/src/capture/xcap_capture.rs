//! Screen capture with xcap: Wayland, and X11 when x11_capture cannot (the
//! same crate serves Windows and macOS).

use super::{Captured, Capturer, Screens};

pub struct XcapCapturer;

impl Capturer for XcapCapturer {
    fn capture(&mut self, screens: Screens) -> Result<Vec<Captured>, String> {
        let monitors = xcap::Monitor::all().map_err(|e| format!("cannot list monitors: {e}"))?;
        let chosen: Vec<_> = match screens {
            Screens::All => monitors,
            Screens::Active => {
                let primary = monitors
                    .iter()
                    .position(|m| m.is_primary().unwrap_or(false))
                    .unwrap_or(0);
                monitors.into_iter().skip(primary).take(1).collect()
            }
        };
        if chosen.is_empty() {
            return Err("no monitor to capture".into());
        }
        chosen
            .into_iter()
            .map(|m| {
                // xcap's X11 path now and then fails a capture with a
                // connection error and succeeds on a later try.
                let image = m
                    .capture_image()
                    .or_else(|_| m.capture_image())
                    .or_else(|_| m.capture_image())
                    .map_err(|e| format!("capture failed: {e}"))?;
                Ok(Captured {
                    monitor: m.name().unwrap_or_else(|_| "screen".into()),
                    image: image::DynamicImage::ImageRgba8(image).into_rgb8(),
                })
            })
            .collect()
    }
}
