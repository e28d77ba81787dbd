//! The agent's idempotent sync of time logs, keyed by client ids.
//!
//! New ids are created, a higher `version` replaces the stored log, anything
//! else changes nothing, so a replayed batch (lost response, restart) is
//! harmless. Each log gets its own outcome; one refused log never blocks the
//! others.

use std::collections::{HashMap, HashSet};

use stint_model::{SyncStatus, TimeLog};
use stint_store::{LogRun, RunLog, StoreError};
use uuid::Uuid;

use super::access;
use super::client_ids::{self, IdKind};
use super::logs::{
    LogInput, LogPatch, check_input, check_interval, create, locked, new_log, update,
};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Outcome of one log in a sync batch.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncOutcome {
    pub id: Uuid,
    /// `created`, `updated`, `unchanged` or `failed`.
    #[schema(value_type = String)]
    pub status: SyncStatus,
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
///
/// Logs are decided in the batch's order, as one request each would decide
/// them; runs of consecutive new logs of one employee (an agent catching up
/// sends hundreds) are checked and stored together in one store call
/// ([`create_run`]), everything else one by one.
pub async fn apply_batch(
    state: &AppState,
    caller: &Caller,
    inputs: Vec<LogInput>,
) -> Vec<SyncOutcome> {
    let inputs: Vec<LogInput> = inputs
        .into_iter()
        .map(|i| LogInput {
            id: Some(i.id.unwrap_or_else(Uuid::now_v7)),
            ..i
        })
        .collect();
    let ids: Vec<Uuid> = inputs.iter().filter_map(|i| i.id).collect();
    let stored: HashSet<Uuid> = match state.store.logs(caller.org.id, &ids).await {
        Ok(found) => found.into_iter().map(|l| l.id).collect(),
        Err(e) => {
            let e = AppError::from(e);
            return ids.iter().map(|id| failed(*id, e.clone())).collect();
        }
    };
    let mut out = Vec::with_capacity(inputs.len());
    let mut seen = HashSet::with_capacity(inputs.len());
    let mut run: Vec<LogInput> = Vec::new();
    for input in inputs {
        let id = input.id.unwrap_or_default();
        // A repeated id sees what its first occurrence did: one by one.
        let new = !stored.contains(&id) && seen.insert(id);
        if !run.is_empty() && (!new || run[0].employee_id != input.employee_id) {
            out.extend(create_run(state, caller, std::mem::take(&mut run)).await);
        }
        if new {
            run.push(input);
        } else {
            out.push(outcome(id, sync_one(state, caller, input).await));
        }
    }
    if !run.is_empty() {
        out.extend(create_run(state, caller, run).await);
    }
    out
}

/// New logs of one employee, decided as [`create`] would one after the
/// other, with a fixed number of store calls: the employee and each
/// project are looked up once, and the claims, the approved weeks, the
/// inserts and the weeks' timesheets are one
/// [`Store::sync_logs`](stint_store::Store::sync_logs) (one transaction).
async fn create_run(state: &AppState, caller: &Caller, run: Vec<LogInput>) -> Vec<SyncOutcome> {
    let ids: Vec<Uuid> = run.iter().map(|i| i.id.unwrap_or_default()).collect();
    let employee = match access::employee_to_write(state, caller, run[0].employee_id).await {
        Ok(e) => e,
        Err(e) => return ids.iter().map(|id| failed(*id, e.clone())).collect(),
    };
    let mut decided: Vec<Option<AppResult<(SyncStatus, TimeLog)>>> = Vec::new();
    let mut checked = Vec::with_capacity(run.len());
    // What each distinct (project, task) pair decided: one look per pair.
    let mut targets: HashMap<(Option<Uuid>, Option<Uuid>), AppResult<()>> = HashMap::new();
    for input in run {
        let target = (input.project_id, input.task_id);
        let usable = match targets.get(&target) {
            Some(known) => known.clone(),
            None => {
                let found = access::log_target(state, caller, &employee, target.0, target.1).await;
                targets.insert(target, found.clone());
                found
            }
        };
        let valid = usable
            .and_then(|()| check_input(&input))
            .and_then(|()| check_interval(input.started_at, input.stopped_at));
        match valid {
            Ok(()) => {
                checked.push((decided.len(), input));
                decided.push(None);
            }
            Err(e) => decided.push(Some(Err(e))),
        }
    }
    let run = LogRun {
        claim: ids.clone(),
        logs: Vec::with_capacity(checked.len()),
        employee,
    };
    let taken = match store_checked(state, caller, run, checked, &mut decided).await {
        Ok(taken) => taken,
        Err(e) => {
            for d in decided.iter_mut().filter(|d| d.is_none()) {
                *d = Some(Err(e.clone()));
            }
            HashSet::new()
        }
    };
    ids.into_iter()
        .zip(decided)
        .map(|(id, d)| match d {
            // Someone else's id is 409 whatever else is wrong with the log.
            _ if taken.contains(&id) => failed(id, client_ids::taken(IdKind::Log, id)),
            d => outcome(
                id,
                d.unwrap_or_else(|| Err(AppError::conflict("not decided"))),
            ),
        })
        .collect()
}

/// Sends the `checked` logs to the store as one run (which claims every id
/// of `run.claim`) and fills `decided` at each log's position; answers the
/// ids that are someone else's.
async fn store_checked(
    state: &AppState,
    caller: &Caller,
    mut run: LogRun,
    checked: Vec<(usize, LogInput)>,
    decided: &mut [Option<AppResult<(SyncStatus, TimeLog)>>],
) -> AppResult<HashSet<Uuid>> {
    let mut positions = Vec::with_capacity(checked.len());
    for (at, input) in checked {
        // A running log from an agent is a timer start: like `timer/start`,
        // it stops the one running on another device.
        let stop_running = input
            .stopped_at
            .is_none()
            .then(|| super::timer::stop_reason(input.started_at));
        let log = new_log(caller, &run.employee, input);
        positions.push((at, log.id));
        run.logs.push((log, stop_running));
    }
    let done = state.store.sync_logs(run).await?;
    for ((at, id), result) in positions.into_iter().zip(done.logs) {
        decided[at] = Some(match result {
            RunLog::Stored { log, created: true } => Ok((SyncStatus::Created, log)),
            RunLog::Stored { log, .. } => Ok((SyncStatus::Unchanged, log)),
            RunLog::Taken => Err(client_ids::taken(IdKind::Log, id)),
            RunLog::Locked {
                start_date,
                end_date,
            } => Err(locked(start_date, end_date)),
            RunLog::Refused(e) => Err(e.into()),
        });
    }
    Ok(done.taken.into_iter().collect())
}

fn outcome(id: Uuid, result: AppResult<(SyncStatus, TimeLog)>) -> SyncOutcome {
    match result {
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
        Err(e) => failed(id, e),
    }
}

/// The outcome of a log refused with `e`.
pub fn failed(id: Uuid, e: AppError) -> SyncOutcome {
    SyncOutcome {
        id,
        status: SyncStatus::Failed,
        status_code: Some(e.status.as_u16()),
        message: Some(e.message),
        stopped_at: None,
        stopped_reason: None,
    }
}

async fn sync_one(
    state: &AppState,
    caller: &Caller,
    input: LogInput,
) -> AppResult<(SyncStatus, TimeLog)> {
    let id = input.id.unwrap_or_default();
    check_input(&input)?;
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
            let status = if created {
                SyncStatus::Created
            } else {
                SyncStatus::Unchanged
            };
            Ok((status, log))
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
            Ok((SyncStatus::Updated, log))
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
            Ok((SyncStatus::Unchanged, s))
        }
    }
}
