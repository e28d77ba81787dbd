//! Helpers for the stories about Gauzy's time reports
//! (`/api/timesheet/time-log/report/...`).
//!
//! Declared from a test file next to `util` and `icehrm`:
//!
//! ```ignore
//! #[macro_use]
//! mod util;
//! #[path = "util/icehrm.rs"]
//! mod icehrm;
//! #[path = "util/reports.rs"]
//! mod reports;
//! ```
#![allow(dead_code)]

use serde_json::Value;

use crate::icehrm;
use crate::util::{Session, json};

pub const REPORT: &str = "/api/timesheet/time-log/report";

/// `GET {REPORT}/{path}?{query}`, which must answer 200.
pub async fn report(who: &Session, path: &str, query: &str) -> Value {
    let (status, body) = who.get(&format!("{REPORT}/{path}?{query}")).await;
    assert_eq!(status, 200, "{path}?{query}: {body}");
    body
}

/// Creates logs `(start, stop, logType, project)` (UTC instants).
pub async fn logs(who: &Session, list: &[(&str, &str, &str, Option<&str>)]) {
    for (a, b, kind, project) in list {
        icehrm::gauzy_log(
            who,
            a,
            b,
            json!({ "logType": kind, "projectId": project, "description": format!("{kind} {a}") }),
        )
        .await;
    }
}
