//! Sync latency under load: 1,000 signed-in agents at once, each syncing
//! 10 new logs, pausing, and syncing again for 30 s, against the release
//! `stint serve`; p50/p99 of the request latency. The baseline is `GET
//! /healthz` from the same 1,000 tasks with the same pause in the same run:
//! what the HTTP stack and the loopback cost without the database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::server::{self, Server, env_usize, r1};
use crate::stats::{ms, percentile};

const LOGS_PER_SYNC: usize = 10;
const HEALTH_SECONDS: u64 = 10;

struct Load {
    agents: usize,
    seconds: u64,
    pause: Duration,
}

pub async fn run(bin: &str) -> Value {
    let load = Load {
        agents: env_usize("BENCH_LATENCY_AGENTS", 1000),
        seconds: env_usize("BENCH_LATENCY_SECONDS", 30) as u64,
        pause: Duration::from_millis(env_usize("BENCH_LATENCY_PAUSE_MS", 5000) as u64),
    };
    let url = server::fresh_db("latency").await;
    let postgres = one(bin, &load, Some(&url)).await;
    server::drop_db(&url).await;
    let sqlite = if env_usize("BENCH_LATENCY_SQLITE", 1) == 1 {
        one(bin, &load, None).await
    } else {
        Value::Null
    };
    json!({
        "agents": load.agents,
        "seconds": load.seconds,
        "logs_per_sync": LOGS_PER_SYNC,
        "pause_between_syncs_ms": load.pause.as_millis() as u64,
        "postgres": postgres,
        "sqlite": sqlite,
        "target_p99_ms": 50,
    })
}

async fn one(bin: &str, load: &Load, database: Option<&str>) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, project, emails) = {
        let store = server::open(database, dir.path()).await;
        server::seed(&store, load.agents).await
    };
    let srv = Server::start(bin, dir.path(), database).await;
    let http = server::client();
    let tokens = server::login_all(&http, &srv.url, &emails, 4).await;
    let health = phase(&http, &srv, load, &tokens, HEALTH_SECONDS, None).await;
    srv.reset_peak();
    let sync = phase(&http, &srv, load, &tokens, load.seconds, Some(project)).await;
    let peak = srv.mem_mb("VmHWM");
    srv.stop().await;
    let ratio = |p: &str| {
        let (a, b) = (sync[p].as_f64(), health[p].as_f64());
        a.zip(b).map_or(f64::NAN, |(a, b)| r1(a / b))
    };
    json!({
        "sync": sync,
        "healthz": health,
        "ratio_p50_to_healthz": ratio("p50_ms"),
        "ratio_p99_to_healthz": ratio("p99_ms"),
        "rss_peak_during_sync_mb": peak,
    })
}

/// Every agent in its own task, for `seconds`: a request, the pause, again.
/// With a project: syncs of new logs; without: `GET /healthz`.
async fn phase(
    http: &reqwest::Client,
    srv: &Server,
    load: &Load,
    tokens: &[String],
    seconds: u64,
    project: Option<Uuid>,
) -> Value {
    let sync_url = Arc::new(format!("{}/api/timesheet/time-log/sync", srv.url));
    let health_url = Arc::new(format!("{}/healthz", srv.url));
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    // Each agent's logs go back from two days ago, a minute apart; every
    // phase starts further back so that they never overlap.
    let base = chrono::Utc::now().timestamp_millis() - 2 * 86_400_000;
    let mut set = JoinSet::new();
    for (k, token) in tokens.iter().enumerate() {
        let (http, token) = (http.clone(), token.clone());
        let (sync_url, health_url) = (sync_url.clone(), health_url.clone());
        // Spread the first requests over one pause, as agents started at
        // different moments would.
        let offset = load.pause.mul_f64(k as f64 / tokens.len() as f64);
        let pause = load.pause;
        set.spawn(async move {
            tokio::time::sleep(offset).await;
            let (mut lat, mut errors, mut n) = (Vec::new(), 0usize, 0i64);
            while Instant::now() < end {
                let t = Instant::now();
                let ok = match project {
                    Some(p) => {
                        let first = n * LOGS_PER_SYNC as i64;
                        let starts =
                            (0..LOGS_PER_SYNC as i64).map(|i| base - (first + i + 1) * 60_000);
                        n += 1;
                        let body = server::sync_body(Some(p), starts, 50_000);
                        let r = http
                            .post(sync_url.as_str())
                            .bearer_auth(&token)
                            .json(&body)
                            .send()
                            .await;
                        match r {
                            Ok(r) if r.status().is_success() => {
                                let v: Value = r.json().await.unwrap_or(Value::Null);
                                v["timeLogs"]
                                    .as_array()
                                    .is_some_and(|a| a.iter().all(|o| o["status"] == "created"))
                            }
                            _ => false,
                        }
                    }
                    None => match http.get(health_url.as_str()).send().await {
                        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                        _ => false,
                    },
                };
                lat.push(ms(t.elapsed()));
                errors += usize::from(!ok);
                tokio::time::sleep(pause).await;
            }
            (lat, errors)
        });
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    while let Some(r) = set.join_next().await {
        let (lat, e) = r.expect("agent task");
        all.extend(lat);
        errors += e;
    }
    let secs = start.elapsed().as_secs_f64();
    json!({
        "requests": all.len(),
        "errors": errors,
        "requests_per_s": r1(all.len() as f64 / secs),
        "p50_ms": r1(percentile(&all, 50.0)),
        "p90_ms": r1(percentile(&all, 90.0)),
        "p99_ms": r1(percentile(&all, 99.0)),
        "max_ms": r1(percentile(&all, 100.0)),
    })
}
