//! The authorization matrix, generated from the server's route table
//! (`stint_server::routes::table()`): every endpoint of both dialects ×
//! eight callers (anonymous, an expired token, the owner, a colleague, a
//! manager of someone else, the owner's supervisor, an admin, another
//! organization's admin) × — where the route is about an object — the
//! owner's, a colleague's and another organization's object.
//!
//! What each cell expects follows DESIGN.md: no token or an expired one is
//! 401; another organization's object is 404 (never 403, never leaked); a
//! colleague's object the caller may not see or change is 403; employees
//! see and change their own, supervisors see their direct reports' and
//! approve or reject their timesheets but do not rewrite their time, admins
//! do everything in their organization. Lists never fail for someone else's
//! id: they leave what the caller may not see out (`+` listed, `-` not).
//! A denied write changes nothing (the owner's view of the object's week is
//! the same before and after). A route in the table without a row here
//! fails the test; so does a row without a route.
//!
//! The screenshot links story is in screenshot_links.rs.

#[macro_use]
mod util;
#[path = "util/authz.rs"]
mod authz;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};

use authz::*;
use chrono::NaiveDate;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use util::*;

const ACME_PROJECT: &str = "Acme Site";
const GLOBEX_PROJECT: &str = "Globex Site";

/// Who may do it, and how success looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// No token needed (sign-in, OpenAPI, health).
    Public,
    /// Any signed-in caller, about themselves.
    Authed,
    /// Whoever may see the owner's time.
    See,
    /// The owner or an admin.
    Edit,
    /// Like `Edit`; another organization's id is a new object of the
    /// caller's own (a client id is not found, so it is created).
    EditOrCreate,
    /// The owner's supervisor or an admin.
    Approve,
    /// The owner only.
    Owner,
    /// A list: 200, with the object iff the caller may see the owner's time.
    ListSee,
    /// The CSV export and the time reports: like `ListSee`, but another
    /// organization's employee id is 404 (it names no one the caller could
    /// export).
    ExportSee,
    /// A list of the caller's own: the object iff the caller is the owner.
    ListOwn,
    /// A reviewer's list: the object iff the caller approves the owner.
    ListReview,
    /// An organization's list: the object iff in the caller's organization.
    ListOrg,
    /// The sync batch: 200 with a per-log outcome.
    SyncEdit,
    /// Who opened whose screenshots: the object iff the caller is its
    /// owner or an admin of the organization (not the supervisor, who is
    /// usually the viewer).
    ListViews,
    /// A project or task of the owner's organization: managers and admins
    /// of that organization change it.
    Manage,
    /// A new project or task of the caller's organization: managers and
    /// admins make one.
    ManageNew,
}

impl Policy {
    fn has_objects(self) -> bool {
        !matches!(self, Policy::Public | Policy::Authed | Policy::ManageNew)
    }

    /// The expected cell: `401`, `403`, `404`, `2xx`, `2xx+`/`2xx-` for a
    /// list with/without the object, `2xx/OUTCOME` for a sync.
    fn expected(self, caller: Caller, owner: Option<Person>) -> String {
        let c = match caller {
            Caller::As(p) => p,
            _ if self == Policy::Public => return "2xx".into(),
            _ => return "401".into(),
        };
        let Some(o) = owner else {
            let allowed = self != Policy::ManageNew || c.manages();
            return if allowed { "2xx" } else { "403" }.into();
        };
        let same = c.same_org(o);
        let gate = |allowed: bool| match (same, allowed) {
            (false, _) => "404",
            (true, true) => "2xx",
            (true, false) => "403",
        };
        let list = |listed: bool| if listed { "2xx+" } else { "2xx-" };
        match self {
            Policy::Public | Policy::Authed | Policy::ManageNew => "2xx",
            Policy::Manage => gate(c.manages()),
            Policy::See => gate(c.may_see(o)),
            Policy::Edit => gate(c.may_edit(o)),
            Policy::EditOrCreate if !same => "2xx",
            Policy::EditOrCreate => gate(c.may_edit(o)),
            Policy::Approve => gate(c.may_approve(o)),
            Policy::Owner => gate(c == o),
            Policy::ListSee => list(c.may_see(o)),
            Policy::ExportSee if !same => "404",
            Policy::ExportSee => list(c.may_see(o)),
            Policy::ListOwn => list(c == o),
            Policy::ListReview => list(c != o && c.may_approve(o)),
            Policy::ListOrg => list(same),
            Policy::ListViews => list(c == o || (same && c.admin())),
            Policy::SyncEdit if !same => "2xx/created",
            Policy::SyncEdit if c.may_edit(o) => "2xx/updated",
            Policy::SyncEdit => "2xx/403",
        }
        .into()
    }
}

/// Does a cell with this expectation change data when it is allowed (so it
/// needs an object of its own)?
fn writes_when_allowed(expected: &str) -> bool {
    matches!(expected, "2xx" | "2xx/updated" | "2xx/created")
}

