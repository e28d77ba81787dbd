//! Sign-in sessions and server-wide settings.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use stint_model::{Instant, User};
use uuid::Uuid;

use super::rows::{self, SESSION_COLS, USER_COLS, id, ms};
use crate::{Result, Rotated, Session, StoreError};

pub(super) fn create_session(tx: &Transaction<'_>, s: Session) -> Result<()> {
    tx.execute(
        "INSERT INTO sessions
             (id, user_id, refresh_hash, previous_hash, rotated_at, expires_at, revoked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id(s.id),
            id(s.user_id),
            s.refresh_hash,
            s.previous_hash,
            s.rotated_at.map(ms),
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

/// The user of a live session, in one read (see `Store::session_user`).
pub(super) fn session_user(
    c: &Connection,
    session_id: Uuid,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<User> {
    let sql = format!(
        "SELECT {USER_COLS} FROM users WHERE id = ?2 AND org_id = ?3
           AND EXISTS (SELECT 1 FROM sessions WHERE id = ?1 AND user_id = ?2 AND NOT revoked)"
    );
    let ids = [id(session_id), id(user_id), id(org_id)];
    Ok(c.query_row(&sql, ids, rows::user)?)
}

/// Compare-and-set on the refresh hash, in one UPDATE (SQLite has one
/// writer, and the statement both checks and writes): of two refreshes
/// presenting the same hash, one wins. The current hash moves to
/// `previous_hash`; the previous one, taken inside its grace, clears it (so
/// it is taken once, and the hash it had been rotated to is forgotten).
/// A revoked session never rotates. An unknown session is `NotFound`.
pub(super) fn rotate_session(
    tx: &Transaction<'_>,
    session_id: Uuid,
    presented: &str,
    new_hash: &str,
    now: Instant,
    grace_since: Instant,
    expires_at: Instant,
) -> Result<Rotated> {
    // SET reads the row as it was, so `refresh_hash = ?2` there asks which
    // hash matched; RETURNING sees the row as written.
    let took_current: Option<bool> = tx
        .query_row(
            "UPDATE sessions
             SET previous_hash = CASE WHEN refresh_hash = ?2 THEN refresh_hash END,
                 rotated_at = ?4, refresh_hash = ?3, expires_at = ?6
             WHERE id = ?1 AND revoked = 0
               AND (refresh_hash = ?2 OR (previous_hash = ?2 AND rotated_at >= ?5))
             RETURNING previous_hash IS NOT NULL",
            params![
                id(session_id),
                presented,
                new_hash,
                ms(now),
                ms(grace_since),
                ms(expires_at)
            ],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match took_current {
        Some(true) => Rotated::Current,
        Some(false) => Rotated::Previous,
        None => {
            session(tx, session_id)?;
            Rotated::Refused
        }
    })
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
