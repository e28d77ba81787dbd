//! The ingest benchmarks' same-run baseline: the rows a sync stores,
//! written with nothing but the database's own fastest ordinary path, in
//! the batches the server got them in (one transaction per batch).
//!
//! A new log is two rows on the server: the log in `time_logs` and its id's
//! owner in `client_ids` (kept for refused logs too, so a colleague's
//! replay is a 409). The baseline writes both, and times the `time_logs`
//! rows alone beside it, so either comparison can be read off one run.
//!
//! - SQLite: a fresh file made by the store (same schema, same pragmas as
//!   `stint serve`: WAL, `synchronous = NORMAL`, foreign keys on), one
//!   prepared statement per table, one transaction per batch.
//! - PostgreSQL: one `COPY ... FROM STDIN` per table per batch into tables
//!   `LIKE` the real ones, with their indexes and `time_logs`' foreign key
//!   to the employee (checked per row, about half the cost of a bare row:
//!   without it the baseline would be a table the server cannot have).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use stint_store::Store;
use uuid::Uuid;

use crate::server;

/// What the server was sent: per request, whose logs and their starts.
pub struct Batches {
    pub batches: Vec<(usize, Vec<i64>)>,
    /// How long each log lasts.
    pub len_ms: i64,
}

impl Batches {
    fn rows(&self) -> usize {
        self.batches.iter().map(|(_, s)| s.len()).sum()
    }

    /// Fresh client ids for every row, made before a baseline's clock
    /// starts (as the server's request bodies are).
    fn ids(&self) -> Vec<Vec<Uuid>> {
        let batch = |s: &Vec<i64>| s.iter().map(|_| Uuid::now_v7()).collect();
        self.batches.iter().map(|(_, s)| batch(s)).collect()
    }
}

/// Both baselines' rates in rows (= logs) per second.
pub struct Rates {
    pub with_claims: f64,
    pub logs_only: f64,
}

impl Rates {
    /// `served` (the server's logs/s) with the baselines and its ratios.
    pub fn beside(&self, mut served: Value) -> Value {
        let rate = served["logs_per_s"].as_f64().unwrap_or(f64::NAN);
        let ratio = |bare: f64| (rate / bare * 1000.0).round() / 1000.0;
        served["bare_insert_rows_per_s"] = json!(self.with_claims.round());
        served["ratio_to_bare"] = json!(ratio(self.with_claims));
        served["bare_time_logs_only_rows_per_s"] = json!(self.logs_only.round());
        served["ratio_to_bare_time_logs_only"] = json!(ratio(self.logs_only));
        served
    }
}

/// Both SQLite baselines, each on a fresh file seeded with `employees`
/// users (the foreign key's targets).
pub async fn sqlite(employees: usize, b: &Batches) -> Rates {
    Rates {
        with_claims: sqlite_once(employees, b, true).await,
        logs_only: sqlite_once(employees, b, false).await,
    }
}