/// What a row needs to exist first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fx {
    None,
    /// A fresh session of Omar (its refresh token).
    Session,
    /// The caller's running timer.
    Running,
    /// An unused week of the owner.
    Week,
    /// A stopped log (and so a draft timesheet) in an unused week.
    Log,
    /// The same, its timesheet submitted.
    Submitted,
    /// A ten-minute slot with an activity.
    Slot,
    /// A screenshot.
    Shot,
    /// An empty IceHrm timesheet (integer ids).
    IceSheet,
    /// An IceHrm timesheet with one entry.
    IceEntry,
    /// The same, submitted.
    IceSubmitted,
    /// A new project of the owner's organization.
    Project,
    /// A new task in a new project of the owner's organization.
    Task,
}

/// The object a cell is about (the fields its fixture made).
#[derive(Clone, Debug, Default)]
struct Obj {
    owner_id: String,
    name: &'static str,
    project: &'static str,
    week: Option<NaiveDate>,
    log: String,
    sheet: String,
    slot: String,
    shot: String,
    ice_sheet: i64,
    ice_entry: i64,
    refresh: String,
    project_id: String,
    task: String,
}

impl Obj {
    fn week(&self) -> NaiveDate {
        self.week.expect("this fixture has a week")
    }

    /// Wednesday of the object's week.
    fn day(&self) -> String {
        (self.week() + chrono::Duration::days(3)).to_string()
    }

    /// `HH:MM` on Wednesday of the object's week, UTC.
    fn at(&self, hhmm: &str) -> String {
        format!("{}T{hhmm}:00.000Z", self.day())
    }

    /// `employeeId=..&startDate=..&endDate=..` for the object's week.
    fn range(&self) -> String {
        format!(
            "employeeId={}&startDate={}&endDate={}",
            self.owner_id,
            self.week(),
            self.week() + chrono::Duration::days(6)
        )
    }
}

