//! The conformance suite on PostgreSQL, plus what only PostgreSQL has:
//! several replicas (pools) writing to one database at once.
//!
//! Database: `STINT_TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`. Every test gets a fresh, empty
//! schema (`stint_t_<unix seconds>_<uuid>`) in that database and a store
//! whose connections have it as their `search_path` (and as their
//! `application_name`, so cleanup can find them); the store's own
//! migrations run in it, and tests cannot see each other.
//!
//! Litter stays bounded: each schema is dropped when its test's runtime
//! shuts down (a guard parked in a never-finishing task, see [`fresh`]),
//! pass or fail, and schemas older than an hour (from a run that was killed)
//! are swept by the next test that starts.
//!
//! With `CI=true` an unreachable database fails the tests; elsewhere they
//! are skipped with a message, so `cargo test` works on a laptop without
//! PostgreSQL.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{TimeZone, Utc};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use stint_model::{Instant, LogSource, LogType, Role, SlotPart, TimeLog};
use stint_store::postgres::PgStore;
use stint_store::{Filter, NewUser, Store, StoreError};
use uuid::Uuid;

stint_store::conformance_tests!(async { Arc::new(store_or_skip().await) as Arc<dyn Store> });

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const PREFIX: &str = "stint_t_";
/// Schemas older than this belong to runs that died; the next test drops them.
const STALE_AFTER_SECS: u64 = 3600;

fn base_url() -> String {
    std::env::var("STINT_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn schema_url(schema: &str) -> String {
    let base = base_url();
    let sep = if base.contains('?') { '&' } else { '?' };
    // The application name lets the cleanup find (and end) the store's
    // connections, which may still hold locks when a test fails.
    format!("{base}{sep}application_name={schema}&options[search_path]={schema}")
}

/// Drops its schema when dropped.
struct SchemaGuard(String);

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        // Async work cannot be awaited here (and this may run while a
        // runtime shuts down): use a thread with its own small runtime.
        let schema = std::mem::take(&mut self.0);
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = PgConnection::connect(&base_url()).await.ok()?;
                drop_schema(&mut admin, &schema).await;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("could not drop a test schema; a later test will sweep it");
        }
    }
}

/// Ends the schema's connections (a failed test may leave one inside a
/// transaction, holding locks) and drops it; never waits long for locks.
async fn drop_schema(admin: &mut PgConnection, schema: &str) {
    let _ = sqlx::query("SET lock_timeout = '10s'")
        .execute(&mut *admin)
        .await;
    let _ = sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid()",
    )
    .bind(schema)
    .execute(&mut *admin)
    .await;
    // The name is ours (prefix, digits, hex), never caller text.
    let sql = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut *admin)
        .await;
}

/// Drops schemas of earlier runs that were killed before cleaning up.
async fn sweep_stale(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, $1)")
            .bind(PREFIX)
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    let now = unix_secs();
    for name in names {
        let born = name[PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|s| s.parse::<u64>().ok());
        if born.is_some_and(|t| t + STALE_AFTER_SECS < now) {
            drop_schema(admin, &name).await;
        }
    }
}

/// A store on a fresh schema and that schema's name, or `None` when
/// PostgreSQL is unreachable outside CI (under CI: a panic).
///
/// The schema is dropped when the calling test's runtime shuts down: the
/// guard waits in a task that never finishes, and a runtime drops its
/// unfinished tasks when it ends, also after a panic. (The conformance
/// macro hands the store to the case by value, so there is no later point
/// in the test to clean up at.)
async fn fresh() -> Option<(PgStore, String)> {
    let url = base_url();
    let connect = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&url));
    let mut admin = match connect.await {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return unreachable(&url, &e.to_string()),
        Err(_) => return unreachable(&url, "timed out"),
    };
    sweep_stale(&mut admin).await;
    let schema = format!("{PREFIX}{}_{}", unix_secs(), Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
        .execute(&mut admin)
        .await
        .expect("create test schema");
    let _ = admin.close().await;
    let guard = SchemaGuard(schema.clone());
    tokio::spawn(async move {
        let _guard = guard;
        std::future::pending::<()>().await;
    });
    let store = PgStore::connect(&schema_url(&schema))
        .await
        .expect("PgStore connects and migrates");
    Some((store, schema))
}

