//! Tasks: the finer "what" of a time log, inside one project.
//!
//! A task always belongs to a project, and a time log naming a task must be
//! on that task's project: a report per project then adds up the same time
//! as a report per task, whichever way it is cut.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Instant, Invalid};

/// Longest estimate accepted (ten years of seconds): anything longer is a
/// typo, and it keeps every sum of estimates far from overflowing.
pub const MAX_ESTIMATE: i64 = 10 * 366 * 24 * 3600;

/// Gauzy's task statuses (`TaskStatusEnum`), spelled as Gauzy spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskStatus {
    #[serde(rename = "backlog")]
    Backlog,
    #[serde(rename = "open")]
    Open,
    #[serde(rename = "in-progress")]
    InProgress,
    #[serde(rename = "ready-for-review")]
    ReadyForReview,
    #[serde(rename = "in-review")]
    InReview,
    #[serde(rename = "blocked")]
    Blocked,
    #[serde(rename = "done")]
    Done,
    #[serde(rename = "completed")]
    Completed,
    #[serde(rename = "cancelled")]
    Cancelled,
    #[serde(rename = "custom")]
    Custom,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 10] = [
        TaskStatus::Backlog,
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::ReadyForReview,
        TaskStatus::InReview,
        TaskStatus::Blocked,
        TaskStatus::Done,
        TaskStatus::Completed,
        TaskStatus::Cancelled,
        TaskStatus::Custom,
    ];

    /// Gauzy's spelling, which is also how it is stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Backlog => "backlog",
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in-progress",
            TaskStatus::ReadyForReview => "ready-for-review",
            TaskStatus::InReview => "in-review",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
            TaskStatus::Completed => "completed",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Custom => "custom",
        }
    }

    /// Any case, `_` or space for `-` (Gauzy's web app shows "In Progress").
    pub fn parse(s: &str) -> Result<TaskStatus, Invalid> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        TaskStatus::ALL
            .into_iter()
            .find(|t| t.as_str() == norm)
            .ok_or_else(|| {
                let known: Vec<_> = TaskStatus::ALL.iter().map(|t| t.as_str()).collect();
                Invalid::new(format!(
                    "unknown task status '{s}' (expected one of {})",
                    known.join(", ")
                ))
            })
    }
}

/// A task of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Client-generatable, so a task made offline keeps its id.
    pub id: Uuid,
    /// Stable integer id (Gauzy's task `number`).
    pub seq: i64,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    /// Estimated effort in seconds, as Gauzy counts it.
    pub estimate: Option<i64>,
    /// The employees (users) the task is assigned to, in no particular order.
    pub assignee_ids: Vec<Uuid>,
    pub created_at: Instant,
    pub updated_at: Instant,
}

/// An estimate in whole seconds, from 0 to [`MAX_ESTIMATE`].
pub fn validate_estimate(seconds: i64) -> Result<i64, Invalid> {
    if (0..=MAX_ESTIMATE).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Invalid::new(format!(
            "estimate must be a number of seconds from 0 to {MAX_ESTIMATE}, not {seconds}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_gauzy_and_display_spellings() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()).unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(
            TaskStatus::parse("In Progress").unwrap(),
            TaskStatus::InProgress
        );
        assert!(TaskStatus::parse("doing").unwrap_err().0.contains("doing"));
    }

    #[test]
    fn estimates_are_bounded() {
        assert_eq!(validate_estimate(3600).unwrap(), 3600);
        assert!(validate_estimate(-1).is_err());
        assert!(validate_estimate(MAX_ESTIMATE + 1).is_err());
    }
}
