//! The objects of Gauzy's time reports (`report/daily`, `report/weekly`,
//! `time-limit`), with the fields the Gauzy web app reads: an employee as
//! `{id, userId, fullName, user: {firstName, lastName, ...}}`, a project as
//! `{id, name}` (null for time on no project), a log's part as
//! `{task, description, duration, client}`; and their query as the
//! OpenAPI document shows it.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
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
#[schema(as = ReportEmployee)]
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
#[schema(as = ReportProject)]
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

/// The query every report reads, as the OpenAPI document shows it
/// (`time_reports::read` parses it, bracketed arrays and repeated keys included).
#[derive(IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ReportParams {
    /// First day, YYYY-MM-DD; also a UTC instant (`YYYY-MM-DD HH:mm:ss`, as
    /// the Gauzy web app sends it), read as a local date in `timeZone`.
    start_date: NaiveDate,
    /// Last day, both included, at most 400 days after `startDate`.
    end_date: NaiveDate,
    /// IANA zone for instants in `startDate`/`endDate` (the caller's by
    /// default). Each employee's days are their own local days.
    time_zone: Option<String>,
    /// Employee ids (also `employeeIds[]=..`, `employeeId`).
    employee_ids: Option<Vec<Uuid>>,
    /// Project ids (also `projectIds[]=..`, `projectId`).
    project_ids: Option<Vec<Uuid>>,
    /// Only logs of these types (`logType[]=..`); IDLE time never counts.
    #[param(inline)]
    log_type: Option<Vec<LogTypeParam>>,
    /// Only logs from these sources (`source[]=..`): WEB_TIMER, DESKTOP, ...
    source: Option<Vec<String>>,
}

/// Gauzy's log types (in the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code, clippy::upper_case_acronyms)]
pub enum LogTypeParam {
    TRACKED,
    MANUAL,
    IDLE,
    RESUMED,
}

/// The daily report's grouping (in the OpenAPI document).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum GroupByParam {
    Date,
    Employee,
    Project,
}

/// The time-limit report's period (in the OpenAPI document).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum DurationParam {
    Day,
    Week,
    Month,
}
