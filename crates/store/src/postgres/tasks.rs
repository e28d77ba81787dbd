//! Tasks and who they are assigned to.
//!
//! The foreign keys (organization, project) and (organization, user) decide
//! that a task's project and assignees are of its own organization: a
//! mismatch fails the key and reads as `NotFound`, like an unknown id. A
//! task and its assignees are written in one transaction.

use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use stint_model::Task;
use uuid::Uuid;

use super::{db, db_unique, finish, push_ids, rows};
use crate::{Result, StoreError, TaskFilter};

/// Every task column and its assignees as `assignee_ids` (uuid[]).
const SELECT: &str = "SELECT t.*, ARRAY(SELECT a.user_id FROM task_assignees a
         WHERE a.task_id = t.id) AS assignee_ids FROM tasks t";

pub(super) async fn create_task(pool: &PgPool, t: Task) -> Result<Task> {
    let mut tx = pool.begin().await.map_err(db)?;
    let inserted = async {
        sqlx::query(
            "INSERT INTO tasks (id, org_id, project_id, title, status, estimate, created_at,
                 updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.id)
        .bind(t.org_id)
        .bind(t.project_id)
        .bind(&t.title)
        .bind(t.status.as_str())
        .bind(t.estimate)
        .bind(t.created_at.timestamp_millis())
        .bind(t.updated_at.timestamp_millis())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            db_unique(
                e,
                "tasks_pkey",
                format!("a task with the id {} already exists", t.id),
            )
        })?;
        set_assignees(&mut tx, &t).await
    }
    .await;
    finish(tx, inserted).await?;
    task(pool, t.org_id, t.id).await
}

pub(super) async fn update_task(pool: &PgPool, t: Task) -> Result<Task> {
    let mut tx = pool.begin().await.map_err(db)?;
    let updated = async {
        let changed = sqlx::query(
            "UPDATE tasks SET project_id = $3, title = $4, status = $5, estimate = $6,
                 updated_at = $7
             WHERE org_id = $1 AND id = $2",
        )
        .bind(t.org_id)
        .bind(t.id)
        .bind(t.project_id)
        .bind(&t.title)
        .bind(t.status.as_str())
        .bind(t.estimate)
        .bind(t.updated_at.timestamp_millis())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM task_assignees WHERE task_id = $1")
            .bind(t.id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        set_assignees(&mut tx, &t).await
    }
    .await;
    finish(tx, updated).await?;
    task(pool, t.org_id, t.id).await
}

async fn set_assignees(conn: &mut PgConnection, t: &Task) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_assignees (org_id, task_id, user_id)
         SELECT $1, $2, u FROM UNNEST($3::uuid[]) AS u
         ON CONFLICT DO NOTHING",
    )
    .bind(t.org_id)
    .bind(t.id)
    .bind(&t.assignee_ids)
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}

pub(super) async fn task(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Task> {
    let sql = format!("{SELECT} WHERE t.org_id = $1 AND t.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::task(&row)
}

pub(super) async fn list_tasks(pool: &PgPool, f: &TaskFilter) -> Result<Vec<Task>> {
    let mut q = QueryBuilder::<Postgres>::new(SELECT);
    q.push(" WHERE t.org_id = ").push_bind(f.org_id);
    push_ids(&mut q, "t.project_id", f.project_ids.as_deref());
    if let Some(user) = f.assignee_id {
        q.push(
            " AND EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ",
        )
        .push_bind(user)
        .push(")");
    }
    q.push(" ORDER BY t.seq");
    let found = q.build().fetch_all(pool).await.map_err(db)?;
    rows::all(&found, rows::task)
}
