//! The task picker under the project picker: a project's tasks, "New
//! task…", and which task a start may name. The list is the agent's saved
//! one when the server does not answer within a few seconds, as projects
//! are; a new task, unlike a new project, is made only while the server
//! answers (a task is a manager's planning, rarely made on a train), and
//! says so when it does not.

use stint_agent::outbox::with;
use stint_agent::projects::START_WAIT;
use stint_agent::tasks;
use uuid::Uuid;

use crate::app::Desktop;
use crate::dto::Task;
use crate::error::{IpcError, IpcResult, parse_id};

impl Desktop {
    /// `project_id`'s tasks, oldest first.
    pub async fn tasks(&self, project_id: &str) -> IpcResult<Vec<Task>> {
        let project = parse_id(project_id, "project")?;
        let (api, place) = self.client().await?;
        let list = tasks::list(&self.outbox, &api, START_WAIT)
            .await
            .map_err(|e| IpcError::from_api(&place, e))?;
        Ok(list
            .tasks
            .into_iter()
            .filter(|t| t.project_id == project)
            .map(Task::from)
            .collect())
    }

    /// "New task…": task `title` in `project_id`, made on the server (an
    /// existing title in that project is chosen rather than doubled).
    /// Errors: `invalid`, `refused` (not allowed), `offline`.
    pub async fn create_task(&self, project_id: &str, title: &str) -> IpcResult<Task> {
        let project = parse_id(project_id, "project")?;
        let title = stint_model::validate_name(title, "A task title")
            .map_err(|e| IpcError::invalid(e.to_string()))?;
        if let Some(same) = self
            .tasks(project_id)
            .await?
            .into_iter()
            .find(|t| t.title.eq_ignore_ascii_case(&title))
        {
            return Ok(same);
        }
        let id = Uuid::now_v7();
        let task = self
            .call(async |api| api.create_task(id, project, &title).await)
            .await?;
        with(&self.outbox, |o| tasks::remember(o, task.clone()))?;
        Ok(task.into())
    }

    /// The task a start names, checked against the saved list (else the
    /// server's, within the wait): it must be one of the project's.
    pub(crate) async fn start_task(
        &self,
        project: Option<Uuid>,
        task_id: Option<&str>,
    ) -> IpcResult<Option<Task>> {
        let Some(task_id) = task_id.filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let id = parse_id(task_id, "task")?;
        let Some(project) = project else {
            return Err(IpcError::invalid("Choose the task's project first."));
        };
        let saved = with(&self.outbox, |o| tasks::cached(o))?.unwrap_or_default();
        let found = match saved.into_iter().find(|t| t.id == id) {
            Some(t) => Some(Task::from(t)),
            None => self
                .tasks(&project.to_string())
                .await?
                .into_iter()
                .find(|t| t.id == id.to_string()),
        };
        match found {
            Some(t) if t.project_id == project.to_string() => Ok(Some(t)),
            Some(_) => Err(IpcError::invalid("That task belongs to another project.")),
            None => Err(IpcError::not_found(
                "That task is not one you can track time on.",
            )),
        }
    }
}
