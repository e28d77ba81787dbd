//! The tasks the signed-in person may track time on (every project's), and
//! the last list the server gave, so `stint track --project P --task T`
//! starts at once while the server is away, as a project alone does.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stint_model::Instant;
use uuid::Uuid;

use crate::api::{Api, ApiError};
use crate::outbox::{Outbox, OutboxError, with};
use crate::saved_list::{self, Answer};

/// The saved list in the outbox's key-value table.
pub const TASKS_KEY: &str = "tasks_cache";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub project_id: Uuid,
}

/// A task list, fresh from the server or the saved one.
#[derive(Debug)]
pub struct TaskList {
    pub tasks: Vec<Task>,
    pub fetched_at: Instant,
    /// Why the server's list could not be had just now (then this is the
    /// saved one).
    pub offline: Option<ApiError>,
}

impl TaskList {
    /// `project`'s task titled `title` (case aside).
    pub fn titled(&self, project: Uuid, title: &str) -> Option<&Task> {
        self.of(project)
            .find(|t| t.title.eq_ignore_ascii_case(title.trim()))
    }

    /// `project`'s task titles, for "no such task (…: a, b)".
    pub fn titles(&self, project: Uuid) -> String {
        let titles: Vec<&str> = self.of(project).map(|t| t.title.as_str()).collect();
        titles.join(", ")
    }

    fn of(&self, project: Uuid) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(move |t| t.project_id == project)
    }
}

/// The saved list, if any: no network (the timer's start checks a task
/// against it).
pub fn cached(o: &Outbox) -> Result<Option<Vec<Task>>, OutboxError> {
    Ok(saved_list::load(o, TASKS_KEY)?.map(|(tasks, _)| tasks))
}

/// Adds `task` to the saved list (the server has just made it).
pub fn remember(o: &mut Outbox, task: Task) -> Result<(), OutboxError> {
    saved_list::add(o, TASKS_KEY, task, |a, b| a.id == b.id)
}

/// Forgets the saved list (someone else signs in).
pub fn forget(o: &mut Outbox) -> Result<(), OutboxError> {
    saved_list::forget(o, TASKS_KEY)
}

/// The server's task list, saved for later; when the server gives none
/// within `wait`, the saved list with why (see [`saved_list::ask`]).
pub async fn list(
    outbox: &Mutex<Outbox>,
    api: &tokio::sync::Mutex<Api>,
    wait: Duration,
) -> Result<TaskList, ApiError> {
    let fetch = async { api.lock().await.tasks().await };
    let offline = match saved_list::ask(outbox, TASKS_KEY, wait, fetch).await? {
        Answer::Fresh(tasks, fetched_at) => {
            return Ok(TaskList {
                tasks,
                fetched_at,
                offline: None,
            });
        }
        Answer::Offline(e) => e,
    };
    match with(outbox, |o| saved_list::load::<Task>(o, TASKS_KEY)) {
        Ok(Some((tasks, fetched_at))) => Ok(TaskList {
            tasks,
            fetched_at,
            offline: Some(offline),
        }),
        Ok(None) => Err(offline),
        Err(e) => {
            tracing::warn!("could not read the saved task list: {e}");
            Err(offline)
        }
    }
}