enum Body {
    Empty,
    Json(Value),
    /// A multipart screenshot (a small PNG) with these text fields.
    Shot(Vec<(&'static str, String)>),
}

struct Req {
    path: String,
    body: Body,
}

fn bare(path: String) -> Req {
    Req {
        path,
        body: Body::Empty,
    }
}

fn with(path: String, v: Value) -> Req {
    Req {
        path,
        body: Body::Json(v),
    }
}

/// How a 2xx answer is read.
#[derive(Clone, Copy)]
enum Seen {
    Status,
    /// Is the object in the list?
    Listed(fn(&Obj, &Value) -> bool),
    /// The outcome of the first log of a sync batch.
    Sync,
}

struct Row {
    method: Method,
    path: &'static str,
    policy: Policy,
    fx: Fx,
    req: fn(&Obj) -> Req,
    seen: Seen,
}

fn row(method: Method, path: &'static str, policy: Policy, fx: Fx, req: fn(&Obj) -> Req) -> Row {
    let seen = match policy {
        Policy::SyncEdit => Seen::Sync,
        _ => Seen::Status,
    };
    Row {
        method,
        path,
        policy,
        fx,
        req,
        seen,
    }
}

impl Row {
    fn listed(mut self, f: fn(&Obj, &Value) -> bool) -> Row {
        self.seen = Seen::Listed(f);
        self
    }
}

fn items(v: &Value) -> &[Value] {
    v["items"]
        .as_array()
        .or_else(|| v["data"].as_array())
        .or_else(|| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn non_empty(_: &Obj, v: &Value) -> bool {
    !items(v).is_empty()
}

fn has_project(o: &Obj, v: &Value) -> bool {
    items(v).iter().any(|p| p["name"] == o.project)
}

fn has_task(o: &Obj, v: &Value) -> bool {
    items(v).iter().any(|t| t["id"] == o.task)
}

/// A name no other request uses (project names are unique).
fn fresh_name(what: &str) -> String {
    format!("{what} {}", uuid::Uuid::new_v4())
}

fn has_ice_sheet(o: &Obj, v: &Value) -> bool {
    items(v).iter().any(|s| s["id"] == o.ice_sheet)
}

/// Every row of the matrix, one per route of the table.
fn rows() -> Vec<Row> {
    use Fx as F;
    use Method as M;
    use Policy as P;
    vec![
        // ---- Gauzy: sign-in ----
        row(
            M::POST,
            "/api/auth/signin.email.password",
            P::Public,
            F::None,
            |_| {
                with(
                    "/api/auth/signin.email.password".into(),
                    json!({ "email": OMAR, "password": PASSWORD }),
                )
            },
        ),
        row(M::POST, "/api/auth/login", P::Public, F::None, |_| {
            with(
                "/api/auth/login".into(),
                json!({ "email": OMAR, "password": PASSWORD }),
            )
        }),
        row(
            M::POST,
            "/api/auth/refresh-token",
            P::Public,
            F::Session,
            |o| {
                with(
                    "/api/auth/refresh-token".into(),
                    json!({ "refresh_token": o.refresh }),
                )
            },
        ),
        row(M::POST, "/api/auth/logout", P::Public, F::Session, |o| {
            with(
                "/api/auth/logout".into(),
                json!({ "refresh_token": o.refresh }),
            )
        }),
        row(M::GET, "/api/user/me", P::Authed, F::None, |_| {
            bare("/api/user/me".into())
        }),
        // ---- Gauzy: projects ----
        row(
            M::GET,
            "/api/organization-projects",
            P::ListOrg,
            F::None,
            |_| bare("/api/organization-projects".into()),
        )
        .listed(has_project),
        row(
            M::GET,
            "/api/organization-projects/employee/{id}",
            P::See,
            F::None,
            |o| {
                bare(format!(
                    "/api/organization-projects/employee/{}",
                    o.owner_id
                ))
            },
        ),
        row(
            M::POST,
            "/api/organization-projects",
            P::ManageNew,
            F::None,
            |_| {
                with(
                    "/api/organization-projects".into(),
                    json!({ "name": fresh_name("New") }),
                )
            },
        ),
        row(
            M::PUT,
            "/api/organization-projects/{id}",
            P::Manage,
            F::Project,
            |o| {
                with(
                    format!("/api/organization-projects/{}", o.project_id),
                    json!({ "name": fresh_name("Renamed") }),
                )
            },
        ),
        row(
            M::DELETE,
            "/api/organization-projects/{id}",
            P::Manage,
            F::Project,
            |o| bare(format!("/api/organization-projects/{}", o.project_id)),
        ),
        // ---- Gauzy: tasks ----
        row(M::GET, "/api/tasks", P::ListOrg, F::Task, |_| {
            bare("/api/tasks".into())
        })
        .listed(has_task),
        row(M::POST, "/api/tasks", P::Manage, F::Project, |o| {
            with(
                "/api/tasks".into(),
                json!({ "title": "Write copy", "projectId": o.project_id }),
            )
        }),
        row(M::PUT, "/api/tasks/{id}", P::Manage, F::Task, |o| {
            with(
                format!("/api/tasks/{}", o.task),
                json!({ "status": "in-progress" }),
            )
        }),
        row(M::GET, "/api/tasks/employee/{id}", P::See, F::None, |o| {
            bare(format!("/api/tasks/employee/{}", o.owner_id))
        }),
        // ---- Gauzy: timesheets ----
        row(M::GET, "/api/timesheet", P::ListSee, F::Log, |o| {
            bare(format!("/api/timesheet?{}", o.range()))
        })
        .listed(non_empty),
        row(M::PUT, "/api/timesheet/submit", P::Edit, F::Log, |o| {
            with("/api/timesheet/submit".into(), json!({ "ids": [o.sheet] }))
        }),
        row(
            M::PUT,
            "/api/timesheet/approve",
            P::Approve,
            F::Submitted,
            |o| with("/api/timesheet/approve".into(), json!({ "ids": [o.sheet] })),
        ),
        row(
            M::PUT,
            "/api/timesheet/deny",
            P::Approve,
            F::Submitted,
            |o| {
                let body = json!({ "ids": [o.sheet], "reason": "Tuesday is missing" });
                with("/api/timesheet/deny".into(), body)
            },
        ),
        row(M::GET, "/api/timesheet/{id}", P::See, F::Log, |o| {
            bare(format!("/api/timesheet/{}", o.sheet))
        }),
        // ---- Gauzy: time logs ----
        row(M::GET, "/api/timesheet/time-log", P::ListSee, F::Log, |o| {
            bare(format!("/api/timesheet/time-log?{}", o.range()))
        })
        .listed(non_empty),
        row(
            M::GET,
            "/api/timesheet/time-log/",
            P::ListSee,
            F::Log,
            |o| bare(format!("/api/timesheet/time-log/?{}", o.range())),
        )
        .listed(non_empty),
        row(M::POST, "/api/timesheet/time-log", P::Edit, F::Week, |o| {
            with(
                "/api/timesheet/time-log".into(),
                json!({ "employeeId": o.owner_id, "startedAt": o.at("11:00"), "stoppedAt": o.at("12:00") }),
            )
        }),
        row(
            M::PUT,
            "/api/timesheet/time-log",
            P::EditOrCreate,
            F::Log,
            |o| {
                with(
                    "/api/timesheet/time-log".into(),
                    json!({ "id": o.log, "startedAt": o.at("09:00"), "stoppedAt": o.at("10:30"), "description": "upserted" }),
                )
            },
        ),
        row(M::DELETE, "/api/timesheet/time-log", P::Edit, F::Log, |o| {
            bare(format!("/api/timesheet/time-log?logIds[0]={}", o.log))
        }),
        row(
            M::POST,
            "/api/timesheet/time-log/sync",
            P::SyncEdit,
            F::Log,
            |o| {
                with(
                    "/api/timesheet/time-log/sync".into(),
                    json!({ "timeLogs": [{ "id": o.log, "startedAt": o.at("09:00"), "stoppedAt": o.at("10:15"), "version": 7 }] }),
                )
            },
        ),
        row(
            M::GET,
            "/api/timesheet/time-log/report/daily-chart",
            P::ListSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/report/daily-chart?{}",
                    o.range()
                ))
            },
        )
        .listed(|_, v| items(v).iter().any(|d| d["duration"].as_i64() > Some(0))),
        row(
            M::GET,
            "/api/timesheet/time-log/report/export",
            P::ExportSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/report/export?{}",
                    o.range()
                ))
            },
        )
        // The header row, then a row per log.
        .listed(|_, v| v.as_str().is_some_and(|csv| csv.lines().count() > 1)),
        row(
            M::GET,
            "/api/timesheet/time-log/report/daily",
            P::ExportSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/report/daily?{}",
                    o.range()
                ))
            },
        )
        .listed(|_, v| items(v).iter().any(|d| d["sum"].as_i64() > Some(0))),
        row(
            M::GET,
            "/api/timesheet/time-log/report/weekly",
            P::ExportSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/report/weekly?{}",
                    o.range()
                ))
            },
        )
        .listed(|_, v| items(v).iter().any(|d| d["sum"].as_i64() > Some(0))),
        row(
            M::GET,
            "/api/timesheet/time-log/report/time-limit",
            P::ExportSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/report/time-limit?duration=week&{}",
                    o.range()
                ))
            },
        )
        .listed(|_, v| items(v).iter().any(|p| !items(&p["employees"]).is_empty())),
        row(
            M::GET,
            "/api/timesheet/time-log/time-limit",
            P::ExportSee,
            F::Log,
            |o| {
                bare(format!(
                    "/api/timesheet/time-log/time-limit?duration=week&{}",
                    o.range()
                ))
            },
        )
        .listed(|_, v| items(v).iter().any(|p| !items(&p["employees"]).is_empty())),
        row(
            M::GET,
            "/api/timesheet/time-log/{id}",
            P::See,
            F::Log,
            |o| bare(format!("/api/timesheet/time-log/{}", o.log)),
        ),
        row(
            M::PUT,
            "/api/timesheet/time-log/{id}",
            P::Edit,
            F::Log,
            |o| {
                with(
                    format!("/api/timesheet/time-log/{}", o.log),
                    json!({ "description": "changed" }),
                )
            },
        ),
        row(
            M::DELETE,
            "/api/timesheet/time-log/{id}",
            P::Edit,
            F::Log,
            |o| bare(format!("/api/timesheet/time-log/{}", o.log)),
        ),
        // ---- Gauzy: the timer (always the caller's own) ----
        row(
            M::POST,
            "/api/timesheet/timer/start",
            P::Authed,
            F::None,
            |_| with("/api/timesheet/timer/start".into(), json!({})),
        ),
        row(
            M::POST,
            "/api/timesheet/timer/stop",
            P::Authed,
            F::Running,
            |_| with("/api/timesheet/timer/stop".into(), json!({})),
        ),
        row(
            M::POST,
            "/api/timesheet/timer/toggle",
            P::Authed,
            F::None,
            |_| with("/api/timesheet/timer/toggle".into(), json!({})),
        ),
        row(
            M::GET,
            "/api/timesheet/timer/status",
            P::Authed,
            F::None,
            |_| bare("/api/timesheet/timer/status".into()),
        ),
        // ---- Gauzy: slots and activities ----
        row(
            M::GET,
            "/api/timesheet/time-slot",
            P::ListSee,
            F::Slot,
            |o| bare(format!("/api/timesheet/time-slot?{}", o.range())),
        )
        .listed(non_empty),
        row(M::POST, "/api/timesheet/time-slot", P::Edit, F::Week, |o| {
            with(
                "/api/timesheet/time-slot".into(),
                json!({ "employeeId": o.owner_id, "startedAt": o.at("11:00"), "duration": 600, "overall": 50 }),
            )
        }),
        row(
            M::DELETE,
            "/api/timesheet/time-slot",
            P::Edit,
            F::Slot,
            |o| bare(format!("/api/timesheet/time-slot?ids[0]={}", o.slot)),
        ),
        row(
            M::GET,
            "/api/timesheet/time-slot/{id}",
            P::See,
            F::Slot,
            |o| bare(format!("/api/timesheet/time-slot/{}", o.slot)),
        ),
        row(
            M::GET,
            "/api/timesheet/activity",
            P::ListSee,
            F::Slot,
            |o| bare(format!("/api/timesheet/activity?{}", o.range())),
        )
        .listed(non_empty),
        row(
            M::POST,
            "/api/timesheet/activity/bulk",
            P::Edit,
            F::Week,
            |o| {
                with(
                    "/api/timesheet/activity/bulk".into(),
                    json!({ "activities": [{ "employeeId": o.owner_id, "title": "editor", "date": o.day(), "time": "11:00:00", "duration": 30, "type": "APP" }] }),
                )
            },
        ),
        row(
            M::GET,
            "/api/timesheet/statistics/counts",
            P::ListSee,
            F::Log,
            |o| bare(format!("/api/timesheet/statistics/counts?{}", o.range())),
        )
        .listed(|_, v| v["weeklyDuration"].as_i64() > Some(0)),
        // ---- Gauzy: screenshots ----
        row(
            M::GET,
            "/api/timesheet/screenshot",
            P::ListSee,
            F::Shot,
            |o| bare(format!("/api/timesheet/screenshot?{}", o.range())),
        )
        .listed(non_empty),
        row(
            M::POST,
            "/api/timesheet/screenshot",
            P::Owner,
            F::Slot,
            |o| Req {
                path: "/api/timesheet/screenshot".into(),
                body: Body::Shot(vec![("timeSlotId", o.slot.clone())]),
            },
        ),
        row(
            M::DELETE,
            "/api/timesheet/screenshot/{id}",
            P::Edit,
            F::Shot,
            |o| bare(format!("/api/timesheet/screenshot/{}", o.shot)),
        ),
        row(
            M::GET,
            "/api/timesheet/screenshot/{id}/{kind}",
            P::See,
            F::Shot,
            |o| bare(format!("/api/timesheet/screenshot/{}/thumb", o.shot)),
        ),
        // ---- Privacy: who opened whose screenshots ----
        row(
            M::GET,
            "/api/privacy/screenshot-views",
            P::ListViews,
            F::Shot,
            |o| {
                bare(format!(
                    "/api/privacy/screenshot-views?employeeId={}",
                    o.owner_id
                ))
            },
        )
        .listed(|o, v| {
            items(v)
                .iter()
                .any(|x| x["screenshotId"] == o.shot.as_str())
        }),
        // Everyone's own data only: there is no one else to name.
        row(M::GET, "/api/privacy/export", P::Authed, F::None, |_| {
            bare("/api/privacy/export".into())
        }),
        // The caller's own organization's policy: it names no one.
        row(M::GET, "/api/privacy/policy", P::Authed, F::None, |_| {
            bare("/api/privacy/policy".into())
        }),
        // ---- IceHrm ----
        row(M::GET, "/timesheets", P::ListOwn, F::IceSubmitted, |_| {
            bare("/timesheets?status=Submitted&limit=1000".into())
        })
        .listed(has_ice_sheet),
        row(
            M::POST,
            "/timesheets/create-current",
            P::Authed,
            F::None,
            |_| bare("/timesheets/create-current".into()),
        ),
        row(
            M::GET,
            "/timesheets/direct-reports",
            P::ListReview,
            F::IceSubmitted,
            |o| {
                bare(format!(
                    "/timesheets/direct-reports?status=Submitted&limit=1000&employee_name={}",
                    o.name
                ))
            },
        )
        .listed(has_ice_sheet),
        row(
            M::GET,
            "/timesheets/direct-reports/pending",
            P::ListReview,
            F::IceSubmitted,
            |o| {
                bare(format!(
                    "/timesheets/direct-reports/pending?limit=1000&employee_name={}",
                    o.name
                ))
            },
        )
        .listed(has_ice_sheet),
        row(M::GET, "/timesheets/projects", P::ListOrg, F::None, |_| {
            bare("/timesheets/projects".into())
        })
        .listed(has_project),
        row(M::GET, "/timesheets/{id}", P::See, F::IceEntry, |o| {
            bare(format!("/timesheets/{}", o.ice_sheet))
        }),
        row(
            M::POST,
            "/timesheets/{id}/create-previous",
            P::Edit,
            F::IceSheet,
            |o| bare(format!("/timesheets/{}/create-previous", o.ice_sheet)),
        ),
        row(
            M::POST,
            "/timesheets/{id}/create-next",
            P::Edit,
            F::IceSheet,
            |o| bare(format!("/timesheets/{}/create-next", o.ice_sheet)),
        ),
        row(
            M::POST,
            "/timesheets/{id}/submit",
            P::Edit,
            F::IceEntry,
            |o| bare(format!("/timesheets/{}/submit", o.ice_sheet)),
        ),
        row(
            M::POST,
            "/timesheets/{id}/approve",
            P::Approve,
            F::IceSubmitted,
            |o| bare(format!("/timesheets/{}/approve", o.ice_sheet)),
        ),
        row(
            M::POST,
            "/timesheets/{id}/reject",
            P::Approve,
            F::IceSubmitted,
            |o| {
                let body = json!({ "reason": "Tuesday is missing" });
                with(format!("/timesheets/{}/reject", o.ice_sheet), body)
            },
        ),
        row(
            M::POST,
            "/timesheets/{id}/entries",
            P::Edit,
            F::IceSheet,
            |o| {
                with(
                    format!("/timesheets/{}/entries", o.ice_sheet),
                    json!({ "date": o.day(), "start_time": "11:00:00", "end_time": "12:00:00", "details": "added" }),
                )
            },
        ),
        row(
            M::POST,
            "/timesheets/entries/{id}/update",
            P::Edit,
            F::IceEntry,
            |o| {
                with(
                    format!("/timesheets/entries/{}/update", o.ice_entry),
                    json!({ "details": "changed" }),
                )
            },
        ),
        row(
            M::POST,
            "/timesheets/entries/{id}/delete",
            P::Edit,
            F::IceEntry,
            |o| bare(format!("/timesheets/entries/{}/delete", o.ice_entry)),
        ),
        // ---- Outside the dialects ----
        row(M::GET, "/api/openapi.json", P::Public, F::None, |_| {
            bare("/api/openapi.json".into())
        }),
        row(M::GET, "/healthz", P::Public, F::None, |_| {
            bare("/healthz".into())
        }),
        row(M::GET, "/readyz", P::Public, F::None, |_| {
            bare("/readyz".into())
        }),
    ]
}

