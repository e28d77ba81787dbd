//! The Ever Gauzy time-tracking dialect (`/api/...`).

pub mod auth;
pub mod dto;
pub mod reports;
pub mod screenshots;
pub mod slots;
pub mod time_log;
pub mod timer;
pub mod timesheet;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};

use crate::state::AppState;

/// Largest multipart screenshot upload (full image, thumbnail and fields).
pub const UPLOAD_LIMIT: usize = 60 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/auth/signin.email.password",
            post(auth::signin_workspaces),
        )
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/refresh-token", post(auth::refresh))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/user/me", get(auth::me))
        .route("/api/organization-projects", get(reports::projects))
        .route("/api/timesheet", get(timesheet::list))
        .route("/api/timesheet/submit", put(timesheet::submit))
        .route("/api/timesheet/approve", put(timesheet::approve))
        .route("/api/timesheet/deny", put(timesheet::deny))
        .route(
            "/api/timesheet/time-log",
            get(time_log::list)
                .post(time_log::create)
                .put(time_log::upsert),
        )
        // The desktop timer lists its logs with a trailing slash.
        .route("/api/timesheet/time-log/", get(time_log::list))
        .route("/api/timesheet/time-log/sync", post(time_log::sync))
        .route(
            "/api/timesheet/time-log/report/daily-chart",
            get(reports::daily_chart),
        )
        .route(
            "/api/timesheet/time-log/{id}",
            get(time_log::get)
                .put(time_log::update)
                .delete(time_log::delete),
        )
        .route("/api/timesheet/timer/start", post(timer::start))
        .route("/api/timesheet/timer/stop", post(timer::stop))
        .route("/api/timesheet/timer/toggle", post(timer::toggle))
        .route("/api/timesheet/timer/status", get(timer::status))
        .route(
            "/api/timesheet/time-slot",
            get(slots::list).post(slots::create).delete(slots::delete),
        )
        .route("/api/timesheet/time-slot/{id}", get(slots::get))
        .route("/api/timesheet/activity", get(slots::activities))
        .route("/api/timesheet/activity/bulk", post(slots::bulk))
        .route("/api/timesheet/statistics/counts", get(reports::counts))
        .route("/api/timesheet/screenshot", get(screenshots::list))
        .route(
            "/api/timesheet/screenshot",
            post(screenshots::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/api/timesheet/screenshot/{id}",
            delete(screenshots::delete),
        )
        .route(
            "/api/timesheet/screenshot/{id}/{kind}",
            get(screenshots::image),
        )
}
