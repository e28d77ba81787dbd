//! Organizations, people and projects.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Invalid;

/// The one user of a "this computer only" server: the server creates it,
/// the agent signs in as it (with a password nobody types).
pub const LOCAL_EMAIL: &str = "me@localhost";

/// A company (Gauzy calls the top level a tenant; Stint has one organization
/// per tenant, so a tenant id is the organization id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    /// IceHrm "Make All Projects Available to Employees" (on by default).
    pub all_projects_available: bool,
    /// Screenshots older than this many days are deleted (rows and images)
    /// by the server's hourly purge and `stint purge`; `None` (the default)
    /// keeps them.
    #[serde(default)]
    pub screenshot_retention_days: Option<u32>,
    /// Employees may create and edit projects and tasks too, not only
    /// managers and admins (off by default; on in the embedded one-person
    /// organization, whose one person must be able to add a project).
    #[serde(default)]
    pub members_create_projects: bool,
    /// Applications and window titles nobody's tracker captures
    /// ([`crate::private_apps`] syntax; empty by default), on top of each
    /// person's own list.
    #[serde(default)]
    pub never_capture: String,
    /// What deleting a screenshot before it is uploaded does to the time it
    /// stood for.
    #[serde(default)]
    pub screenshot_deletion: ScreenshotDeletion,
}

/// An organization's rule for a screenshot its employee deletes before
/// upload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenshotDeletion {
    /// The time the screenshot stood for goes too (a screenshot is the
    /// proof of that time): the default.
    #[default]
    WithTime,
    /// The time stays; the manager sees "screenshot removed by the
    /// employee" in that ten-minute slot instead of the picture.
    KeepTime,
}

impl ScreenshotDeletion {
    pub fn as_str(self) -> &'static str {
        match self {
            ScreenshotDeletion::WithTime => "with-time",
            ScreenshotDeletion::KeepTime => "keep-time",
        }
    }

    pub fn parse(s: &str) -> Result<ScreenshotDeletion, Invalid> {
        match s.trim() {
            "with-time" => Ok(ScreenshotDeletion::WithTime),
            "keep-time" => Ok(ScreenshotDeletion::KeepTime),
            other => Err(Invalid::new(format!(
                "'{other}' is not a screenshot deletion rule: expected with-time or keep-time"
            ))),
        }
    }
}

/// What a slot's activity says where the employee deleted its screenshot
/// and the organization keeps the time ([`ScreenshotDeletion::KeepTime`]).
pub const SCREENSHOT_REMOVED: &str = "screenshot removed by the employee";

/// Longest retention accepted (a century): anything longer is a typo.
pub const MAX_RETENTION_DAYS: u32 = 36_500;

/// `off` or a whole number of days from 1 to [`MAX_RETENTION_DAYS`].
pub fn parse_retention_days(s: &str) -> Result<Option<u32>, Invalid> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(n) if (1..=MAX_RETENTION_DAYS).contains(&n) => Ok(Some(n)),
        _ => Err(Invalid::new(format!(
            "'{s}' is not a retention: expected a number of days from 1 to {MAX_RETENTION_DAYS}, or off"
        ))),
    }
}

/// What a person may do. Managers approve only their direct reports; admins
/// everything in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Employee,
    Manager,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, Invalid> {
        match s.to_ascii_lowercase().as_str() {
            "employee" => Ok(Role::Employee),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            other => Err(Invalid::new(format!(
                "unknown role '{other}' (expected employee, manager or admin)"
            ))),
        }
    }

    /// Gauzy's CAN_APPROVE_TIMESHEET permission.
    pub fn can_approve(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }

    /// Whether the role alone lets one change the organization's projects
    /// and tasks (see [`may_manage_projects`] for the organization's say).
    pub fn manages_projects(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }

    /// The role name Gauzy's clients read (`user.role.name`).
    pub fn gauzy_name(self) -> &'static str {
        match self {
            Role::Employee => "EMPLOYEE",
            Role::Manager => "MANAGER",
            Role::Admin => "ADMIN",
        }
    }
}

/// A person who signs in; every user is also the employee whose time is
/// tracked (Gauzy's `employee.id` is the user's id in Stint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    /// Stable integer id for the IceHrm dialect.
    pub seq: i64,
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub supervisor_id: Option<Uuid>,
    /// IANA zone name; weeks and IceHrm local times are computed in it.
    pub timezone: String,
}

impl User {
    /// The user's zone; an unknown name (validated on input) falls back to UTC.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// Parses and validates an IANA time-zone name.
pub fn parse_timezone(name: &str) -> Result<chrono_tz::Tz, Invalid> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        Invalid::new(format!(
            "unknown time zone '{name}' (expected an IANA name such as Europe/Berlin)"
        ))
    })
}

/// Normalises an e-mail address for lookup and uniqueness.
pub fn normalize_email(email: &str) -> Result<String, Invalid> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'));
    if valid {
        Ok(e)
    } else {
        Err(Invalid::new(format!("'{email}' is not an e-mail address")))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: Uuid,
    /// Stable integer id for the IceHrm dialect.
    pub seq: i64,
    pub org_id: Uuid,
    pub name: String,
    /// Projects are archived, never deleted: their time stays in history
    /// and reports, but pickers hide them and they take no new time.
    #[serde(default)]
    pub archived_at: Option<crate::Instant>,
}

impl Project {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }
}

/// Longest project name or task title accepted.
pub const MAX_NAME: usize = 255;

/// A project name or task title as it is stored: trimmed, not empty, at
/// most [`MAX_NAME`] characters. `what` names the field in the message.
pub fn validate_name(name: &str, what: &str) -> Result<String, Invalid> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Invalid::new(format!("{what} must not be empty")));
    }
    if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Invalid::new(format!(
            "{what} must be at most {MAX_NAME} characters, without control characters"
        )));
    }
    Ok(name.to_string())
}

/// Who may create, rename and archive projects and create and edit tasks:
/// managers and admins, and employees too when the organization lets its
/// members create projects.
pub fn may_manage_projects(role: Role, org: &Organization) -> bool {
    role.manages_projects() || org.members_create_projects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_in_any_case_and_reject_unknown() {
        assert_eq!(Role::parse("Admin").unwrap(), Role::Admin);
        assert!(Role::parse("boss").unwrap_err().0.contains("boss"));
        assert!(Role::Manager.can_approve() && !Role::Employee.can_approve());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalize_email(" Maya@Example.COM ").unwrap(),
            "maya@example.com"
        );
        assert!(normalize_email("no-at-sign").is_err());
        assert!(normalize_email("a@b@c").is_err());
    }

    #[test]
    fn retention_is_days_or_off() {
        assert_eq!(parse_retention_days("30").unwrap(), Some(30));
        assert_eq!(parse_retention_days("OFF").unwrap(), None);
        for bad in ["0", "-1", "36501", "30d", ""] {
            assert!(parse_retention_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert!(parse_timezone("Europe/Berlin").is_ok());
        assert!(parse_timezone("Mars/Olympus").is_err());
    }
}
