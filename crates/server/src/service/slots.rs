//! Ten-minute activity slots and the application usage inside them.

use std::collections::HashMap;

use chrono::Duration;
use stint_model::{Activity, Instant, Screenshot, SlotPart, TimeLog, TimeSlot, User, slot_start};
use stint_store::Filter;
use uuid::Uuid;

use super::client_ids::{self, IdKind};
use super::{access, limits, logs};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub id: Option<Uuid>,
    pub title: String,
    /// APP or URL.
    pub kind: String,
    pub recorded_at: Instant,
    pub duration: i64,
    pub project_id: Option<Uuid>,
    pub time_slot_id: Option<Uuid>,
    pub employee_id: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct SlotInput {
    /// Client id of this report: a replay changes nothing.
    pub id: Option<Uuid>,
    pub employee_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    /// Any instant inside the slot; it is merged into the slot it falls in.
    pub started_at: Instant,
    pub duration: i64,
    pub keyboard: i64,
    pub mouse: i64,
    pub overall: i64,
    pub time_log_ids: Vec<Uuid>,
    pub activities: Vec<ActivityInput>,
}

/// Merges a client's report into its ten-minute slot, with its activities.
pub async fn add(state: &AppState, caller: &Caller, input: SlotInput) -> AppResult<TimeSlot> {
    let employee = access::employee_to_write(state, caller, input.employee_id).await?;
    let part_id = input.id.unwrap_or_else(Uuid::now_v7);
    let part = SlotPart {
        id: part_id,
        duration: input.duration,
        keyboard: input.keyboard,
        mouse: input.mouse,
        overall: input.overall,
    };
    part.validate()?;
    logs::check_instant("startedAt", input.started_at)?;
    // Nothing is written unless the whole report is acceptable.
    limits::check_activities(input.activities.len())?;
    for a in &input.activities {
        checked_kind(a)?;
    }
    let projects = input.activities.iter().filter_map(|a| a.project_id);
    let projects = projects.chain(input.project_id);
    access::usable_projects_among(state, caller, &employee, projects).await?;
    for id in &input.time_log_ids {
        let log = state
            .store
            .log(caller.org.id, *id)
            .await
            .map_err(AppError::naming("time log"))?;
        if log.employee_id != employee.id {
            return Err(AppError::bad_request(format!(
                "time log {id} belongs to another employee"
            )));
        }
    }
    client_ids::claim(state, caller.org.id, IdKind::Slot, employee.id, &[part_id]).await?;
    let slot = state
        .store
        .add_slot_part(
            part_id,
            caller.org.id,
            employee.id,
            input.project_id,
            slot_start(input.started_at),
            part,
            input.time_log_ids,
        )
        .await?;
    // Activities without a client id get one derived from the report's, so
    // a replayed report stores none of them twice.
    let activities: Vec<ActivityInput> = input
        .activities
        .into_iter()
        .enumerate()
        .map(|(i, a)| ActivityInput {
            id: a.id.or_else(|| Some(derived_id(part_id, i))),
            time_slot_id: Some(slot.id),
            employee_id: Some(employee.id),
            ..a
        })
        .collect();
    add_activities(state, caller, activities).await?;
    Ok(slot)
}

/// Checks an activity's title, duration, date and type; the type
/// normalised.
fn checked_kind(a: &ActivityInput) -> AppResult<String> {
    logs::check_instant("recordedAt", a.recorded_at)?;
    if a.title.trim().is_empty() {
        return Err(AppError::bad_request("activity title must not be empty"));
    }
    if !(0..=86_400).contains(&a.duration) {
        return Err(AppError::bad_request(format!(
            "activity duration must be 0..=86400 seconds, got {}",
            a.duration
        )));
    }
    let kind = a.kind.to_ascii_uppercase();
    if kind != "APP" && kind != "URL" {
        return Err(AppError::bad_request(format!(
            "activity type must be APP or URL, got '{}'",
            a.kind
        )));
    }
    Ok(kind)
}

