//! [`Desktop`]: the app without its window. It owns the outbox, the server
//! connection (with the sync loop) and the timer run; each IPC command is
//! one method. Signing in, and the embedded server of "this computer only"
//! (handed in by the shell through [`Platform::embedded`]), are the agent's
//! [`Account`], shared with `stint login`.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stint_agent::account::{Account, EmbeddedServer, SignedIn};
use stint_agent::api::Api;
use stint_agent::capture::Capturer;
use stint_agent::idle::IdleSource;
use stint_agent::outbox::{LogContext, Outbox, with};
use stint_agent::runner::recover;
pub use stint_agent::session::EMBEDDED;
use stint_agent::session::load_session;
use stint_agent::sync::SharedApi;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::dto::Settings;
use crate::dto::{Status, User};
use crate::error::IpcResult;
use crate::live::{Live, NoticeFn};

const USER_KEY: &str = "desktop_user";

/// How the app reads idle time and the screen on this machine; tests give
/// scripted ones.
pub struct Platform {
    pub idle: Box<dyn Fn() -> Box<dyn IdleSource> + Send + Sync>,
    pub capturer: Box<dyn Fn() -> Option<Box<dyn Capturer>> + Send + Sync>,
    /// How often the tracking loop polls idle time.
    pub poll: Duration,
    /// Pause between syncs while everything is acknowledged.
    pub sync_every: Duration,
    /// How long a minute of the settings' reminders lasts: a minute, but
    /// tests shorten it.
    pub minute: Duration,
    /// The server "this computer only" runs in-process; `None` offers
    /// only company servers.
    pub embedded: Option<Arc<dyn EmbeddedServer>>,
}

impl Platform {
    /// This computer's idle time and screens, and the shell's embedded
    /// server.
    pub fn native(embedded: Option<Arc<dyn EmbeddedServer>>) -> Platform {
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
            minute: Duration::from_secs(60),
            embedded,
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

#[derive(Default)]
pub(crate) struct Inner {
    pub conn: Option<Connection>,
}

pub struct Desktop {
    pub(crate) outbox: Arc<Mutex<Outbox>>,
    pub(crate) platform: Platform,
    account: Account,
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
        let settings = with(&outbox, |o| Settings::load(o))?;
        recover(
            &outbox,
            &LogContext::default(),
            settings.tracker(platform.poll),
            &live.on_event(),
        )?;
        let account = Account::new(outbox.clone(), platform.embedded.clone());
        let app = Desktop {
            outbox,
            platform,
            account,
            live,
            inner: tokio::sync::Mutex::default(),
        };
        match app.account.resume().await {
            Ok(Some(api)) => app.connect(&mut *app.inner.lock().await, api)?,
            Ok(None) => {}
            Err(e) => tracing::warn!("could not reconnect: {e}"),
        }
        Ok(app)
    }

    /// Keeps the session and starts syncing through it.
    fn connect(&self, inner: &mut Inner, api: Api) -> IpcResult<()> {
        let stored = with(&self.outbox, |o| load_session(o))?;
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
            // Settings shows Projects by the role alone (employees whose
            // organization lets them create projects do not edit its list);
            // the one person of "this computer only" is its admin.
            can_manage_projects: s.role.manages_projects(),
        };
        let place = if embedded {
            "this computer".to_string()
        } else {
            host(&s.server)
        };
        let employee_id = s.employee_id;
        let api = Arc::new(tokio::sync::Mutex::new(api));
        let wake = Arc::new(Notify::new());
        let hold =
            Duration::from_secs(with(&self.outbox, |o| Settings::load(o))?.idle_threshold_seconds);
        // The organization's never-capture list, saved for the next Start
        // (which reads it without the network).
        let (outbox, policy_api) = (self.outbox.clone(), api.clone());
        tokio::spawn(async move {
            stint_agent::policy::refresh(&outbox, &policy_api, Duration::from_secs(30)).await;
        });
        let syncer = tokio::spawn(stint_agent::sync::run(
            self.outbox.clone(),
            api.clone(),
            self.platform.sync_every,
            hold,
            self.live.on_event(),
            wake.clone(),
        ));
        with(&self.outbox, |o| {
            o.put(USER_KEY, &serde_json::to_string(&user).unwrap_or_default())
        })?;
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
            still_working: self.live.still_working(),
        })
    }

    /// Signs in to a server with e-mail and password.
    pub async fn sign_in(&self, server: &str, email: &str, password: &str) -> IpcResult<Status> {
        let signed = self.account.sign_in(server, email, password).await?;
        self.adopt(signed).await
    }

    /// Starts the embedded server and signs in to it as the local user.
    pub async fn use_this_computer_only(&self) -> IpcResult<Status> {
        let signed = self.account.sign_in_here().await?;
        self.adopt(signed).await
    }

    /// Connects the session [`Account`] adopted (someone else's unsent
    /// time has refused it already) in place of the previous one.
    async fn adopt(&self, signed: SignedIn) -> IpcResult<Status> {
        let mut inner = self.inner.lock().await;
        if signed.adopted.forgot_previous {
            self.live.forget_prompts();
        }
        self.stop_run(&mut inner).await;
        inner.conn = None;
        self.connect(&mut inner, signed.api)?;
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
            conn.push_now(&self.outbox, Duration::from_secs(5)).await;
            self.account
                .sign_out(Some(&mut *conn.api.lock().await))
                .await?;
        } else {
            self.account.sign_out(None).await?;
        }
        with(&self.outbox, |o| o.put(USER_KEY, "null"))?;
        self.live.forget_prompts();
        self.live.tell_sync();
        self.status_of(&inner)
    }

    /// Ends the timer run, if any, and waits for its last write.
    pub(crate) async fn stop_run(&self, inner: &mut Inner) {
        if let Some(run) = self.live.take_run() {
            let _ = run.handle.stop().await;
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
