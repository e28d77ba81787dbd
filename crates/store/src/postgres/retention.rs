//! What the retention purge needs from PostgreSQL: the oldest screenshots
//! of an organization, and one purge at a time across replicas.

use sqlx::PgPool;
use stint_model::{Instant, Screenshot};
use uuid::Uuid;

use super::{db, rows};
use crate::{Job, Result};

/// Oldest first, on the (org_id, recorded_at) index.
pub(super) async fn recorded_before(
    pool: &PgPool,
    org_id: Uuid,
    before: Instant,
    limit: u32,
) -> Result<Vec<Screenshot>> {
    let found = sqlx::query(
        "SELECT * FROM screenshots WHERE org_id = $1 AND recorded_at < $2
         ORDER BY recorded_at, seq LIMIT $3",
    )
    .bind(org_id)
    .bind(before.timestamp_millis())
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(db)?;
    rows::all(&found, rows::screenshot)
}

/// Runs `job` while holding the session advisory lock `key` on a
/// connection of its own; another replica holding it means `false`.
///
/// A session lock, not a transaction's: the job makes many short
/// transactions and deletes objects between them. The connection is closed
/// afterwards instead of going back to the pool, so the lock cannot outlive
/// the job even if unlocking fails or the job panics (PostgreSQL drops a
/// session's locks with the session).
pub(super) async fn run_exclusive<'a>(pool: &PgPool, key: i64, job: Job<'a>) -> Result<bool> {
    let mut conn = pool.acquire().await.map_err(db)?;
    conn.close_on_drop();
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(key)
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    if locked {
        job.await;
        let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await;
    }
    Ok(locked)
}
