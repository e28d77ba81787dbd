//! How much one request may put in: untrusted input is measured before it
//! is stored, and too much is a 400 naming the field, never a truncation
//! nobody asked for or a number that wraps. (The description's limit is the
//! model's, [`stint_model::MAX_DESCRIPTION`]: the trackers check it too.)

use crate::error::{AppError, AppResult};

/// Most activities one request may report, inline in a time slot or in
/// the bulk endpoint.
pub const MAX_ACTIVITIES: usize = 5_000;

/// Largest sync `version` a client may send. Versions only ever grow by
/// one per change; 2^53 is also the largest integer a JavaScript client can
/// hold exactly, and leaves room for the server's own `+ 1` without
/// overflowing.
pub const MAX_VERSION: i64 = 1 << 53;

/// 400 when a client's `version` is negative or so large that the next
/// change would overflow.
pub fn check_version(version: i64) -> AppResult<()> {
    if !(0..=MAX_VERSION).contains(&version) {
        return Err(AppError::bad_request(format!(
            "version must be between 0 and {MAX_VERSION}, got {version}"
        )));
    }
    Ok(())
}

/// 400 when a request reports more than [`MAX_ACTIVITIES`] activities.
pub fn check_activities(count: usize) -> AppResult<()> {
    if count > MAX_ACTIVITIES {
        return Err(AppError::bad_request(format!(
            "activities may hold at most {MAX_ACTIVITIES} entries, got {count}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_leave_room_for_the_next_change() {
        assert!(check_version(0).is_ok());
        assert!(check_version(MAX_VERSION).is_ok());
        assert!(MAX_VERSION.checked_add(1).is_some());
        assert!(check_version(-1).is_err());
        assert!(check_version(i64::MAX).is_err());
    }

    #[test]
    fn activities_are_capped() {
        assert!(check_activities(MAX_ACTIVITIES).is_ok());
        assert!(check_activities(MAX_ACTIVITIES + 1).is_err());
    }
}
