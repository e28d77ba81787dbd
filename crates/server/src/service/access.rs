//! Who may see and change whose time.
//!
//! - Everyone sees and edits their own logs, slots and screenshots.
//! - A supervisor also sees their direct reports', and approves or rejects
//!   their timesheets.
//! - An admin does all of that for the whole organization.
//!
//! Objects of another organization are never found (404); a colleague's
//! object the caller may not see is 403.

use std::collections::HashMap;

use stint_model::{Instant, Project, Task, User};
use stint_store::Filter;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// May `caller` see `employee`'s time?
pub fn may_see(caller: &Caller, employee: &User) -> bool {
    employee.org_id == caller.org.id
        && (employee.id == caller.id()
            || caller.is_admin()
            || employee.supervisor_id == Some(caller.id()))
}

/// May `caller` change `employee`'s time? The owner, or an admin of the
/// organization (DESIGN.md: entries are the owner's to edit; a supervisor
/// reviews, approves or rejects, but does not rewrite).
pub fn may_edit(caller: &Caller, employee: &User) -> bool {
    employee.org_id == caller.org.id && (employee.id == caller.id() || caller.is_admin())
}

/// May `caller` approve or reject `employee`'s timesheets? Only their direct
/// supervisor or an admin of the organization (never themselves, unless an
/// admin).
pub fn may_approve(caller: &Caller, employee: &User) -> bool {
    employee.org_id == caller.org.id
        && (caller.is_admin() || employee.supervisor_id == Some(caller.id()))
}

/// Everyone in the caller's organization whose time the caller may see.
pub async fn visible_employees(state: &AppState, caller: &Caller) -> AppResult<Vec<User>> {
    let users = state.store.list_users(caller.org.id).await?;
    Ok(users.into_iter().filter(|u| may_see(caller, u)).collect())
}

/// The employees a list request is about: the ones asked for (those the
/// caller may not see are simply left out, so nothing leaks), or by default
/// the caller alone (`own_by_default`) or everyone visible.
pub async fn selected_employees(
    state: &AppState,
    caller: &Caller,
    asked: &[Uuid],
    own_by_default: bool,
) -> AppResult<HashMap<Uuid, User>> {
    let visible = visible_employees(state, caller).await?;
    Ok(visible
        .into_iter()
        .filter(|u| {
            if asked.is_empty() {
                !own_by_default || u.id == caller.id()
            } else {
                asked.contains(&u.id)
            }
        })
        .map(|u| (u.id, u))
        .collect())
}

/// A store filter over the asked-for employees the caller may see (all
/// visible ones when none are asked for) in a range; `None` when that is
/// nobody, so nothing needs to be read.
pub async fn filter_for(
    state: &AppState,
    caller: &Caller,
    employee_ids: &[Uuid],
    from: Option<Instant>,
    to: Option<Instant>,
) -> AppResult<Option<Filter>> {
    let employees = selected_employees(state, caller, employee_ids, false).await?;
    if employees.is_empty() {
        return Ok(None);
    }
    Ok(Some(Filter {
        org_id: caller.org.id,
        employee_ids: Some(employees.into_keys().collect()),
        project_ids: None,
        from,
        to,
    }))
}

/// The employee a write is for: the caller, or (for an admin) anyone in the
/// organization. Another organization's id is 404; a colleague's is 403.
pub async fn employee_to_write(
    state: &AppState,
    caller: &Caller,
    id: Option<Uuid>,
) -> AppResult<User> {
    match id {
        None => Ok(caller.user.clone()),
        Some(id) if id == caller.id() => Ok(caller.user.clone()),
        Some(id) => {
            let u = state
                .store
                .user(caller.org.id, id)
                .await
                .map_err(AppError::naming("employee"))?;
            if may_edit(caller, &u) {
                Ok(u)
            } else {
                Err(AppError::forbidden(
                    "only the employee or an admin may change their time",
                ))
            }
        }
    }
}

/// A project the employee may log time on: it exists in the organization
/// (404 otherwise) and is assigned to them unless the organization makes all
/// projects available (400 otherwise).
pub async fn usable_project(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    id: Uuid,
) -> AppResult<Project> {
    let p = state
        .store
        .project(caller.org.id, id)
        .await
        .map_err(AppError::naming("project"))?;
    if caller.org.all_projects_available
        || state
            .store
            .assigned_projects(employee.id)
            .await?
            .contains(&p.id)
    {
        Ok(p)
    } else {
        Err(AppError::bad_request(format!(
            "project '{}' is not assigned to {}",
            p.name, employee.name
        )))
    }
}

