//! Listing logs by a [`Filter`]: all of them (`list_logs`), or one page of
//! a long listing (the CSV export), with keyset pagination on
//! `(started_at, seq)` so page n costs what page 1 does. One query serves
//! both, so a page and the whole list cannot disagree.

use sqlx::{PgPool, Postgres, QueryBuilder};
use stint_model::{Instant, TimeLog};

use super::{db, push_ids, rows};
use crate::{Filter, Result};

/// See [`crate::Store::page_logs`].
pub(super) async fn page_logs(
    pool: &PgPool,
    f: &Filter,
    after: Option<(Instant, i64)>,
    limit: u32,
) -> Result<Vec<TimeLog>> {
    select_logs(pool, f, after, Some(limit)).await
}

/// Live logs sharing time with `[from, to)` (a running log extends to
/// infinity), after `after` in `(started_at, seq)` order, `limit` at most.
pub(super) async fn select_logs(
    pool: &PgPool,
    f: &Filter,
    after: Option<(Instant, i64)>,
    limit: Option<u32>,
) -> Result<Vec<TimeLog>> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT * FROM time_logs WHERE deleted_at IS NULL AND org_id = ",
    );
    q.push_bind(f.org_id);
    push_ids(&mut q, "employee_id", f.employee_ids.as_deref());
    push_ids(&mut q, "project_id", f.project_ids.as_deref());
    if let Some(from) = f.from {
        q.push(" AND (stopped_at IS NULL OR stopped_at > ")
            .push_bind(from.timestamp_millis())
            .push(")");
    }
    if let Some(to) = f.to {
        q.push(" AND started_at < ")
            .push_bind(to.timestamp_millis());
    }
    if let Some((at, seq)) = after {
        // `started_at >= $n` on its own: a bound the (org_id, started_at)
        // and (employee_id, started_at) indexes can start from (the row
        // comparison alone is not one for them).
        let at = at.timestamp_millis();
        q.push(" AND started_at >= ")
            .push_bind(at)
            .push(" AND (started_at, seq) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(seq)
            .push(")");
    }
    q.push(" ORDER BY started_at, seq");
    if let Some(limit) = limit {
        q.push(" LIMIT ").push_bind(i64::from(limit));
    }
    let found = q.build().fetch_all(pool).await.map_err(db)?;
    rows::all(&found, rows::log)
}
