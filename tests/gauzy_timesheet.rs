//! `/api/timesheet`: weekly sheets, submit and recall by the owner, approve
//! and deny by the direct supervisor or an admin, and the lock approval puts
//! on the week.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";

/// A log on Monday 2024-01-15 (week Sunday 14th to Saturday 20th); the
/// timesheet it landed in.
async fn log_on_monday(who: &Session, a: &str, b: &str, kind: &str) -> (String, String) {
    let (status, log) = who
        .post(
            LOGS,
            json!({
                "startedAt": format!("2024-01-15T{a}:00.000Z"),
                "stoppedAt": format!("2024-01-15T{b}:00.000Z"),
                "logType": kind,
            }),
        )
        .await;
    assert_eq!(status, 201, "{log}");
    (
        log["id"].as_str().unwrap().to_string(),
        log["timesheetId"]
            .as_str()
            .expect("timesheetId")
            .to_string(),
    )
}

/// `PUT /api/timesheet/{action}` with `ids` (and a status for submit, a
/// reason for deny).
async fn act(who: &Session, action: &str, ids: &[&str], status: Option<&str>) -> (u16, Value) {
    let mut body = json!({ "ids": ids });
    if action == "deny" {
        body["reason"] = json!(REJECTION);
    }
    if let Some(s) = status {
        body["status"] = json!(s);
    }
    let (code, out) = who.put(&format!("/api/timesheet/{action}"), body).await;
    (code.as_u16(), out)
}

async fn sheet(who: &Session, id: &str) -> Value {
    let (status, page) = who
        .get("/api/timesheet?startDate=2024-01-01&endDate=2024-01-31")
        .await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

both!(
    a_week_is_submitted_recalled_and_approved,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (log, id) = log_on_monday(&t.omar, "09:00", "10:00", "TRACKED").await;
        let (_, same) = log_on_monday(&t.omar, "10:00", "10:30", "IDLE").await;
        assert_eq!(id, same);

        let (status, page) = t
            .omar
            .get("/api/timesheet?startDate=2024-01-01&endDate=2024-01-31")
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(ids(&page), vec![id.clone()]);
        let s = &page["items"][0];
        assert_eq!(s["status"], "DRAFT");
        assert_eq!(s["startDate"], "2024-01-14");
        assert_eq!(s["endDate"], "2024-01-20");
        assert_eq!(s["duration"], 3600, "IDLE is not counted: {s}");
        assert_eq!(s["employeeId"], t.omar.employee_id());
        assert!(s["submittedAt"].is_null());

        let (code, out) = act(&t.omar, "submit", &[&id], Some("PENDING")).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "PENDING");
        assert!(is_iso_millis(out[0]["submittedAt"].as_str().unwrap()));
        let (code, out) = act(&t.omar, "submit", &[&id], Some("DRAFT")).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "DRAFT");
        // A colleague may not submit it; the status must be one of the two.
        assert_eq!(act(&t.jane, "submit", &[&id], None).await.0, 403);
        assert_eq!(act(&t.omar, "submit", &[&id], Some("MAYBE")).await.0, 400);
        let (code, out) = act(&t.omar, "submit", &[&id], None).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "PENDING");

        // Only Lena (his supervisor) or an admin approves: not a colleague, not
        // another team's manager, not Omar himself.
        for who in [&t.jane, &t.max, &t.omar] {
            let (code, out) = act(who, "approve", &[&id], None).await;
            assert_eq!(code, 403, "{out}");
        }
        assert_eq!(sheet(&t.omar, &id).await["status"], "PENDING");
        let (status, page) = t.lena.get("/api/timesheet?status=PENDING").await;
        assert_eq!(status, 200);
        assert_eq!(ids(&page), vec![id.clone()]);
        let (status, page) = t.max.get("/api/timesheet").await;
        assert_eq!(status, 200);
        assert!(ids(&page).is_empty(), "{page}");

        let (code, out) = act(&t.lena, "approve", &[&id], None).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "APPROVED");
        assert_eq!(out[0]["approvedById"], t.lena.id());
        assert!(is_iso_millis(out[0]["approvedAt"].as_str().unwrap()));
        // Approved is final here: no recall, no second approval.
        assert_eq!(act(&t.omar, "submit", &[&id], Some("DRAFT")).await.0, 409);
        assert_eq!(act(&t.lena, "deny", &[&id], None).await.0, 409);

        // The week is locked for every change.
        let path = format!("{LOGS}/{log}");
        let (status, body) = t
            .omar
            .put(&path, json!({ "description": "late edit" }))
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("approved"),
            "{body}"
        );
        assert_eq!(t.omar.delete(&path).await.0, 409);
        let (status, body) = t
        .omar
        .post(
            LOGS,
            json!({ "startedAt": "2024-01-18T09:00:00.000Z", "stoppedAt": "2024-01-18T10:00:00.000Z" }),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        let (status, body) = t
            .omar
            .post(
                "/api/timesheet/timer/start",
                json!({ "startedAt": "2024-01-19T09:00:00.000Z" }),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        // Moving a log from another week into it is a change to it too.
        let (status, other) = t
        .omar
        .post(
            LOGS,
            json!({ "startedAt": "2024-01-22T09:00:00.000Z", "stoppedAt": "2024-01-22T10:00:00.000Z" }),
        )
        .await;
        assert_eq!(status, 201, "{other}");
        assert_ne!(other["timesheetId"], id.as_str());
        let (status, _) = t
        .omar
        .put(
            &format!("{LOGS}/{}", other["id"].as_str().unwrap()),
            json!({ "startedAt": "2024-01-17T09:00:00.000Z", "stoppedAt": "2024-01-17T10:00:00.000Z" }),
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(sheet(&t.omar, &id).await["duration"], 3600);
    }
);

both!(deciding_is_all_or_nothing, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let (_, omars) = log_on_monday(&t.omar, "09:00", "10:00", "TRACKED").await;
    let (_, janes) = log_on_monday(&t.jane, "09:00", "11:00", "MANUAL").await;
    assert_eq!(act(&t.omar, "submit", &[&omars], None).await.0, 200);

    // Max may not approve a sheet that is still a draft.
    let (code, out) = act(&t.max, "approve", &[&janes], None).await;
    assert_eq!(code, 409, "{out}");
    assert_eq!(act(&t.jane, "submit", &[&janes], None).await.0, 200);

    // One sheet Max may not decide spoils the whole batch.
    for action in ["approve", "deny"] {
        let (code, out) = act(&t.max, action, &[&janes, &omars], None).await;
        assert_eq!(code, 403, "{action}: {out}");
    }
    assert_eq!(sheet(&t.jane, &janes).await["status"], "PENDING");
    assert_eq!(sheet(&t.omar, &omars).await["status"], "PENDING");

    // An admin decides for anyone in the organization.
    let (code, out) = act(&t.ada, "deny", &[&janes, &omars], None).await;
    assert_eq!(code, 200, "{out}");
    assert_eq!(out.as_array().unwrap().len(), 2);
    assert!(
        out.as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "DENIED")
    );
    // A denied week can be changed and submitted again.
    let (status, _) = t
        .jane
        .post(
            LOGS,
            json!({ "startedAt": "2024-01-16T09:00:00.000Z", "stoppedAt": "2024-01-16T09:30:00.000Z" }),
        )
        .await;
    assert_eq!(status, 201);
    let (code, out) = act(&t.jane, "submit", &[&janes], None).await;
    assert_eq!(code, 200, "{out}");
    assert_eq!(out[0]["duration"], 9000);
    let (code, out) = act(&t.max, "approve", &[&janes], None).await;
    assert_eq!(code, 200, "{out}");
    assert_eq!(out[0]["status"], "APPROVED");

    // Ids that are not timesheets, or are nothing at all.
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(act(&t.ada, "approve", &[&unknown], None).await.0, 404);
    assert_eq!(act(&t.ada, "approve", &["nope"], None).await.0, 400);
    assert_eq!(act(&t.ada, "approve", &[], None).await.0, 400);
    let (status, body) = t
        .ada
        .put("/api/timesheet/approve", json!({ "ids": "x" }))
        .await;
    assert_eq!(status, 400, "{body}");
});

