//! The Ever Gauzy time-tracking dialect (`/api/...`).

pub mod auth;
pub mod dto;
pub mod export;
pub mod policy;
pub mod privacy;
pub mod projects;
pub mod report_shapes;
pub mod reports;
pub mod screenshots;
pub mod slots;
pub mod tasks;
pub mod time_log;
pub mod time_reports;
pub mod timer;
pub mod timesheet;

use axum::Router;

use crate::routes::{Endpoint, router};
use crate::state::AppState;

/// Largest multipart screenshot upload (full image, thumbnail and fields).
pub const UPLOAD_LIMIT: usize = 60 * 1024 * 1024;

/// Every Gauzy endpoint: the route table's rows and the router's routes.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::post("/api/auth/signin.email.password", auth::signin_workspaces),
        Endpoint::post("/api/auth/login", auth::login),
        Endpoint::post("/api/auth/refresh-token", auth::refresh),
        Endpoint::post("/api/auth/logout", auth::logout),
        Endpoint::get("/api/user/me", auth::me),
        Endpoint::get("/api/organization-projects", projects::list),
        Endpoint::post("/api/organization-projects", projects::create),
        Endpoint::put("/api/organization-projects/{id}", projects::update),
        // Archives: projects are never deleted.
        Endpoint::delete("/api/organization-projects/{id}", projects::archive),
        // The desktop timer's project picker.
        Endpoint::get(
            "/api/organization-projects/employee/{id}",
            projects::of_employee,
        ),
        Endpoint::get("/api/tasks", tasks::list),
        Endpoint::post("/api/tasks", tasks::create),
        Endpoint::put("/api/tasks/{id}", tasks::update),
        // The desktop timer's task picker.
        Endpoint::get("/api/tasks/employee/{id}", tasks::of_employee),
        Endpoint::get("/api/timesheet", timesheet::list),
        Endpoint::put("/api/timesheet/submit", timesheet::submit),
        Endpoint::put("/api/timesheet/approve", timesheet::approve),
        Endpoint::put("/api/timesheet/deny", timesheet::deny),
        Endpoint::get("/api/timesheet/{id}", timesheet::get),
        Endpoint::get("/api/timesheet/time-log", time_log::list),
        Endpoint::post("/api/timesheet/time-log", time_log::create),
        Endpoint::put("/api/timesheet/time-log", time_log::upsert),
        // The desktop timer's clean-up of invalid logs (`logIds[0]=..`).
        Endpoint::delete("/api/timesheet/time-log", time_log::delete_many),
        // The desktop timer lists its logs with a trailing slash.
        Endpoint::get("/api/timesheet/time-log/", time_log::list_slash),
        Endpoint::post("/api/timesheet/time-log/sync", time_log::sync),
        Endpoint::get(
            "/api/timesheet/time-log/report/daily-chart",
            reports::daily_chart,
        ),
        Endpoint::get("/api/timesheet/time-log/report/export", export::export),
        Endpoint::get("/api/timesheet/time-log/report/daily", time_reports::daily),
        Endpoint::get(
            "/api/timesheet/time-log/report/weekly",
            time_reports::weekly,
        ),
        Endpoint::get(
            "/api/timesheet/time-log/report/time-limit",
            time_reports::time_limit,
        ),
        // Where the Gauzy web app asks for the time-limit report.
        Endpoint::get(
            "/api/timesheet/time-log/time-limit",
            time_reports::time_limit_gauzy,
        ),
        Endpoint::get("/api/timesheet/time-log/{id}", time_log::get),
        Endpoint::put("/api/timesheet/time-log/{id}", time_log::update),
        Endpoint::delete("/api/timesheet/time-log/{id}", time_log::delete),
        Endpoint::post("/api/timesheet/timer/start", timer::start),
        Endpoint::post("/api/timesheet/timer/stop", timer::stop),
        Endpoint::post("/api/timesheet/timer/toggle", timer::toggle),
        Endpoint::get("/api/timesheet/timer/status", timer::status),
        Endpoint::get("/api/timesheet/time-slot", slots::list),
        Endpoint::post("/api/timesheet/time-slot", slots::create),
        Endpoint::delete("/api/timesheet/time-slot", slots::delete),
        Endpoint::get("/api/timesheet/time-slot/{id}", slots::get),
        Endpoint::get("/api/timesheet/activity", slots::activities),
        Endpoint::post("/api/timesheet/activity/bulk", slots::bulk),
        Endpoint::get("/api/timesheet/statistics/counts", reports::counts),
        Endpoint::get("/api/timesheet/screenshot", screenshots::list),
        Endpoint::post("/api/timesheet/screenshot", screenshots::upload).body_limit(UPLOAD_LIMIT),
        Endpoint::delete("/api/timesheet/screenshot/{id}", screenshots::delete),
        Endpoint::get("/api/timesheet/screenshot/{id}/{kind}", screenshots::image),
        Endpoint::get("/api/privacy/screenshot-views", privacy::screenshot_views),
        Endpoint::get("/api/privacy/policy", policy::policy),
        Endpoint::get("/api/privacy/export", privacy::export),
    ]
}

pub fn routes() -> Router<AppState> {
    router(endpoints())
}
