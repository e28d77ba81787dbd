//! Signing in on this computer, for the CLI and the desktop app alike: to a
//! company server with e-mail and password, or "this computer only"
//! through the embedded server, and back in after a restart.
//!
//! The embedded server is handed in by the shell ([`EmbeddedServer`]; the
//! `stint` binary and the Tauri app wire stint-server's), so neither this
//! crate nor the desktop crate links the server. [`crate::session`] keeps
//! the stored session and the rule that unsent work reaches only its owner.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use stint_model::org::LOCAL_EMAIL;
use tokio::sync::OnceCell;

use crate::api::{Api, ApiError, Session};
use crate::outbox::{Outbox, OutboxError, with};
use crate::session::{self, Adopted, EMBEDDED, SessionError};

/// Where the embedded server's local user's password is kept: nobody types
/// it, and it never leaves this computer's private data directory.
const EMBEDDED_PASSWORD_KEY: &str = "embedded_password";

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = anyhow::Result<T>> + Send>>;

/// The server of "this computer only", run in-process on loopback.
pub trait EmbeddedServer: Send + Sync {
    /// Starts it (called at most once per process) and returns its URL.
    fn start(&self) -> BoxFuture<String>;
    /// Creates its one local user, [`LOCAL_EMAIL`], with a new random
    /// password, which the caller keeps.
    fn create_local_user(&self) -> BoxFuture<String>;
}

/// An [`EmbeddedServer`] made of the server crate's two functions, bound
/// to a data directory: what a shell hands in, in one line.
pub struct EmbeddedFns<S, C> {
    data_dir: PathBuf,
    start: S,
    create_local_user: C,
}

impl<S, C> EmbeddedFns<S, C> {
    pub fn new(data_dir: PathBuf, start: S, create_local_user: C) -> Self {
        EmbeddedFns {
            data_dir,
            start,
            create_local_user,
        }
    }
}

impl<S, FS, C, FC> EmbeddedServer for EmbeddedFns<S, C>
where
    S: Fn(PathBuf) -> FS + Send + Sync,
    FS: Future<Output = anyhow::Result<String>> + Send + 'static,
    C: Fn(PathBuf) -> FC + Send + Sync,
    FC: Future<Output = anyhow::Result<String>> + Send + 'static,
{
    fn start(&self) -> BoxFuture<String> {
        Box::pin((self.start)(self.data_dir.clone()))
    }
    fn create_local_user(&self) -> BoxFuture<String> {
        Box::pin((self.create_local_user)(self.data_dir.clone()))
    }
}

/// Why a sign-in did not happen. Nothing changed on this computer.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// What was typed cannot be right; the message says what to write.
    #[error("{0}")]
    Invalid(String),
    /// The server said no (wrong password, disabled account); its message.
    #[error("sign-in refused: {0}")]
    Refused(String),
    #[error("cannot reach {server}: {error}")]
    Unreachable { server: String, error: ApiError },
    /// Someone else's unsent work waits ([`SessionError::Unsent`]).
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("this computer's server did not start: {0:#}")]
    Embedded(anyhow::Error),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

/// A sign-in that took effect.
pub struct SignedIn {
    /// A client for the session's server, the embedded one resolved.
    pub api: Api,
    pub adopted: Adopted,
}

/// Who is signed in on this computer: the one place that signs in, resumes
/// a stored session and starts the embedded server.
pub struct Account {
    outbox: Arc<Mutex<Outbox>>,
    embedded: Option<Arc<dyn EmbeddedServer>>,
    url: OnceCell<String>,
}

impl Account {
    /// `embedded` is `None` where "this computer only" is not offered.
    pub fn new(outbox: Arc<Mutex<Outbox>>, embedded: Option<Arc<dyn EmbeddedServer>>) -> Account {
        Account {
            outbox,
            embedded,
            url: OnceCell::new(),
        }
    }

