//! Ten-minute slots and the activities recorded in them.
//!
//! A slot is one row per (employee, start). Every part merged into it is
//! remembered in `time_slot_parts`, so a replayed part is recognised and
//! changes nothing; the merge arithmetic is the model's
//! [`TimeSlot::merge`], the same for every backend.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use stint_model::{Activity, Instant, SlotPart, TimeSlot};
use uuid::Uuid;

use super::filter::Where;
use super::rows::{self, ACTIVITY_COLS, SLOT_COLS, id, ms, opt_id};
use crate::{Filter, Result};

/// Where a part lands, as the trait's `add_slot_part` receives it.
pub(super) struct PartTarget {
    pub slot_id_if_new: Uuid,
    pub org_id: Uuid,
    pub employee_id: Uuid,
    pub project_id: Option<Uuid>,
    pub started_at: Instant,
}

/// Merges `part` into the slot (creating it), links the logs, and records
/// the part id; a known part id returns the slot it went into, unchanged.
pub(super) fn add_slot_part(
    tx: &Transaction<'_>,
    at: PartTarget,
    part: SlotPart,
    time_log_ids: Vec<Uuid>,
) -> Result<TimeSlot> {
    let seen: Option<i64> = tx
        .query_row(
            "SELECT slot_seq FROM time_slot_parts WHERE org_id = ?1 AND part_id = ?2",
            [id(at.org_id), id(part.id)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(seq) = seen {
        return slot_by_seq(tx, seq);
    }
    let sql = format!(
        "SELECT {SLOT_COLS} FROM time_slots
         WHERE org_id = ?1 AND employee_id = ?2 AND started_at = ?3"
    );
    let existing = tx
        .query_row(
            &sql,
            params![id(at.org_id), id(at.employee_id), ms(at.started_at)],
            rows::slot,
        )
        .optional()?;
    let (seq, mut slot) = match existing {
        Some(found) => found,
        None => {
            // An empty slot; merging the first part into it copies the part.
            tx.execute(
                "INSERT INTO time_slots (id, org_id, employee_id, project_id, started_at,
                     duration, keyboard, mouse, overall)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0)",
                params![
                    id(at.slot_id_if_new),
                    id(at.org_id),
                    id(at.employee_id),
                    opt_id(at.project_id),
                    ms(at.started_at)
                ],
            )?;
            let seq = tx.last_insert_rowid();
            (seq, slot_by_seq(tx, seq)?)
        }
    };
    slot.merge(&part);
    tx.execute(
        "UPDATE time_slots SET duration = ?2, keyboard = ?3, mouse = ?4, overall = ?5,
             project_id = COALESCE(project_id, ?6)
         WHERE seq = ?1",
        params![
            seq,
            slot.duration,
            slot.keyboard,
            slot.mouse,
            slot.overall,
            opt_id(at.project_id)
        ],
    )?;
    tx.execute(
        "INSERT INTO time_slot_parts (org_id, part_id, slot_seq) VALUES (?1, ?2, ?3)",
        params![id(at.org_id), id(part.id), seq],
    )?;
    let mut link = tx.prepare_cached(
        "INSERT INTO time_slot_logs (slot_seq, time_log_id) VALUES (?1, ?2)
         ON CONFLICT DO NOTHING",
    )?;
    for log_id in time_log_ids {
        link.execute(params![seq, id(log_id)])?;
    }
    slot_by_seq(tx, seq)
}

pub(super) fn slot(c: &Connection, org_id: Uuid, slot_id: Uuid) -> Result<TimeSlot> {
    let sql = format!("SELECT {SLOT_COLS} FROM time_slots WHERE org_id = ?1 AND id = ?2");
    let (seq, s) = c.query_row(&sql, [id(org_id), id(slot_id)], rows::slot)?;
    with_logs(c, seq, s)
}

