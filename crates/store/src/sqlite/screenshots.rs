//! Screenshot records (the images themselves live in blob storage).

use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use stint_model::{Instant, Screenshot, ScreenshotView};
use uuid::Uuid;

use super::filter::Where;
use super::rows::{self, SCREENSHOT_COLS, id, ms, opt_id};
use crate::{Filter, Result, StoreError};

/// Stores the record unless the organization already has this id; then the
/// stored one comes back with `false` (an upload retried after a timeout).
pub(super) fn insert_screenshot(tx: &Transaction<'_>, s: Screenshot) -> Result<(Screenshot, bool)> {
    let n = tx.execute(
        "INSERT INTO screenshots (id, org_id, employee_id, time_slot_id, recorded_at, width,
             height, size, sha256, file_key, thumb_key, content_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (org_id, id) DO NOTHING",
        params![
            id(s.id),
            id(s.org_id),
            id(s.employee_id),
            opt_id(s.time_slot_id),
            ms(s.recorded_at),
            s.width,
            s.height,
            s.size,
            s.sha256,
            s.file_key,
            s.thumb_key,
            s.content_type,
        ],
    )?;
    Ok((screenshot(tx, s.org_id, s.id)?, n == 1))
}

pub(super) fn screenshot(c: &Connection, org_id: Uuid, shot_id: Uuid) -> Result<Screenshot> {
    let sql = format!("SELECT {SCREENSHOT_COLS} FROM screenshots WHERE org_id = ?1 AND id = ?2");
    Ok(c.query_row(&sql, [id(org_id), id(shot_id)], rows::screenshot)?)
}

/// Recorded inside the range, by time. Screenshots have no project of
/// their own: a project filter selects those taken in that project's slots.
pub(super) fn list_screenshots(c: &Connection, f: &Filter) -> Result<Vec<Screenshot>> {
    let mut w = Where::scope(f, "employee_id", None);
    if let Some(projects) = &f.project_ids {
        let mut inner = Where::default();
        inner.and("org_id = ?", [Value::Text(id(f.org_id))]);
        inner.any_of("project_id", projects);
        w.and(
            format!("time_slot_id IN (SELECT id FROM time_slots{})", inner.sql()),
            inner.params,
        );
    }
    w.instant_in_range("recorded_at", f);
    let sql = format!(
        "SELECT {SCREENSHOT_COLS} FROM screenshots{} ORDER BY recorded_at, seq",
        w.sql()
    );
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(params_from_iter(w.params), rows::screenshot)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

/// Oldest first, on the (org_id, recorded_at) index.
pub(super) fn recorded_before(
    c: &Connection,
    org_id: Uuid,
    before: stint_model::Instant,
    limit: u32,
) -> Result<Vec<Screenshot>> {
    let sql = format!(
        "SELECT {SCREENSHOT_COLS} FROM screenshots WHERE org_id = ?1 AND recorded_at < ?2
         ORDER BY recorded_at, seq LIMIT ?3"
    );
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(params![id(org_id), ms(before), limit], rows::screenshot)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

pub(super) fn delete_screenshot(tx: &Transaction<'_>, org_id: Uuid, shot_id: Uuid) -> Result<()> {
    let n = tx.execute(
        "DELETE FROM screenshots WHERE org_id = ?1 AND id = ?2",
        [id(org_id), id(shot_id)],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute(
        "INSERT OR REPLACE INTO screenshot_tombstones (screenshot_id, org_id, deleted_at)
         VALUES (?1, ?2, ?3)",
        params![id(shot_id), id(org_id), ms(chrono::Utc::now())],
    )?;
    Ok(())
}

/// Removes the views of screenshots deleted before `deleted_before`, and
/// their tombstones; how many views went.
pub(super) fn purge_views(tx: &Transaction<'_>, deleted_before: Instant) -> Result<u64> {
    let before = ms(deleted_before);
    let n = tx.execute(
        "DELETE FROM screenshot_views WHERE screenshot_id IN
           (SELECT screenshot_id FROM screenshot_tombstones WHERE deleted_at < ?1)",
        [before],
    )?;
    tx.execute(
        "DELETE FROM screenshot_tombstones WHERE deleted_at < ?1",
        [before],
    )?;
    Ok(n as u64)
}

/// Adds one view; views are never changed or deleted.
pub(super) fn record_view(tx: &Transaction<'_>, v: ScreenshotView) -> Result<()> {
    tx.execute(
        "INSERT INTO screenshot_views (id, org_id, screenshot_id, employee_id, viewer_id,
             viewed_at, thumb)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id(v.id),
            id(v.org_id),
            id(v.screenshot_id),
            id(v.owner_id),
            id(v.viewer_id),
            ms(v.viewed_at),
            v.thumb,
        ],
    )?;
    Ok(())
}

/// Views of the filter's employees' screenshots inside the range, by time.
pub(super) fn list_views(c: &Connection, f: &Filter) -> Result<Vec<ScreenshotView>> {
    let mut w = Where::scope(f, "employee_id", None);
    w.instant_in_range("viewed_at", f);
    let sql = format!(
        "SELECT id, org_id, screenshot_id, employee_id, viewer_id, viewed_at, thumb
         FROM screenshot_views{} ORDER BY viewed_at, seq",
        w.sql()
    );
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(params_from_iter(w.params), |r| {
            Ok(ScreenshotView {
                id: rows::uuid(r, 0)?,
                org_id: rows::uuid(r, 1)?,
                screenshot_id: rows::uuid(r, 2)?,
                owner_id: rows::uuid(r, 3)?,
                viewer_id: rows::uuid(r, 4)?,
                viewed_at: rows::instant(r, 5)?,
                thumb: r.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(out)
}