/// The running server, its cast, and the fixture makers.
struct Ctx {
    server: Server,
    team: Team,
    expired: Api,
    /// Weeks handed out so far (from 2001-01-07, a Sunday, on).
    weeks: AtomicI64,
    /// Per owner: the IceHrm timesheet the next `create-previous` walks from.
    cursors: HashMap<Person, tokio::sync::Mutex<Option<i64>>>,
}

impl Ctx {
    async fn new(backend: Backend) -> Ctx {
        let server = Server::start(backend).await;
        let team = server.team().await;
        server.project(ACME_PROJECT, &[]).await;
        server.project(GLOBEX_PROJECT, &["--org", "Globex"]).await;
        let keys = expired_keys(&server).await;
        let expired = server
            .anon()
            .with_token(Some(&expired_token(&keys, &team.omar)));
        let cursors = [Person::Omar, Person::Jane, Person::Gina]
            .into_iter()
            .map(|p| (p, tokio::sync::Mutex::new(None)))
            .collect();
        Ctx {
            server,
            team,
            expired,
            weeks: AtomicI64::new(0),
            cursors,
        }
    }

    fn api(&self, c: Caller) -> Api {
        match c {
            Caller::Anonymous => self.server.anon(),
            Caller::Expired => self.expired.clone(),
            Caller::As(p) => p.session(&self.team).api.clone(),
        }
    }