    /// The embedded server's URL, starting it the first time.
    pub async fn embedded_url(&self) -> Result<String, SignInError> {
        let embedded = self.embedded.as_ref().ok_or_else(|| {
            SignInError::Invalid("this build cannot run a server on this computer".into())
        })?;
        let url = self
            .url
            .get_or_try_init(|| embedded.start())
            .await
            .map_err(SignInError::Embedded)?;
        Ok(url.clone())
    }

    /// A client for the stored session, if any (the embedded server started
    /// for an embedded one). No network call: tokens are checked when used.
    pub async fn resume(&self) -> Result<Option<Api>, SignInError> {
        let stored = with(&self.outbox, |o| session::load_session(o))?;
        let Some(mut s) = stored else {
            return Ok(None);
        };
        if s.server == EMBEDDED {
            s.server = self.embedded_url().await?;
        }
        Ok(Some(Api::resume(s)))
    }

    /// Signs in to `server` as `email`.
    pub async fn sign_in(
        &self,
        server: &str,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, SignInError> {
        let server = server.trim().trim_end_matches('/');
        let url = reqwest::Url::parse(server).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        });
        if url.is_none() {
            return Err(SignInError::Invalid(format!(
                "\"{server}\" is not a server address: write it like https://stint.example.com"
            )));
        }
        if !email.contains('@') {
            return Err(SignInError::Invalid("Enter your email address.".into()));
        }
        if password.is_empty() {
            return Err(SignInError::Invalid("Enter your password.".into()));
        }
        let api = login(server, email.trim(), password).await?;
        let session = api.session.clone();
        self.adopt(session, api).await
    }

    /// Signs in to the embedded server as its local user (created, with
    /// its password kept here, the first time).
    pub async fn sign_in_here(&self) -> Result<SignedIn, SignInError> {
        let url = self.embedded_url().await?;
        let stored = with(&self.outbox, |o| o.get(EMBEDDED_PASSWORD_KEY))?;
        let password = match stored {
            Some(p) => p,
            None => {
                let embedded = self.embedded.as_ref().expect("started above");
                let p = embedded
                    .create_local_user()
                    .await
                    .map_err(SignInError::Embedded)?;
                with(&self.outbox, |o| o.put(EMBEDDED_PASSWORD_KEY, &p))?;
                p
            }
        };
        let api = login(&url, LOCAL_EMAIL, &password).await?;
        let session = Session {
            server: EMBEDDED.into(),
            ..api.session.clone()
        };
        self.adopt(session, api).await
    }

    /// Keeps `session` unless someone else's unsent work waits; then the
    /// server-side session just opened is ended again and nothing changes.
    async fn adopt(&self, session: Session, mut api: Api) -> Result<SignedIn, SignInError> {
        let adopted = with(&self.outbox, |o| session::adopt(o, &session));
        match adopted {
            Ok(adopted) => Ok(SignedIn { api, adopted }),
            Err(e) => {
                let _ = tokio::time::timeout(crate::projects::START_WAIT, api.logout()).await;
                Err(e.into())
            }
        }
    }

    /// Ends the session on the server (briefly: offline is no reason to
    /// stay signed in) and forgets it here. Unsent work stays, kept for the
    /// same person's next sign-in.
    pub async fn sign_out(&self, api: Option<&mut Api>) -> Result<(), SignInError> {
        if let Some(api) = api {
            let _ = tokio::time::timeout(crate::projects::START_WAIT, api.logout()).await;
        }
        with(&self.outbox, session::forget_session)?;
        Ok(())
    }
}

/// [`Api::login`] with its failure in sign-in words.
async fn login(server: &str, email: &str, password: &str) -> Result<Api, SignInError> {
    Api::login(server, email, password)
        .await
        .map_err(|e| match e {
            ApiError::Refused { message, .. } | ApiError::SignedOut(message) => {
                SignInError::Refused(if message.is_empty() {
                    "Wrong email or password.".into()
                } else {
                    message
                })
            }
            error => SignInError::Unreachable {
                server: server.to_string(),
                error,
            },
        })
}
