//! Sign-in sessions and server-wide settings.

use rusqlite::{Connection, Transaction, params};
use stint_model::Instant;
use uuid::Uuid;

use super::rows::{self, SESSION_COLS, id, ms};
use crate::{Result, Session, StoreError};

pub(super) fn create_session(tx: &Transaction<'_>, s: Session) -> Result<()> {
    tx.execute(
        "INSERT INTO sessions (id, user_id, refresh_hash, expires_at, revoked)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id(s.id),
            id(s.user_id),
            s.refresh_hash,
            ms(s.expires_at),
            s.revoked
        ],
    )?;
    Ok(())
}

pub(super) fn session(c: &Connection, session_id: Uuid) -> Result<Session> {
    let sql = format!("SELECT {SESSION_COLS} FROM sessions WHERE id = ?1");
    Ok(c.query_row(&sql, [id(session_id)], rows::session)?)
}

/// Compare-and-swap on the refresh hash: of two refreshes presenting the
/// same token, one wins. A revoked session never rotates. An unknown
/// session is `NotFound`.
pub(super) fn rotate_session(
    tx: &Transaction<'_>,
    session_id: Uuid,
    old_hash: &str,
    new_hash: &str,
    expires_at: Instant,
) -> Result<bool> {
    let n = tx.execute(
        "UPDATE sessions SET refresh_hash = ?3, expires_at = ?4
         WHERE id = ?1 AND refresh_hash = ?2 AND revoked = 0",
        params![id(session_id), old_hash, new_hash, ms(expires_at)],
    )?;
    if n == 0 {
        session(tx, session_id)?;
    }
    Ok(n == 1)
}

pub(super) fn revoke_session(tx: &Transaction<'_>, session_id: Uuid) -> Result<()> {
    let n = tx.execute(
        "UPDATE sessions SET revoked = 1 WHERE id = ?1",
        [id(session_id)],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The first value ever stored under `key` wins.
pub(super) fn setting_or_init(
    tx: &Transaction<'_>,
    key: &str,
    value_if_new: &str,
) -> Result<String> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [key, value_if_new],
    )?;
    Ok(
        tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })?,
    )
}
