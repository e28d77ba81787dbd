//! Server ingest through `POST /api/timesheet/time-log/sync` to the
//! release `stint serve`, on SQLite and on PostgreSQL, each beside a bare
//! insert of the same rows in the same run ([`bare`]), in two shapes:
//!
//! - many agents: 1,000 agents × 1,000 logs, 500 a request (the agent's
//!   batch), 64 requests in flight; also the server's memory, idle after
//!   start and the peak while ingesting;
//! - one client ([`ingest_one`]): 100,000 logs of one employee, 1,000 a
//!   request, one request at a time, as aw-server-rust is measured.
//!
//! `BENCH_INGEST_SHAPES` (default `agents one-client`) picks the shapes.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::bare::{self, Batches};
use crate::ingest_one;
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
    /// The requests in the order they are sent: round r of every agent
    /// before round r + 1 of any, as agents catching up at the same time
    /// would send them; each as (agent, its logs' starts).
    fn batches(&self) -> Batches {
        let rounds = self.per_agent.div_ceil(BATCH);
        let mut batches = Vec::with_capacity(rounds * self.agents);
        for r in 0..rounds {
            let (a, b) = (r * BATCH, ((r + 1) * BATCH).min(self.per_agent));
            for agent in 0..self.agents {
                batches.push((agent, (a..b).map(|i| self.start_ms(i)).collect()));
            }
        }
        Batches {
            batches,
            len_ms: LEN_MS,
        }
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
    let shapes = std::env::var("BENCH_INGEST_SHAPES").unwrap_or("agents one-client".into());
    let mut out = if shapes.contains("agents") {
        many_agents(bin).await
    } else {
        json!({})
    };
    if shapes.contains("one-client") {
        out["one_client"] = ingest_one::run(bin).await;
    }
    out
}

async fn many_agents(bin: &str) -> Value {
    let size = Size::from_env();
    let sent = size.batches();
    let sqlite = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &size, dir.path(), None).await;
        bare::sqlite(size.agents, &sent).await.beside(served)
    };
    let url = server::fresh_db("ingest").await;
    let postgres = {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = through_server(bin, &size, dir.path(), Some(&url)).await;
        bare::postgres(&url, &sent).await.beside(served)
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
    let jobs: Vec<(String, String)> = size
        .batches()
        .batches
        .into_iter()
        .map(|(agent, starts)| {
            let body = server::sync_body(Some(project), starts.into_iter(), LEN_MS);
            (tokens[agent].clone(), body.to_string())
        })
        .collect();
    srv.reset_peak();
    let url = format!("{}/api/timesheet/time-log/sync", srv.url);
    let jobs = jobs.into_iter().map(|(t, b)| (Some(t), b)).collect();
    let posted = post_all(&http, url, jobs, IN_FLIGHT, sync_outcomes).await;
    let secs = posted.seconds;
    let peak = srv.mem_mb("VmHWM");
    let after = srv.mem_mb("VmRSS");
    srv.stop().await;
    json!({
        "logs_per_s": (size.total() as f64 / secs).round(),
        "seconds": r1(secs),
        "created": posted.created,
        "not_created": posted.other,
        "login_all_s": r1(login_s),
        "rss_idle_mb": idle_rss,
        "rss_peak_during_logins_mb": login_peak,
        "rss_peak_during_ingest_mb": peak,
        "rss_after_ingest_mb": after,
    })
}

/// What [`post_all`] counted.
pub struct Posted {
    pub seconds: f64,
    /// Items the answers said were stored, and the others.
    pub created: usize,
    pub other: usize,
}

/// POSTs each `(bearer token, JSON body)` to `url`, `in_flight` at a time,
/// timing from the first request to the last answer; every answer must be
/// a success, and `count` says how many of its items were stored and not.
pub async fn post_all(
    http: &reqwest::Client,
    url: String,
    jobs: Vec<(Option<String>, String)>,
    in_flight: usize,
    count: fn(&Value) -> (usize, usize),
) -> Posted {
    let url = Arc::new(url);
    let t = Instant::now();
    let mut set = JoinSet::new();
    let (mut created, mut other) = (0usize, 0usize);
    let mut tally = |answer: Value| {
        let (c, o) = count(&answer);
        created += c;
        other += o;
    };
    for (token, body) in jobs {
        while set.len() >= in_flight {
            tally(set.join_next().await.expect("task").expect("join"));
        }
        let (http, url) = (http.clone(), url.clone());
        set.spawn(async move {
            let mut request = http
                .post(url.as_str())
                .header("content-type", "application/json");
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let r = request.body(body).send().await.expect("post");
            let status = r.status();
            let answer: Value = r.json().await.unwrap_or(Value::Null);
            assert!(status.is_success(), "post failed: {status} {answer}");
            answer
        });
    }
    while let Some(r) = set.join_next().await {
        tally(r.expect("join"));
    }
    Posted {
        seconds: t.elapsed().as_secs_f64(),
        created,
        other,
    }
}

/// Created and other outcomes in a sync answer.
pub fn sync_outcomes(answer: &Value) -> (usize, usize) {
    let outcomes = answer["timeLogs"].as_array().expect("outcomes");
    let created = outcomes.iter().filter(|o| o["status"] == "created").count();
    (created, outcomes.len() - created)
}