/// The id of the `index`-th activity of a report: the same for every replay.
fn derived_id(report: Uuid, index: usize) -> Uuid {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(report.as_bytes());
    h.update((index as u64).to_le_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&h.finalize()[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Stores activities, all or nothing; the owner's ids seen before are
/// skipped, another employee's are 409.
pub async fn add_activities(
    state: &AppState,
    caller: &Caller,
    inputs: Vec<ActivityInput>,
) -> AppResult<Vec<Activity>> {
    limits::check_activities(inputs.len())?;
    let mut out = Vec::with_capacity(inputs.len());
    let mut employees: HashMap<Option<Uuid>, User> = HashMap::new();
    for a in inputs {
        let employee = match employees.get(&a.employee_id) {
            Some(e) => e.clone(),
            None => {
                let e = access::employee_to_write(state, caller, a.employee_id).await?;
                employees.insert(a.employee_id, e.clone());
                e
            }
        };
        let kind = checked_kind(&a)?;
        out.push(Activity {
            id: a.id.unwrap_or_else(Uuid::now_v7),
            org_id: caller.org.id,
            employee_id: employee.id,
            time_slot_id: a.time_slot_id,
            project_id: a.project_id,
            title: a.title.chars().take(1000).collect(),
            kind,
            recorded_at: a.recorded_at,
            duration: a.duration,
        });
    }
    // One employee may be named by id and by default (no id) alike.
    let owners: HashMap<Uuid, &User> = employees.values().map(|e| (e.id, e)).collect();
    for employee in owners.into_values() {
        let theirs = || out.iter().filter(|a| a.employee_id == employee.id);
        let projects = theirs().filter_map(|a| a.project_id);
        access::usable_projects_among(state, caller, employee, projects).await?;
        let ids: Vec<Uuid> = theirs().map(|a| a.id).collect();
        client_ids::claim(state, caller.org.id, IdKind::Activity, employee.id, &ids).await?;
    }
    state.store.insert_activities(&out).await?;
    Ok(out)
}

/// A slot the caller may see.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<(TimeSlot, User)> {
    let slot = state
        .store
        .slot(caller.org.id, id)
        .await
        .map_err(AppError::naming("time slot"))?;
    let employee = state.store.user(caller.org.id, slot.employee_id).await?;
    if !access::may_see(caller, &employee) {
        return Err(AppError::forbidden(
            "this time slot belongs to another employee",
        ));
    }
    Ok((slot, employee))
}

/// Deletes slots and cuts their ten minutes out of the employee's stopped
/// logs (a log inside the slot goes, one across its edge is shortened, one
/// across the whole slot is split in two), as Gauzy does.
pub async fn delete(state: &AppState, caller: &Caller, ids: &[Uuid]) -> AppResult<Vec<TimeSlot>> {
    let mut owned = Vec::with_capacity(ids.len());
    for id in ids {
        let (slot, employee) = get(state, caller, *id).await?;
        if !access::may_edit(caller, &employee) {
            return Err(AppError::forbidden(
                "only the employee or an admin may delete their time",
            ));
        }
        let end = slot.started_at + Duration::seconds(stint_model::slot::SLOT_SECONDS);
        logs::ensure_unlocked(state, &employee, slot.started_at, Some(end)).await?;
        owned.push(slot);
    }
    let deleted = state
        .store
        .delete_slots(
            caller.org.id,
            &owned.iter().map(|s| s.id).collect::<Vec<_>>(),
        )
        .await?;
    for slot in &deleted {
        cut_logs(state, slot).await?;
        delete_screenshots(state, slot).await?;
    }
    Ok(deleted)
}

/// How far from its slot a screenshot that names the slot may have been
/// taken (the desktop timer reports a slot for the interval's start and may
/// capture minutes later).
pub const ATTACHED_WINDOW_HOURS: i64 = 24;

/// The slot's screenshots: those that name it, and those that name no slot
/// but were taken inside its ten minutes.
pub async fn screenshots_of(state: &AppState, slot: &TimeSlot) -> AppResult<Vec<Screenshot>> {
    let end = slot.started_at + Duration::seconds(stint_model::slot::SLOT_SECONDS);
    let margin = Duration::hours(ATTACHED_WINDOW_HOURS);
    let filter = Filter {
        org_id: slot.org_id,
        employee_ids: Some(vec![slot.employee_id]),
        project_ids: None,
        from: Some(slot.started_at - margin),
        to: Some(end + margin),
    };
    let shots = state.store.list_screenshots(&filter).await?;
    Ok(shots
        .into_iter()
        .filter(|s| match s.time_slot_id {
            Some(id) => id == slot.id,
            None => s.recorded_at >= slot.started_at && s.recorded_at < end,
        })
        .collect())
}

/// A deleted slot takes its screenshots with it (rows and images).
async fn delete_screenshots(state: &AppState, slot: &TimeSlot) -> AppResult<()> {
    for shot in screenshots_of(state, slot).await? {
        super::screenshots::remove(state, &shot).await?;
    }
    Ok(())
}

async fn cut_logs(state: &AppState, slot: &TimeSlot) -> AppResult<()> {
    let (a, b) = (
        slot.started_at,
        slot.started_at + Duration::seconds(stint_model::slot::SLOT_SECONDS),
    );
    let filter = Filter {
        org_id: slot.org_id,
        employee_ids: Some(vec![slot.employee_id]),
        project_ids: None,
        from: Some(a),
        to: Some(b),
    };
    for log in state.store.list_logs(&filter).await? {
        let Some(stop) = log.stopped_at else { continue };
        let bump = |mut l: TimeLog| {
            l.version += 1;
            l.updated_at = chrono::Utc::now();
            l
        };
        match (log.started_at < a, stop > b) {
            (false, false) => state.store.delete_log(log.org_id, log.id).await?,
            (true, false) => {
                state
                    .store
                    .update_log(bump(TimeLog {
                        stopped_at: Some(a),
                        ..log
                    }))
                    .await?;
            }
            (false, true) => {
                state
                    .store
                    .update_log(bump(TimeLog {
                        started_at: b,
                        ..log
                    }))
                    .await?;
            }
            (true, true) => {
                let tail = TimeLog {
                    id: Uuid::now_v7(),
                    started_at: b,
                    ..log.clone()
                };
                // A fresh id, claimed like every other log's.
                let (org, owner) = (log.org_id, log.employee_id);
                client_ids::claim(state, org, IdKind::Log, owner, &[tail.id]).await?;
                state
                    .store
                    .update_log(bump(TimeLog {
                        stopped_at: Some(a),
                        ..log
                    }))
                    .await?;
                state.store.insert_log(tail, None).await?;
            }
        }
    }
    Ok(())
}