    fn session(&self, p: Person) -> &Session {
        p.session(&self.team)
    }

    fn next_week(&self) -> NaiveDate {
        let n = self.weeks.fetch_add(1, Ordering::SeqCst);
        NaiveDate::from_ymd_opt(2001, 1, 7).expect("date") + chrono::Duration::weeks(n)
    }

    /// A new IceHrm timesheet of `p`: the week before the last one made,
    /// walking back from the current week.
    async fn ice_sheet(&self, p: Person) -> (i64, NaiveDate) {
        let mut cursor = self.cursors[&p].lock().await;
        let who = self.session(p);
        let mut at = match *cursor {
            Some(seq) => seq,
            None => {
                let (status, body) = who.post("/timesheets/create-current", json!({})).await;
                assert!(status.is_success(), "{body}");
                body["timesheet"]["id"].as_i64().expect("id")
            }
        };
        loop {
            let path = format!("/timesheets/{at}/create-previous");
            let (status, body) = who.send(who.request(Method::POST, &path)).await;
            assert!(status.is_success(), "{path}: {body}");
            at = body["timesheet"]["id"].as_i64().expect("id");
            if body["created"] == true {
                *cursor = Some(at);
                let start = body["timesheet"]["date_start"]
                    .as_str()
                    .expect("date_start");
                return (at, start.parse().expect("date"));
            }
        }
    }

