//! The shapes read what stint-server writes (field for field as in its
//! `api/gauzy/dto.rs`); the desktop's tests read them from a real server.

use serde_json::json;

use super::*;

const EMP: &str = "0192f1a0-0000-7000-8000-000000000001";
const LOG: &str = "0192f1a0-0000-7000-8000-000000000002";

#[test]
fn a_time_log_reads_as_the_server_writes_it() {
    let v = json!({
        "id": LOG, "employeeId": EMP, "organizationId": EMP, "tenantId": EMP,
        "projectId": null, "taskId": null, "timesheetId": null,
        "startedAt": "2026-04-06T09:00:00.000Z", "stoppedAt": "2026-04-06T09:30:00.000Z",
        "duration": 1800, "logType": "IDLE", "source": "DESKTOP", "description": "x",
        "isBillable": true, "isRunning": false, "version": 3, "stoppedReason": null,
        "createdAt": "2026-04-06T09:00:00.000Z", "updatedAt": "2026-04-06T09:30:00.000Z",
    });
    let l: TimeLog = serde_json::from_value(v).unwrap();
    assert_eq!(l.log_type, LogType::Idle);
    assert_eq!(l.duration, 1800);
    assert_eq!(
        l.stopped_at.unwrap() - l.started_at,
        chrono::TimeDelta::minutes(30)
    );
}

#[test]
fn a_timesheet_reads_with_its_gauzy_status_and_employee() {
    let v = json!({
        "items": [{
            "id": LOG, "employeeId": EMP, "organizationId": EMP, "tenantId": EMP,
            "startedAt": "2026-04-05T00:00:00.000Z", "stoppedAt": "2026-04-12T00:00:00.000Z",
            "startDate": "2026-04-05", "endDate": "2026-04-11", "duration": 3600,
            "status": "PENDING", "submittedAt": "2026-04-11T17:00:00.000Z",
            "approvedAt": null, "approvedById": null, "isBilled": false,
            "employee": { "id": EMP, "fullName": "Omar O", "user": { "name": "Omar O", "email": "omar@acme.test" } },
        }],
        "total": 1,
    });
    let page: Page<Timesheet> = serde_json::from_value(v).unwrap();
    let s = &page.items[0];
    assert_eq!(s.status, TimesheetStatus::Submitted);
    assert_eq!(s.start_date.to_string(), "2026-04-05");
    assert_eq!(s.employee.full_name, "Omar O");
    assert_eq!(s.employee.user.email, "omar@acme.test");
    let bad = json!({ "id": LOG, "employeeId": EMP, "startDate": "2026-04-05",
        "endDate": "2026-04-11", "duration": 0, "status": "LOST" });
    let e = serde_json::from_value::<Timesheet>(bad).unwrap_err();
    assert!(e.to_string().contains("LOST"), "{e}");
}

#[test]
fn a_sync_outcome_reads_every_status_the_server_writes() {
    for s in SyncStatus::ALL {
        let v = json!({ "id": LOG, "status": s.as_str() });
        let o: SyncOutcome = serde_json::from_value(v).unwrap();
        assert_eq!(o.status, s);
    }
    let stopped = json!({ "id": LOG, "status": "updated",
        "stoppedAt": "2026-04-06T10:00:00.000Z", "stoppedReason": "started elsewhere" });
    let o: SyncOutcome = serde_json::from_value(stopped).unwrap();
    assert!(o.stopped_at.is_some() && o.stopped_reason.is_some());
}

#[test]
fn a_screenshot_view_names_its_kind() {
    let v = json!({ "id": LOG, "screenshotId": LOG, "employeeId": EMP, "viewerId": EMP,
        "viewerName": "Lena Lind", "viewedAt": "2026-04-06T14:02:00.000Z", "kind": "thumb" });
    let view: ScreenshotView = serde_json::from_value(v).unwrap();
    assert_eq!(view.kind, ViewKind::Thumb);
}

#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(default = "gauzy_role::missing", with = "gauzy_role")]
    role: Role,
}

#[test]
fn a_stored_role_keeps_the_servers_spelling() {
    for role in [Role::Employee, Role::Manager, Role::Admin] {
        let s = serde_json::to_value(Stored { role }).unwrap();
        assert_eq!(s["role"], role.gauzy_name());
        assert_eq!(serde_json::from_value::<Stored>(s).unwrap().role, role);
    }
    // Sessions stored before roles were kept, or with a name we do not know.
    for old in [json!({}), json!({ "role": "" }), json!({ "role": "OWNER" })] {
        let role = serde_json::from_value::<Stored>(old).unwrap().role;
        assert_eq!(role, Role::Employee);
        assert!(!role.can_approve());
    }
}
