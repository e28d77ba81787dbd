//! Keeping the saved project list true after a manager renames or archives
//! a project from the app (Settings → Projects): the timer's picker reads
//! the saved list when the server is slow or gone, and must neither show
//! the old name nor offer a project that takes no new time.

use uuid::Uuid;

use super::{PROJECTS_KEY, Project};
use crate::outbox::{Outbox, OutboxError};
use crate::saved_list;

/// Puts the server's new name of `project` in the saved list.
pub fn renamed(o: &mut Outbox, project: &Project) -> Result<(), OutboxError> {
    // When the server gave the list stays: the rest is no newer than that.
    saved_list::edit(o, PROJECTS_KEY, |projects: &mut Vec<Project>| {
        for p in projects.iter_mut().filter(|p| p.id == project.id) {
            p.name.clone_from(&project.name);
        }
    })
}

/// Takes archived project `id` out of the saved list.
pub fn archived(o: &mut Outbox, id: Uuid) -> Result<(), OutboxError> {
    saved_list::edit(o, PROJECTS_KEY, |projects: &mut Vec<Project>| {
        projects.retain(|p| p.id != id)
    })
}

#[cfg(test)]
mod tests {
    use super::super::cached;
    use super::*;

    fn project(name: &str) -> Project {
        Project {
            id: Uuid::now_v7(),
            name: name.into(),
        }
    }

    #[test]
    fn a_rename_and_an_archive_change_the_saved_list_not_its_age() {
        let mut o = Outbox::in_memory().unwrap();
        let (website, docs) = (project("Website"), project("Docs"));
        let saved_at = chrono::Utc::now() - chrono::TimeDelta::hours(1);
        saved_list::store(
            &mut o,
            PROJECTS_KEY,
            &[website.clone(), docs.clone()],
            saved_at,
        )
        .unwrap();
        let web_site = Project {
            name: "Web site".into(),
            ..website
        };
        renamed(&mut o, &web_site).unwrap();
        archived(&mut o, docs.id).unwrap();
        let l = cached(&o).unwrap().unwrap();
        assert_eq!(l.projects, [web_site]);
        assert_eq!(l.fetched_at.timestamp(), saved_at.timestamp());
    }

    #[test]
    fn with_no_saved_list_nothing_is_saved() {
        let mut o = Outbox::in_memory().unwrap();
        let p = project("Website");
        renamed(&mut o, &p).unwrap();
        archived(&mut o, p.id).unwrap();
        assert!(cached(&o).unwrap().is_none());
    }
}
