//! Settings → Projects: a manager or an admin renames and archives the
//! organization's projects. Unlike "New project…", nothing here waits for
//! a server that does not answer: renaming and archiving change what
//! everyone sees, so the person learns at once whether the server took it.
//! What it took is written into the saved project list as well, so the
//! timer's picker follows even before (or without) the next list.

use stint_agent::outbox::with;
use stint_agent::projects;

use crate::app::Desktop;
use crate::dto::Project;
use crate::error::{IpcError, IpcResult, parse_id};

impl Desktop {
    /// Renames project `id` on the server, then in the saved list.
    /// Errors: `invalid` (empty, too long), `conflict` (the name is taken),
    /// `refused` (not allowed), `notFound` (no such project here).
    pub async fn rename_project(&self, id: &str, name: &str) -> IpcResult<Project> {
        let id = parse_id(id, "project")?;
        let name = stint_model::validate_name(name, "A project name")
            .map_err(|e| IpcError::invalid(e.to_string()))?;
        let (id, name) = self
            .call(async |api| api.rename_project(id, &name).await)
            .await?;
        let p = projects::Project { id, name };
        with(&self.outbox, |o| projects::renamed(o, &p))?;
        Ok(Project {
            id: p.id.to_string(),
            name: p.name,
        })
    }

    /// Archives project `id` on the server (its time stays in reports),
    /// then takes it out of the saved list so nobody here starts on it.
    pub async fn archive_project(&self, id: &str) -> IpcResult<()> {
        let id = parse_id(id, "project")?;
        self.call(async |api| api.archive_project(id).await).await?;
        with(&self.outbox, |o| projects::archived(o, id))?;
        Ok(())
    }
}
