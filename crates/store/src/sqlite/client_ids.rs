//! Who first used each client id (see `Store::claim_ids`).

use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::rows::id;
use crate::{IdKind, Result};

/// Records `owner_id` for each unclaimed id; answers the ids someone else
/// holds. One write transaction, so the claim and the answer agree.
pub(super) fn claim_ids(
    tx: &Transaction<'_>,
    org_id: Uuid,
    kind: IdKind,
    owner_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    let (org, owner) = (id(org_id), id(owner_id));
    let mut claim = tx.prepare_cached(
        "INSERT INTO client_ids (org_id, kind, id, owner_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
    )?;
    let mut holder = tx.prepare_cached(
        "SELECT owner_id FROM client_ids WHERE org_id = ?1 AND kind = ?2 AND id = ?3",
    )?;
    let mut foreign = Vec::new();
    for &i in ids {
        if claim.execute(params![org, kind.as_str(), id(i), owner])? == 1 {
            continue;
        }
        let held: Option<String> = holder
            .query_row(params![org, kind.as_str(), id(i)], |r| r.get(0))
            .optional()?;
        if held.is_some_and(|h| h != owner) && !foreign.contains(&i) {
            foreign.push(i);
        }
    }
    Ok(foreign)
}
