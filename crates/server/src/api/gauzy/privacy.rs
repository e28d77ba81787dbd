//! `/api/privacy/screenshot-views`: who opened the caller's screenshots;
//! `/api/privacy/export`: all of the caller's own data as a zip. Not Gauzy
//! endpoints (Gauzy records no views); spelled like its lists.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::Page;
use super::slots::date_range;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::service::{my_data, privacy};
use crate::state::AppState;
use crate::wire::{Json, Query, iso};

/// One view of a screenshot by someone other than its owner.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotViewOut {
    pub id: Uuid,
    pub screenshot_id: Uuid,
    /// The screenshot's owner.
    pub employee_id: Uuid,
    pub viewer_id: Uuid,
    /// The viewer's name ("" for someone no longer in the organization).
    pub viewer_name: String,
    pub viewed_at: String,
    /// `file` (the full image) or `thumb`.
    pub kind: &'static str,
}

/// Views of the caller's own screenshots, newest last; an admin's: the
/// organization's, narrowed by `employeeId`. Nobody can change or delete
/// them through any endpoint.
#[utoipa::path(get, path = "/api/privacy/screenshot-views", tag = "privacy",
    params(("startDate" = Option<String>, Query), ("endDate" = Option<String>, Query), ("employeeId" = Option<String>, Query)),
    responses((status = 200, body = Page<ScreenshotViewOut>), (status = 400), (status = 401)))]
pub async fn screenshot_views(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<ScreenshotViewOut>>> {
    let (from, to) = date_range(&q, &caller)?;
    let employees = q.uuids(&["employeeId", "employeeIds"])?;
    let (views, people) = privacy::views(&st, &caller, &employees, from, to).await?;
    Ok(Json(Page::of(
        views
            .into_iter()
            .map(|v| ScreenshotViewOut {
                id: v.id,
                screenshot_id: v.screenshot_id,
                employee_id: v.owner_id,
                viewer_id: v.viewer_id,
                viewer_name: people
                    .get(&v.viewer_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default(),
                viewed_at: iso(v.viewed_at),
                kind: if v.thumb { "thumb" } else { "file" },
            })
            .collect(),
    )))
}

/// "My data": everything the server holds about the caller, whatever
/// their role (never anyone else's), as a zip: `README.txt` (what each
/// file is), `time-logs.csv` (the time report export's columns),
/// `time-logs.json`, `activity-slots.json`, `activities.json`,
/// `screenshots.json`, each screenshot's image and thumbnail as stored
/// (`screenshots/<local date>/<id>.jpg`, `<id>-thumb.jpg`) and
/// `screenshot-views.json` (who else opened them, when). Built before the
/// answer starts; one at a time per person. Downloading it is not a view
/// of anyone's screenshots and is not recorded as one.
#[utoipa::path(get, path = "/api/privacy/export", tag = "privacy",
    responses(
        (status = 200, description = "A zip (deflate), sent as an attachment named stint-my-data-YYYY-MM-DD.zip (the caller's local date)",
         content_type = "application/zip", body = Vec<u8>),
        (status = 401),
        (status = 409, description = "The caller's previous export is still being prepared"),
        (status = 503, description = "The store or the screenshot storage failed while it was prepared"),
    ))]
pub async fn export(State(st): State<AppState>, caller: Caller) -> AppResult<Response> {
    let out = my_data::export(&st, &caller).await?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(out.file),
    ));
    Ok((
        [
            (CONTENT_TYPE, "application/zip".to_string()),
            (CONTENT_LENGTH, out.len.to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", out.filename),
            ),
        ],
        body,
    )
        .into_response())
}