fn unreachable(url: &str, why: &str) -> Option<(PgStore, String)> {
    if under_ci() {
        panic!("PostgreSQL at {url} is unreachable under CI: {why}");
    }
    eprintln!("skipping: PostgreSQL at {url} is unreachable ({why}); set STINT_TEST_DATABASE_URL");
    None
}

/// For the conformance cases, which need a store: without PostgreSQL (and
/// not under CI) the test process ends here successfully — nextest runs
/// each test in its own process, so this skips exactly one test.
async fn store_or_skip() -> PgStore {
    match fresh().await {
        Some((store, _)) => store,
        None => std::process::exit(0),
    }
}

/// A fresh store and a second one on the same schema: two replicas.
async fn two_replicas() -> Option<(PgStore, PgStore)> {
    let (store, schema) = fresh().await?;
    let other = PgStore::connect(&schema_url(&schema))
        .await
        .expect("second replica connects");
    Some((store, other))
}

// --- what only PostgreSQL has: several replicas on one database ---------

fn at(h: u32, m: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 4, 6, h, m, 0)
        .single()
        .expect("a valid time")
}

async fn org_and_user(s: &PgStore) -> (Uuid, Uuid) {
    let org = s.create_org(Uuid::now_v7(), "Acme").await.expect("org");
    let user = s
        .create_user(NewUser {
            id: Uuid::now_v7(),
            org_id: org.id,
            email: "omar@acme.example".into(),
            name: "Omar".into(),
            password_hash: "x".into(),
            role: Role::Employee,
            supervisor_id: None,
            timezone: "Europe/Berlin".into(),
        })
        .await
        .expect("user");
    (org.id, user.id)
}

fn log(org: Uuid, employee: Uuid, start: Instant, stop: Option<Instant>) -> TimeLog {
    TimeLog {
        id: Uuid::now_v7(),
        seq: 0,
        org_id: org,
        employee_id: employee,
        project_id: None,
        task_id: None,
        started_at: start,
        stopped_at: stop,
        log_type: LogType::Tracked,
        source: LogSource::Desktop,
        description: String::new(),
        is_billable: true,
        version: 1,
        stopped_reason: None,
        created_at: start,
        updated_at: start,
    }
}

/// Replicas starting together: the migrator's advisory lock lets one apply
/// the schema while the others wait, and all of them come up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_migrate_once() {
    let Some((_, schema)) = fresh().await else {
        return;
    };
    // `fresh` migrated already; drop the schema's contents and race three.
    let mut admin = PgConnection::connect(&base_url()).await.expect("admin");
    let sql = format!("DROP SCHEMA \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\"");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut admin)
        .await
        .expect("empty the schema");
    let url = schema_url(&schema);
    let (a, b, c) = tokio::join!(
        PgStore::connect(&url),
        PgStore::connect(&url),
        PgStore::connect(&url)
    );
    let (a, b, c) = (a.expect("a"), b.expect("b"), c.expect("c"));
    let (org, _) = org_and_user(&a).await;
    assert_eq!(b.org(org).await.expect("b sees it").name, "Acme");
    assert_eq!(c.list_orgs().await.expect("c lists").len(), 1);
}

