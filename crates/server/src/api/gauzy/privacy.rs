//! `/api/privacy/screenshot-views`: who opened the caller's screenshots.
//! Not a Gauzy endpoint (Gauzy records no views); spelled like its lists.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::Page;
use super::slots::date_range;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::service::privacy;
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
