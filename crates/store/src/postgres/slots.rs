//! Ten-minute slots with their parts, activities and screenshots.
//!
//! A slot is the sum of the parts that clients reported for it (two devices,
//! or one device across a restart). Parts are kept in their own table under
//! their client id (per organization), so a replayed part is recognised and
//! changes nothing.
//! Merging (durations add, percentages are weighted) is the model's
//! [`TimeSlot::merge`], done in Rust on a row locked `FOR UPDATE`, so two
//! replicas adding parts to one slot at once both count.

use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use stint_model::{Activity, Instant, Screenshot, ScreenshotView, SlotPart, TimeSlot};
use uuid::Uuid;

use super::{db, finish, push_ids, rows};
use crate::{Filter, Result, StoreError};

/// Where a part lands, as `Store::add_slot_part` receives it.
pub(super) struct PartTarget {
    pub slot_id_if_new: Uuid,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub project_id: Option<Uuid>,
    pub started_at: Instant,
}

pub(super) async fn add_slot_part(
    pool: &PgPool,
    at: PartTarget,
    part: SlotPart,
    time_log_ids: Vec<Uuid>,
) -> Result<TimeSlot> {
    let mut tx = pool.begin().await.map_err(db)?;
    match add_in(&mut tx, &at, &part, time_log_ids).await {
        Ok(Some(slot)) => finish(tx, Ok(slot)).await,
        Ok(None) => {
            // Seen before: undo the slot we may have created and answer
            // with the slot the part went into.
            tx.rollback().await.map_err(db)?;
            let row = sqlx::query(
                "SELECT s.* FROM time_slots s JOIN slot_parts p ON p.slot_seq = s.seq
                 WHERE p.org_id = $1 AND p.id = $2",
            )
            .bind(at.org_id)
            .bind(part.id)
            .fetch_one(pool)
            .await
            .map_err(db)?;
            rows::slot(&row)
        }
        Err(e) => finish(tx, Err(e)).await,
    }
}

/// The merged slot, or `None` when the part id is already stored.
async fn add_in(
    conn: &mut PgConnection,
    at: &PartTarget,
    part: &SlotPart,
    time_log_ids: Vec<Uuid>,
) -> Result<Option<TimeSlot>> {
    let start = at.started_at.timestamp_millis();
    // An employee of another organization fails the (org, employee) foreign
    // key: NotFound.
    sqlx::query(
        "INSERT INTO time_slots (id, org_id, employee_id, project_id, started_at,
             duration, keyboard, mouse, overall)
         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0)
         ON CONFLICT (employee_id, started_at) DO NOTHING",
    )
    .bind(at.slot_id_if_new)
    .bind(at.org_id)
    .bind(at.employee_id)
    .bind(at.project_id)
    .bind(start)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    let row = sqlx::query(
        "SELECT * FROM time_slots
         WHERE employee_id = $1 AND started_at = $2 AND org_id = $3
         FOR UPDATE",
    )
    .bind(at.employee_id)
    .bind(start)
    .bind(at.org_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    let seq: i64 = sqlx::Row::try_get(&row, "seq").map_err(db)?;
    let mut slot = rows::slot(&row)?;

    let fresh = sqlx::query(
        "INSERT INTO slot_parts (org_id, id, slot_seq, duration, keyboard, mouse, overall)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (org_id, id) DO NOTHING",
    )
    .bind(at.org_id)
    .bind(part.id)
    .bind(seq)
    .bind(part.duration)
    .bind(part.keyboard)
    .bind(part.mouse)
    .bind(part.overall)
    .execute(&mut *conn)
    .await
    .map_err(db)?
    .rows_affected()
        == 1;
    if !fresh {
        return Ok(None);
    }

    slot.merge(part);
    if slot.project_id.is_none() {
        slot.project_id = at.project_id;
    }
    for id in time_log_ids {
        if !slot.time_log_ids.contains(&id) {
            slot.time_log_ids.push(id);
        }
    }
    sqlx::query(
        "UPDATE time_slots SET project_id = $2, duration = $3, keyboard = $4, mouse = $5,
             overall = $6, time_log_ids = $7
         WHERE seq = $1",
    )
    .bind(seq)
    .bind(slot.project_id)
    .bind(slot.duration)
    .bind(slot.keyboard)
    .bind(slot.mouse)
    .bind(slot.overall)
    .bind(&slot.time_log_ids)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(Some(slot))
}

