//! macOS: idle time from `CGEventSourceSecondsSinceLastEventType` for any
//! input event in the combined session state. Compiled and tested only on
//! macOS runners.

use std::time::Duration;

/// `kCGEventSourceStateCombinedSessionState`.
const COMBINED_SESSION_STATE: i32 = 0;
/// `kCGAnyInputEventType` (`~0`).
const ANY_INPUT_EVENT: u32 = u32::MAX;

#[link(name = "CoreGraphics", kind = "framework")]
#[allow(unsafe_code)]
unsafe extern "C" {
    fn CGEventSourceSecondsSinceLastEventType(state: i32, event_type: u32) -> f64;
}

pub struct MacIdle;

impl super::IdleSource for MacIdle {
    #[allow(unsafe_code)] // one CoreGraphics call taking two integers
    fn idle_time(&mut self) -> Result<Duration, String> {
        // SAFETY: plain values in, a double out; no pointers.
        let secs = unsafe {
            CGEventSourceSecondsSinceLastEventType(COMBINED_SESSION_STATE, ANY_INPUT_EVENT)
        };
        if secs.is_finite() && secs >= 0.0 {
            Ok(Duration::from_secs_f64(secs))
        } else {
            Err(format!("CoreGraphics returned {secs}"))
        }
    }

    fn name(&self) -> &'static str {
        "macos-cgeventsource"
    }
}