    /// Makes what a cell needs: for `owner`, or for the caller (`Running`).
    async fn fixture(&self, fx: Fx, owner: Option<Person>, caller: Caller) -> Obj {
        let mut o = Obj::default();
        if let Some(p) = owner {
            o.owner_id = self.session(p).id();
            o.name = p.first_name();
            o.project = if p.globex() {
                GLOBEX_PROJECT
            } else {
                ACME_PROJECT
            };
        }
        let who = || self.session(owner.expect("this fixture has an owner"));
        match fx {
            Fx::None => {}
            Fx::Session => o.refresh = self.server.login(OMAR, PASSWORD).await.refresh_token,
            Fx::Running => {
                if let Caller::As(p) = caller {
                    let s = self.session(p);
                    let (status, body) = s.post("/api/timesheet/timer/start", json!({})).await;
                    assert_eq!(status, 201, "{body}");
                }
            }
            Fx::Week => o.week = Some(self.next_week()),
            Fx::Log | Fx::Submitted => {
                o.week = Some(self.next_week());
                let body = json!({ "startedAt": o.at("09:00"), "stoppedAt": o.at("10:00"), "description": "fixture" });
                let (status, log) = who().post("/api/timesheet/time-log", body).await;
                assert_eq!(status, 201, "{log}");
                o.log = log["id"].as_str().expect("id").into();
                o.sheet = log["timesheetId"].as_str().expect("timesheetId").into();
                if fx == Fx::Submitted {
                    let ids = json!({ "ids": [o.sheet] });
                    let (status, body) = who().put("/api/timesheet/submit", ids).await;
                    assert_eq!(status, 200, "{body}");
                    assert_eq!(body[0]["status"], "PENDING", "{body}");
                }
            }
            Fx::Slot => {
                o.week = Some(self.next_week());
                let body = json!({
                    "startedAt": o.at("09:00"), "duration": 600, "keyboard": 10, "mouse": 10, "overall": 20,
                    "activities": [{ "title": "editor", "duration": 60, "type": "APP" }],
                });
                let (status, slot) = who().post("/api/timesheet/time-slot", body).await;
                assert_eq!(status, 201, "{slot}");
                o.slot = slot["id"].as_str().expect("id").into();
            }
            Fx::Shot => {
                o.week = Some(self.next_week());
                let req = Req {
                    path: "/api/timesheet/screenshot".into(),
                    body: Body::Shot(vec![("recordedAt", o.at("09:05"))]),
                };
                let (status, shot) = send(who(), Method::POST, &req).await;
                assert_eq!(status, 201, "{shot}");
                o.shot = shot["id"].as_str().expect("id").into();
                // Viewed by the organization's admin: a recorded view.
                let p = owner.expect("owner");
                let admin = self.session(if p.globex() { Person::Gus } else { Person::Ada });
                let thumb = format!("/api/timesheet/screenshot/{}/thumb", o.shot);
                let (status, _) = admin.send_bytes(admin.request(Method::GET, &thumb)).await;
                assert_eq!(status, 200, "the admin opens the thumbnail");
            }
            Fx::Project | Fx::Task => {
                let p = owner.expect("owner");
                let admin = self.session(if p.globex() { Person::Gus } else { Person::Ada });
                let body = json!({ "name": fresh_name("Fixture") });
                let (status, project) = admin.post("/api/organization-projects", body).await;
                assert_eq!(status, 201, "{project}");
                o.project_id = project["id"].as_str().expect("id").into();
                if fx == Fx::Task {
                    let body = json!({ "title": "Fixture", "projectId": o.project_id });
                    let (status, task) = admin.post("/api/tasks", body).await;
                    assert_eq!(status, 202, "{task}");
                    o.task = task["id"].as_str().expect("id").into();
                }
            }
            Fx::IceSheet | Fx::IceEntry | Fx::IceSubmitted => {
                let p = owner.expect("owner");
                let (seq, start) = self.ice_sheet(p).await;
                o.ice_sheet = seq;
                o.week = Some(start);
                if fx != Fx::IceSheet {
                    let body = json!({ "date": o.day(), "start_time": "09:00:00", "end_time": "10:00:00", "details": "fixture" });
                    let (status, entry) = who()
                        .post(&format!("/timesheets/{seq}/entries"), body)
                        .await;
                    assert_eq!(status, 201, "{entry}");
                    o.ice_entry = entry["id"].as_i64().expect("id");
                }
                if fx == Fx::IceSubmitted {
                    let path = format!("/timesheets/{seq}/submit");
                    let (status, body) = who().send(who().request(Method::POST, &path)).await;
                    assert_eq!(status, 200, "{body}");
                    assert_eq!(body["timesheet"]["status"], "Submitted", "{body}");
                }
            }
        }
        o
    }

