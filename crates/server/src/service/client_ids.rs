//! A client id belongs to the employee who first used it, forever — also
//! after the object it named is deleted (DESIGN.md, trust rules).
//!
//! Agents choose their own ids so that a replay (lost answer, restart) is
//! harmless: the store answers a known id with the stored object. Without
//! an owner check that answer is a key to someone else's data: a colleague
//! who learns an id (a deleted log, a slot, a screenshot) would get the
//! object back, signed image links included. So every write that names a
//! client id claims it for the employee it writes for first, here, and a
//! write naming an id someone else holds is 409 with nothing of theirs and
//! nothing changed. The owner's own replay stays idempotent.

use std::collections::HashSet;

pub use stint_store::IdKind;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The answer to a write naming someone else's id: it says nothing of the
/// stored object, not even whether it still exists.
pub fn taken(kind: IdKind, id: Uuid) -> AppError {
    AppError::conflict(format!(
        "that id is already used: {} {id} belongs to another employee; choose a new id",
        noun(kind)
    ))
}

fn noun(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Log => "time log",
        IdKind::Slot => "time slot",
        IdKind::Activity => "activity",
        IdKind::Screenshot => "screenshot",
        IdKind::Project => "project",
        IdKind::Task => "task",
    }
}

/// Claims `ids` for `owner`; 409 naming the first one that is someone
/// else's.
pub async fn claim(
    state: &AppState,
    org_id: Uuid,
    kind: IdKind,
    owner: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    match claim_each(state, org_id, kind, owner, ids)
        .await?
        .iter()
        .next()
    {
        Some(id) => Err(taken(kind, *id)),
        None => Ok(()),
    }
}

/// For batches whose items are decided one by one: claims `ids` for
/// `owner` and answers those that are someone else's.
pub async fn claim_each(
    state: &AppState,
    org_id: Uuid,
    kind: IdKind,
    owner: Uuid,
    ids: &[Uuid],
) -> AppResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let foreign = state.store.claim_ids(org_id, kind, owner, ids).await?;
    Ok(foreign.into_iter().collect())
}
