//! Windows: idle time from `GetLastInputInfo` (tick of the last input)
//! against `GetTickCount`. Compiled and tested only on Windows runners.

use std::time::Duration;

use windows_sys::Win32::System::SystemInformation::GetTickCount;
use windows_sys::Win32::UI::Input::KeyboardAndMouse::{GetLastInputInfo, LASTINPUTINFO};

pub struct WindowsIdle;

impl super::IdleSource for WindowsIdle {
    #[allow(unsafe_code)] // two Win32 calls with a correctly sized out-struct
    fn idle_time(&mut self) -> Result<Duration, String> {
        let mut info = LASTINPUTINFO {
            cbSize: std::mem::size_of::<LASTINPUTINFO>() as u32,
            dwTime: 0,
        };
        // SAFETY: `info` is a valid, writable LASTINPUTINFO with cbSize set.
        let ok = unsafe { GetLastInputInfo(&mut info) };
        if ok == 0 {
            return Err("GetLastInputInfo failed".into());
        }
        // SAFETY: no arguments; returns milliseconds since boot (wraps at 49.7 days,
        // hence the wrapping subtraction).
        let now = unsafe { GetTickCount() };
        Ok(Duration::from_millis(now.wrapping_sub(info.dwTime) as u64))
    }

    fn name(&self) -> &'static str {
        "windows-getlastinputinfo"
    }
}
