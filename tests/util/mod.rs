//! The end-to-end harness: start the real `stint` binary on port 0 over a
//! fresh SQLite or PostgreSQL database, set it up with the admin CLI, and
//! talk to it over TCP with a real HTTP client.
//!
//! Shaped like ripgrep's `tests/util.rs`, so each test reads as a short
//! story:
//!
//! ```ignore
//! both!(a_story, |backend| async move {
//!     let server = Server::start(backend).await;
//!     server.user("omar@acme.test", &["--role", "employee"]).await;
//!     let omar = server.login("omar@acme.test", PASSWORD).await;
//!     let (status, body) = omar.get("/api/timesheet/time-log").await;
//!     assert_eq!(status, 200, "{body}");
//! });
//! ```
//!
//! Every request any test makes goes through [`Api::send`], which fails the
//! test on a 5xx answer: no request in this suite may get a 500.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sqlx::Connection;
use uuid::Uuid;

mod client;

pub use client::*;
pub use serde_json::json;

/// The password every test user gets.
pub const PASSWORD: &str = "correct-horse-1";

/// The reason the helpers give when they reject or deny a week (a
/// rejection must say why).
pub const REJECTION: &str = "Tuesday is missing: add it and submit again";

/// Runs a story on both backends: `both!(name, |backend| async move {..})`
/// makes the `#[tokio::test]`s `name::sqlite` and `name::postgres`.
/// PostgreSQL stories skip when no server answers, except under `CI=true`,
/// where that is a failure.
#[allow(unused_macros)]
macro_rules! both {
    ($name:ident, $story:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                ($story)($crate::util::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                if !$crate::util::Backend::Postgres.available().await {
                    return;
                }
                ($story)($crate::util::Backend::Postgres).await
            }
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests may create databases on.
pub fn pg_admin_url() -> String {
    std::env::var("STINT_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

async fn pg_connect(url: &str) -> Result<sqlx::PgConnection, String> {
    match tokio::time::timeout(Duration::from_secs(10), sqlx::PgConnection::connect(url)).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out after 10 s".into()),
    }
}

impl Backend {
    /// Whether this backend can run here. An unreachable PostgreSQL skips
    /// the story (with a note) locally and fails it under `CI=true`.
    pub async fn available(self) -> bool {
        if self == Backend::Sqlite {
            return true;
        }
        let url = pg_admin_url();
        match pg_connect(&url).await {
            Ok(c) => {
                let _ = c.close().await;
                true
            }
            Err(e) if on_ci() => panic!("PostgreSQL at {url} is unreachable under CI: {e}"),
            Err(e) => {
                eprintln!("skipping: PostgreSQL at {url} is unreachable ({e})");
                false
            }
        }
    }
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[host_start..].find('/') {
        Some(i) => &base[..host_start + i],
        None => base,
    };
    format!("{base}/{db}{query}")
}

/// A fresh PostgreSQL database, dropped (WITH (FORCE)) when this is dropped.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create() -> PgDatabase {
        let admin_url = pg_admin_url();
        let mut conn = match pg_connect(&admin_url).await {
            Ok(c) => c,
            Err(e) => panic!("PostgreSQL at {admin_url} is unreachable: {e}"),
        };
        let name = format!("stint_e2e_{}", Uuid::new_v4().simple());
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("could not create database {name}: {e}"));
        let _ = conn.close().await;
        let url = with_database(&admin_url, &name);
        PgDatabase {
            admin_url,
            name,
            url,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside the test's runtime: use a thread of our own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = pg_connect(&admin_url).await.ok()?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let r = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
                r.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("note: could not drop test database {}", self.name);
        }
    }
}

/// A running `stint serve` on its own data directory and database.
pub struct Server {
    pub backend: Backend,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `http://HOST:PORT` of `--metrics-listen`, as the server printed it.
    pub metrics: Option<String>,
    child: Child,
    dir: tempfile::TempDir,
    database: Option<String>,
    // Dropped after the child is killed (fields drop after `Drop::drop`).
    _pg: Option<PgDatabase>,
}

/// The binary under test.
pub fn stint_bin() -> &'static str {
    env!("CARGO_BIN_EXE_stint")
}

