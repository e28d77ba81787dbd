//! The conformance suite on SQLite, plus what only SQLite has: a file on
//! disk, reopened.
//!
//! Each case gets its own database file under cargo's per-target scratch
//! directory (`target/tmp`), kept after the run so a failing case can be
//! inspected with `sqlite3`; the next run starts from fresh directories.

use std::path::PathBuf;
use std::sync::Arc;

use stint_store::sqlite::SqliteStore;
use stint_store::{Store, StoreError};
use uuid::Uuid;

/// A fresh directory for one database, kept after the test.
fn scratch_dir() -> PathBuf {
    tempfile::Builder::new()
        .prefix("stint-sqlite-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a scratch directory")
        .keep()
}

stint_store::conformance_tests!(async {
    let path = scratch_dir().join("stint.db");
    Arc::new(SqliteStore::open(&path).expect("open the database")) as Arc<dyn Store>
});

/// The suite on an in-memory database too: `in_memory` is what demos and
/// other crates' unit tests use.
mod in_memory {
    use super::*;

    stint_store::conformance_tests!(async {
        Arc::new(SqliteStore::in_memory().expect("an in-memory database")) as Arc<dyn Store>
    });
}

/// Data survives closing and reopening; migrations are not re-applied; the
/// parent directories are created.
#[tokio::test]
async fn reopening_keeps_data_and_schema() {
    let path = scratch_dir().join("nested").join("dir").join("stint.db");
    let org = Uuid::now_v7();
    {
        let store = SqliteStore::open(&path).expect("open");
        store.create_org(org, "Acme").await.expect("create");
        assert_eq!(store.schema_version().await.expect("version"), 10);
    }
    let store = SqliteStore::open(&path).expect("reopen");
    assert_eq!(store.schema_version().await.expect("version"), 10);
    assert_eq!(store.org(org).await.expect("found").name, "Acme");
    assert!(matches!(
        store.create_org(Uuid::now_v7(), "Acme").await,
        Err(StoreError::Conflict(_))
    ));
}

/// A database written by a newer Stint is refused instead of misread.
#[tokio::test]
async fn a_newer_schema_is_refused() {
    let path = scratch_dir().join("stint.db");
    drop(SqliteStore::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(conn);
    match SqliteStore::open(&path) {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("newer"), "{msg}"),
        other => panic!("expected a Backend error, got {other:?}"),
    }
}

/// A stored value the program cannot read is an error, not a panic.
#[tokio::test]
async fn bad_stored_enum_text_is_a_backend_error() {
    let path = scratch_dir().join("stint.db");
    let store = SqliteStore::open(&path).expect("open");
    let org = Uuid::now_v7();
    store.create_org(org, "Acme").await.expect("create");
    let user = stint_store::NewUser {
        id: Uuid::now_v7(),
        org_id: org,
        email: "omar@acme.example".into(),
        name: "Omar".into(),
        password_hash: "x".into(),
        role: stint_model::Role::Employee,
        supervisor_id: None,
        timezone: "UTC".into(),
    };
    let omar = store.create_user(user).await.expect("user");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute("UPDATE users SET role = 'boss'", [])
        .expect("corrupt");
    drop(conn);
    match store.user(org, omar.id).await {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("boss"), "{msg}"),
        other => panic!("expected a Backend error, got {other:?}"),
    }
}

/// A database from before rejection reasons (schema 6) is upgraded in place
/// at open: its sheets are kept, read without a reason, and take one.
#[tokio::test]
async fn a_schema_6_database_gains_rejection_reasons_in_place() {
    let path = scratch_dir().join("stint.db");
    let store = SqliteStore::open(&path).expect("open");
    let org = Uuid::now_v7();
    store.create_org(org, "Acme").await.expect("create");
    let omar = store
        .create_user(stint_store::NewUser {
            id: Uuid::now_v7(),
            org_id: org,
            email: "omar@acme.example".into(),
            name: "Omar".into(),
            password_hash: "x".into(),
            role: stint_model::Role::Employee,
            supervisor_id: None,
            timezone: "UTC".into(),
        })
        .await
        .expect("user");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 4, 5).expect("a date");
    let end = start + chrono::Duration::days(6);
    let (sheet, _) = store
        .ensure_timesheet(Uuid::now_v7(), org, omar.id, start, end)
        .await
        .expect("sheet");
    drop(store);
    // Back to what version 6 wrote.
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute_batch(
        "ALTER TABLE timesheets DROP COLUMN rejection_reason;
         ALTER TABLE orgs DROP COLUMN never_capture;
         ALTER TABLE orgs DROP COLUMN screenshot_deletion;
         DROP TABLE screenshot_tombstones;
         DROP INDEX screenshot_views_shot;
         PRAGMA user_version = 6;",
    )
    .expect("downgrade");
    drop(conn);

    let store = SqliteStore::open(&path).expect("reopen and upgrade");
    assert_eq!(store.schema_version().await.expect("version"), 10);
    let found = store.timesheet(org, sheet.id).await.expect("kept");
    assert_eq!(found, sheet);
    // 0008: the organization captures everything until told otherwise.
    assert_eq!(store.org(org).await.expect("org").never_capture, "");
    let rejected = stint_model::Timesheet {
        status: stint_model::TimesheetStatus::Rejected,
        rejection_reason: Some("Tuesday is missing".into()),
        ..found
    };
    store
        .update_timesheets(std::slice::from_ref(&rejected))
        .await
        .expect("written");
    assert_eq!(
        store.timesheet(org, sheet.id).await.expect("read"),
        rejected
    );
}
