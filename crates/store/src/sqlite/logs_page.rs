//! Listing logs by a [`Filter`]: all of them (`list_logs`), or one page of
//! a long listing (the CSV export), with keyset pagination on
//! `(started_at, seq)` so page n costs what page 1 does. One query serves
//! both, so a page and the whole list cannot disagree.

use rusqlite::Connection;
use rusqlite::types::Value;
use stint_model::{Instant, TimeLog};

use super::filter::Where;
use super::rows::{self, LOG_COLS, ms};
use crate::{Filter, Result};

/// See [`crate::Store::page_logs`].
pub(super) fn page_logs(
    c: &Connection,
    f: &Filter,
    after: Option<(Instant, i64)>,
    limit: u32,
) -> Result<Vec<TimeLog>> {
    select_logs(c, f, after, Some(limit))
}

/// Live logs overlapping `[from, to)` (a log touching an edge is outside,
/// a running log reaches to the end of time), after `after` in
/// `(started_at, seq)` order, `limit` at most.
pub(super) fn select_logs(
    c: &Connection,
    f: &Filter,
    after: Option<(Instant, i64)>,
    limit: Option<u32>,
) -> Result<Vec<TimeLog>> {
    let mut w = Where::scope(f, "employee_id", Some("project_id"));
    w.and("deleted_at IS NULL", []);
    if let Some(to) = f.to {
        w.and("started_at < ?", [Value::Integer(ms(to))]);
    }
    if let Some(from) = f.from {
        w.and(
            "(stopped_at IS NULL OR stopped_at > ?)",
            [Value::Integer(ms(from))],
        );
    }
    if let Some((at, seq)) = after {
        // `started_at >= ?` on its own, so the index on (org_id,
        // started_at) starts the page's scan at the cursor (an OR alone
        // is no range bound, and every page would scan from the first log).
        w.and(
            "started_at >= ? AND (started_at > ? OR seq > ?)",
            [
                Value::Integer(ms(at)),
                Value::Integer(ms(at)),
                Value::Integer(seq),
            ],
        );
    }
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sql = format!(
        "SELECT {LOG_COLS} FROM time_logs{} ORDER BY started_at, seq{limit}",
        w.sql()
    );
    let mut stmt = c.prepare(&sql)?;
    let out = stmt
        .query_map(rusqlite::params_from_iter(w.params), rows::log)?
        .collect::<Result<_, _>>()?;
    Ok(out)
}
