//! SQLite backend (rusqlite, bundled SQLite): the embedded default.
//!
//! One [`Connection`] sits behind a mutex and every call runs on tokio's
//! blocking pool, so SQLite's synchronous I/O never stalls the async runtime.
//! A single connection is also a single writer: the per-employee rules (no
//! overlapping logs, one running timer) are checked and written under the
//! same lock, and multi-statement writes still run in a `BEGIN IMMEDIATE`
//! transaction so that a failure half-way leaves nothing behind.
//!
//! Storage conventions: instants are INTEGER milliseconds since the epoch
//! (the model's precision), uuids hyphenated TEXT, local dates
//! `YYYY-MM-DD` TEXT. The modules are split by what they store; `rows`
//! turns rows back into model values without ever panicking on bad data.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

use crate::{Result, StoreError};

mod client_ids;
mod filter;
mod log_run;
mod logs;
mod logs_batch;
mod logs_page;
mod migrate;
mod orgs;
mod rows;
mod screenshots;
mod sessions;
mod slots;
mod store;
mod tasks;
mod timesheets;

/// How long a statement waits for another process holding the database
/// (e.g. `stint` admin commands next to a running server) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite [`Store`](crate::Store). Cheap to clone; clones share the
/// connection.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating it and its parent directories if needed) the database
    /// at `path` and brings its schema up to date. The database holds the
    /// JWT secret and password hashes, so it and its `-wal` and `-shm` are
    /// private to this user (see `stint_private`), including a database an
    /// older version left readable.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let private = |e: std::io::Error| StoreError::Backend(e.to_string());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            stint_private::create_dir_all(dir).map_err(private)?;
        }
        stint_private::sqlite(path).map_err(private)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers in other processes proceed while we write;
        // NORMAL is durable across application crashes, which is what a
        // time tracker needs, and avoids an fsync per commit.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(format!(
                "cannot switch {} to WAL (journal_mode is {mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        SqliteStore::init(conn)
    }

    /// A private database that lives as long as the store (tests, demos).
    pub fn in_memory() -> Result<SqliteStore> {
        SqliteStore::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<SqliteStore> {
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate::run(&mut conn)?;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// How many migrations the database has seen (`PRAGMA user_version`).
    pub async fn schema_version(&self) -> Result<i64> {
        self.call(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .await
    }

    /// Runs `f` with the connection on the blocking pool.
    async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let asked = std::time::Instant::now();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a half-done write:
            // an open transaction rolls back when dropped. So a poisoned
            // lock is still a usable connection.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            tracing::trace!(
                target: crate::pool::SQLITE_ACQUIRE_TARGET,
                acquired_after_secs = asked.elapsed().as_secs_f64(),
                "acquired the connection"
            );
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("blocking task failed: {e}")))?
    }

    /// Like [`call`](Self::call), inside a `BEGIN IMMEDIATE` transaction that
    /// commits when `f` returns `Ok` and rolls back otherwise.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

/// rusqlite errors as store errors: no row is `NotFound`, a missing
/// referenced row (foreign key) is `NotFound` too, a unique rule is a
/// `Conflict`; call sites that know which rule replace that message with a
/// readable one (see `conflict_as`).
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        if matches!(e, rusqlite::Error::QueryReturnedNoRows) {
            return StoreError::NotFound;
        }
        if let Some(err) = e.sqlite_error()
            && err.code == ErrorCode::ConstraintViolation
        {
            match err.extended_code {
                rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return StoreError::Conflict("it already exists".into());
                }
                _ => {}
            }
        }
        StoreError::Backend(e.to_string())
    }
}

/// True when `e` is a UNIQUE or PRIMARY KEY violation.
fn unique_violation(e: &rusqlite::Error) -> bool {
    e.sqlite_error().is_some_and(|err| {
        err.code == ErrorCode::ConstraintViolation
            && matches!(
                err.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            )
    })
}

/// Maps a unique violation to `Conflict(message)`, anything else as usual.
fn conflict_as(message: impl FnOnce() -> String) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |e| {
        if unique_violation(&e) {
            StoreError::Conflict(message())
        } else {
            e.into()
        }
    }
}
