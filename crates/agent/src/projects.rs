//! The projects the signed-in person may track time on, and the last list
//! the server gave, kept in the outbox.
//!
//! Starting the timer must not wait on the network: the CLI and the app ask
//! the server for a short while ([`START_WAIT`]) and otherwise start from
//! the saved list, saying when it was saved.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stint_model::Instant;
use uuid::Uuid;

use crate::api::{Api, ApiError};
use crate::outbox::{Outbox, OutboxError, with};
use crate::saved_list::{self, Answer};

mod create;
mod edit;

pub use create::{CreateError, Made, Settled, create, send_queued};
pub use edit::{archived, renamed};

/// The saved list in the outbox's key-value table ([`crate::saved_list`]).
pub const PROJECTS_KEY: &str = "projects_cache";
/// How long starting the timer waits for the server's project list before
/// it starts from the saved one.
pub const START_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
}

/// A project list, fresh from the server or the saved one.
#[derive(Debug)]
pub struct ProjectList {
    pub projects: Vec<Project>,
    /// When the server gave this list.
    pub fetched_at: Instant,
    /// Why the server's list could not be had just now (then this is the
    /// saved one); `None` when it is fresh.
    pub offline: Option<ApiError>,
}

impl ProjectList {
    /// The project called `name` (case aside).
    pub fn named(&self, name: &str) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The projects' names, for "no such project (yours: ...)".
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.projects.iter().map(|p| p.name.as_str()).collect();
        names.join(", ")
    }

    pub fn find(&self, id: Uuid) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }
}

/// The list the server last gave, if any, with the projects made here that
/// wait to be sent.
///
/// With no list from the server yet but projects made here, those alone,
/// as of when the last of them was made.
pub fn cached(o: &Outbox) -> Result<Option<ProjectList>, OutboxError> {
    let saved = saved_list::load::<Project>(o, PROJECTS_KEY)?;
    let queued_at = o.new_projects()?.iter().map(|q| q.created_at).max();
    let Some(fetched_at) = saved.as_ref().map(|(_, at)| *at).or(queued_at) else {
        return Ok(None);
    };
    let mut projects = saved.map(|(projects, _)| projects).unwrap_or_default();
    with_queued(o, &mut projects)?;
    Ok(Some(ProjectList {
        projects,
        fetched_at,
        offline: None,
    }))
}

/// Adds the projects made on this computer that the server has not
/// confirmed yet (refused ones left out): they can be tracked on already.
fn with_queued(o: &Outbox, projects: &mut Vec<Project>) -> Result<(), OutboxError> {
    for q in o.new_projects()? {
        if q.failed_message.is_none() && !projects.iter().any(|p| p.id == q.id) {
            projects.push(Project {
                id: q.id,
                name: q.name,
            });
        }
    }
    Ok(())
}

/// Adds `project` to the saved list (the server has just made it).
fn remember(o: &mut Outbox, project: Project) -> Result<(), OutboxError> {
    saved_list::add(o, PROJECTS_KEY, project, |a, b| a.id == b.id)
}

/// Forgets the saved list (someone else signs in).
pub fn forget(o: &mut Outbox) -> Result<(), OutboxError> {
    saved_list::forget(o, PROJECTS_KEY)
}

/// The server's project list, saved for later; when the server gives none
/// within `wait` (unreachable, hanging, failing) the saved list, with why.
/// A refusal (signed out, 4xx) is passed on: the saved list would hide it.
pub async fn list(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    wait: Duration,
) -> Result<ProjectList, ApiError> {
    let fetch = async {
        let projects = api.lock().await.projects().await?;
        Ok(projects
            .into_iter()
            .map(|(id, name)| Project { id, name })
            .collect())
    };
    let offline = match saved_list::ask(outbox, PROJECTS_KEY, wait, fetch).await? {
        Answer::Fresh(mut projects, fetched_at) => {
            if let Err(e) = with(outbox, |o| with_queued(o, &mut projects)) {
                tracing::warn!("could not read the projects made here: {e}");
            }
            return Ok(ProjectList {
                projects,
                fetched_at,
                offline: None,
            });
        }
        Answer::Offline(e) => e,
    };
    match with(outbox, |o| cached(o)) {
        Ok(Some(saved)) => Ok(ProjectList {
            offline: Some(offline),
            ..saved
        }),
        Ok(None) => Err(offline),
        Err(e) => {
            tracing::warn!("could not read the saved project list: {e}");
            Err(offline)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(server: &str) -> tokio::sync::Mutex<Api> {
        tokio::sync::Mutex::new(Api::resume(crate::api::Session {
            server: server.into(),
            token: "t".into(),
            refresh_token: "r".into(),
            employee_id: Uuid::now_v7(),
            org_id: Uuid::now_v7(),
            email: "emp@acme.test".into(),
            name: String::new(),
            role: stint_model::Role::Employee,
            timezone: String::new(),
        }))
    }

    /// A server that accepts connections and never answers.
    fn hanging() -> (std::net::TcpListener, String) {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        (l, url)
    }

    #[tokio::test]
    async fn a_hanging_server_gives_the_saved_list_within_the_wait() {
        let (_listener, url) = hanging();
        let outbox = Mutex::new(Outbox::in_memory().unwrap());
        let website = Project {
            id: Uuid::now_v7(),
            name: "Website".into(),
        };
        let saved_at = chrono::Utc::now() - chrono::TimeDelta::hours(1);
        with(&outbox, |o| {
            saved_list::store(o, PROJECTS_KEY, std::slice::from_ref(&website), saved_at)
        })
        .unwrap();
        let began = std::time::Instant::now();
        let l = list(&outbox, &api(&url), Duration::from_millis(300))
            .await
            .unwrap();
        assert!(began.elapsed() < Duration::from_secs(2));
        assert!(matches!(l.offline, Some(ApiError::Offline(_))));
        assert_eq!(l.named("website"), Some(&website));
        assert_eq!(l.fetched_at.timestamp(), saved_at.timestamp());
    }

    #[tokio::test]
    async fn with_nothing_saved_the_server_being_down_is_the_answer() {
        let (listener, url) = hanging();
        drop(listener);
        let outbox = Mutex::new(Outbox::in_memory().unwrap());
        let e = list(&outbox, &api(&url), Duration::from_secs(2))
            .await
            .unwrap_err();
        assert!(matches!(e, ApiError::Offline(_)), "{e}");
    }
}