/// Slots starting inside the range, by start.
pub(super) fn list_slots(c: &Connection, f: &Filter) -> Result<Vec<TimeSlot>> {
    let mut w = Where::scope(f, "employee_id", Some("project_id"));
    w.instant_in_range("started_at", f);
    let sql = format!(
        "SELECT {SLOT_COLS} FROM time_slots{} ORDER BY started_at, seq",
        w.sql()
    );
    select_slots(c, &sql, w.params)
}

/// Deletes the organization's slots among `ids` with their activities,
/// parts and log links; returns what was deleted.
pub(super) fn delete_slots(
    tx: &Transaction<'_>,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<TimeSlot>> {
    let mut w = Where::default();
    w.and("org_id = ?", [Value::Text(id(org_id))]);
    w.any_of("id", ids);
    let sql = format!(
        "SELECT {SLOT_COLS} FROM time_slots{} ORDER BY started_at, seq",
        w.sql()
    );
    let gone = select_slots(tx, &sql, w.params.clone())?;
    let mut w_act = Where::default();
    w_act.and("org_id = ?", [Value::Text(id(org_id))]);
    w_act.any_of("time_slot_id", ids);
    tx.execute(
        &format!("DELETE FROM activities{}", w_act.sql()),
        params_from_iter(w_act.params),
    )?;
    tx.execute(
        &format!("DELETE FROM time_slots{}", w.sql()),
        params_from_iter(w.params),
    )?;
    Ok(gone)
}

/// Inserts the activities whose ids the organization has not stored yet.
pub(super) fn insert_activities(tx: &Transaction<'_>, activities: &[Activity]) -> Result<u64> {
    let mut stmt = tx.prepare(
        "INSERT INTO activities (id, org_id, employee_id, time_slot_id, project_id, title,
             kind, recorded_at, duration)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (org_id, id) DO NOTHING",
    )?;
    let mut new = 0;
    for a in activities {
        new += stmt.execute(params![
            id(a.id),
            id(a.org_id),
            id(a.employee_id),
            opt_id(a.time_slot_id),
            opt_id(a.project_id),
            a.title,
            a.kind,
            ms(a.recorded_at),
            a.duration,
        ])? as u64;
    }
    Ok(new)
}

/// Activities recorded inside the range, by time.
pub(super) fn list_activities(c: &Connection, f: &Filter) -> Result<Vec<Activity>> {
    let mut w = Where::scope(f, "employee_id", Some("project_id"));
    w.instant_in_range("recorded_at", f);
    let sql = format!(
        "SELECT {ACTIVITY_COLS} FROM activities{} ORDER BY recorded_at, seq",
        w.sql()
    );
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(params_from_iter(w.params), rows::activity)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}

fn slot_by_seq(c: &Connection, seq: i64) -> Result<TimeSlot> {
    let sql = format!("SELECT {SLOT_COLS} FROM time_slots WHERE seq = ?1");
    let (seq, s) = c.query_row(&sql, [seq], rows::slot)?;
    with_logs(c, seq, s)
}

fn select_slots(c: &Connection, sql: &str, params: Vec<Value>) -> Result<Vec<TimeSlot>> {
    let mut stmt = c.prepare(sql)?;
    let found: Vec<(i64, TimeSlot)> = stmt
        .query_map(params_from_iter(params), rows::slot)?
        .collect::<Result<_, _>>()?;
    found
        .into_iter()
        .map(|(seq, s)| with_logs(c, seq, s))
        .collect()
}

/// Fills in the slot's log ids, in the order they were linked.
fn with_logs(c: &Connection, seq: i64, mut slot: TimeSlot) -> Result<TimeSlot> {
    let mut stmt = c.prepare_cached(
        "SELECT time_log_id FROM time_slot_logs WHERE slot_seq = ?1 ORDER BY rowid",
    )?;
    slot.time_log_ids = stmt
        .query_map([seq], |r| rows::uuid(r, 0))?
        .collect::<Result<_, _>>()?;
    Ok(slot)
}
