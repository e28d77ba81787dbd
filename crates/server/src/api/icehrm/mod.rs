//! The IceHrm Timesheets dialect (`/timesheets/...`), exactly at the
//! documented paths, over the same service layer as the Gauzy dialect.

pub mod dto;
pub mod entries;
pub mod schema;
pub mod sheets;

use axum::Router;

use crate::routes::{Endpoint, router};
use crate::state::AppState;

/// Every IceHrm endpoint: the route table's rows and the router's routes.
pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint::get("/timesheets", sheets::mine),
        Endpoint::post("/timesheets/create-current", sheets::create_current),
        Endpoint::get("/timesheets/direct-reports", sheets::direct_reports),
        Endpoint::get("/timesheets/direct-reports/pending", sheets::pending),
        Endpoint::get("/timesheets/projects", sheets::projects),
        Endpoint::get("/timesheets/{id}", sheets::details),
        Endpoint::post("/timesheets/{id}/create-previous", sheets::create_previous),
        Endpoint::post("/timesheets/{id}/create-next", sheets::create_next),
        Endpoint::post("/timesheets/{id}/submit", sheets::submit),
        Endpoint::post("/timesheets/{id}/approve", sheets::approve),
        Endpoint::post("/timesheets/{id}/reject", sheets::reject),
        Endpoint::post("/timesheets/{id}/entries", entries::add),
        Endpoint::post("/timesheets/entries/{id}/update", entries::update),
        Endpoint::post("/timesheets/entries/{id}/delete", entries::delete),
    ]
}

pub fn routes() -> Router<AppState> {
    router(endpoints())
}