/// A project that takes new time: [`usable_project`], and not archived
/// (409 naming it: its old time stays, new time goes elsewhere).
pub async fn open_project(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    id: Uuid,
) -> AppResult<Project> {
    let p = usable_project(state, caller, employee, id).await?;
    if p.is_archived() {
        return Err(AppError::conflict(format!(
            "project '{}' is archived: it takes no new time",
            p.name
        )));
    }
    Ok(p)
}

/// The task a time log on `project_id` names: a task of the caller's
/// organization (404 otherwise) on that very project (409 naming both
/// otherwise), so time per task always adds up to time per project.
pub async fn task_of_log(
    state: &AppState,
    caller: &Caller,
    project_id: Option<Uuid>,
    task_id: Uuid,
) -> AppResult<Task> {
    let task = state
        .store
        .task(caller.org.id, task_id)
        .await
        .map_err(AppError::naming("task"))?;
    if Some(task.project_id) == project_id {
        return Ok(task);
    }
    let name = |id| async move {
        state
            .store
            .project(caller.org.id, id)
            .await
            .map(|p| p.name)
            .map_err(AppError::naming("project"))
    };
    let tasks_project = name(task.project_id).await?;
    let logs_project = match project_id {
        Some(p) => format!("is on project '{}'", name(p).await?),
        None => "has no project".into(),
    };
    Err(AppError::conflict(format!(
        "task '{}' belongs to project '{tasks_project}', but this time log {logs_project}",
        task.title
    )))
}

/// What a new log is on: an [`open_project`] and a task of it
/// ([`task_of_log`]), each when given.
pub async fn log_target(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    project_id: Option<Uuid>,
    task_id: Option<Uuid>,
) -> AppResult<()> {
    if let Some(p) = project_id {
        open_project(state, caller, employee, p).await?;
    }
    if let Some(t) = task_id {
        task_of_log(state, caller, project_id, t).await?;
    }
    Ok(())
}

/// [`usable_project`] for each distinct id among `ids` (a report of 5,000
/// activities on two projects asks the store twice, not 5,000 times).
pub async fn usable_projects_among(
    state: &AppState,
    caller: &Caller,
    employee: &User,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<()> {
    let distinct: std::collections::BTreeSet<Uuid> = ids.into_iter().collect();
    for id in distinct {
        usable_project(state, caller, employee, id).await?;
    }
    Ok(())
}

/// Projects the caller may log time on.
pub async fn usable_projects(state: &AppState, caller: &Caller) -> AppResult<Vec<Project>> {
    usable_projects_of(state, caller, &caller.user).await
}

/// Projects `employee` may log time on (the caller may see them): what
/// every picker offers, so archived projects are left out.
pub async fn usable_projects_of(
    state: &AppState,
    caller: &Caller,
    employee: &User,
) -> AppResult<Vec<Project>> {
    let mut all = state.store.list_projects(caller.org.id).await?;
    all.retain(|p| !p.is_archived());
    if caller.org.all_projects_available {
        return Ok(all);
    }
    let theirs = state.store.assigned_projects(employee.id).await?;
    Ok(all.into_iter().filter(|p| theirs.contains(&p.id)).collect())
}

/// `ids` as people of the caller's organization, sorted and each once; an
/// id that is no one there (another organization's person) is 404. One
/// read of the organization's people, however many ids a request names.
pub async fn people_among(
    state: &AppState,
    caller: &Caller,
    mut ids: Vec<Uuid>,
) -> AppResult<Vec<Uuid>> {
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(ids);
    }
    let people: std::collections::HashSet<Uuid> = state
        .store
        .list_users(caller.org.id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if ids.iter().all(|id| people.contains(id)) {
        Ok(ids)
    } else {
        Err(AppError::not_found("employee"))
    }
}

/// An employee of the caller's organization whose time the caller may see:
/// another organization's (or no one's) id is 404, a colleague's 403.
pub async fn visible_employee(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<User> {
    if id == caller.id() {
        return Ok(caller.user.clone());
    }
    let u = state
        .store
        .user(caller.org.id, id)
        .await
        .map_err(AppError::naming("employee"))?;
    if may_see(caller, &u) {
        Ok(u)
    } else {
        Err(AppError::forbidden("this is another employee"))
    }
}
