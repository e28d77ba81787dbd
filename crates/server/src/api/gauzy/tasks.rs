//! `/api/tasks`: the desktop timer's task picker and creating and editing
//! tasks, in Gauzy's shapes (`TaskController`: POST and PUT answer 202).
//!
//! Gauzy's clients filter with TypeORM-style `where[projectId]=..` query
//! keys; plain `projectId` works too. A task's assignees are Gauzy's
//! `members` (employee objects; their `id` is read) or `memberIds`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Deserializer, Serialize};
use stint_model::{Task, TaskStatus};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{Page, opt_uuid};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::service::access;
use crate::service::tasks::{self, TaskInput};
use crate::state::AppState;
use crate::wire::{Json, Path, Query, iso, parse_uuid};

/// The project a task belongs to, as Gauzy nests it.
#[derive(Serialize, ToSchema)]
pub struct TaskProjectOut {
    pub id: Uuid,
    pub name: String,
}

/// An assignee, as Gauzy nests an employee (`employee.id` is the user id in
/// Stint).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskMemberOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub full_name: String,
}

/// A task as Gauzy's clients read it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskOut {
    pub id: Uuid,
    pub title: String,
    /// Stable integer id (Gauzy's per-project number; unique here per server).
    pub number: i64,
    /// `#<number>`, what Gauzy's pickers show before the title.
    pub task_number: String,
    /// Gauzy's `TaskStatusEnum` spelling, e.g. `in-progress`.
    #[schema(value_type = String, example = "open")]
    pub status: TaskStatus,
    /// Seconds.
    pub estimate: Option<i64>,
    pub project_id: Uuid,
    pub project: Option<TaskProjectOut>,
    pub members: Vec<TaskMemberOut>,
    pub organization_id: Uuid,
    pub tenant_id: Uuid,
    pub created_at: String,
    pub updated_at: String,
}

/// Spells tasks with their project and members (one read of each list).
async fn spell(st: &AppState, caller: &Caller, tasks: Vec<Task>) -> AppResult<Vec<TaskOut>> {
    let projects = super::projects::names(st, caller).await?;
    let people: HashMap<Uuid, String> = st
        .store
        .list_users(caller.org.id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(tasks
        .into_iter()
        .map(|t| TaskOut {
            id: t.id,
            title: t.title,
            number: t.seq,
            task_number: format!("#{}", t.seq),
            status: t.status,
            estimate: t.estimate,
            project_id: t.project_id,
            project: projects.get(&t.project_id).map(|name| TaskProjectOut {
                id: t.project_id,
                name: name.clone(),
            }),
            members: t
                .assignee_ids
                .iter()
                .map(|id| TaskMemberOut {
                    id: *id,
                    user_id: *id,
                    full_name: people.get(id).cloned().unwrap_or_default(),
                })
                .collect(),
            organization_id: t.org_id,
            tenant_id: t.org_id,
            created_at: iso(t.created_at),
            updated_at: iso(t.updated_at),
        })
        .collect())
}

async fn spell_one(st: &AppState, caller: &Caller, task: Task) -> AppResult<TaskOut> {
    let mut one = spell(st, caller, vec![task]).await?;
    Ok(one.remove(0))
}

/// `where[projectId]` (Gauzy's clients) or `projectId`.
fn project_filter(q: &Query) -> AppResult<Vec<Uuid>> {
    let mut ids = q.inner("where").uuids(&["projectId"])?;
    ids.extend(q.uuids(&["projectId"])?);
    Ok(ids)
}

/// Tasks of the projects the caller may log time on (archived ones left
/// out), optionally of one project.
#[utoipa::path(get, path = "/api/tasks", tag = "tasks",
    params(("where[projectId]" = Option<uuid::Uuid>, Query, description = "Only this project's tasks")),
    responses((status = 200, body = Page<TaskOut>)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Query,
) -> AppResult<Json<Page<TaskOut>>> {
    let ts = tasks::of_projects(&st, &caller, &caller.user, &project_filter(&q)?).await?;
    Ok(Json(Page::of(spell(&st, &caller, ts).await?)))
}

/// The desktop timer's task picker: an employee's tasks (assigned to them
/// or to nobody) on the projects they may log time on, as a plain array.
#[utoipa::path(get, path = "/api/tasks/employee/{id}", tag = "tasks",
    params(("id" = uuid::Uuid, Path, description = "The employee's id"),
           ("where[projectId]" = Option<uuid::Uuid>, Query, description = "Only this project's tasks")),
    responses((status = 200, body = Vec<TaskOut>), (status = 403), (status = 404)))]
