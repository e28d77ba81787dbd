//! Who first used each client id (see `Store::claim_ids`).

use sqlx::PgPool;
use uuid::Uuid;

use super::db;
use crate::{IdKind, Result};

/// Records `owner_id` for each unclaimed id, then answers the ids someone
/// else holds. Two statements outside a transaction on purpose: under READ
/// COMMITTED the second sees a concurrent claim the first skipped
/// (`ON CONFLICT DO NOTHING` waits for the other insert to commit), so of
/// two people claiming one id at once exactly one is told it is taken.
pub(super) async fn claim_ids(
    pool: &PgPool,
    org_id: Uuid,
    kind: IdKind,
    owner_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    sqlx::query(
        "INSERT INTO client_ids (org_id, kind, id, owner_id)
         SELECT $1, $2, u, $3 FROM UNNEST($4::uuid[]) AS u
         ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(kind.as_str())
    .bind(owner_id)
    .bind(&unique)
    .execute(pool)
    .await
    .map_err(db)?;
    sqlx::query_scalar(
        "SELECT id FROM client_ids
         WHERE org_id = $1 AND kind = $2 AND id = ANY($4) AND owner_id <> $3",
    )
    .bind(org_id)
    .bind(kind.as_str())
    .bind(owner_id)
    .bind(&unique)
    .fetch_all(pool)
    .await
    .map_err(db)
}
