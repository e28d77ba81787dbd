//! The IceHrm Timesheets dialect (`/timesheets/...`), exactly at the
//! documented paths, over the same service layer as the Gauzy dialect.

pub mod dto;
pub mod entries;
pub mod sheets;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/timesheets", get(sheets::mine))
        .route("/timesheets/create-current", post(sheets::create_current))
        .route("/timesheets/direct-reports", get(sheets::direct_reports))
        .route("/timesheets/direct-reports/pending", get(sheets::pending))
        .route("/timesheets/projects", get(sheets::projects))
        .route("/timesheets/{id}", get(sheets::details))
        .route(
            "/timesheets/{id}/create-previous",
            post(sheets::create_previous),
        )
        .route("/timesheets/{id}/create-next", post(sheets::create_next))
        .route("/timesheets/{id}/submit", post(sheets::submit))
        .route("/timesheets/{id}/approve", post(sheets::approve))
        .route("/timesheets/{id}/reject", post(sheets::reject))
        .route("/timesheets/{id}/entries", post(entries::add))
        .route("/timesheets/entries/{id}/update", post(entries::update))
        .route("/timesheets/entries/{id}/delete", post(entries::delete))
}
