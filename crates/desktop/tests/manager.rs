//! A team on one server: an employee tracks and submits the week from
//! their desktop app; their manager, on another computer, sees it pending
//! and approves or rejects it.

mod common;

use std::time::Duration;

use common::{PASSWORD, Server, all_synced, open, server_logs, tracked};
use stint_desktop::Desktop;
use stint_desktop::dto::{PendingTimesheet, TimesheetStatus, TrackingState};
use stint_model::Role;

const BOSS: &str = "mia@acme.test";
const EMPLOYEE: &str = "omar@acme.test";

struct Team {
    server: Server,
    employee: Desktop,
    manager: Desktop,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn team() -> Team {
    let server = Server::start().await;
    let boss = server.user(BOSS, "Mia Manager", Role::Manager, None).await;
    server
        .user(EMPLOYEE, "Omar Employee", Role::Employee, Some(boss))
        .await;
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (employee, _) = open(a.path()).await;
    let (manager, _) = open(b.path()).await;
    let s = employee
        .sign_in(&server.url, EMPLOYEE, PASSWORD)
        .await
        .expect("employee signs in");
    assert!(!s.user.expect("user").can_approve);
    let s = manager
        .sign_in(&server.url, BOSS, PASSWORD)
        .await
        .expect("manager signs in");
    assert!(s.user.expect("user").can_approve, "a manager approves");
    Team {
        server,
        employee,
        manager,
        _dirs: (a, b),
    }
}

/// The employee tracks a little, waits for it to reach the server and
/// submits the week; returns the sheet's id.
async fn track_and_submit(t: &Team) -> String {
    let s = t
        .employee
        .start(None, "support tickets".into())
        .await
        .expect("start");
    let log_id = s.tracking.log_id.expect("running log");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let s = t.employee.stop().await.expect("stop");
    assert_eq!(s.tracking.state, TrackingState::Stopped);
    let logs = all_synced(&t.employee).await;
    assert_eq!(tracked(&logs).len(), 1, "{logs:?}");

    // The server has the row, as the employee's own token sees it.
    let token = t.server.token(EMPLOYEE).await;
    let rows = server_logs(&t.server.url, &token).await;
    let row = rows
        .iter()
        .find(|r| r["id"] == log_id.as_str())
        .unwrap_or_else(|| panic!("log {log_id} on the server: {rows:?}"));
    assert_eq!(row["logType"], "TRACKED", "{row}");
    assert_eq!(row["description"], "support tickets", "{row}");
    assert!(row["stoppedAt"].is_string(), "closed on the server: {row}");

    let week = t.employee.timesheet(None).await.expect("timesheet");
    let id = week.id.clone().expect("this week's sheet");
    assert_eq!(week.status, TimesheetStatus::Draft);
    assert_eq!(week.entries.len(), 1, "{week:?}");
    assert_eq!(week.entries[0].id, log_id);
    let week = t.employee.submit_timesheet(&id).await.expect("submit");
    assert_eq!(week.status, TimesheetStatus::Submitted, "{week:?}");
    id
}

async fn pending(manager: &Desktop) -> Vec<PendingTimesheet> {
    manager
        .pending_approvals()
        .await
        .expect("pending approvals")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_approves_the_submitted_week() {
    let t = team().await;
    assert!(
        pending(&t.manager).await.is_empty(),
        "nothing submitted yet"
    );
    let id = track_and_submit(&t).await;

    let list = pending(&t.manager).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let p = &list[0];
    assert_eq!(p.id, id);
    assert_eq!(p.employee_name, "Omar Employee");
    assert_eq!(p.employee_email, EMPLOYEE);
    assert!(p.total_seconds >= 1, "{p:?}");
    assert!(p.submitted_at.is_some(), "{p:?}");
    let week = t.employee.timesheet(None).await.expect("timesheet");
    assert_eq!(p.week_start, week.week_start);

    // The employee may not approve their own week, and sees no approvals.
    let e = t.employee.approve(&id).await.unwrap_err();
    assert!(
        matches!(e.code, "refused" | "notFound"),
        "an employee approving their own week: {e:?}"
    );
    assert!(!e.message.is_empty());
    assert!(pending(&t.employee).await.is_empty());
    assert_eq!(
        t.employee.timesheet(None).await.unwrap().status,
        TimesheetStatus::Submitted
    );

    t.manager.approve(&id).await.expect("approve");
    let week = t.employee.timesheet(None).await.expect("timesheet");
    assert_eq!(week.status, TimesheetStatus::Approved, "{week:?}");
    assert!(
        pending(&t.manager).await.is_empty(),
        "approved: off the list"
    );

    let e = t.manager.approve("not-a-sheet").await.unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    let e = t
        .manager
        .approve(&uuid::Uuid::now_v7().to_string())
        .await
        .unwrap_err();
    assert!(matches!(e.code, "notFound" | "refused"), "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_rejects_the_submitted_week() {
    let t = team().await;
    let id = track_and_submit(&t).await;
    let list = pending(&t.manager).await;
    assert_eq!(
        list.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );

    let e = t.employee.reject(&id, "my own week").await.unwrap_err();
    assert!(matches!(e.code, "refused" | "notFound"), "{e:?}");
    assert_eq!(
        t.employee.timesheet(None).await.unwrap().rejection_reason,
        None
    );

    // A reason is required: blank or too long is refused before sending.
    for bad in ["", "  \n ", &"x".repeat(1001)] {
        let e = t.manager.reject(&id, bad).await.unwrap_err();
        assert_eq!(e.code, "invalid", "{e:?}");
        assert!(e.message.contains("reason"), "{e:?}");
    }
    assert_eq!(pending(&t.manager).await.len(), 1, "still waiting");

    t.manager
        .reject(&id, "  Add Tuesday's standup, then submit again. ")
        .await
        .expect("reject");
    let week = t.employee.timesheet(None).await.expect("timesheet");
    assert_eq!(week.status, TimesheetStatus::Rejected, "{week:?}");
    assert_eq!(
        week.rejection_reason.as_deref(),
        Some("Add Tuesday's standup, then submit again."),
        "the employee reads why, trimmed"
    );
    assert!(pending(&t.manager).await.is_empty());
    // A rejected week cannot be approved without being submitted again.
    let e = t.manager.approve(&id).await.unwrap_err();
    assert_eq!(e.code, "conflict", "{e:?}");

    // Submitted again, the old reason is gone.
    let week = t.employee.submit_timesheet(&id).await.expect("resubmit");
    assert_eq!(week.status, TimesheetStatus::Submitted, "{week:?}");
    assert_eq!(week.rejection_reason, None, "{week:?}");
}

/// Before deciding, the manager opens the week: all seven of the
/// employee's days, the day worked with its project, its log (range and
/// description) and its screenshot count, read from the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sees_the_week_day_by_day_before_deciding() {
    let t = team().await;
    let id = track_and_submit(&t).await;
    let week = t.employee.timesheet(None).await.expect("timesheet");
    let entry = &week.entries[0];

    let details = t.manager.approval_week(&id).await.expect("week details");
    assert_eq!(details.id, id);
    assert_eq!(details.days.len(), 7, "{details:?}");
    assert_eq!(details.days[0].date, week.week_start);
    let worked: Vec<_> = details
        .days
        .iter()
        .filter(|d| d.total_seconds > 0)
        .collect();
    assert_eq!(worked.len(), 1, "{details:?}");
    let day = worked[0];
    assert_eq!(day.date, entry.date);
    assert_eq!(day.logs.len(), 1, "{day:?}");
    let log = &day.logs[0];
    assert_eq!(log.id, entry.id);
    assert_eq!(log.description, "support tickets");
    assert_eq!(
        (log.started_at, log.stopped_at),
        (entry.started_at, entry.stopped_at)
    );
    assert_eq!(day.projects.len(), 1, "{day:?}");
    assert_eq!(day.projects[0].name, entry.project_name);
    assert_eq!(day.projects[0].seconds, day.total_seconds);
    assert_eq!(day.total_seconds, entry.seconds);
    assert_eq!(
        details.days.iter().map(|d| d.screenshots).sum::<u32>(),
        0,
        "no capture in this test"
    );

    // Only weeks waiting for this manager open; not the employee's own.
    let e = t.employee.approval_week(&id).await.unwrap_err();
    assert_eq!(e.code, "notFound", "{e:?}");
    let e = t.manager.approval_week("nope").await.unwrap_err();
    assert_eq!(e.code, "invalid", "{e:?}");
    t.manager.approve(&id).await.expect("approve");
    let e = t.manager.approval_week(&id).await.unwrap_err();
    assert_eq!(e.code, "notFound", "decided: {e:?}");
}
