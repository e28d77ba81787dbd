//! Organizations, users and projects (and who is assigned to what).
//!
//! Lookups by id always carry the organization, so another organization's
//! id reads as "not found". Unique names come back as a readable Conflict.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use stint_model::{Organization, Project, User};
use uuid::Uuid;

use super::conflict_as;
use super::rows::{self, ORG_COLS, PROJECT_COLS, USER_COLS, id, opt_id};
use crate::{NewUser, Result, StoreError};

pub(super) fn create_org(tx: &Transaction<'_>, org_id: Uuid, name: &str) -> Result<Organization> {
    tx.execute(
        "INSERT INTO orgs (id, name, all_projects_available) VALUES (?1, ?2, 1)",
        params![id(org_id), name],
    )
    .map_err(conflict_as(|| {
        format!("an organization named '{name}' (or with this id) already exists")
    }))?;
    org(tx, org_id)
}

pub(super) fn org(c: &Connection, org_id: Uuid) -> Result<Organization> {
    let sql = format!("SELECT {ORG_COLS} FROM orgs WHERE id = ?1");
    Ok(c.query_row(&sql, [id(org_id)], rows::org)?)
}

pub(super) fn org_by_name(c: &Connection, name: &str) -> Result<Organization> {
    let sql = format!("SELECT {ORG_COLS} FROM orgs WHERE name = ?1");
    Ok(c.query_row(&sql, [name], rows::org)?)
}

pub(super) fn list_orgs(c: &Connection) -> Result<Vec<Organization>> {
    let sql = format!("SELECT {ORG_COLS} FROM orgs ORDER BY seq");
    let mut stmt = c.prepare(&sql)?;
    let out = stmt.query_map([], rows::org)?.collect::<Result<_, _>>()?;
    Ok(out)
}

/// One organization setting: `column` is a constant of the caller's, never
/// input.
pub(super) fn set_org_setting(
    tx: &Transaction<'_>,
    org_id: Uuid,
    column: &str,
    value: impl rusqlite::ToSql,
) -> Result<Organization> {
    let sql = format!("UPDATE orgs SET {column} = ?2 WHERE id = ?1");
    if tx.execute(&sql, params![id(org_id), value])? == 0 {
        return Err(StoreError::NotFound);
    }
    org(tx, org_id)
}

pub(super) fn create_user(tx: &Transaction<'_>, u: NewUser) -> Result<User> {
    org(tx, u.org_id)?;
    if let Some(sup) = u.supervisor_id {
        // The supervisor must be a person of the same organization.
        user(tx, u.org_id, sup)?;
    }
    let email = u.email.clone();
    tx.execute(
        "INSERT INTO users (id, org_id, email, name, password_hash, role, supervisor_id, timezone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id(u.id),
            id(u.org_id),
            u.email,
            u.name,
            u.password_hash,
            u.role.as_str(),
            opt_id(u.supervisor_id),
            u.timezone
        ],
    )
    .map_err(conflict_as(|| {
        format!("a user with the e-mail '{email}' (or with this id) already exists")
    }))?;
    user(tx, u.org_id, u.id)
}

pub(super) fn user(c: &Connection, org_id: Uuid, user_id: Uuid) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE org_id = ?1 AND id = ?2");
    Ok(c.query_row(&sql, [id(org_id), id(user_id)], rows::user)?)
}

pub(super) fn user_by_id(c: &Connection, user_id: Uuid) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = ?1");
    Ok(c.query_row(&sql, [id(user_id)], rows::user)?)
}

pub(super) fn user_by_seq(c: &Connection, org_id: Uuid, seq: i64) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE org_id = ?1 AND seq = ?2");
    Ok(c.query_row(&sql, params![id(org_id), seq], rows::user)?)
}

pub(super) fn user_by_email(c: &Connection, email: &str) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE email = ?1");
    Ok(c.query_row(&sql, [email], rows::user)?)
}

pub(super) fn list_users(c: &Connection, org_id: Uuid) -> Result<Vec<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE org_id = ?1 ORDER BY seq");
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map([id(org_id)], rows::user)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