async fn sqlite_once(employees: usize, b: &Batches, claims: bool) -> f64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let (org, project, users) = seeded(dir.path(), employees).await;
    let mut conn = rusqlite::Connection::open(dir.path().join("stint.db")).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("sync");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    let (org, project) = (org.to_string(), project.to_string());
    let users: Vec<String> = users.iter().map(Uuid::to_string).collect();
    let now = chrono::Utc::now().timestamp_millis();
    let ids = b.ids();
    let t = Instant::now();
    for ((who, starts), ids) in b.batches.iter().zip(&ids) {
        let e = &users[*who];
        let tx = conn.transaction().expect("tx");
        {
            let mut log = tx
                .prepare_cached(
                    "INSERT INTO time_logs (id, org_id, employee_id, project_id, task_id,
                         started_at, stopped_at, log_type, source, description, is_billable,
                         version, stopped_reason, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, 'TRACKED', 'DESKTOP', 'bench',
                         1, 1, NULL, ?7, ?7)",
                )
                .expect("prepare");
            let mut claim = tx
                .prepare_cached(
                    "INSERT INTO client_ids (org_id, kind, id, owner_id) VALUES (?1, 'log', ?2, ?3)",
                )
                .expect("prepare");
            for (&s, id) in starts.iter().zip(ids) {
                let id = id.to_string();
                if claims {
                    claim.execute([&org, &id, e]).expect("claim");
                }
                log.execute(rusqlite::params![id, org, e, project, s, s + b.len_ms, now])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    b.rows() as f64 / t.elapsed().as_secs_f64()
}

/// A fresh store at `dir` with `n` users; the organization, the project and
/// the users' ids in the order [`server::seed`] made them.
async fn seeded(dir: &Path, n: usize) -> (Uuid, Uuid, Vec<Uuid>) {
    let store = server::open(None, dir).await;
    let (org, project, _) = server::seed(&store, n).await;
    (org, project, employee_ids(&store, org).await)
}

async fn employee_ids(store: &Arc<dyn Store>, org: Uuid) -> Vec<Uuid> {
    let users = store.list_users(org).await.expect("users");
    users.into_iter().map(|u| u.id).collect()
}

/// Both PostgreSQL baselines in the database at `url`, which the served run
/// seeded (its users in seed order, one project).
pub async fn postgres(url: &str, b: &Batches) -> Rates {
    Rates {
        with_claims: postgres_once(url, b, true).await,
        logs_only: postgres_once(url, b, false).await,
    }
}

async fn postgres_once(url: &str, b: &Batches, claims: bool) -> f64 {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
    let (org, project): (Uuid, Uuid) = sqlx::query_as("SELECT org_id, id FROM projects LIMIT 1")
        .fetch_one(&mut c)
        .await
        .expect("project");
    let employees: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users ORDER BY seq")
        .fetch_all(&mut c)
        .await
        .expect("users");
    sqlx::raw_sql(
        "CREATE TABLE bare_time_logs (LIKE time_logs INCLUDING ALL);
         ALTER TABLE bare_time_logs ADD FOREIGN KEY (org_id, employee_id)
             REFERENCES users (org_id, id);
         CREATE TABLE bare_client_ids (LIKE client_ids INCLUDING ALL)",
    )
    .execute(&mut c)
    .await
    .expect("scratch tables");
    let now = chrono::Utc::now().timestamp_millis();
    let ids = b.ids();
    let t = Instant::now();
    for ((who, starts), batch_ids) in b.batches.iter().zip(&ids) {
        let e = employees[*who];
        let (mut logs, mut ids) = (String::new(), String::new());
        for (&s, id) in starts.iter().zip(batch_ids) {
            logs.push_str(&format!(
                "{id}\t{org}\t{e}\t{project}\t\\N\t{s}\t{}\tTRACKED\tDESKTOP\tbench\tt\t1\t\\N\t{now}\t{now}\n",
                s + b.len_ms
            ));
            ids.push_str(&format!("{org}\tlog\t{id}\t{e}\n"));
        }
        let mut tx = sqlx::Connection::begin(&mut c).await.expect("begin");
        if claims {
            copy(
                &mut tx,
                "COPY bare_client_ids (org_id, kind, id, owner_id) FROM STDIN",
                ids,
            )
            .await;
        }
        copy(
            &mut tx,
            "COPY bare_time_logs (id, org_id, employee_id, project_id, task_id,
                 started_at, stopped_at, log_type, source, description, is_billable,
                 version, stopped_reason, created_at, updated_at) FROM STDIN",
            logs,
        )
        .await;
        tx.commit().await.expect("commit");
    }
    let rate = b.rows() as f64 / t.elapsed().as_secs_f64();
    let _ = sqlx::raw_sql("DROP TABLE bare_time_logs; DROP TABLE bare_client_ids")
        .execute(&mut c)
        .await;
    rate
}

async fn copy(c: &mut sqlx::PgConnection, statement: &'static str, text: String) {
    let mut copy = c.copy_in_raw(statement).await.expect("copy");
    copy.send(text.into_bytes()).await.expect("send");
    copy.finish().await.expect("finish");
}
