//! Tasks: made, changed and listed for the pickers.
//!
//! The same people who may manage projects may create and edit tasks
//! ([`projects::check_may_manage`]). A task lives in one project of the
//! caller's organization, which must not be archived when the task is made
//! or moved there. Task ids are client ids, exactly like projects': the
//! creator's replay answers the stored task, a colleague's is 409.

use chrono::Utc;
use stint_model::{Project, Task, TaskStatus, User, validate_estimate, validate_name};
use stint_store::{StoreError, TaskFilter};
use uuid::Uuid;

use super::access;
use super::client_ids::{self, IdKind};
use super::projects::check_may_manage;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A task's fields as a client sends them; `None` leaves a field as it is
/// (on create: its default).
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    /// Client id on create; a replay answers the stored task.
    pub id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub title: Option<String>,
    pub status: Option<TaskStatus>,
    /// `Some(None)` clears the estimate.
    pub estimate: Option<Option<i64>>,
    pub assignee_ids: Option<Vec<Uuid>>,
}

/// Creates a task, or answers the caller's own earlier one with this id
/// (`false`).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    input: TaskInput,
) -> AppResult<(Task, bool)> {
    // Another organization's project is 404 whoever asks, as everywhere.
    let project = match input.project_id {
        Some(p) => Some(project(state, caller, p).await?),
        None => None,
    };
    check_may_manage(caller)?;
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    client_ids::claim(state, caller.org.id, IdKind::Task, caller.id(), &[id]).await?;
    match state.store.task(caller.org.id, id).await {
        Ok(stored) => return Ok((stored, false)),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let project = project.ok_or_else(|| {
        AppError::bad_request("projectId is required: a task belongs to a project")
    })?;
    let title = input
        .title
        .ok_or_else(|| AppError::bad_request("title is required"))?;
    let now = stint_model::to_millis_precision(Utc::now());
    let task = Task {
        id,
        seq: 0,
        org_id: caller.org.id,
        project_id: open(project)?.id,
        title: validate_name(&title, "title")?,
        status: input.status.unwrap_or(TaskStatus::Open),
        estimate: input
            .estimate
            .flatten()
            .map(validate_estimate)
            .transpose()?,
        assignee_ids: access::people_among(state, caller, input.assignee_ids.unwrap_or_default())
            .await?,
        created_at: now,
        updated_at: now,
    };
    Ok((state.store.create_task(task).await?, true))
}

/// Changes a task of the caller's organization (404 otherwise).
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    patch: TaskInput,
) -> AppResult<Task> {
    let mut task = get(state, caller, id).await?;
    check_may_manage(caller)?;
    if let Some(p) = patch.project_id.filter(|p| *p != task.project_id) {
        task.project_id = open(project(state, caller, p).await?)?.id;
    }
    if let Some(title) = patch.title {
        task.title = validate_name(&title, "title")?;
    }
    task.status = patch.status.unwrap_or(task.status);
    if let Some(estimate) = patch.estimate {
        task.estimate = estimate.map(validate_estimate).transpose()?;
    }
    if let Some(ids) = patch.assignee_ids {
        task.assignee_ids = access::people_among(state, caller, ids).await?;
    }
    task.updated_at = stint_model::to_millis_precision(Utc::now());
    Ok(state.store.update_task(task).await?)
}

/// A task of the caller's organization; another organization's is 404.
pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Task> {
    state
        .store
        .task(caller.org.id, id)
        .await
        .map_err(AppError::naming("task"))
}

/// The tasks a picker offers `employee`: those of the projects they may
/// log time on (archived ones left out), optionally only `project_ids`'s,
/// that are assigned to them or to nobody yet (Gauzy offers a person their
/// own tasks; a task nobody has taken is anyone's to start).
pub async fn for_employee(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    project_ids: &[Uuid],
) -> AppResult<Vec<Task>> {
    let tasks = of_projects(state, caller, employee, project_ids).await?;
    Ok(tasks
        .into_iter()
        .filter(|t| t.assignee_ids.is_empty() || t.assignee_ids.contains(&employee.id))
        .collect())
}

/// Every task of the projects `employee` may log time on (archived ones
/// left out), optionally only `project_ids`'s.
pub async fn of_projects(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    project_ids: &[Uuid],
) -> AppResult<Vec<Task>> {
    let usable = access::usable_projects_of(state, caller, employee).await?;
    let ids: Vec<Uuid> = usable
        .iter()
        .map(|p| p.id)
        .filter(|id| project_ids.is_empty() || project_ids.contains(id))
        .collect();
    let filter = TaskFilter {
        org_id: caller.org.id,
        project_ids: Some(ids),
        assignee_id: None,
    };
    Ok(state.store.list_tasks(&filter).await?)
}

/// A project of the caller's organization; another organization's is 404.
async fn project(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<Project> {
    state
        .store
        .project(caller.org.id, id)
        .await
        .map_err(AppError::naming("project"))
}

/// A project that takes new tasks: not archived (409 naming it).
fn open(p: Project) -> AppResult<Project> {
    if p.is_archived() {
        return Err(AppError::conflict(format!(
            "project '{}' is archived: it takes no new tasks",
            p.name
        )));
    }
    Ok(p)
}
