//! The objects of Gauzy's time reports (`report/daily`, `report/weekly`,
//! `time-limit`), with the fields the Gauzy web app reads: an employee as
//! `{id, userId, fullName, user: {firstName, lastName, ...}}`, a project as
//! `{id, name}` (null for time on no project), a log's part as
//! `{task, description, duration, client}`.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::service::ledger::Ledger;
use crate::service::time_reports::{Key, Node};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRef {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub name: String,
    pub email: String,
    pub image_url: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeRef {
    pub id: Uuid,
    pub user_id: Uuid,
    pub full_name: String,
    pub user: UserRef,
}

impl EmployeeRef {
    pub fn of(l: &Ledger, key: Key) -> EmployeeRef {
        let id = match key {
            Key::Employee(id) => id,
            _ => Uuid::nil(),
        };
        let u = l.scope.employees.get(&id);
        let name = u.map(|u| u.name.clone()).unwrap_or_default();
        let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
        EmployeeRef {
            id,
            user_id: id,
            full_name: name.clone(),
            user: UserRef {
                id,
                first_name: first.to_string(),
                last_name: last.to_string(),
                name: name.clone(),
                email: u.map(|u| u.email.clone()).unwrap_or_default(),
                image_url: None,
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectRef {
    pub id: Uuid,
    pub name: String,
    pub image_url: Option<String>,
}

impl ProjectRef {
    /// The project of a group; `None` (JSON null) for time on no project.
    pub fn of(l: &Ledger, key: Key) -> Option<ProjectRef> {
        let Key::Project(Some(id)) = key else {
            return None;
        };
        Some(ProjectRef {
            id,
            name: l
                .scope
                .project_name(Some(id))
                .unwrap_or_default()
                .to_string(),
            image_url: None,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskRef {
    pub id: Uuid,
    pub title: String,
}

/// One log's counted part on a day.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskLine {
    pub task: Option<TaskRef>,
    pub description: String,
    /// Counted seconds of this log on this day.
    pub duration: i64,
    /// Always null: Stint has no clients.
    pub client: Option<String>,
}

/// The parts of logs in an innermost group.
pub fn tasks(l: &Ledger, n: &Node) -> Vec<TaskLine> {
    n.entries
        .iter()
        .map(|e| TaskLine {
            task: e.task_id.map(|id| TaskRef {
                id,
                title: l.tasks.get(&id).cloned().unwrap_or_default(),
            }),
            description: e.description.clone(),
            duration: e.seconds,
            client: None,
        })
        .collect()
}

/// A person's time within a day and project (innermost level).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeLine {
    pub employee: EmployeeRef,
    pub sum: i64,
    pub activity: f64,
    pub tasks: Vec<TaskLine>,
}

impl EmployeeLine {
    pub fn of(l: &Ledger, n: &Node) -> EmployeeLine {
        EmployeeLine {
            employee: EmployeeRef::of(l, n.key),
            sum: n.total.seconds,
            activity: n.total.activity(),
            tasks: tasks(l, n),
        }
    }
}

/// A project's time within a person's day (innermost level).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectLine {
    pub project: Option<ProjectRef>,
    pub sum: i64,
    pub activity: f64,
    pub tasks: Vec<TaskLine>,
}

impl ProjectLine {
    pub fn of(l: &Ledger, n: &Node) -> ProjectLine {
        ProjectLine {
            project: ProjectRef::of(l, n.key),
            sum: n.total.seconds,
            activity: n.total.activity(),
            tasks: tasks(l, n),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectOfDate {
    pub project: Option<ProjectRef>,
    pub employee_logs: Vec<EmployeeLine>,
}

/// `groupBy=date`: a day with counted time.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DateGroup {
    pub date: String,
    pub logs: Vec<ProjectOfDate>,
    /// Counted seconds that day.
    pub sum: i64,
    pub activity: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DateOfEmployee {
    pub date: String,
    pub project_logs: Vec<ProjectLine>,
}

/// `groupBy=employee`: a person with counted time in the range.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeGroup {
    pub employee: EmployeeRef,
    pub logs: Vec<DateOfEmployee>,
    pub sum: i64,
    pub activity: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DateOfProject {
    pub date: String,
    pub employee_logs: Vec<EmployeeLine>,
}

/// `groupBy=project`: a project (null: no project) with counted time.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectGroup {
    pub project: Option<ProjectRef>,
    pub logs: Vec<DateOfProject>,
    pub sum: i64,
    pub activity: f64,
}
