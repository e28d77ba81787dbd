//! Making a project from the app or the CLI, on the server when it answers
//! and on this computer when it does not.
//!
//! A person on "this computer only", or on a train, must be able to add the
//! project they are about to work on and start at once. So a new project is
//! first written to the outbox with its client id ([`Outbox::add_new_project`]),
//! then sent; if the server does not answer within the wait, it stays queued
//! and the sync sends it before any log that names it ([`send_queued`]).

use std::sync::Mutex;
use std::time::Duration;

use uuid::Uuid;

use super::{Project, cached, remember};
use crate::api::{Api, ApiError};
use crate::outbox::{Outbox, OutboxError, with};
use crate::sync::SyncError;

/// How a project came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// The server created it just now.
    Created(Project),
    /// One of that name was there already (on the server or queued here).
    Existing(Project),
    /// The server did not answer: made on this computer, sent by the sync.
    Queued(Project),
}

impl Made {
    pub fn project(&self) -> &Project {
        match self {
            Made::Created(p) | Made::Existing(p) | Made::Queued(p) => p,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{0}")]
    Invalid(String),
    /// The server will not (not allowed, signed out): its words.
    #[error("the server refused the project: {0}")]
    Refused(String),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

/// What the server made of one queued project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    Created(Project),
    /// It had one of that name: time goes to that one.
    Merged(Project),
    Refused(String),
}

/// Makes project `name` for the signed-in person, waiting at most `wait`
/// for the server.
pub async fn create(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    name: &str,
    wait: Duration,
) -> Result<Made, CreateError> {
    let name = stint_model::validate_name(name, "A project name")
        .map_err(|e| CreateError::Invalid(e.to_string()))?;
    let known = with(outbox, |o| {
        Ok::<_, OutboxError>(cached(o)?.map(|l| l.projects))
    })?;
    if let Some(p) = known
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(&name))
    {
        return Ok(Made::Existing(p));
    }
    let id = Uuid::now_v7();
    with(outbox, |o| o.add_new_project(id, &name, chrono::Utc::now()))?;
    let sent = tokio::time::timeout(wait, async {
        send(&mut *api.lock().await, id, &name).await
    })
    .await;
    match sent {
        Ok(Ok(settled)) => {
            with(outbox, |o| record(o, id, &settled))?;
            match settled {
                Settled::Created(p) => Ok(Made::Created(p)),
                Settled::Merged(p) => Ok(Made::Existing(p)),
                Settled::Refused(message) => {
                    // Said to the person now, so not kept for later.
                    with(outbox, |o| o.forget_new_project(id))?;
                    Err(CreateError::Refused(message))
                }
            }
        }
        Ok(Err(ApiError::Offline(_))) | Err(_) => Ok(Made::Queued(Project { id, name })),
        Ok(Err(e)) => {
            with(outbox, |o| o.forget_new_project(id))?;
            Err(CreateError::Refused(e.to_string()))
        }
    }
}

/// Sends queued project `id` called `name`. A name the server has already
/// (409) is looked up: the time goes to that project. Unreachable or
/// signed out is an error, so the caller tries again later.
pub async fn send(api: &mut Api, id: Uuid, name: &str) -> Result<Settled, ApiError> {
    match api.create_project(id, name).await {
        Ok((id, name)) => Ok(Settled::Created(Project { id, name })),
        Err(ApiError::Refused {
            status: 409,
            message,
        }) => {
            let theirs = api.projects().await?;
            Ok(
                match theirs
                    .into_iter()
                    .find(|(_, n)| n.eq_ignore_ascii_case(name))
                {
                    Some((id, name)) => Settled::Merged(Project { id, name }),
                    None => Settled::Refused(message),
                },
            )
        }
        Err(ApiError::Refused { status, message }) => {
            Ok(Settled::Refused(format!("{status}: {message}")))
        }
        Err(e) => Err(e),
    }
}

/// Writes what the server made of queued project `id`.
pub fn record(o: &mut Outbox, id: Uuid, settled: &Settled) -> Result<(), OutboxError> {
    match settled {
        Settled::Created(p) => {
            o.forget_new_project(id)?;
            remember(o, p.clone())
        }
        Settled::Merged(p) => {
            o.merge_new_project(id, p.id)?;
            remember(o, p.clone())
        }
        Settled::Refused(message) => o.new_project_refused(id, message),
    }
}

/// Sends every queued project, oldest first, before the logs that name
/// them. Returns how many the server refused.
pub async fn send_queued(outbox: &Mutex<Outbox>, api: &mut Api) -> Result<usize, SyncError> {
    let queued = with(outbox, |o| o.new_projects())?;
    let mut refused = 0;
    for p in queued.iter().filter(|p| p.failed_message.is_none()) {
        let settled = send(api, p.id, &p.name).await?;
        if let Settled::Refused(why) = &settled {
            tracing::warn!("the server refused project {:?}: {why}", p.name);
            refused += 1;
        }
        with(outbox, |o| record(o, p.id, &settled))?;
    }
    Ok(refused)
}