both!(
    an_admin_without_a_supervisor_is_approved_on_submit,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (_, id) = log_on_monday(&t.ada, "09:00", "10:00", "TRACKED").await;
        let (code, out) = act(&t.ada, "submit", &[&id], Some("PENDING")).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "APPROVED");
        // A manager without a supervisor is not an admin: it waits.
        let (_, lenas) = log_on_monday(&t.lena, "09:00", "10:00", "TRACKED").await;
        let (code, out) = act(&t.lena, "submit", &[&lenas], None).await;
        assert_eq!(code, 200, "{out}");
        assert_eq!(out[0]["status"], "PENDING");
        // ... and she may not approve her own.
        assert_eq!(act(&t.lena, "approve", &[&lenas], None).await.0, 403);
    }
);

both!(
    another_organizations_timesheets_do_not_exist,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (_, id) = log_on_monday(&t.omar, "09:00", "10:00", "TRACKED").await;
        assert_eq!(act(&t.omar, "submit", &[&id], None).await.0, 200);
        for action in ["approve", "deny", "submit"] {
            let (code, out) = act(&t.gus, action, &[&id], None).await;
            assert_eq!(code, 404, "{action}: {out}");
        }
        let (status, page) = t.gus.get("/api/timesheet").await;
        assert_eq!(status, 200);
        assert!(ids(&page).is_empty(), "{page}");
        let (status, page) = t
            .gus
            .get(&format!(
                "/api/timesheet?employeeId={}",
                t.omar.employee_id()
            ))
            .await;
        assert_eq!(status, 200);
        assert!(ids(&page).is_empty(), "{page}");
        // A batch mixing Globex's own sheet with Acme's is 404 as a whole.
        let (_, ginas) = log_on_monday(&t.gina, "09:00", "10:00", "TRACKED").await;
        assert_eq!(act(&t.gina, "submit", &[&ginas], None).await.0, 200);
        assert_eq!(act(&t.gus, "approve", &[&ginas, &id], None).await.0, 404);
        assert_eq!(sheet(&t.gina, &ginas).await["status"], "PENDING");
        assert_eq!(sheet(&t.omar, &id).await["status"], "PENDING");
        let (code, out) = act(&t.gus, "approve", &[&ginas], None).await;
        assert_eq!(code, 200, "{out}");
    }
);
