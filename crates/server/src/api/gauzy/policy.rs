//! `/api/privacy/policy`: what the caller's organization asks every
//! tracker to respect: its never-capture list, which the agent adds to the
//! person's own, and what deleting a screenshot does to its time. Not a Gauzy endpoint; spelled like its
//! settings objects.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::AppResult;
use crate::state::AppState;
use crate::wire::Json;

/// The organization's privacy policy, as trackers read it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyOut {
    /// Applications and window titles never captured, comma-separated
    /// (`keepassxc`, `title:bank`, `blur:slack`); "" for none.
    pub never_capture: String,
    /// What deleting a screenshot before upload does to its time:
    /// `with-time` or `keep-time`.
    pub screenshot_deletion: &'static str,
}

/// Any signed-in person may read their own organization's policy (their
/// tracker needs it); it names no one.
#[utoipa::path(get, path = "/api/privacy/policy", tag = "privacy",
    responses((status = 200, body = PolicyOut), (status = 401)))]
pub async fn policy(State(_st): State<AppState>, caller: Caller) -> AppResult<Json<PolicyOut>> {
    Ok(Json(PolicyOut {
        never_capture: caller.org.never_capture.clone(),
        screenshot_deletion: caller.org.screenshot_deletion.as_str(),
    }))
}