    /// The owner's view of the object's week: logs, timesheets, slots and
    /// screenshots (signed links, which change every second, left out).
    async fn snapshot(&self, owner: Person, o: &Obj) -> Value {
        let Some(_) = o.week else {
            return Value::Null;
        };
        let who = self.session(owner);
        let mut out = Vec::new();
        for list in [
            "/api/timesheet/time-log",
            "/api/timesheet",
            "/api/timesheet/time-slot",
            "/api/timesheet/screenshot",
            "/api/timesheet/activity",
        ] {
            let (status, mut body) = who.get(&format!("{list}?{}", o.range())).await;
            assert_eq!(status, 200, "{list}: {body}");
            strip_links(&mut body);
            out.push(body);
        }
        Value::Array(out)
    }
}

fn strip_links(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("fullUrl");
            m.remove("thumbUrl");
            m.values_mut().for_each(strip_links);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_links),
        _ => {}
    }
}

async fn send(api: &Api, method: Method, req: &Req) -> (StatusCode, Value) {
    let rb = api.request(method, &req.path);
    let rb = match &req.body {
        Body::Empty => rb,
        Body::Json(v) => rb.json(v),
        Body::Shot(fields) => {
            let file = Part::bytes(png(16, 16))
                .file_name("screenshot.png")
                .mime_str("image/png")
                .expect("mime");
            let mut form = Form::new().part("file", file);
            for (k, v) in fields {
                form = form.text(*k, v.clone());
            }
            rb.multipart(form)
        }
    };
    api.send(rb).await
}

fn observed(seen: Seen, o: &Obj, status: StatusCode, body: &Value) -> String {
    if !status.is_success() {
        return status.as_u16().to_string();
    }
    match seen {
        Seen::Status => "2xx".into(),
        Seen::Listed(f) => format!("2xx{}", if f(o, body) { "+" } else { "-" }),
        Seen::Sync => {
            let item = &body["timeLogs"][0];
            match item["status"].as_str() {
                Some("failed") => format!("2xx/{}", item["statusCode"]),
                Some(s) => format!("2xx/{s}"),
                None => format!("2xx/?{body}"),
            }
        }
    }
}

