//! [`Desktop`]: the app without its window. It owns the outbox, the session
//! and its server connection (with the sync loop), and the timer run; each
//! IPC command is one method. The embedded server ("this computer only") is
//! started here, in-process, and reached over loopback HTTP like any other.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stint_agent::api::{Api, ApiError, Session};
use stint_agent::capture::Capturer;
use stint_agent::idle::IdleSource;
use stint_agent::outbox::{LogContext, Outbox, lock};
use stint_agent::runner::recover;
pub use stint_agent::session::EMBEDDED;
use stint_agent::session::{self, SessionError, load_session};
use stint_agent::sync::SharedApi;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

use crate::dto::Settings;
use crate::dto::{Status, User};
use crate::error::{IpcError, IpcResult};
use crate::live::{Live, NoticeFn};

const USER_KEY: &str = "desktop_user";
const EMBEDDED_PASSWORD_KEY: &str = "embedded_password";

/// How the app reads idle time and the screen on this machine; tests give
/// scripted ones.
pub struct Platform {
    pub idle: Box<dyn Fn() -> Box<dyn IdleSource> + Send + Sync>,
    pub capturer: Box<dyn Fn() -> Option<Box<dyn Capturer>> + Send + Sync>,
    /// How often the tracking loop polls idle time.
    pub poll: Duration,
    /// Pause between syncs while everything is acknowledged.
    pub sync_every: Duration,
}

impl Platform {
    /// This computer's idle time and screens.
    pub fn native() -> Platform {
        Platform {
            idle: Box::new(|| {
                let (source, warning) = stint_agent::idle::detect();
                if let Some(w) = warning {
                    tracing::warn!("{w}");
                }
                source
            }),
            capturer: Box::new(stint_agent::capture::native),
            poll: Duration::from_secs(1),
            sync_every: Duration::from_secs(10),
        }
    }
}

/// A signed-in session with its sync loop.
pub(crate) struct Connection {
    pub api: SharedApi,
    /// Where it is, in words ("stint.example.com", "this computer").
    pub place: String,
    pub user: User,
    pub employee_id: uuid::Uuid,
    pub wake: Arc<Notify>,
    syncer: JoinHandle<()>,
}

impl Connection {
    /// Pushes what is pending now, for at most `limit` (Quit, Submit): the
    /// sync loop may be asleep in its backoff.
    pub async fn push_now(&self, outbox: &Mutex<Outbox>, limit: Duration) {
        let mut api = self.api.lock().await;
        let _ = tokio::time::timeout(
            limit,
            stint_agent::sync::sync_once(outbox, &mut api, Duration::ZERO),
        )
        .await;
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.syncer.abort();
    }
}

pub(crate) struct RunTask {
    pub stop: oneshot::Sender<()>,
    pub task: JoinHandle<()>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub conn: Option<Connection>,
    pub run: Option<RunTask>,
    /// The embedded server's URL once started (once per process).
    pub embedded_url: Option<String>,
}

pub struct Desktop {
    pub(crate) data_dir: PathBuf,
    pub(crate) outbox: Arc<Mutex<Outbox>>,
    pub(crate) platform: Platform,
    pub(crate) live: Arc<Live>,
    pub(crate) inner: tokio::sync::Mutex<Inner>,
}

impl Desktop {
    /// Opens the data in `data_dir` (shared with `stint track`), closes a
    /// log a crash left open, and reconnects a remembered session.
    pub async fn open(
        data_dir: &Path,
        platform: Platform,
        notify: NoticeFn,
    ) -> anyhow::Result<Desktop> {
        let outbox = Outbox::open(&data_dir.join("outbox.db"))?;
        let outbox = Arc::new(Mutex::new(outbox));
        let live = Live::new(outbox.clone(), notify);
        let settings = Settings::load(&lock(&outbox))?;
        recover(
            &outbox,
            &LogContext::default(),
            settings.tracker(platform.poll),
            &live.on_event(),
        )?;
        let app = Desktop {
            data_dir: data_dir.to_path_buf(),
            outbox,
            platform,
            live,
            inner: tokio::sync::Mutex::default(),
        };
        let session = load_session(&lock(&app.outbox))?;
        if let Some(session) = session {
            let mut inner = app.inner.lock().await;
            match app.resolve(&mut inner, session).await {
                Ok(session) => app.connect(&mut inner, Api::resume(session))?,
                Err(e) => tracing::warn!("could not reconnect: {e}"),
            }
        }
        Ok(app)
    }

    /// The session's server URL (starting the embedded server for one).
    async fn resolve(&self, inner: &mut Inner, mut session: Session) -> IpcResult<Session> {
        if session.server == EMBEDDED {
            session.server = self.embedded_url(inner).await?;
        }
        Ok(session)
    }

    async fn embedded_url(&self, inner: &mut Inner) -> IpcResult<String> {
        if let Some(url) = &inner.embedded_url {
            return Ok(url.clone());
        }
        let url = stint_server::local::start_embedded(&self.data_dir).await?;
        inner.embedded_url = Some(url.clone());
        Ok(url)
    }

