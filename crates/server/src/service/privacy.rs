//! What an employee is told about access to their data: who opened their
//! screenshots (DESIGN.md, trust rules: every view by someone other than
//! the owner is recorded and shown to the owner; the record cannot be
//! edited or deleted).

use std::collections::HashMap;

use chrono::Utc;
use stint_model::{Instant, Screenshot, ScreenshotView, User};
use stint_store::Filter;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Records that `viewer` opened `shot` (its thumbnail when `thumb`), unless
/// it is their own. An image is never served without its record: when the
/// store cannot write it, the answer is 503 and the viewer sees nothing.
pub async fn record_view(
    state: &AppState,
    viewer: &Caller,
    shot: &Screenshot,
    thumb: bool,
) -> AppResult<()> {
    if viewer.id() == shot.employee_id {
        return Ok(());
    }
    let view = ScreenshotView {
        id: Uuid::now_v7(),
        org_id: shot.org_id,
        screenshot_id: shot.id,
        owner_id: shot.employee_id,
        viewer_id: viewer.id(),
        viewed_at: stint_model::to_millis_precision(Utc::now()),
        thumb,
    };
    state.store.record_screenshot_view(view).await.map_err(|e| {
        tracing::error!(error = %e, "could not record a screenshot view");
        AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "could not record who opened this screenshot; try again",
        )
    })
}

/// Views of screenshots the caller may be told about, inside `[from, to)`,
/// with the organization's people by id (to name viewers): an employee's
/// own screenshots; an admin's, the organization's (`employee_ids` narrows
/// it). Asking about someone else leaves them out, as every list does.
pub async fn views(
    state: &AppState,
    caller: &Caller,
    employee_ids: &[Uuid],
    from: Option<Instant>,
    to: Option<Instant>,
) -> AppResult<(Vec<ScreenshotView>, HashMap<Uuid, User>)> {
    let people: HashMap<Uuid, User> = state
        .store
        .list_users(caller.org.id)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let owners: Vec<Uuid> = if caller.is_admin() {
        if employee_ids.is_empty() {
            people.keys().copied().collect()
        } else {
            employee_ids
                .iter()
                .copied()
                .filter(|id| people.contains_key(id))
                .collect()
        }
    } else if employee_ids.is_empty() || employee_ids.contains(&caller.id()) {
        vec![caller.id()]
    } else {
        Vec::new()
    };
    if owners.is_empty() {
        return Ok((Vec::new(), people));
    }
    let filter = Filter {
        org_id: caller.org.id,
        employee_ids: Some(owners),
        project_ids: None,
        from,
        to,
    };
    Ok((state.store.list_screenshot_views(&filter).await?, people))
}