pub(super) fn create_project(
    tx: &Transaction<'_>,
    project_id: Uuid,
    org_id: Uuid,
    name: &str,
) -> Result<Project> {
    org(tx, org_id)?;
    tx.execute(
        "INSERT INTO projects (id, org_id, name) VALUES (?1, ?2, ?3)",
        params![id(project_id), id(org_id), name],
    )
    .map_err(conflict_as(|| {
        format!("a project named '{name}' (or with this id) already exists")
    }))?;
    project(tx, org_id, project_id)
}

pub(super) fn project(c: &Connection, org_id: Uuid, project_id: Uuid) -> Result<Project> {
    let sql = format!("SELECT {PROJECT_COLS} FROM projects WHERE org_id = ?1 AND id = ?2");
    Ok(c.query_row(&sql, [id(org_id), id(project_id)], rows::project)?)
}

pub(super) fn project_by_seq(c: &Connection, org_id: Uuid, seq: i64) -> Result<Project> {
    let sql = format!("SELECT {PROJECT_COLS} FROM projects WHERE org_id = ?1 AND seq = ?2");
    Ok(c.query_row(&sql, params![id(org_id), seq], rows::project)?)
}

pub(super) fn project_by_name(c: &Connection, org_id: Uuid, name: &str) -> Result<Project> {
    let sql = format!("SELECT {PROJECT_COLS} FROM projects WHERE org_id = ?1 AND name = ?2");
    Ok(c.query_row(&sql, params![id(org_id), name], rows::project)?)
}

pub(super) fn list_projects(c: &Connection, org_id: Uuid) -> Result<Vec<Project>> {
    let sql = format!("SELECT {PROJECT_COLS} FROM projects WHERE org_id = ?1 ORDER BY seq");
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map([id(org_id)], rows::project)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

pub(super) fn rename_project(
    tx: &Transaction<'_>,
    org_id: Uuid,
    project_id: Uuid,
    name: &str,
) -> Result<Project> {
    let changed = tx
        .execute(
            "UPDATE projects SET name = ?3 WHERE org_id = ?1 AND id = ?2",
            params![id(org_id), id(project_id), name],
        )
        .map_err(conflict_as(|| {
            format!("a project named '{name}' already exists")
        }))?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    project(tx, org_id, project_id)
}

pub(super) fn set_project_archived(
    tx: &Transaction<'_>,
    org_id: Uuid,
    project_id: Uuid,
    at: Option<i64>,
) -> Result<Project> {
    let changed = tx.execute(
        "UPDATE projects SET archived_at = ?3 WHERE org_id = ?1 AND id = ?2",
        params![id(org_id), id(project_id), at],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    project(tx, org_id, project_id)
}

/// Both must exist and belong to the same organization; assigning twice is
/// a no-op.
pub(super) fn assign_project(tx: &Transaction<'_>, project_id: Uuid, user_id: Uuid) -> Result<()> {
    let same_org: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM projects p JOIN users u ON u.org_id = p.org_id
             WHERE p.id = ?1 AND u.id = ?2",
            [id(project_id), id(user_id)],
            |r| r.get(0),
        )
        .optional()?;
    if same_org.is_none() {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "INSERT INTO project_assignments (user_id, project_id) VALUES (?1, ?2)
         ON CONFLICT DO NOTHING",
        [id(user_id), id(project_id)],
    )?;
    Ok(())
}

/// The user's projects, in project creation order.
pub(super) fn assigned_projects(c: &Connection, user_id: Uuid) -> Result<Vec<Uuid>> {
    let mut stmt = c.prepare(
        "SELECT p.id FROM project_assignments a JOIN projects p ON p.id = a.project_id
         WHERE a.user_id = ?1 ORDER BY p.seq",
    )?;
    let out = stmt
        .query_map([id(user_id)], |r| rows::uuid(r, 0))?
        .collect::<Result<_, _>>()?;
    Ok(out)
}