/// A `stint` command with no inherited configuration.
pub fn stint() -> Command {
    let mut cmd = Command::new(stint_bin());
    for var in [
        "STINT_DATABASE_URL",
        "STINT_DATA_DIR",
        "STINT_LISTEN",
        "STINT_TOKEN_TTL",
        "STINT_REFRESH_GRACE",
        "STINT_TRUST_PROXY",
        "STINT_HEADER_TIMEOUT",
        "STINT_MAX_CONNECTIONS",
        "STINT_BLOBS",
        "STINT_METRICS_LISTEN",
        "STINT_DRAIN_DELAY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("STINT_LOG", "warn,stint=info,stint_server=info");
    cmd
}

impl Server {
    pub async fn start(backend: Backend) -> Server {
        Server::start_with(backend, &[]).await
    }

    /// Starts `stint serve` with extra arguments, e.g. `["--token-ttl", "1s"]`.
    pub async fn start_with(backend: Backend, extra: &[&str]) -> Server {
        Server::start_env(backend, extra, &[]).await
    }

    /// Starts `stint serve` with extra arguments and environment variables
    /// (e.g. the `AWS_*` ones of an object store).
    pub async fn start_env(backend: Backend, extra: &[&str], env: &[(&str, String)]) -> Server {
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgDatabase::create().await),
        };
        let database = pg.as_ref().map(|p| p.url.clone());
        Server::spawn(backend, database, pg, extra, env).await
    }

    /// Another `stint serve` on this one's database (PostgreSQL, or the
    /// SQLite file), with a data directory of its own: a second replica
    /// behind the same load balancer. Drop it before this one.
    pub async fn replica(&self, extra: &[&str], env: &[(&str, String)]) -> Server {
        let database = self
            .database
            .clone()
            .unwrap_or_else(|| self.dir.path().join("stint.db").display().to_string());
        Server::spawn(self.backend, Some(database), None, extra, env).await
    }

    async fn spawn(
        backend: Backend,
        database: Option<String>,
        pg: Option<PgDatabase>,
        extra: &[&str],
        env: &[(&str, String)],
    ) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(dir.path().join("serve.log")).expect("log file");
        let mut cmd = stint();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path());
        if let Some(db) = &database {
            cmd.args(["--database", db]);
        }
        cmd.args(extra)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        let mut child = cmd.spawn().expect("spawn stint serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = tokio::sync::oneshot::channel::<(String, Option<String>)>();
        // Reads stdout until the ready line (the metrics line comes before
        // it), then keeps draining it.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            let mut metrics = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("metrics on ") {
                    metrics = Some(addr.trim().to_string());
                }
                if let Some(addr) = line.strip_prefix("listening on ")
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send((addr.trim().to_string(), metrics.take()));
                }
            }
        });
        let mut server = Server {
            backend,
            base: String::new(),
            metrics: None,
            child,
            dir,
            database,
            _pg: pg,
        };
        match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok((base, metrics))) => {
                assert!(base.starts_with("http://127.0.0.1:"), "ready line: {base}");
                server.base = base;
                server.metrics = metrics;
            }
            _ => panic!(
                "stint serve did not print its ready line:\n{}",
                server.log()
            ),
        }
        server
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The server's process id (for `/proc/PID/status` and the like).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGSTOP: the server hangs. Connections are still accepted (by the
    /// kernel) but nothing answers, as a server stuck under load.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// SIGCONT: the paused server answers again (what it had read meanwhile
    /// included).
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    /// SIGTERM: the server begins to stop, as `systemctl stop` does.
    pub fn terminate(&self) {
        self.signal("-TERM");
    }

    /// The server's exit status once it has exited, waiting at most
    /// `limit`; `None` if it is still running then.
    pub fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill {sig} {} failed", self.child.id());
    }

    /// The server's own log (stderr) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("serve.log")).unwrap_or_default()
    }

    /// The `--data-dir`/`--database` arguments the admin commands need (and
    /// a second `stint serve` on the same data, see `util/authz.rs`).
    pub fn data_args(&self) -> Vec<String> {
        let mut v = vec![
            "--data-dir".to_string(),
            self.dir.path().display().to_string(),
        ];
        if let Some(db) = &self.database {
            v.push("--database".into());
            v.push(db.clone());
        }
        v
    }

    /// Runs `stint ARGS --data-dir D [--database URL]`: (exit code, stdout,
    /// stderr).
    pub async fn admin(&self, args: &[&str]) -> (i32, String, String) {
        let mut cmd = tokio::process::Command::from(stint());
        cmd.args(args).args(self.data_args()).stdin(Stdio::null());
        let out = cmd.output().await.expect("run stint admin command");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// An admin command that must succeed; its stdout.
    pub async fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.admin(args).await;
        assert_eq!(
            code, 0,
            "stint {args:?} failed:\nstdout: {out}\nstderr: {err}"
        );
        out
    }

    /// `stint user add --email E --name N --password PASSWORD EXTRA...`.
    pub async fn user(&self, email: &str, extra: &[&str]) -> String {
        let name = name_of(email);
        let mut args = vec![
            "user",
            "add",
            "--email",
            email,
            "--name",
            &name,
            "--password",
            PASSWORD,
        ];
        args.extend_from_slice(extra);
        self.ok(&args).await
    }

    /// `stint project add --name N EXTRA...`; the new project's id.
    pub async fn project(&self, name: &str, extra: &[&str]) -> String {
        let mut args = vec!["project", "add", "--name", name];
        args.extend_from_slice(extra);
        let out = self.ok(&args).await;
        // "created project 'N' in 'ORG' (ID)[, assigned to ...]"
        out.split('(')
            .nth(1)
            .and_then(|s| s.split(')').next())
            .unwrap_or_else(|| panic!("no id in: {out}"))
            .to_string()
    }

    /// `stint task add --project P --title T EXTRA...`; the new task's id.
    pub async fn task(&self, project: &str, title: &str, extra: &[&str]) -> String {
        let mut args = vec!["task", "add", "--project", project, "--title", title];
        args.extend_from_slice(extra);
        let out = self.ok(&args).await;
        // "created task 'T' in project 'P' (ID)"
        out.rsplit('(')
            .next()
            .and_then(|s| s.split(')').next())
            .unwrap_or_else(|| panic!("no id in: {out}"))
            .to_string()
    }

    /// `stint org set --name Default --members-create-projects true`: done
    /// before the first request, since a server may keep an organization's
    /// settings for a few seconds.
    pub async fn members_create_projects(&self) {
        let set = [
            "org",
            "set",
            "--name",
            "Default",
            "--members-create-projects",
            "true",
        ];
        self.ok(&set).await;
    }

    /// A client with no token.
    pub fn anon(&self) -> Api {
        Api::new(&self.base, None)
    }

    /// Signs in through `POST /api/auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let (status, body) = self
            .anon()
            .post(
                "/api/auth/login",
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        Session::from_login(&self.base, body)
    }

    /// Omar in the `Default` organization and Gina in a second one,
    /// "Globex", both signed in: for the rules one organization must not
    /// leak into another.
    pub async fn omar_and_gina(&self) -> (Session, Session) {
        self.ok(&["org", "add", "--name", "Globex"]).await;
        self.user(OMAR, &[]).await;
        self.user(GINA, &["--org", "Globex"]).await;
        (
            self.login(OMAR, PASSWORD).await,
            self.login(GINA, PASSWORD).await,
        )
    }

    /// The standard cast, in the `Default` organization unless said:
    /// - `ada@acme.test`: admin, no supervisor;
    /// - `lena@acme.test`: manager; `max@acme.test`: manager;
    /// - `omar@acme.test`: employee reporting to Lena;
    /// - `jane@acme.test`: employee reporting to Max;
    /// - organization `Globex` with its admin `gus@globex.test` and employee
    ///   `gina@globex.test`.
    pub async fn team(&self) -> Team {
        self.ok(&["org", "add", "--name", "Globex"]).await;
        tokio::join!(
            self.user(ADA, &["--role", "admin"]),
            self.user(LENA, &["--role", "manager"]),
            self.user(MAX, &["--role", "manager"]),
            self.user(GUS, &["--role", "admin", "--org", "Globex"]),
        );
        tokio::join!(
            self.user(OMAR, &["--supervisor", LENA]),
            self.user(JANE, &["--supervisor", MAX]),
            self.user(GINA, &["--org", "Globex", "--supervisor", GUS]),
        );
        let (ada, lena, max, omar, jane, gus, gina) = tokio::join!(
            self.login(ADA, PASSWORD),
            self.login(LENA, PASSWORD),
            self.login(MAX, PASSWORD),
            self.login(OMAR, PASSWORD),
            self.login(JANE, PASSWORD),
            self.login(GUS, PASSWORD),
            self.login(GINA, PASSWORD),
        );
        Team {
            ada,
            lena,
            max,
            omar,
            jane,
            gus,
            gina,
        }
    }
}

pub const ADA: &str = "ada@acme.test";
pub const LENA: &str = "lena@acme.test";
pub const MAX: &str = "max@acme.test";
pub const OMAR: &str = "omar@acme.test";
pub const JANE: &str = "jane@acme.test";
pub const GUS: &str = "gus@globex.test";
pub const GINA: &str = "gina@globex.test";

/// Signed-in members of [`Server::team`].
pub struct Team {
    pub ada: Session,
    pub lena: Session,
    pub max: Session,
    pub omar: Session,
    pub jane: Session,
    pub gus: Session,
    pub gina: Session,
}

/// "omar@acme.test" → "Omar Acme".
fn name_of(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, "x"));
    let cap = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    format!(
        "{} {}",
        cap(local),
        cap(domain.split('.').next().unwrap_or(""))
    )
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- stint serve log ({:?}) ---\n{}",
                self.backend,
                self.log()
            );
        }
    }
}
