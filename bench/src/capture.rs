//! The screenshot pipeline on the current X display: capture (x11rb, as
//! `capture::native` picks on X11), full-image encode and 320 px thumbnail,
//! against xcap's raw capture alone; and the capture through plain
//! `GetImage`, as on a server without shared memory.

use serde_json::{Value, json};
use stint_agent::capture::x11_capture::X11Capturer;
use stint_agent::capture::{Capturer, Format, Screens, ShotConfig, encode, thumbnail};

use crate::stats::{percentile, timed};

const RUNS: usize = 30;

fn summary(xs: &[f64]) -> Value {
    json!({ "p50_ms": (percentile(xs, 50.0) * 10.0).round() / 10.0, "p95_ms": (percentile(xs, 95.0) * 10.0).round() / 10.0 })
}

pub fn run() -> Value {
    let cfg = ShotConfig {
        interval: std::time::Duration::from_secs(600),
        screens: Screens::All,
        blur: false,
        format: Format::Jpeg,
    };
    let mut capturer = X11Capturer::connect().expect("X11 capture");
    let mut get_image = X11Capturer::connect_to(None, false).expect("X11 capture");
    let (mut raw, mut cap, mut full, mut thumb, mut total, mut plain) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut size = (0, 0);
    let mut failures = 0;
    for _ in 0..RUNS {
        // Baseline: xcap alone.
        let (_, t) = timed(|| {
            xcap::Monitor::all()
                .ok()
                .and_then(|m| m.first().and_then(|m| m.capture_image().ok()))
        });
        raw.push(t);
        let (_, t) = timed(|| get_image.capture(cfg.screens));
        plain.push(t);
        // Ours, split into its steps.
        let (shots, t_cap) = timed(|| capturer.capture(cfg.screens));
        let Some(shot) = shots.ok().and_then(|s| s.into_iter().next()) else {
            failures += 1;
            continue;
        };
        size = shot.image.dimensions();
        let (_, t_thumb) = timed(|| {
            let mut out = std::io::Cursor::new(Vec::new());
            thumbnail(&shot.image)
                .expect("thumb")
                .write_to(&mut out, image::ImageFormat::Jpeg)
                .expect("thumb");
        });
        let (_, t_enc) = timed(|| encode(shot, &cfg).expect("encode"));
        cap.push(t_cap);
        thumb.push(t_thumb);
        full.push((t_enc - t_thumb).max(0.0));
        total.push(t_cap + t_enc);
    }
    json!({
        "screen": format!("{}x{}", size.0, size.1),
        "runs": RUNS,
        "failed_captures": failures,
        "pipeline": summary(&total),
        "capture": summary(&cap),
        "x11_shared_memory": capturer.uses_shared_memory(),
        "capture_get_image": summary(&plain),
        "full_encode_jpeg": summary(&full),
        "thumbnail_320": summary(&thumb),
        "xcap_raw_capture": summary(&raw),
        "ratio_p50_to_raw_capture": ((percentile(&total, 50.0) / percentile(&raw, 50.0)) * 100.0).round() / 100.0,
        "target_p95_ms_at_1080p": 60,
    })
}
