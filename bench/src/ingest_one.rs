//! Ingest from one client (issue 14): one employee sends 100,000 new logs
//! through `POST /api/timesheet/time-log/sync`, 1,000 a request, one
//! request at a time, bodies made before the clock starts; on SQLite and on
//! PostgreSQL, each beside the bare insert of the same rows in the same
//! batches ([`bare`]). This is how ActivityWatch's aw-server-rust is
//! measured (1,000 events a `POST /api/0/buckets/{id}/events`): with
//! `BENCH_AW_URL` naming a running aw-server, the same run posts it the
//! same intervals as events the same way, for the figure beside Stint's.
//!
//! `BENCH_INGEST_ONE_CLIENT_LOGS` (default 100,000) sizes it.

use std::path::Path;

use serde_json::{Value, json};

use crate::bare::{self, Batches};
use crate::ingest::{post_all, sync_outcomes};
use crate::server::{self, Server, env_usize, iso_ms, r1};

const PER_REQUEST: usize = 1000;
/// Each log lasts 50 s and starts a minute after the previous one.
const STEP_MS: i64 = 60_000;
const LEN_MS: i64 = 50_000;

pub async fn run(bin: &str) -> Value {
    let logs = env_usize("BENCH_INGEST_ONE_CLIENT_LOGS", 100_000);
    let sent = batches(logs);
    let sqlite = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &sent, dir.path(), None).await;
        bare::sqlite(1, &sent).await.beside(served)
    };
    let url = server::fresh_db("ingest_one").await;
    let postgres = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &sent, dir.path(), Some(&url)).await;
        bare::postgres(&url, &sent).await.beside(served)
    };
    server::drop_db(&url).await;
    let activitywatch = match std::env::var("BENCH_AW_URL") {
        Ok(aw) => activitywatch(&aw, &sent).await,
        Err(_) => Value::Null,
    };
    json!({
        "logs": logs,
        "per_request": PER_REQUEST,
        "in_flight": 1,
        "sqlite": sqlite,
        "postgres": postgres,
        "aw_server_rust": activitywatch,
        "target_sqlite_logs_per_s": 165_000,
        "target_postgres_logs_per_s": 50_000,
        "target_ratio_to_bare": 0.7,
    })
}

/// `logs` one-minute logs ending two days ago at midnight (UTC), in
/// requests of [`PER_REQUEST`], all of employee 0.
fn batches(logs: usize) -> Batches {
    let day = 86_400_000;
    let end = (chrono::Utc::now().timestamp_millis() / day - 2) * day;
    let first = end - logs as i64 * STEP_MS;
    let starts: Vec<i64> = (0..logs as i64).map(|i| first + i * STEP_MS).collect();
    Batches {
        batches: starts
            .chunks(PER_REQUEST)
            .map(|c| (0, c.to_vec()))
            .collect(),
        len_ms: LEN_MS,
    }
}

async fn through_server(bin: &str, sent: &Batches, dir: &Path, database: Option<&str>) -> Value {
    let (_, project, emails) = {
        let store = server::open(database, dir).await;
        server::seed(&store, 1).await
    };
    let srv = Server::start(bin, dir, database).await;
    let http = server::client();
    let token = server::login_all(&http, &srv.url, &emails, 1)
        .await
        .remove(0);
    let jobs = sent
        .batches
        .iter()
        .map(|(_, starts)| {
            let body = server::sync_body(Some(project), starts.iter().copied(), sent.len_ms);
            (Some(token.clone()), body.to_string())
        })
        .collect();
    let url = format!("{}/api/timesheet/time-log/sync", srv.url);
    let posted = post_all(&http, url, jobs, 1, sync_outcomes).await;
    srv.stop().await;
    let logs: usize = sent.batches.iter().map(|(_, s)| s.len()).sum();
    json!({
        "logs_per_s": (logs as f64 / posted.seconds).round(),
        "seconds": r1(posted.seconds),
        "created": posted.created,
        "not_created": posted.other,
    })
}

/// The same intervals as aw-server-rust events in a fresh bucket.
async fn activitywatch(aw: &str, sent: &Batches) -> Value {
    let http = server::client();
    let bucket = format!("stint-bench-{}", std::process::id());
    let made = http
        .post(format!("{aw}/api/0/buckets/{bucket}"))
        .json(&json!({ "client": "stint-bench", "type": "stint.bench", "hostname": "bench" }))
        .send()
        .await
        .expect("aw bucket");
    assert!(made.status().is_success(), "aw bucket: {}", made.status());
    let jobs = sent
        .batches
        .iter()
        .map(|(_, starts)| {
            let events: Vec<Value> = starts
                .iter()
                .map(|&s| {
                    json!({
                        "timestamp": iso_ms(s),
                        "duration": sent.len_ms as f64 / 1000.0,
                        "data": { "description": "bench", "source": "DESKTOP" },
                    })
                })
                .collect();
            (None, Value::from(events).to_string())
        })
        .collect();
    let url = format!("{aw}/api/0/buckets/{bucket}/events");
    let posted = post_all(&http, url, jobs, 1, |answer| {
        (answer.as_array().map_or(0, Vec::len), 0)
    })
    .await;
    let events: usize = sent.batches.iter().map(|(_, s)| s.len()).sum();
    json!({
        "events_per_s": (events as f64 / posted.seconds).round(),
        "seconds": r1(posted.seconds),
        "stored": posted.created,
    })
}
