//! Schema migrations, embedded in the binary and applied at open.
//!
//! `PRAGMA user_version` holds how many migrations the file has seen; each
//! pending one runs in its own transaction together with the version bump,
//! so a crash mid-way leaves the previous, consistent schema.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Result, StoreError};

/// In order; never edit a released one, add the next file instead.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    (
        "0002_session_previous_hash",
        include_str!("migrations/0002_session_previous_hash.sql"),
    ),
    (
        "0003_client_ids",
        include_str!("migrations/0003_client_ids.sql"),
    ),
    (
        "0004_screenshot_views",
        include_str!("migrations/0004_screenshot_views.sql"),
    ),
    (
        "0005_screenshot_retention",
        include_str!("migrations/0005_screenshot_retention.sql"),
    ),
    (
        "0006_projects_tasks",
        include_str!("migrations/0006_projects_tasks.sql"),
    ),
    (
        "0007_rejection_reason",
        include_str!("migrations/0007_rejection_reason.sql"),
    ),
    (
        "0008_never_capture",
        include_str!("migrations/0008_never_capture.sql"),
    ),
    (
        "0009_screenshot_deletion",
        include_str!("migrations/0009_screenshot_deletion.sql"),
    ),
    (
        "0010_screenshot_tombstones",
        include_str!("migrations/0010_screenshot_tombstones.sql"),
    ),
];

/// Applies the migrations this database has not seen yet.
pub(super) fn run(conn: &mut Connection) -> Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(StoreError::Backend(format!(
            "the database schema is version {applied}, newer than this program knows ({known}); \
             upgrade Stint"
        )));
    }
    for (version, (name, sql)) in (1..).zip(MIGRATIONS).skip(applied as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Backend(format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(migration = name, "applied SQLite migration");
    }
    Ok(())
}
