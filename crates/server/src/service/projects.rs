//! Projects made and changed from the clients: create, rename, archive.
//!
//! Managers and admins may; employees too when their organization lets its
//! members create projects (the embedded one-person organization does).
//! Projects are archived, never deleted: history and reports keep them,
//! pickers hide them, and they take no new time.
//!
//! The app creates a project offline with its own id and sends it when it
//! is back: the id is a client id (see [`client_ids`]), so the creator's
//! replay answers the project it made, and a colleague naming that id gets
//! a 409, not the project.

use chrono::Utc;
use stint_model::{Project, may_manage_projects, validate_name};
use stint_store::StoreError;
use uuid::Uuid;

use super::access;
use super::client_ids::{self, IdKind};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// 403 unless the caller may create and change projects and tasks.
pub fn check_may_manage(caller: &Caller) -> AppResult<()> {
    if may_manage_projects(caller.user.role, &caller.org) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only managers and admins may create or change projects and tasks in this \
             organization (an admin can let everyone: stint org set --members-create-projects true)",
        ))
    }
}

/// A new project: a client id (a replay answers the stored project) and a
/// name, and the people to assign it to.
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub id: Option<Uuid>,
    pub name: String,
    /// Assigned besides the creator (Gauzy's `memberIds`).
    pub member_ids: Vec<Uuid>,
}

/// Creates a project, or answers the caller's own earlier one with this id
/// (`false`). A name taken is 409.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: ProjectInput,
) -> AppResult<(Project, bool)> {
    check_may_manage(caller)?;
    let name = validate_name(&input.name, "name")?;
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    client_ids::claim(state, caller.org.id, IdKind::Project, caller.id(), &[id]).await?;
    match state.store.project(caller.org.id, id).await {
        // The owner's replay: the claim says the id is theirs.
        Ok(stored) => return Ok((stored, false)),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    // Every member is checked before anything is written.
    let mut members = input.member_ids;
    members.push(caller.id());
    let members = access::people_among(state, caller, members).await?;
    let project = state.store.create_project(id, caller.org.id, &name).await?;
    // The people it was made for can log time on it even where projects
    // are assigned one by one.
    for m in members {
        state.store.assign_project(project.id, m).await?;
    }
    Ok((project, true))
}

/// A project of the caller's organization (404 otherwise), to change.
async fn writable(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Project> {
    let project = state
        .store
        .project(caller.org.id, id)
        .await
        .map_err(AppError::naming("project"))?;
    check_may_manage(caller)?;
    Ok(project)
}

/// What a project update may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub name: Option<String>,
    /// Archive (`true`) or restore (`false`).
    pub archived: Option<bool>,
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    patch: ProjectPatch,
) -> AppResult<Project> {
    let mut project = writable(state, caller, id).await?;
    let name = patch.name.map(|n| validate_name(&n, "name")).transpose()?;
    if let Some(name) = name.filter(|n| *n != project.name) {
        project = state.store.rename_project(caller.org.id, id, &name).await?;
    }
    match patch.archived {
        Some(true) if !project.is_archived() => archive(state, caller, id).await,
        Some(false) if project.is_archived() => Ok(state
            .store
            .set_project_archived(caller.org.id, id, None)
            .await?),
        _ => Ok(project),
    }
}

/// Archives a project (an archived one stays as it is).
pub async fn archive(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Project> {
    let project = writable(state, caller, id).await?;
    if project.is_archived() {
        return Ok(project);
    }
    let now = stint_model::to_millis_precision(Utc::now());
    Ok(state
        .store
        .set_project_archived(caller.org.id, id, Some(now))
        .await?)
}