pub(super) async fn slot(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<TimeSlot> {
    let row = sqlx::query("SELECT * FROM time_slots WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::slot(&row)
}

/// `SELECT * FROM <table> WHERE` the filter, with `time_col` in `[from, to)`.
/// Screenshots have no project of their own: for them a project filter
/// selects those whose slot is of one of the projects.
fn select_in_range(table: &str, time_col: &str, f: &Filter) -> QueryBuilder<Postgres> {
    let mut q = QueryBuilder::<Postgres>::new(format!("SELECT * FROM {table} WHERE org_id = "));
    q.push_bind(f.org_id);
    push_ids(&mut q, "employee_id", f.employee_ids.as_deref());
    if table == "screenshots" {
        if let Some(projects) = f.project_ids.as_deref() {
            q.push(" AND time_slot_id IN (SELECT id FROM time_slots WHERE project_id = ANY(")
                .push_bind(projects)
                .push("))");
        }
    } else {
        push_ids(&mut q, "project_id", f.project_ids.as_deref());
    }
    if let Some(from) = f.from {
        q.push(format!(" AND {time_col} >= "))
            .push_bind(from.timestamp_millis());
    }
    if let Some(to) = f.to {
        q.push(format!(" AND {time_col} < "))
            .push_bind(to.timestamp_millis());
    }
    q.push(format!(" ORDER BY {time_col}, seq"));
    q
}

pub(super) async fn list_slots(pool: &PgPool, f: &Filter) -> Result<Vec<TimeSlot>> {
    let found = select_in_range("time_slots", "started_at", f)
        .build()
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::slot)
}

/// Parts go with their slot (cascade); activities name slots without a
/// foreign key, so those naming any of `ids` are deleted here explicitly, in
/// the same transaction.
pub(super) async fn delete_slots(
    pool: &PgPool,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<TimeSlot>> {
    let mut tx = pool.begin().await.map_err(db)?;
    let result = delete_in(&mut tx, org_id, ids).await;
    finish(tx, result).await
}

async fn delete_in(conn: &mut PgConnection, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<TimeSlot>> {
    let found =
        sqlx::query("DELETE FROM time_slots WHERE org_id = $1 AND id = ANY($2) RETURNING *")
            .bind(org_id)
            .bind(ids)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
    let mut deleted = rows::all(&found, rows::slot)?;
    sqlx::query("DELETE FROM activities WHERE org_id = $1 AND time_slot_id = ANY($2)")
        .bind(org_id)
        .bind(ids)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    deleted.sort_by_key(|s| s.started_at);
    Ok(deleted)
}

/// One statement over arrays (`UNNEST`), so a sync batch of hundreds of
/// activities is one round trip; ids already stored are skipped.
pub(super) async fn insert_activities(pool: &PgPool, acts: &[Activity]) -> Result<u64> {
    if acts.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Activity) -> Uuid| acts.iter().map(f).collect::<Vec<_>>();
    let opt = |f: fn(&Activity) -> Option<Uuid>| acts.iter().map(f).collect::<Vec<_>>();
    let done = sqlx::query(
        "INSERT INTO activities (id, org_id, employee_id, time_slot_id, project_id, title, kind,
             recorded_at, duration)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[],
             $6::text[], $7::text[], $8::bigint[], $9::bigint[])
         ON CONFLICT (org_id, id) DO NOTHING",
    )
    .bind(col(|a| a.id))
    .bind(col(|a| a.org_id))
    .bind(col(|a| a.employee_id))
    .bind(opt(|a| a.time_slot_id))
    .bind(opt(|a| a.project_id))
    .bind(acts.iter().map(|a| a.title.as_str()).collect::<Vec<_>>())
    .bind(acts.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>())
    .bind(
        acts.iter()
            .map(|a| a.recorded_at.timestamp_millis())
            .collect::<Vec<_>>(),
    )
    .bind(acts.iter().map(|a| a.duration).collect::<Vec<_>>())
    .execute(pool)
    .await
    .map_err(db)?;
    Ok(done.rows_affected())
}

