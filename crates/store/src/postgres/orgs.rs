//! Organizations, users, projects and project assignments.
//!
//! Uniqueness (organization name, e-mail, project name per organization) is left to the database's unique indexes, so two replicas
//! creating the same name at once get exactly one winner; the loser's unique
//! violation becomes a readable `Conflict`.

use sqlx::PgPool;
use stint_model::{Organization, Project, User};
use uuid::Uuid;

use super::{db, db_unique, rows};
use crate::{NewUser, Result, StoreError};

pub(super) async fn create_org(pool: &PgPool, id: Uuid, name: &str) -> Result<Organization> {
    let row = sqlx::query("INSERT INTO orgs (id, name) VALUES ($1, $2) RETURNING *")
        .bind(id)
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(|e| {
            db_unique(
                e,
                "orgs_name_key",
                format!("an organization named '{name}' already exists"),
            )
        })?;
    rows::org(&row)
}

pub(super) async fn org(pool: &PgPool, id: Uuid) -> Result<Organization> {
    let row = sqlx::query("SELECT * FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::org(&row)
}

pub(super) async fn org_by_name(pool: &PgPool, name: &str) -> Result<Organization> {
    let row = sqlx::query("SELECT * FROM orgs WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::org(&row)
}

/// In creation order.
pub(super) async fn list_orgs(pool: &PgPool) -> Result<Vec<Organization>> {
    let found = sqlx::query("SELECT * FROM orgs ORDER BY seq")
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::org)
}

/// One organization setting: `column` is a constant of the caller's, never
/// input.
pub(super) async fn set_org_setting<T>(
    pool: &PgPool,
    org_id: Uuid,
    column: &str,
    value: T,
) -> Result<Organization>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send,
{
    let sql = format!("UPDATE orgs SET {column} = $2 WHERE id = $1 RETURNING *");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org_id)
        .bind(value)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::org(&row)
}

/// A missing organization, or a supervisor outside the user's organization,
/// fails the foreign keys and reads as `NotFound`.
pub(super) async fn create_user(pool: &PgPool, u: NewUser) -> Result<User> {
    let row = sqlx::query(
        "INSERT INTO users (id, org_id, email, name, password_hash, role, supervisor_id, timezone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(u.id)
    .bind(u.org_id)
    .bind(&u.email)
    .bind(&u.name)
    .bind(&u.password_hash)
    .bind(u.role.as_str())
    .bind(u.supervisor_id)
    .bind(&u.timezone)
    .fetch_one(pool)
    .await
    .map_err(|e| {
        db_unique(
            e,
            "users_email_key",
            format!("a user with e-mail '{}' already exists", u.email),
        )
    })?;
    rows::user(&row)
}

pub(super) async fn user(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::user(&row)
}

pub(super) async fn user_by_id(pool: &PgPool, id: Uuid) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::user(&row)
}

pub(super) async fn user_by_seq(pool: &PgPool, org_id: Uuid, seq: i64) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE org_id = $1 AND seq = $2")
        .bind(org_id)
        .bind(seq)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::user(&row)
}

/// Exact match: callers normalise e-mails before storing and looking up.
pub(super) async fn user_by_email(pool: &PgPool, email: &str) -> Result<User> {
    let row = sqlx::query("SELECT * FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::user(&row)
}

pub(super) async fn list_users(pool: &PgPool, org_id: Uuid) -> Result<Vec<User>> {
    let found = sqlx::query("SELECT * FROM users WHERE org_id = $1 ORDER BY seq")
        .bind(org_id)
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::user)
}

pub(super) async fn create_project(
    pool: &PgPool,
    id: Uuid,
    org_id: Uuid,
    name: &str,
) -> Result<Project> {
    let sql = "INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3) RETURNING *";
    write_project(pool, sql, id, org_id, name).await
}

/// Runs `sql`, which writes project `$1` of organization `$2` with the name
/// `$3` and returns its row; a name the organization already uses is a
/// Conflict that says so.
async fn write_project(
    pool: &PgPool,
    sql: &'static str,
    id: Uuid,
    org_id: Uuid,
    name: &str,
) -> Result<Project> {
    let row = sqlx::query(sql)
        .bind(id)
        .bind(org_id)
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(|e| {
            db_unique(
                e,
                "projects_org_name_key",
                format!("a project named '{name}' already exists"),
            )
        })?;
    rows::project(&row)
}

pub(super) async fn project(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Project> {
    let row = sqlx::query("SELECT * FROM projects WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::project(&row)
}

pub(super) async fn project_by_seq(pool: &PgPool, org_id: Uuid, seq: i64) -> Result<Project> {
    let row = sqlx::query("SELECT * FROM projects WHERE org_id = $1 AND seq = $2")
        .bind(org_id)
        .bind(seq)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::project(&row)
}

pub(super) async fn project_by_name(pool: &PgPool, org_id: Uuid, name: &str) -> Result<Project> {
    let row = sqlx::query("SELECT * FROM projects WHERE org_id = $1 AND name = $2")
        .bind(org_id)
        .bind(name)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::project(&row)
}

pub(super) async fn list_projects(pool: &PgPool, org_id: Uuid) -> Result<Vec<Project>> {
    let found = sqlx::query("SELECT * FROM projects WHERE org_id = $1 ORDER BY seq")
        .bind(org_id)
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::project)
}

pub(super) async fn rename_project(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
    name: &str,
) -> Result<Project> {
    let sql = "UPDATE projects SET name = $3 WHERE id = $1 AND org_id = $2 RETURNING *";
    write_project(pool, sql, id, org_id, name).await
}

pub(super) async fn set_project_archived(
    pool: &PgPool,
    org_id: Uuid,
    id: Uuid,
    at: Option<i64>,
) -> Result<Project> {
    let row = sqlx::query(
        "UPDATE projects SET archived_at = $3 WHERE org_id = $1 AND id = $2 RETURNING *",
    )
    .bind(org_id)
    .bind(id)
    .bind(at)
    .fetch_one(pool)
    .await
    .map_err(db)?;
    rows::project(&row)
}

/// Only a project and a user of the same organization can be linked; the
/// INSERT selects the pair, so a mismatch inserts nothing and is `NotFound`.
pub(super) async fn assign_project(pool: &PgPool, project_id: Uuid, user_id: Uuid) -> Result<()> {
    let pair = sqlx::query(
        "WITH pair AS (
             SELECT p.id AS project_id, u.id AS user_id
             FROM projects p JOIN users u ON u.org_id = p.org_id
             WHERE p.id = $1 AND u.id = $2
         ), added AS (
             INSERT INTO project_assignments (project_id, user_id)
             SELECT project_id, user_id FROM pair
             ON CONFLICT DO NOTHING
         )
         SELECT 1 FROM pair",
    )
    .bind(project_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    pair.map(|_| ()).ok_or(StoreError::NotFound)
}

/// Project ids in project creation order.
pub(super) async fn assigned_projects(pool: &PgPool, user_id: Uuid) -> Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT a.project_id FROM project_assignments a
         JOIN projects p ON p.id = a.project_id
         WHERE a.user_id = $1 ORDER BY p.seq",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
    .map_err(db)
}