pub async fn of_employee(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Query,
) -> AppResult<Json<Vec<TaskOut>>> {
    let employee = access::visible_employee(&st, &caller, parse_uuid(&id, "employeeId")?).await?;
    let ts = tasks::for_employee(&st, &caller, &employee, &project_filter(&q)?).await?;
    Ok(Json(spell(&st, &caller, ts).await?))
}

/// An employee reference in `members`: only its id is read.
#[derive(Deserialize, ToSchema)]
pub struct MemberRef {
    pub id: String,
}

/// A task as Gauzy's clients send it; unknown fields are ignored.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskIn {
    /// Client id (UUID) on create: the creator's replay answers the same
    /// task, nothing is created twice.
    pub id: Option<String>,
    pub title: Option<String>,
    /// Required on create.
    pub project_id: Option<String>,
    /// One of Gauzy's task statuses (`open` by default).
    pub status: Option<String>,
    /// Seconds; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub estimate: Option<Option<i64>>,
    /// Assignees as employee objects (`[{id}]`); replaces the list.
    pub members: Option<Vec<MemberRef>>,
    /// Assignees as ids; replaces the list.
    pub member_ids: Option<Vec<String>>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

/// A field that is present (possibly `null`) reads as `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl TaskIn {
    fn into_input(self, caller: &Caller) -> AppResult<TaskInput> {
        caller.check_org(self.organization_id.as_deref(), "organizationId")?;
        caller.check_org(self.tenant_id.as_deref(), "tenantId")?;
        let members = match (self.members, self.member_ids) {
            (None, None) => None,
            (members, ids) => Some(
                members
                    .into_iter()
                    .flatten()
                    .map(|m| m.id)
                    .chain(ids.into_iter().flatten())
                    .map(|m| parse_uuid(&m, "members"))
                    .collect::<AppResult<Vec<_>>>()?,
            ),
        };
        Ok(TaskInput {
            id: opt_uuid(&self.id, "id")?,
            project_id: opt_uuid(&self.project_id, "projectId")?,
            title: self.title,
            status: self.status.as_deref().map(TaskStatus::parse).transpose()?,
            estimate: self.estimate,
            assignee_ids: members,
        })
    }
}

/// Creates a task in a project that is not archived (managers and admins;
/// employees when the organization lets its members create projects). A
/// replay of the creator's client id answers the task it made.
#[utoipa::path(post, path = "/api/tasks", tag = "tasks", request_body = TaskIn,
    responses((status = 202, body = TaskOut),
              (status = 403, description = "Not allowed to create tasks, or another organization's id"),
              (status = 404, description = "No such project or member in this organization"),
              (status = 409, description = "The project is archived, or the id is someone else's")))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<TaskIn>,
) -> AppResult<(StatusCode, Json<TaskOut>)> {
    let (task, _) = tasks::create(&st, &caller, b.into_input(&caller)?).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(spell_one(&st, &caller, task).await?),
    ))
}

/// Changes a task's title, project, status, estimate or assignees.
#[utoipa::path(put, path = "/api/tasks/{id}", tag = "tasks", request_body = TaskIn,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 202, body = TaskOut),
              (status = 403, description = "Not allowed to change tasks"),
              (status = 404, description = "No such task, project or member in this organization"),
              (status = 409, description = "The new project is archived")))]
pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<TaskIn>,
) -> AppResult<(StatusCode, Json<TaskOut>)> {
    let id = parse_uuid(&id, "id")?;
    let task = tasks::update(&st, &caller, id, b.into_input(&caller)?).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(spell_one(&st, &caller, task).await?),
    ))
}
