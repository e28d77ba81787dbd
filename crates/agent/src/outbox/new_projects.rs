//! Projects made on this computer and not yet confirmed by the server.
//!
//! A project is made offline the way time is tracked offline: it gets its
//! id here (a UUID v7, which the server keeps as the client id of whoever
//! first sent it), so the picker offers it and logs name it at once; the
//! sync creates it on the server before it sends the logs that name it.

use rusqlite::params;
use stint_model::{Instant, from_millis};
use uuid::Uuid;

use super::{Outbox, Result, parse_uuid};

/// A project waiting to be created on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub id: Uuid,
    pub name: String,
    pub created_at: Instant,
    /// Why the server refused it, if it did.
    pub failed_message: Option<String>,
}

impl Outbox {
    pub fn add_new_project(&mut self, id: Uuid, name: &str, at: Instant) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO new_projects (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![id.to_string(), name, at.timestamp_millis()],
        )?;
        Ok(())
    }

    /// Every project made here and not yet confirmed, refused ones too,
    /// oldest first.
    pub fn new_projects(&self) -> Result<Vec<NewProject>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, created_at, failed_message FROM new_projects ORDER BY created_at",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, name, at, failed_message) = row?;
            Ok(NewProject {
                id: parse_uuid(&id)?,
                name,
                created_at: from_millis(at),
                failed_message,
            })
        })
        .collect()
    }

    /// Nothing is left to send: the server has the project now (made by
    /// this request or an earlier one whose answer was lost), or refused it
    /// while the person was there to see why.
    pub fn forget_new_project(&mut self, id: Uuid) -> Result<()> {
        self.conn
            .execute("DELETE FROM new_projects WHERE id = ?1", [id.to_string()])?;
        Ok(())
    }

    /// The server will not create it (not allowed, say): kept, with why,
    /// so the person sees it; it is not sent again.
    pub fn new_project_refused(&mut self, id: Uuid, message: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE new_projects SET failed_message = ?2 WHERE id = ?1",
            params![id.to_string(), message],
        )?;
        Ok(())
    }

    /// The server already has a project of that name: the logs made on the
    /// local one go to the server's (none of them has been sent: logs are
    /// sent only after their project), and the local one is forgotten.
    pub fn merge_new_project(&mut self, local: Uuid, server: Uuid) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE logs SET project_id = ?2 WHERE project_id = ?1",
            params![local.to_string(), server.to_string()],
        )?;
        tx.execute(
            "DELETE FROM new_projects WHERE id = ?1",
            [local.to_string()],
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::LogContext;
    use crate::tracker::Change;

    #[test]
    fn a_project_made_here_waits_until_created_and_a_merge_moves_its_logs() {
        let mut o = Outbox::in_memory().unwrap();
        let local = Uuid::now_v7();
        let now = chrono::Utc::now();
        o.add_new_project(local, "Website", now).unwrap();
        o.add_new_project(local, "Website", now).unwrap();
        assert_eq!(o.new_projects().unwrap().len(), 1, "one row per id");

        let log = Uuid::now_v7();
        let ctx = LogContext {
            project_id: Some(local),
            ..LogContext::default()
        };
        let start = Change::Opened {
            id: log,
            log_type: stint_model::LogType::Tracked,
            at: now,
        };
        o.apply(&[start], &ctx, None).unwrap();

        let server = Uuid::now_v7();
        o.merge_new_project(local, server).unwrap();
        assert!(o.new_projects().unwrap().is_empty());
        assert_eq!(o.log(log).unwrap().unwrap().project_id, Some(server));

        let other = Uuid::now_v7();
        o.add_new_project(other, "Docs", now).unwrap();
        o.new_project_refused(other, "403: not allowed").unwrap();
        let refused = o.new_projects().unwrap();
        assert_eq!(
            refused[0].failed_message.as_deref(),
            Some("403: not allowed")
        );
        o.forget_new_project(other).unwrap();
        assert!(o.new_projects().unwrap().is_empty());
    }
}
