//! What the desktop stories share: a `Desktop` on a scripted platform, a
//! real Stint server on loopback (its store in a temp dir, served over TCP
//! until stopped), a plain HTTP client to look at the server's rows, and a
//! polling wait with a generous deadline (nothing here asserts on timing).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use stint_agent::capture::Capturer;
use stint_agent::idle::Scripted;
use stint_desktop::dto::{LogEntry, LogKind, SyncState};
use stint_desktop::{Desktop, EmbeddedFns, Notice, Platform};
use stint_model::Role;
use stint_store::{NewUser, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The password of every user a [`Server`] makes.
pub const PASSWORD: &str = "correct-horse-1";

/// How long a condition may take before the test gives up.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Waits until `check` answers `Some`, polling every 50 ms, for at most
/// [`DEADLINE`]; then fails naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let until = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > until {
            panic!("gave up after {DEADLINE:?} waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every notice the app has sent to its window, in order.
#[derive(Clone, Default)]
pub struct Notices(Arc<Mutex<Vec<Notice>>>);

impl Notices {
    pub fn all(&self) -> Vec<Notice> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A platform whose idle source plays back `idle` (one value per poll, then
/// zero) at every Start, polling every 50 ms and syncing every 200 ms.
pub fn platform(idle: &[Duration], capturer: Option<fn() -> Box<dyn Capturer>>) -> Platform {
    let script: VecDeque<Duration> = idle.iter().copied().collect();
    Platform {
        idle: Box::new(move || Box::new(Scripted(script.clone()))),
        capturer: Box::new(move || capturer.map(|make| make())),
        poll: Duration::from_millis(50),
        sync_every: Duration::from_millis(200),
        minute: Duration::from_millis(20),
        embedded: None,
    }
}

/// Opens the app on `dir` with `platform`, recording its notices; its
/// embedded server is the real one, as the Tauri shell hands it in.
pub async fn open_with(dir: &Path, mut platform: Platform) -> (Desktop, Notices) {
    let local = EmbeddedFns::new(
        dir.to_path_buf(),
        stint_server::local::start_embedded,
        stint_server::local::create_local_user,
    );
    platform.embedded.get_or_insert(Arc::new(local));
    let notices = Notices::default();
    let sink = notices.0.clone();
    let notify = Arc::new(move |n: Notice| sink.lock().unwrap_or_else(|p| p.into_inner()).push(n));
    let app = Desktop::open(dir, platform, notify)
        .await
        .expect("the desktop app opens");
    (app, notices)
}

/// Opens the app on `dir`, never idle, without screenshots.
pub async fn open(dir: &Path) -> (Desktop, Notices) {
    open_with(dir, platform(&[], None)).await
}

pub fn tracked(logs: &[LogEntry]) -> Vec<&LogEntry> {
    logs.iter().filter(|l| l.kind == LogKind::Tracked).collect()
}

/// Waits until every log (and activity slot) in the outbox has reached the
/// server, leaving only screenshots still held back; returns the logs.
pub async fn all_synced(app: &Desktop) -> Vec<LogEntry> {
    eventually("every log synced", || async {
        let logs = app.recent_logs().await.expect("recent logs");
        let shots = app.recent_screenshots().await.expect("screenshots");
        let held = shots.iter().filter(|s| !s.uploaded).count() as i64;
        let done = !logs.is_empty()
            && logs.iter().all(|l| l.sync == SyncState::Synced)
            && app.status().await.expect("status").sync.pending == held;
        done.then_some(logs)
    })
    .await
}

/// A port on loopback nothing listens on (bound, then released).
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// A Stint server over a SQLite file in its own temp dir, serving on
/// loopback until [`Server::stop`] (or the end of the test).
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub store: Arc<dyn Store>,
    org: Uuid,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = stint_server::local::open_store(None, dir.path())
            .await
            .expect("store");
        let org = store
            .org_by_name(stint_server::local::DEFAULT_ORG)
            .await
            .expect("default org")
            .id;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let mut server = Server {
            url,
            store,
            org,
            shutdown: None,
            task: None,
            _dir: dir,
        };
        server.serve(listener).await;
        server
    }

    async fn serve(&mut self, listener: tokio::net::TcpListener) {
        let blobs = Arc::new(stint_server::blobs::LocalDir::new(
            self._dir.path().join("blobs"),
        ));
        let state =
            stint_server::state(self.store.clone(), blobs, &stint_server::Config::default())
                .await
                .expect("server state");
        let (tx, rx) = oneshot::channel::<()>();
        self.shutdown = Some(tx);
        self.task = Some(tokio::spawn(stint_server::serve(
            listener,
            stint_server::app(state),
            async {
                let _ = rx.await;
            },
        )));
    }

    /// Stops serving: new connections are refused, open ones close.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }

    /// Serves again on the same address.
    pub async fn restart(&mut self) {
        let addr = self.url.trim_start_matches("http://").to_string();
        let listener = eventually("the old port to be free", || {
            let addr = addr.clone();
            async move { tokio::net::TcpListener::bind(&addr).await.ok() }
        })
        .await;
        self.serve(listener).await;
    }

    /// Adds a user with [`PASSWORD`]; returns their id.
    pub async fn user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        supervisor: Option<Uuid>,
    ) -> Uuid {
        let user = self
            .store
            .create_user(NewUser {
                id: Uuid::now_v7(),
                org_id: self.org,
                email: email.into(),
                name: name.into(),
                password_hash: stint_server::auth::password::hash(PASSWORD),
                role,
                supervisor_id: supervisor,
                timezone: "UTC".into(),
            })
            .await
            .expect("create user");
        user.id
    }

    /// A bearer token for `email`, from a plain HTTP login.
    pub async fn token(&self, email: &str) -> String {
        let r = reqwest::Client::new()
            .post(format!("{}/api/auth/login", self.url))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("login request");
        assert!(r.status().is_success(), "login as {email}: {}", r.status());
        let body: Value = r.json().await.expect("login answer");
        body["token"].as_str().expect("a token").to_string()
    }

    /// GET `path` as the holder of `token`; fails the test unless 200.
    pub async fn get(&self, token: &str, path: &str) -> Value {
        get(&self.url, token, path).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// GET `url` + `path` with a bearer token; fails the test unless 200.
pub async fn get(url: &str, token: &str, path: &str) -> Value {
    let r = reqwest::Client::new()
        .get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The server's time logs as the holder of `token` sees them.
pub async fn server_logs(url: &str, token: &str) -> Vec<Value> {
    get(url, token, "/api/timesheet/time-log")
        .await
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A server with manager `email`, and the app on a fresh data directory
/// signed in to it as them (the directory lives as long as the returned
/// guard).
pub async fn manager_app(email: &str) -> (Server, Desktop, tempfile::TempDir) {
    let server = Server::start().await;
    server
        .user(email, "Maya Manager", Role::Manager, None)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, _) = open(dir.path()).await;
    app.sign_in(&server.url, email, PASSWORD)
        .await
        .expect("the manager signs in");
    (server, app, dir)
}

/// The server's row for log `id`, as `email` sees it; fails the test when
/// the server has none.
pub async fn server_log(server: &Server, email: &str, id: &str) -> Value {
    let token = server.token(email).await;
    server_logs(&server.url, &token)
        .await
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("log {id} is not on the server"))
}
