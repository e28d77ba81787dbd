//! Server ingest: 1,000 agents × 1,000 logs through `POST
//! /api/timesheet/time-log/sync` (500 a request, 64 requests in flight) to
//! the release `stint serve`, on SQLite and on PostgreSQL, beside a bare
//! insert of the same rows into the same schema (SQLite: a prepared
//! statement, one transaction per batch; PostgreSQL: one `COPY` per batch
//! into a table `LIKE time_logs`). Also the server's memory: idle after
//! start and the peak while ingesting.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use stint_store::Store;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::server::{self, Server, env_usize, r1};

/// The agent's batch (`stint_agent::sync::BATCH`).
const BATCH: usize = 500;
const IN_FLIGHT: usize = 64;
/// Each log lasts 50 s and starts a minute after the previous one.
const STEP_MS: i64 = 60_000;
const LEN_MS: i64 = 50_000;

struct Size {
    agents: usize,
    per_agent: usize,
}

impl Size {
    fn from_env() -> Size {
        Size {
            agents: env_usize("BENCH_INGEST_AGENTS", 1000),
            per_agent: env_usize("BENCH_INGEST_LOGS_PER_AGENT", 1000),
        }
    }
    fn total(&self) -> usize {
        self.agents * self.per_agent
    }
    /// Where agent-independent log `i` starts: the last `per_agent` minutes
    /// before a whole day two days ago.
    fn start_ms(&self, i: usize) -> i64 {
        let day = 86_400_000;
        let base = (chrono::Utc::now().timestamp_millis() / day - 2) * day;
        base - (self.per_agent as i64) * STEP_MS + i as i64 * STEP_MS
    }
}

pub async fn run(bin: &str) -> Value {
    let size = Size::from_env();
    let sqlite = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &size, dir.path(), None).await;
        let bare = bare_sqlite(&size).await;
        with_ratio(served, bare)
    };
    let url = server::fresh_db("ingest").await;
    let postgres = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &size, dir.path(), Some(&url)).await;
        let bare = bare_postgres(&size, &url).await;
        with_ratio(served, bare)
    };
    server::drop_db(&url).await;
    json!({
        "agents": size.agents,
        "logs_per_agent": size.per_agent,
        "logs": size.total(),
        "batch": BATCH,
        "in_flight": IN_FLIGHT,
        "sqlite": sqlite,
        "postgres": postgres,
        "target_logs_per_s": 100_000,
        "target_idle_rss_mb": 15,
    })
}

fn with_ratio(mut served: Value, bare: f64) -> Value {
    let rate = served["logs_per_s"].as_f64().unwrap_or(f64::NAN);
    served["bare_insert_rows_per_s"] = json!(bare.round());
    served["ratio_to_bare"] = json!((rate / bare * 1000.0).round() / 1000.0);
    served
}

async fn through_server(
    bin: &str,
    size: &Size,
    dir: &std::path::Path,
    database: Option<&str>,
) -> Value {
    let (_, project, emails) = {
        let store = server::open(database, dir).await;
        server::seed(&store, size.agents).await
    };
    let srv = Server::start(bin, dir, database).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let idle_rss = srv.mem_mb("VmRSS");
    let http = server::client();
    let t = Instant::now();
    let tokens = server::login_all(&http, &srv.url, &emails, 4).await;
    let login_s = t.elapsed().as_secs_f64();
    let login_peak = srv.mem_mb("VmHWM");
    // The bodies are made before the clock starts: only the server is timed.
    // Round r of every agent goes before round r + 1 of any, as agents
    // catching up at the same time would send them.
    let rounds = size.per_agent.div_ceil(BATCH);
    let mut jobs = Vec::with_capacity(rounds * size.agents);
    for r in 0..rounds {
        let (a, b) = (r * BATCH, ((r + 1) * BATCH).min(size.per_agent));
        for token in &tokens {
            let starts = (a..b).map(|i| size.start_ms(i));
            let body = server::sync_body(Some(project), starts, LEN_MS).to_string();
            jobs.push((token.clone(), body));
        }
    }
    srv.reset_peak();
    let url = Arc::new(format!("{}/api/timesheet/time-log/sync", srv.url));
    let t = Instant::now();
    let mut set = JoinSet::new();
    let (mut created, mut other) = (0usize, 0usize);
    let mut tally = |answer: Value| {
        for o in answer["timeLogs"].as_array().expect("outcomes") {
            if o["status"] == "created" {
                created += 1;
            } else {
                other += 1;
            }
        }
    };
    for (token, body) in jobs {
        while set.len() >= IN_FLIGHT {
            tally(set.join_next().await.expect("task").expect("join"));
        }
        let (http, url) = (http.clone(), url.clone());
        set.spawn(async move {
            let r = http
                .post(url.as_str())
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("sync");
            let status = r.status();
            let answer: Value = r.json().await.expect("sync answer");
            assert!(status.is_success(), "sync failed: {status} {answer}");
            answer
        });
    }
    while let Some(r) = set.join_next().await {
        tally(r.expect("join"));
    }
    let secs = t.elapsed().as_secs_f64();
    let peak = srv.mem_mb("VmHWM");
    let after = srv.mem_mb("VmRSS");
    srv.stop().await;
    json!({
        "logs_per_s": (size.total() as f64 / secs).round(),
        "seconds": r1(secs),
        "created": created,
        "not_created": other,
        "login_all_s": r1(login_s),
        "rss_idle_mb": idle_rss,
        "rss_peak_during_logins_mb": login_peak,
        "rss_peak_during_ingest_mb": peak,
        "rss_after_ingest_mb": after,
    })
}

