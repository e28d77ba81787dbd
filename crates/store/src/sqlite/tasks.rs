//! Tasks and who they are assigned to.
//!
//! The foreign keys (organization, project) and (organization, user) decide
//! that a task's project and assignees are of its own organization: a
//! mismatch fails the key and reads as `NotFound`, like an unknown id.

use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params};
use stint_model::Task;
use uuid::Uuid;

use super::conflict_as;
use super::filter::Where;
use super::rows::{self, TASK_COLS, id, ms};
use crate::{Result, StoreError, TaskFilter};

pub(super) fn create_task(tx: &Transaction<'_>, t: Task) -> Result<Task> {
    tx.execute(
        "INSERT INTO tasks (id, org_id, project_id, title, status, estimate, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id(t.id),
            id(t.org_id),
            id(t.project_id),
            t.title,
            t.status.as_str(),
            t.estimate,
            ms(t.created_at),
            ms(t.updated_at)
        ],
    )
    .map_err(conflict_as(|| format!("a task with the id {} already exists", t.id)))?;
    set_assignees(tx, &t)?;
    task(tx, t.org_id, t.id)
}

pub(super) fn update_task(tx: &Transaction<'_>, t: Task) -> Result<Task> {
    let changed = tx.execute(
        "UPDATE tasks SET project_id = ?3, title = ?4, status = ?5, estimate = ?6, updated_at = ?7
         WHERE org_id = ?1 AND id = ?2",
        params![
            id(t.org_id),
            id(t.id),
            id(t.project_id),
            t.title,
            t.status.as_str(),
            t.estimate,
            ms(t.updated_at)
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute("DELETE FROM task_assignees WHERE task_id = ?1", [id(t.id)])?;
    set_assignees(tx, &t)?;
    task(tx, t.org_id, t.id)
}

fn set_assignees(tx: &Transaction<'_>, t: &Task) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO task_assignees (org_id, task_id, user_id) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
    )?;
    for user in &t.assignee_ids {
        stmt.execute([id(t.org_id), id(t.id), id(*user)])?;
    }
    Ok(())
}

pub(super) fn task(c: &Connection, org_id: Uuid, task_id: Uuid) -> Result<Task> {
    let sql = format!("SELECT {TASK_COLS} FROM tasks t WHERE t.org_id = ?1 AND t.id = ?2");
    Ok(c.query_row(&sql, [id(org_id), id(task_id)], rows::task)?)
}

pub(super) fn list_tasks(c: &Connection, f: &TaskFilter) -> Result<Vec<Task>> {
    let mut w = Where::default();
    w.and("t.org_id = ?", [Value::Text(id(f.org_id))]);
    if let Some(ids) = &f.project_ids {
        w.any_of("t.project_id", ids);
    }
    if let Some(user) = f.assignee_id {
        w.and(
            "EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ?)",
            [Value::Text(id(user))],
        );
    }
    let sql = format!("SELECT {TASK_COLS} FROM tasks t{} ORDER BY t.seq", w.sql());
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(rusqlite::params_from_iter(w.params), rows::task)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}
