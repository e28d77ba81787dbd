//! The agent's idempotent sync of time logs, keyed by client ids.
//!
//! New ids are created, a higher `version` replaces the stored log, anything
//! else changes nothing, so a replayed batch (lost response, restart) is
//! harmless. Each log gets its own outcome; one refused log never blocks the
//! others.

use stint_model::TimeLog;
use stint_store::StoreError;
use uuid::Uuid;

use super::access;
use super::logs::{LogInput, LogPatch, create, update};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Outcome of one log in a sync batch.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub id: Uuid,
    /// `created`, `updated`, `unchanged` or `failed`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Set when the server stopped this log because a timer was started
    /// elsewhere; the agent then stops locally and tells the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
}

/// Upserts logs keyed by client id: new ids are created, a higher `version`
/// replaces the stored log, anything else changes nothing. One failing log
/// never stops the others. Replaying a batch creates nothing.
pub async fn apply_batch(
    state: &AppState,
    caller: &Caller,
    inputs: Vec<LogInput>,
) -> Vec<SyncOutcome> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let id = input.id.unwrap_or_else(Uuid::now_v7);
        let result = sync_one(
            state,
            caller,
            LogInput {
                id: Some(id),
                ..input
            },
        )
        .await;
        out.push(match result {
            Ok((status, log)) => SyncOutcome {
                id,
                status,
                status_code: None,
                message: None,
                stopped_at: log
                    .stopped_reason
                    .as_ref()
                    .and(log.stopped_at)
                    .map(crate::wire::iso),
                stopped_reason: log.stopped_reason,
            },
            Err(e) => SyncOutcome {
                id,
                status: "failed",
                status_code: Some(e.status.as_u16()),
                message: Some(e.message),
                stopped_at: None,
                stopped_reason: None,
            },
        });
    }
    out
}

async fn sync_one(
    state: &AppState,
    caller: &Caller,
    input: LogInput,
) -> AppResult<(&'static str, TimeLog)> {
    let id = input.id.unwrap_or_default();
    let stored = match state.store.log(caller.org.id, id).await {
        Ok(l) => Some(l),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    match stored {
        None => {
            // A running log from an agent is a timer start: like
            // `timer/start`, it stops the one running on another device.
            let stop_running = input
                .stopped_at
                .is_none()
                .then(|| super::timer::stop_reason(input.started_at));
            let (log, created) = create(state, caller, input, stop_running).await?;
            Ok((if created { "created" } else { "unchanged" }, log))
        }
        Some(s) if input.version > s.version => {
            // The server may have stopped this log (timer started elsewhere);
            // a client that still thinks it runs must not restart it.
            let stopped_at = match (s.stopped_reason.is_some(), s.stopped_at) {
                (true, Some(at)) => Some(Some(input.stopped_at.map_or(at, |c| c.min(at)))),
                _ => Some(input.stopped_at),
            };
            let patch = LogPatch {
                project_id: Some(input.project_id),
                task_id: Some(input.task_id),
                started_at: Some(input.started_at),
                stopped_at,
                log_type: Some(input.log_type),
                source: Some(input.source),
                description: Some(input.description),
                is_billable: Some(input.is_billable),
            };
            let mut log = update(state, caller, id, patch).await?;
            if log.version != input.version {
                log.version = input.version;
                log = state.store.update_log(log).await?;
            }
            Ok(("updated", log))
        }
        Some(s) => {
            if s.employee_id != caller.id()
                && !access::may_see(
                    caller,
                    &state.store.user(caller.org.id, s.employee_id).await?,
                )
            {
                // As for any colleague's log (and as a newer version of
                // it is answered): 403, whatever the version.
                return Err(AppError::forbidden(
                    "this time log belongs to another employee",
                ));
            }
            Ok(("unchanged", s))
        }
    }
}
