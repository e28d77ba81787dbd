//! The agent's idempotent sync of time logs, keyed by client ids.
//!
//! New ids are created, a higher `version` replaces the stored log, anything
//! else changes nothing, so a replayed batch (lost response, restart) is
//! harmless. Each log gets its own outcome; one refused log never blocks the
//! others.

use std::collections::{BTreeSet, HashMap, HashSet};

use stint_model::{SyncStatus, TimeLog, User, Week};
use stint_store::StoreError;
use uuid::Uuid;

use super::access;
use super::client_ids::{self, IdKind};
use super::logs::{
    LogInput, LogPatch, approved_sheets, check_input, check_interval, create, new_log,
    refuse_locked, update, weeks_of,
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
/// other, with a fixed number of store calls: the employee, each project
/// and the approved weeks are looked up once, the logs go to the store in
/// one [`Store::insert_logs`](stint_store::Store::insert_logs), and each
/// week gets its timesheet once.
async fn create_run(state: &AppState, caller: &Caller, run: Vec<LogInput>) -> Vec<SyncOutcome> {
    let ids: Vec<Uuid> = run.iter().map(|i| i.id.unwrap_or_default()).collect();
    let employee = match access::employee_to_write(state, caller, run[0].employee_id).await {
        Ok(e) => e,
        Err(e) => return ids.iter().map(|id| failed(*id, e.clone())).collect(),
    };
    let taken =
        match client_ids::claim_each(state, caller.org.id, IdKind::Log, employee.id, &ids).await {
            Ok(taken) => taken,
            Err(e) => return ids.iter().map(|id| failed(*id, e.clone())).collect(),
        };
    let mut decided: Vec<Option<AppResult<(SyncStatus, TimeLog)>>> = Vec::new();
    let mut checked = Vec::with_capacity(run.len());
    // What each distinct (project, task) pair decided: one look per pair.
    let mut targets: HashMap<(Option<Uuid>, Option<Uuid>), AppResult<()>> = HashMap::new();
    for input in run {
        let id = input.id.unwrap_or_default();
        if taken.contains(&id) {
            decided.push(Some(Err(client_ids::taken(IdKind::Log, id))));
            continue;
        }
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
                let weeks = weeks_of(&employee, input.started_at, input.stopped_at);
                checked.push((decided.len(), input, weeks));
                decided.push(None);
            }
            Err(e) => decided.push(Some(Err(e))),
        }
    }
    if let Err(e) = store_checked(state, caller, &employee, checked, &mut decided).await {
        for d in decided.iter_mut().filter(|d| d.is_none()) {
            *d = Some(Err(e.clone()));
        }
    }
    ids.into_iter()
        .zip(decided)
        .map(|(id, d)| {
            outcome(
                id,
                d.unwrap_or_else(|| Err(AppError::conflict("not decided"))),
            )
        })
        .collect()
}

/// Refuses the logs touching approved weeks, stores the others and makes
/// their weeks' timesheets; fills `decided` at each log's position.
async fn store_checked(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    checked: Vec<(usize, LogInput, Vec<Week>)>,
    decided: &mut [Option<AppResult<(SyncStatus, TimeLog)>>],
) -> AppResult<()> {
    if checked.is_empty() {
        return Ok(());
    }
    // One look at the approved weeks from the run's first week to its last.
    let first = checked.iter().filter_map(|c| c.2.first()).min();
    let last = checked.iter().filter_map(|c| c.2.last()).max();
    let span: Vec<Week> = first.into_iter().chain(last).copied().collect();
    let approved = approved_sheets(state, employee, &span).await?;
    let mut batch = Vec::with_capacity(checked.len());
    let mut positions = Vec::with_capacity(checked.len());
    for (at, input, weeks) in checked {
        if let Err(e) = refuse_locked(&approved, &weeks) {
            decided[at] = Some(Err(e));
            continue;
        }
        // A running log from an agent is a timer start: like `timer/start`,
        // it stops the one running on another device.
        let stop_running = input
            .stopped_at
            .is_none()
            .then(|| super::timer::stop_reason(input.started_at));
        batch.push((new_log(caller, employee, input), stop_running));
        positions.push(at);
    }
    let stored = state.store.insert_logs(batch).await?;
    let mut weeks = BTreeSet::new();
    for (at, result) in positions.into_iter().zip(stored) {
        decided[at] = Some(match result {
            Ok((log, true)) => {
                weeks.extend(weeks_of(employee, log.started_at, log.stopped_at));
                Ok((SyncStatus::Created, log))
            }
            Ok((log, false)) => Ok((SyncStatus::Unchanged, log)),
            Err(e) => Err(e.into()),
        });
    }
    for week in weeks {
        super::timesheets::ensure_week(state, employee, week).await?;
    }
    Ok(())
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