    /// Keeps the session and starts syncing through it.
    fn connect(&self, inner: &mut Inner, api: Api) -> IpcResult<()> {
        let stored = load_session(&lock(&self.outbox))?;
        let embedded = stored.as_ref().is_some_and(|s| s.server == EMBEDDED);
        let s = &api.session;
        if let Ok(tz) = s.timezone.parse::<chrono_tz::Tz>() {
            self.live.set_zone(tz);
        }
        let user = User {
            name: if s.name.is_empty() {
                s.email.clone()
            } else {
                s.name.clone()
            },
            email: s.email.clone(),
            server: (!embedded).then(|| s.server.clone()),
            can_approve: !embedded && s.role.can_approve(),
        };
        let place = if embedded {
            "this computer".to_string()
        } else {
            host(&s.server)
        };
        let employee_id = s.employee_id;
        let api = Arc::new(tokio::sync::Mutex::new(api));
        let wake = Arc::new(Notify::new());
        let hold = Duration::from_secs(Settings::load(&lock(&self.outbox))?.idle_threshold_seconds);
        let syncer = tokio::spawn(stint_agent::sync::run(
            self.outbox.clone(),
            api.clone(),
            self.platform.sync_every,
            hold,
            self.live.on_event(),
            wake.clone(),
        ));
        lock(&self.outbox).put(USER_KEY, &serde_json::to_string(&user).unwrap_or_default())?;
        inner.conn = Some(Connection {
            api,
            place,
            user,
            employee_id,
            wake,
            syncer,
        });
        Ok(())
    }

    pub async fn status(&self) -> IpcResult<Status> {
        let inner = self.inner.lock().await;
        self.status_of(&inner)
    }

    pub(crate) fn status_of(&self, inner: &Inner) -> IpcResult<Status> {
        let (today, week) = self.live.totals()?;
        Ok(Status {
            signed_in: inner.conn.is_some(),
            user: inner.conn.as_ref().map(|c| c.user.clone()),
            tracking: self.live.tracking()?,
            today_seconds: today,
            week_seconds: week,
            sync: self.live.sync()?,
            idle_prompts: self.live.prompts(),
        })
    }

    /// Signs in to a server with e-mail and password.
    pub async fn sign_in(&self, server: &str, email: &str, password: &str) -> IpcResult<Status> {
        let server = server.trim().trim_end_matches('/');
        let url = reqwest::Url::parse(server).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if url.is_none() {
            return Err(IpcError::invalid(format!(
                "\"{server}\" is not a server address: write it like https://stint.example.com"
            )));
        }
        if !email.contains('@') {
            return Err(IpcError::invalid("Enter your email address."));
        }
        if password.is_empty() {
            return Err(IpcError::invalid("Enter your password."));
        }
        let api = Api::login(server, email.trim(), password)
            .await
            .map_err(|e| match e {
                ApiError::Refused { message, .. } | ApiError::SignedOut(message) => IpcError::new(
                    "refused",
                    if message.is_empty() {
                        "Wrong email or password.".into()
                    } else {
                        message
                    },
                ),
                e => IpcError::from_api(&host(server), e),
            })?;
        let session = api.session.clone();
        self.adopt(session, api).await
    }

    /// Starts the embedded server and signs in to it as the local user.
    pub async fn use_this_computer_only(&self) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        let url = self.embedded_url(&mut inner).await?;
        drop(inner);
        let stored = lock(&self.outbox).get(EMBEDDED_PASSWORD_KEY)?;
        let password = match stored {
            Some(p) => p,
            None => {
                let p = stint_server::local::create_local_user(&self.data_dir).await?;
                lock(&self.outbox).put(EMBEDDED_PASSWORD_KEY, &p)?;
                p
            }
        };
        let api = Api::login(&url, stint_server::local::LOCAL_EMAIL, &password)
            .await
            .map_err(|e| IpcError::from_api("this computer's server", e))?;
        let session = Session {
            server: EMBEDDED.into(),
            ..api.session.clone()
        };
        self.adopt(session, api).await
    }

    /// Makes `session` the one this app uses, unless the outbox still holds
    /// someone else's unsent time: that must never reach another account
    /// (the rule `stint login` follows too, [`session::adopt`]).
    async fn adopt(&self, session: Session, api: Api) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        let adopted = session::adopt(&mut lock(&self.outbox), &session).map_err(|e| match e {
            SessionError::Unsent { .. } => IpcError::conflict(e.to_string()),
            SessionError::Outbox(e) => e.into(),
        })?;
        if adopted.forgot_previous {
            self.live.forget_prompts();
        }
        self.stop_run(&mut inner).await;
        inner.conn = None;
        self.connect(&mut inner, api)?;
        self.live.tell_sync();
        self.status_of(&inner)
    }

    /// Stops the timer, sends what it can (for a few seconds), ends the
    /// session on the server and forgets it. Unsent items stay, kept for
    /// the same person's next sign-in.
    pub async fn sign_out(&self) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        self.stop_run(&mut inner).await;
        if let Some(conn) = inner.conn.take() {
            conn.syncer.abort();
            let mut api = conn.api.lock().await;
            let _ = tokio::time::timeout(Duration::from_secs(5), async {
                let _ = stint_agent::sync::sync_once(&self.outbox, &mut api, Duration::ZERO).await;
                let _ = api.logout().await;
            })
            .await;
        }
        {
            let mut o = lock(&self.outbox);
            session::forget_session(&mut o)?;
            o.put(USER_KEY, "null")?;
        }
        self.live.forget_prompts();
        self.live.tell_sync();
        self.status_of(&inner)
    }

    /// Ends the timer run, if any, and waits for its last write.
    pub(crate) async fn stop_run(&self, inner: &mut Inner) {
        if let Some(run) = inner.run.take() {
            let _ = run.stop.send(());
            let _ = run.task.await;
        }
        if let Some(c) = &inner.conn {
            c.wake.notify_one();
        }
    }

    /// Quit: stop the timer cleanly and push what is pending (briefly).
    pub async fn shutdown(&self) {
        let mut inner = self.inner.lock().await;
        self.stop_run(&mut inner).await;
        if let Some(conn) = inner.conn.as_ref() {
            conn.push_now(&self.outbox, Duration::from_secs(3)).await;
        }
    }
}

/// A server URL's host, for messages.
pub fn host(server: &str) -> String {
    reqwest::Url::parse(server)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| server.to_string())
}