/// Many devices of one employee start timers at once through two replicas:
/// the employee row lock serialises them, so exactly one timer runs at the
/// end and no two logs overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_starts_on_two_replicas_keep_one_running_and_no_overlap() {
    let Some((s, other)) = two_replicas().await else {
        return;
    };
    let (org, emp) = org_and_user(&s).await;
    let mut tasks = Vec::new();
    for i in 0..24u32 {
        let store = if i % 2 == 0 { s.clone() } else { other.clone() };
        let l = log(
            org,
            emp,
            at(8, 0) + chrono::Duration::minutes(i64::from(i)),
            None,
        );
        tasks.push(tokio::spawn(async move {
            store.insert_log(l, Some("started elsewhere".into())).await
        }));
    }
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) | Err(StoreError::Overlap(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    let logs = s.list_logs(&Filter::org(org)).await.expect("list");
    assert_eq!(logs.iter().filter(|l| l.is_running()).count(), 1);
    for (i, a) in logs.iter().enumerate() {
        for b in &logs[i + 1..] {
            assert!(!a.interval().overlaps(&b.interval()), "{a:?} / {b:?}");
        }
    }
}

/// Parts of one slot arriving through two replicas at once, each replayed:
/// every part counts exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slot_parts_merge_once_even_when_replayed_concurrently() {
    let Some((s, other)) = two_replicas().await else {
        return;
    };
    let (org, emp) = org_and_user(&s).await;
    let part = |d| SlotPart {
        id: Uuid::now_v7(),
        duration: d,
        keyboard: 50,
        mouse: 50,
        overall: 50,
    };
    let parts = [part(100), part(200), part(60)];
    let mut tasks = Vec::new();
    for round in 0..3 {
        for p in &parts {
            let store = if round % 2 == 0 {
                s.clone()
            } else {
                other.clone()
            };
            let p = p.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .add_slot_part(Uuid::now_v7(), org, emp, None, at(9, 10), p, vec![])
                    .await
            }));
        }
    }
    for t in tasks {
        t.await.expect("task").expect("part added");
    }
    let slots = s.list_slots(&Filter::org(org)).await.expect("list");
    assert_eq!(slots.len(), 1);
    assert_eq!((slots[0].duration, slots[0].overall), (360, 50));
}

/// Generated secrets and a week's timesheet created on two replicas at
/// once: both replicas end up with the same one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_agree_on_settings_and_timesheets() {
    let Some((s, other)) = two_replicas().await else {
        return;
    };
    let (org, emp) = org_and_user(&s).await;
    let (a, b) = tokio::join!(
        s.setting_or_init("jwt_secret", "one"),
        other.setting_or_init("jwt_secret", "two")
    );
    assert_eq!(a.expect("a"), b.expect("b"));
    let week = chrono::NaiveDate::from_ymd_opt(2026, 4, 5).expect("date");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 4, 11).expect("date");
    let (x, y) = tokio::join!(
        s.ensure_timesheet(Uuid::now_v7(), org, emp, week, end),
        other.ensure_timesheet(Uuid::now_v7(), org, emp, week, end)
    );
    let (x, y) = (x.expect("x"), y.expect("y"));
    assert_eq!(x.0, y.0);
    assert!(x.1 != y.1, "exactly one call creates the sheet");
}

/// A stored value this build cannot read is an error, not a panic.
#[tokio::test]
async fn bad_stored_enum_text_is_a_backend_error() {
    let Some((s, schema)) = fresh().await else {
        return;
    };
    let (org, emp) = org_and_user(&s).await;
    s.insert_log(log(org, emp, at(9, 0), Some(at(10, 0))), None)
        .await
        .expect("log");
    let mut admin = PgConnection::connect(&base_url()).await.expect("admin");
    let sql = format!(
        "UPDATE \"{schema}\".users SET role = 'boss'; \
         UPDATE \"{schema}\".time_logs SET source = 'FAX'"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut admin)
        .await
        .expect("corrupt");
    match s.user(org, emp).await {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("boss"), "{msg}"),
        other => panic!("expected a Backend error, got {other:?}"),
    }
    match s.list_logs(&Filter::org(org)).await {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("FAX"), "{msg}"),
        other => panic!("expected a Backend error, got {other:?}"),
    }
}