/// The same rows as the server stores them, with nothing but a prepared
/// INSERT, one transaction per batch, into a fresh file of the same schema
/// (and the same users, for the foreign key).
async fn bare_sqlite(size: &Size) -> f64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let (org, project, employees) = {
        let store = server::open(None, dir.path()).await;
        let (org, project, _) = server::seed(&store, size.agents).await;
        (org, project, employee_ids(&store, org).await)
    };
    let mut conn = rusqlite::Connection::open(dir.path().join("stint.db")).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("sync");
    let now = chrono::Utc::now().timestamp_millis();
    let t = Instant::now();
    for r in 0..size.per_agent.div_ceil(BATCH) {
        let (a, b) = (r * BATCH, ((r + 1) * BATCH).min(size.per_agent));
        for e in &employees {
            let tx = conn.transaction().expect("tx");
            {
                let mut st = tx
                    .prepare_cached(
                        "INSERT INTO time_logs (id, org_id, employee_id, project_id, task_id,
                             started_at, stopped_at, log_type, source, description, is_billable,
                             version, stopped_reason, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, 'TRACKED', 'DESKTOP', 'bench',
                             1, 1, NULL, ?7, ?7)",
                    )
                    .expect("prepare");
                for i in a..b {
                    let s = size.start_ms(i);
                    st.execute(rusqlite::params![
                        Uuid::now_v7().to_string(),
                        org.to_string(),
                        e.to_string(),
                        project.to_string(),
                        s,
                        s + LEN_MS,
                        now
                    ])
                    .expect("insert");
                }
            }
            tx.commit().expect("commit");
        }
    }
    size.total() as f64 / t.elapsed().as_secs_f64()
}

async fn employee_ids(store: &Arc<dyn Store>, org: Uuid) -> Vec<Uuid> {
    let users = store.list_users(org).await.expect("users");
    users.into_iter().map(|u| u.id).collect()
}

/// One `COPY ... FROM STDIN` per batch into a table `LIKE time_logs`
/// (its indexes and identity, not its foreign key) in the same database.
async fn bare_postgres(size: &Size, url: &str) -> f64 {
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
    sqlx::raw_sql("CREATE TABLE bare_time_logs (LIKE time_logs INCLUDING ALL)")
        .execute(&mut c)
        .await
        .expect("scratch table");
    let now = chrono::Utc::now().timestamp_millis();
    let t = Instant::now();
    for r in 0..size.per_agent.div_ceil(BATCH) {
        let (a, b) = (r * BATCH, ((r + 1) * BATCH).min(size.per_agent));
        for e in &employees {
            let mut text = String::with_capacity((b - a) * 200);
            for i in a..b {
                let s = size.start_ms(i);
                text.push_str(&format!(
                    "{}\t{org}\t{e}\t{project}\t\\N\t{s}\t{}\tTRACKED\tDESKTOP\tbench\tt\t1\t\\N\t{now}\t{now}\n",
                    Uuid::now_v7(),
                    s + LEN_MS
                ));
            }
            let mut copy = c
                .copy_in_raw(
                    "COPY bare_time_logs (id, org_id, employee_id, project_id, task_id,
                         started_at, stopped_at, log_type, source, description, is_billable,
                         version, stopped_reason, created_at, updated_at) FROM STDIN",
                )
                .await
                .expect("copy");
            copy.send(text.into_bytes()).await.expect("send");
            copy.finish().await.expect("finish");
        }
    }
    let rate = size.total() as f64 / t.elapsed().as_secs_f64();
    let _ = sqlx::raw_sql("DROP TABLE bare_time_logs")
        .execute(&mut c)
        .await;
    rate
}