pub(super) async fn list_activities(pool: &PgPool, f: &Filter) -> Result<Vec<Activity>> {
    let found = select_in_range("activities", "recorded_at", f)
        .build()
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::activity)
}

/// Idempotent on (organization, id).
pub(super) async fn insert_screenshot(pool: &PgPool, s: Screenshot) -> Result<(Screenshot, bool)> {
    let created = sqlx::query(
        "INSERT INTO screenshots (id, org_id, employee_id, time_slot_id, recorded_at, width,
             height, size, sha256, file_key, thumb_key, content_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (org_id, id) DO NOTHING
         RETURNING *",
    )
    .bind(s.id)
    .bind(s.org_id)
    .bind(s.employee_id)
    .bind(s.time_slot_id)
    .bind(s.recorded_at.timestamp_millis())
    .bind(s.width)
    .bind(s.height)
    .bind(s.size)
    .bind(&s.sha256)
    .bind(&s.file_key)
    .bind(&s.thumb_key)
    .bind(&s.content_type)
    .fetch_optional(pool)
    .await
    .map_err(db)?;
    match created {
        Some(row) => Ok((rows::screenshot(&row)?, true)),
        None => Ok((screenshot(pool, s.org_id, s.id).await?, false)),
    }
}

pub(super) async fn screenshot(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<Screenshot> {
    let row = sqlx::query("SELECT * FROM screenshots WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(db)?;
    rows::screenshot(&row)
}

pub(super) async fn list_screenshots(pool: &PgPool, f: &Filter) -> Result<Vec<Screenshot>> {
    let found = select_in_range("screenshots", "recorded_at", f)
        .build()
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::screenshot)
}

/// Deletes a screenshot and leaves its tombstone, in one statement.
pub(super) async fn delete_screenshot(pool: &PgPool, org_id: Uuid, id: Uuid) -> Result<()> {
    let done = sqlx::query(
        "WITH gone AS (DELETE FROM screenshots WHERE org_id = $1 AND id = $2 RETURNING id, org_id)
         INSERT INTO screenshot_tombstones (screenshot_id, org_id, deleted_at)
         SELECT id, org_id, $3 FROM gone
         ON CONFLICT (screenshot_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at",
    )
    .bind(org_id)
    .bind(id)
    .bind(chrono::Utc::now().timestamp_millis())
    .execute(pool)
    .await
    .map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Removes the views of screenshots deleted before `deleted_before`, and
/// their tombstones; how many views went.
pub(super) async fn purge_views(pool: &PgPool, deleted_before: Instant) -> Result<u64> {
    let done = sqlx::query(
        "WITH old AS (DELETE FROM screenshot_tombstones WHERE deleted_at < $1 RETURNING screenshot_id)
         DELETE FROM screenshot_views WHERE screenshot_id IN (SELECT screenshot_id FROM old)",
    )
    .bind(deleted_before.timestamp_millis())
    .execute(pool)
    .await
    .map_err(db)?;
    Ok(done.rows_affected())
}

/// Adds one view; views are never changed or deleted.
pub(super) async fn record_view(pool: &PgPool, v: ScreenshotView) -> Result<()> {
    sqlx::query(
        "INSERT INTO screenshot_views (id, org_id, screenshot_id, employee_id, viewer_id,
             viewed_at, thumb)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(v.id)
    .bind(v.org_id)
    .bind(v.screenshot_id)
    .bind(v.owner_id)
    .bind(v.viewer_id)
    .bind(v.viewed_at.timestamp_millis())
    .bind(v.thumb)
    .execute(pool)
    .await
    .map_err(db)?;
    Ok(())
}

/// Views of the filter's employees' screenshots inside the range, by time.
pub(super) async fn list_views(pool: &PgPool, f: &Filter) -> Result<Vec<ScreenshotView>> {
    let found = select_in_range("screenshot_views", "viewed_at", f)
        .build()
        .fetch_all(pool)
        .await
        .map_err(db)?;
    rows::all(&found, rows::screenshot_view)
}