/// One line of the matrix: a row and one of its objects.
struct Line {
    label: String,
    cells: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Line {
    fn failed(&self) -> bool {
        !self.notes.is_empty() || self.cells.iter().any(|(want, got)| want != got)
    }
}

/// Runs one row for one object (or none): all eight callers at once.
async fn run(ctx: &Ctx, row: &Row, owner: Option<(Person, &str)>) -> Line {
    let person = owner.map(|(p, _)| p);
    let expected: Vec<String> = CALLERS
        .iter()
        .map(|(c, _)| row.policy.expected(*c, person))
        .collect();
    let writes = row.method != Method::GET;
    let shared = ctx.fixture(row.fx, person, Caller::Anonymous).await;
    let snapshot = || async {
        match person {
            Some(p) if writes => ctx.snapshot(p, &shared).await,
            _ => Value::Null,
        }
    };
    let before = snapshot().await;
    let cells = futures_join(CALLERS.iter().zip(&expected).map(|((caller, _), want)| {
        let shared = &shared;
        async move {
            let fresh;
            let obj = if writes && writes_when_allowed(want) {
                fresh = ctx.fixture(row.fx, person, *caller).await;
                &fresh
            } else {
                shared
            };
            let req = (row.req)(obj);
            let (status, body) = send(&ctx.api(*caller), row.method.clone(), &req).await;
            let got = observed(row.seen, obj, status, &body);
            let note = (got != *want).then(|| format!("{} {}: {body}", row.method, req.path));
            (want.clone(), got, note)
        }
    }))
    .await;
    let after = snapshot().await;
    let mut notes: Vec<String> = cells.iter().filter_map(|c| c.2.clone()).collect();
    if before != after {
        notes.push(format!(
            "denied calls changed the object's week:\n  before {before}\n  after  {after}"
        ));
    }
    Line {
        label: format!(
            "{} {} [{}]",
            row.method,
            row.path,
            owner.map_or("-", |(_, l)| l)
        ),
        cells: cells.into_iter().map(|(w, g, _)| (w, g)).collect(),
        notes,
    }
}

/// Awaits futures concurrently; their outputs in order.
async fn futures_join<F: std::future::Future>(fs: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<_> = fs.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut done: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (slot, out) in pending.iter_mut().zip(done.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        *out = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    done.into_iter().map(|d| d.expect("finished")).collect()
}

fn table(lines: &[&Line]) -> String {
    let width = lines.iter().map(|l| l.label.len()).max().unwrap_or(0);
    let mut s = format!("{:width$}", "route [object]");
    for (_, h) in CALLERS {
        s.push_str(&format!(" {h:>11}"));
    }
    s.push('\n');
    for l in lines {
        s.push_str(&format!("{:width$}", l.label));
        for (want, got) in &l.cells {
            let cell = if want == got {
                got.clone()
            } else {
                format!("{got}≠{want}")
            };
            s.push_str(&format!(" {cell:>11}"));
        }
        s.push('\n');
        for n in &l.notes {
            s.push_str(&format!("    {n}\n"));
        }
    }
    s
}

both!(
    every_route_every_caller_every_object,
    |backend| async move {
        let rows = rows();

        // The table and the rows are the same set of routes.
        let routes = stint_server::routes::table();
        let missing: Vec<String> = routes
            .iter()
            .filter(|r| {
                !rows
                    .iter()
                    .any(|w| w.method == r.method && w.path == r.path)
            })
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        let stale: Vec<String> = rows
            .iter()
            .filter(|w| {
                !routes
                    .iter()
                    .any(|r| w.method == r.method && w.path == r.path)
            })
            .map(|w| format!("{} {}", w.method, w.path))
            .collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "routes without a row in the matrix: {missing:?}\nrows without a route: {stale:?}"
        );

        let ctx = Ctx::new(backend).await;
        let mut lines = Vec::new();
        // Rows one after another (the timer rows share each caller's timer);
        // a row's objects and callers at once.
        for row in &rows {
            let owners: Vec<Option<(Person, &str)>> = if row.policy.has_objects() {
                OWNERS.iter().copied().map(Some).collect()
            } else {
                vec![None]
            };
            lines.extend(futures_join(owners.into_iter().map(|o| run(&ctx, row, o))).await);
        }
        let cells: usize = lines.iter().map(|l| l.cells.len()).sum();
        let failed: Vec<&Line> = lines.iter().filter(|l| l.failed()).collect();
        eprintln!(
            "authorization matrix ({backend:?}): {} routes, {} lines, {cells} cells, {} failing lines",
            rows.len(),
            lines.len(),
            failed.len()
        );
        if std::env::var_os("STINT_AUTHZ_TABLE").is_some() {
            eprintln!("{}", table(&lines.iter().collect::<Vec<_>>()));
        }
        assert!(
            failed.is_empty(),
            "{} of {} lines failed (got≠want):\n{}",
            failed.len(),
            lines.len(),
            table(&failed)
        );
    }
);
