//! `/api/organization-projects`: the pickers' lists, and creating, renaming
//! and archiving projects in Gauzy's shapes (`OrganizationProjectController`:
//! POST answers 201, PUT 202, DELETE 204).

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stint_model::Project;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{Page, opt_uuid};
use crate::auth::Caller;
use crate::error::AppResult;
use crate::service::access;
use crate::service::projects::{self, ProjectInput, ProjectPatch};
use crate::state::AppState;
use crate::wire::{Json, Path, iso, parse_uuid};

/// A project as Gauzy's clients read it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectOut {
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    /// Stint has one organization per tenant.
    pub tenant_id: Uuid,
    /// Archived projects take no new time; pickers leave them out.
    pub is_archived: bool,
    pub archived_at: Option<String>,
    pub is_active: bool,
}

impl From<Project> for ProjectOut {
    fn from(p: Project) -> Self {
        let archived = p.is_archived();
        ProjectOut {
            id: p.id,
            name: p.name,
            organization_id: p.org_id,
            tenant_id: p.org_id,
            is_archived: archived,
            archived_at: p.archived_at.map(iso),
            is_active: !archived,
        }
    }
}

/// Every project's name by id, archived ones included (history names
/// them), for answers that name the projects they mention.
pub async fn names(st: &AppState, caller: &Caller) -> AppResult<HashMap<Uuid, String>> {
    let all = st.store.list_projects(caller.org.id).await?;
    Ok(all.into_iter().map(|p| (p.id, p.name)).collect())
}

fn spell(ps: Vec<Project>) -> Vec<ProjectOut> {
    ps.into_iter().map(ProjectOut::from).collect()
}

/// Projects the caller may log time on (archived ones left out).
#[utoipa::path(get, path = "/api/organization-projects", tag = "projects",
    responses((status = 200, body = Page<ProjectOut>)))]
pub async fn list(State(st): State<AppState>, caller: Caller) -> AppResult<Json<Page<ProjectOut>>> {
    let ps = access::usable_projects(&st, &caller).await?;
    Ok(Json(Page::of(spell(ps))))
}

/// The desktop timer's project picker: the projects an employee may log
/// time on, as a plain array.
#[utoipa::path(get, path = "/api/organization-projects/employee/{id}", tag = "projects",
    params(("id" = uuid::Uuid, Path, description = "The employee's id")),
    responses((status = 200, body = Vec<ProjectOut>), (status = 403), (status = 404)))]
pub async fn of_employee(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<ProjectOut>>> {
    let employee = access::visible_employee(&st, &caller, parse_uuid(&id, "employeeId")?).await?;
    let ps = access::usable_projects_of(&st, &caller, &employee).await?;
    Ok(Json(spell(ps)))
}

/// A project as Gauzy's clients send it; unknown fields are ignored.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProjectIn {
    /// Client id (UUID) on create: the creator's replay answers the same
    /// project, nothing is created twice.
    pub id: Option<String>,
    pub name: Option<String>,
    /// People to assign besides the creator (create only).
    pub member_ids: Option<Vec<String>>,
    /// `false` restores an archived project (update only).
    pub is_archived: Option<bool>,
    pub organization_id: Option<String>,
    pub tenant_id: Option<String>,
}

impl ProjectIn {
    fn check_org(&self, caller: &Caller) -> AppResult<()> {
        caller.check_org(self.organization_id.as_deref(), "organizationId")?;
        caller.check_org(self.tenant_id.as_deref(), "tenantId")
    }
}

/// Creates a project (managers and admins; employees when the organization
/// lets its members create projects). A replay of the creator's client id
/// answers the project it made.
#[utoipa::path(post, path = "/api/organization-projects", tag = "projects", request_body = ProjectIn,
    responses((status = 201, body = ProjectOut),
              (status = 403, description = "Not allowed to create projects, or another organization's id"),
              (status = 404, description = "No such member"),
              (status = 409, description = "The name is taken, or the id is someone else's")))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    Json(b): Json<ProjectIn>,
) -> AppResult<(StatusCode, Json<ProjectOut>)> {
    b.check_org(&caller)?;
    let member_ids = b
        .member_ids
        .unwrap_or_default()
        .iter()
        .map(|m| parse_uuid(m, "memberIds"))
        .collect::<AppResult<_>>()?;
    let input = ProjectInput {
        id: opt_uuid(&b.id, "id")?,
        name: b.name.unwrap_or_default(),
        member_ids,
    };
    let (p, _) = projects::create(&st, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// Renames a project, or archives (`isArchived: true`) or restores it.
#[utoipa::path(put, path = "/api/organization-projects/{id}", tag = "projects", request_body = ProjectIn,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 202, body = ProjectOut),
              (status = 403, description = "Not allowed to change projects"),
              (status = 404, description = "No such project in this organization"),
              (status = 409, description = "The name is taken")))]
pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<ProjectIn>,
) -> AppResult<(StatusCode, Json<ProjectOut>)> {
    b.check_org(&caller)?;
    let patch = ProjectPatch {
        name: b.name,
        archived: b.is_archived,
    };
    let p = projects::update(&st, &caller, parse_uuid(&id, "id")?, patch).await?;
    Ok((StatusCode::ACCEPTED, Json(p.into())))
}

/// Archives a project: projects are never deleted, their time stays in
/// history and reports.
#[utoipa::path(delete, path = "/api/organization-projects/{id}", tag = "projects",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204, description = "Archived"),
              (status = 403, description = "Not allowed to change projects"),
              (status = 404, description = "No such project in this organization")))]
pub async fn archive(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    projects::archive(&st, &caller, parse_uuid(&id, "id")?).await?;
    Ok(StatusCode::NO_CONTENT)
}
