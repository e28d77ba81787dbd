//! What the server benchmarks share: the release `stint serve` as a child
//! process on loopback, fresh PostgreSQL databases, many users created
//! fast (one password hash for all), sign-in, and the process's memory.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::Connection;
use stint_model::Role;
use stint_store::{NewUser, Store};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use uuid::Uuid;

pub const PASSWORD: &str = "bench-password";

/// The PostgreSQL the benchmarks may create databases in.
pub fn admin_url() -> String {
    std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// `name` read from the environment, else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A fresh database `stint_bench_<what>_<pid>`; dropped by [`drop_db`].
pub async fn fresh_db(what: &str) -> String {
    let admin = admin_url();
    let name = format!("stint_bench_{what}_{}", std::process::id());
    let mut c = sqlx::PgConnection::connect(&admin).await.expect("admin db");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut c)
    .await
    .expect("drop");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut c)
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

pub async fn drop_db(url: &str) {
    let name = url.rsplit('/').next().unwrap_or_default();
    let mut c = sqlx::PgConnection::connect(&admin_url())
        .await
        .expect("admin db");
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut c)
    .await;
}

/// The store `stint serve` would open, with the default organization.
pub async fn open(database: Option<&str>, data_dir: &Path) -> Arc<dyn Store> {
    stint_server::local::open_store(database, data_dir)
        .await
        .expect("open store")
}

/// `n` employees `agent{i}@bench.test` (UTC, one shared password hash) and
/// one project open to all; returns the organization, the project and the
/// e-mails.
pub async fn seed(store: &Arc<dyn Store>, n: usize) -> (Uuid, Uuid, Vec<String>) {
    let org = store
        .org_by_name(stint_server::local::DEFAULT_ORG)
        .await
        .expect("org");
    let hash = stint_server::auth::password::hash(PASSWORD);
    let mut emails = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("agent{i}@bench.test");
        store
            .create_user(NewUser {
                id: Uuid::now_v7(),
                org_id: org.id,
                email: email.clone(),
                name: format!("Agent {i}"),
                password_hash: hash.clone(),
                role: Role::Employee,
                supervisor_id: None,
                timezone: "UTC".into(),
            })
            .await
            .expect("user");
        emails.push(email);
    }
    let project = store
        .create_project(Uuid::now_v7(), org.id, "Bench")
        .await
        .expect("project");
    (org.id, project.id, emails)
}

/// A running `stint serve`; killed when dropped.
pub struct Server {
    child: tokio::process::Child,
    pub url: String,
    pub pid: u32,
}

impl Server {
    /// Starts `bin serve` on 127.0.0.1:0 and waits for its "listening on" line.
    pub async fn start(bin: &str, data_dir: &Path, database: Option<&str>) -> Server {
        let mut cmd = tokio::process::Command::new(bin);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env_remove("STINT_DATABASE_URL")
            .env("STINT_LOG", "warn")
            // No load balancer to drain from: stop at once on SIGTERM. An
            // environment variable, so that an older binary compared in
            // the same run (which has no such option) still starts.
            .env("STINT_DRAIN_DELAY", "0s")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        if let Some(db) = database {
            cmd.args(["--database", db]);
        }
        let mut child = cmd.spawn().expect("start stint serve");
        let pid = child.id().expect("pid");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let url = loop {
            let line = lines
                .next_line()
                .await
                .expect("read")
                .expect("stint serve exited before listening");
            if let Some(u) = line.strip_prefix("listening on ") {
                break u.trim().to_string();
            }
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, url, pid }
    }

    /// A `/proc/PID/status` figure (VmRSS, VmHWM) in MB.
    pub fn mem_mb(&self, key: &str) -> f64 {
        proc_mem_mb(self.pid, key)
    }

    /// Resets VmHWM so that the next peak is this phase's only.
    pub fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5");
    }

    /// SIGTERM, then a kill if it has not stopped within 10 s.
    pub async fn stop(mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

pub fn proc_mem_mb(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| (kb / 1024.0 * 10.0).round() / 10.0)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
}

/// Signs every e-mail in, `parallel` at a time (each is an argon2
/// verification on the server); tokens in the same order.
pub async fn login_all(
    http: &reqwest::Client,
    url: &str,
    emails: &[String],
    parallel: usize,
) -> Vec<String> {
    let gate = Arc::new(Semaphore::new(parallel));
    let mut set = JoinSet::new();
    for (i, email) in emails.iter().enumerate() {
        let (http, gate) = (http.clone(), gate.clone());
        let (login, email) = (format!("{url}/api/auth/login"), email.clone());
        set.spawn(async move {
            let _permit = gate.acquire_owned().await.expect("gate");
            let body: Value = http
                .post(login)
                .json(&json!({ "email": email, "password": PASSWORD }))
                .send()
                .await
                .expect("login")
                .error_for_status()
                .expect("login status")
                .json()
                .await
                .expect("login body");
            (i, body["token"].as_str().expect("token").to_string())
        });
    }
    let mut tokens = vec![String::new(); emails.len()];
    while let Some(r) = set.join_next().await {
        let (i, t) = r.expect("login task");
        tokens[i] = t;
    }
    tokens
}

/// RFC 3339 with milliseconds, as the agent sends instants.
pub fn iso_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .expect("instant")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// One agent's sync body: logs `[start, start + len)` every `step` ms.
pub fn sync_body(project: Option<Uuid>, starts: impl Iterator<Item = i64>, len: i64) -> Value {
    let logs: Vec<Value> = starts
        .map(|s| {
            json!({
                "id": Uuid::now_v7(),
                "projectId": project,
                "description": "bench",
                "logType": "TRACKED",
                "source": "DESKTOP",
                "startedAt": iso_ms(s),
                "stoppedAt": iso_ms(s + len),
                "version": 1,
            })
        })
        .collect();
    json!({ "timeLogs": logs })
}

/// Rounds to one decimal.
pub fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
