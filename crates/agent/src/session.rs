//! Who is signed in on this computer: the stored session, and whose unsent
//! work the outbox holds.
//!
//! `stint login` and the desktop app share one data directory, so they
//! share this too: both adopt a new session through [`adopt`], and the rule
//! that tracked time only ever reaches the account that tracked it lives
//! here once.

use crate::api::Session;
use crate::outbox::{Outbox, OutboxError};

/// The session key in the outbox's key-value table.
pub const SESSION_KEY: &str = "session";
/// Whose work the outbox holds (`server|email`, see [`owner_of`]).
const OWNER_KEY: &str = "outbox_owner";
/// `Session::server` of a "this computer only" sign-in: the embedded
/// server gets a new port at every start, so the session names it by this.
pub const EMBEDDED: &str = "embedded";

/// Why a session was not adopted.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The outbox holds someone else's unsent work; it must reach their
    /// account, never this one.
    #[error(
        "{pending} item(s) tracked by {email} on this computer have not reached their server yet. Sign in as {email} to send them first."
    )]
    Unsent { pending: i64, email: String },
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

pub fn load_session(o: &Outbox) -> Result<Option<Session>, OutboxError> {
    Ok(o.get(SESSION_KEY)?
        .and_then(|s| serde_json::from_str(&s).ok()))
}

pub fn save_session(o: &mut Outbox, s: &Session) -> Result<(), OutboxError> {
    o.put(SESSION_KEY, &serde_json::to_string(s).unwrap_or_default())
}

/// Keeps rotated tokens, but not the server address a session was resolved
/// to (an embedded server gets a new port at every start).
pub fn save_tokens(o: &mut Outbox, s: &Session) -> Result<(), OutboxError> {
    let server = load_session(o)?.map_or_else(|| s.server.clone(), |stored| stored.server);
    save_session(
        o,
        &Session {
            server,
            ..s.clone()
        },
    )
}

/// Forgets the session (sign-out). Its owner's unsent work stays, kept for
/// that person's next sign-in.
pub fn forget_session(o: &mut Outbox) -> Result<(), OutboxError> {
    o.put(SESSION_KEY, "null")
}

/// Whose work a session tracks: the same person on the same server, as the
/// CLI and the app both store it (an embedded session's server is
/// [`EMBEDDED`], not its port).
pub fn owner_of(s: &Session) -> String {
    format!("{}|{}", s.server, s.email)
}

/// Whose work the outbox holds. Data directories from before the owner was
/// recorded (a CLI sign-in) fall back to the stored session.
fn owner(o: &Outbox) -> Result<Option<String>, OutboxError> {
    match o.get(OWNER_KEY)? {
        Some(w) => Ok(Some(w)),
        None => Ok(load_session(o)?.map(|s| owner_of(&s))),
    }
}

/// What [`adopt`] did besides storing the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adopted {
    /// The previous person's local history (logs, slots, screenshots, the
    /// project list) was forgotten: all of it had been sent.
    pub forgot_previous: bool,
}

/// Makes `session` the one this computer uses, unless the outbox still
/// holds someone else's unsent work (then nothing changes). When someone
/// else's work has all been sent, their local history is forgotten: it is
/// theirs to see, not the next person's (recent logs, totals, thumbnails).
pub fn adopt(o: &mut Outbox, session: &Session) -> Result<Adopted, SessionError> {
    let new_owner = owner_of(session);
    let previous = owner(o)?.filter(|w| *w != new_owner);
    if let Some(previous) = &previous {
        let pending = o.backlog()?.pending;
        if pending > 0 {
            let email = previous
                .split_once('|')
                .map_or(previous.as_str(), |(_, e)| e);
            return Err(SessionError::Unsent {
                pending,
                email: email.to_string(),
            });
        }
        o.forget_tracked()?;
        crate::projects::forget(o)?;
        crate::tasks::forget(o)?;
        crate::policy::forget(o)?;
    }
    o.put(OWNER_KEY, &new_owner)?;
    save_session(o, session)?;
    Ok(Adopted {
        forgot_previous: previous.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::LogContext;
    use crate::tracker::Change;
    use stint_model::LogType;
    use uuid::Uuid;

    fn session(server: &str, email: &str) -> Session {
        Session {
            server: server.into(),
            token: "t".into(),
            refresh_token: "r".into(),
            employee_id: Uuid::now_v7(),
            org_id: Uuid::now_v7(),
            email: email.into(),
            name: String::new(),
            role: stint_model::Role::Employee,
            timezone: "UTC".into(),
        }
    }

    /// One finished log waiting for the server.
    fn track(o: &mut Outbox) -> (Uuid, i64) {
        let id = Uuid::now_v7();
        let now = chrono::Utc::now();
        let changes = [
            Change::Opened {
                id,
                log_type: LogType::Tracked,
                at: now,
            },
            Change::Closed { id, at: now },
        ];
        o.apply(&changes, &LogContext::default(), Some(now))
            .unwrap();
        (id, o.log(id).unwrap().unwrap().version)
    }

    #[test]
    fn someone_elses_unsent_work_refuses_the_sign_in_and_changes_nothing() {
        let mut o = Outbox::in_memory().unwrap();
        let emp = session("http://s", "emp@acme.test");
        adopt(&mut o, &emp).unwrap();
        track(&mut o);
        let e = adopt(&mut o, &session("http://s", "emp2@acme.test")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "1 item(s) tracked by emp@acme.test on this computer have not reached their server yet. Sign in as emp@acme.test to send them first."
        );
        assert_eq!(load_session(&o).unwrap(), Some(emp.clone()));
        assert_eq!(o.logs().unwrap().len(), 1);
        // The same person signing in again (new tokens) is no one else.
        let again = session("http://s", "emp@acme.test");
        let a = adopt(&mut o, &again).unwrap();
        assert!(!a.forgot_previous);
        assert_eq!(o.logs().unwrap().len(), 1);
    }

    #[test]
    fn once_sent_the_previous_persons_history_is_forgotten() {
        let mut o = Outbox::in_memory().unwrap();
        adopt(&mut o, &session(EMBEDDED, "me@localhost")).unwrap();
        let (id, version) = track(&mut o);
        o.acknowledged(id, version).unwrap();
        o.put(crate::projects::PROJECTS_KEY, "[]").unwrap();
        let next = session("http://s", "emp2@acme.test");
        assert!(adopt(&mut o, &next).unwrap().forgot_previous);
        assert!(o.logs().unwrap().is_empty());
        assert!(crate::projects::cached(&o).unwrap().is_none());
        assert_eq!(load_session(&o).unwrap(), Some(next));
    }

    #[test]
    fn a_sign_in_stored_before_the_owner_was_recorded_still_owns_its_work() {
        let mut o = Outbox::in_memory().unwrap();
        save_session(&mut o, &session("http://s", "emp@acme.test")).unwrap();
        track(&mut o);
        let e = adopt(&mut o, &session("http://s", "emp2@acme.test")).unwrap_err();
        assert!(
            matches!(e, SessionError::Unsent { pending: 1, ref email } if email == "emp@acme.test")
        );
    }
}
