//! A client id belongs to whoever first used it (DESIGN.md, trust rules).
//!
//! Omar writes an object under a client id of his; his colleague Jane and
//! his supervisor Lena then send writes naming the same id, through every
//! route that takes one. Each is 409 "that id is already used", carries
//! nothing of Omar's object, and changes nothing; Omar's own replay is
//! still harmless (2xx, the same object). Deleted objects stay Omar's.
//!
//! The write routes come from the server's route table: a POST or PUT that
//! is neither listed here as taking a client id nor as taking none fails
//! the test, so a new route cannot skip the rule unnoticed.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;
use uuid::Uuid;

/// Write routes whose body names a client id, with the object kind.
const CLIENT_ID_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/timesheet/time-log"),
    ("PUT", "/api/timesheet/time-log"),
    ("POST", "/api/timesheet/time-log/sync"),
    ("POST", "/api/timesheet/timer/start"),
    ("POST", "/api/timesheet/timer/toggle"),
    ("POST", "/api/timesheet/time-slot"),
    ("POST", "/api/timesheet/activity/bulk"),
    ("POST", "/api/timesheet/screenshot"),
    ("POST", "/api/organization-projects"),
    ("POST", "/api/tasks"),
];

/// Write routes that take no client id: ids in their paths name existing
/// objects (checked by the authorization matrix), or the server assigns
/// them (IceHrm's integer ids).
const NO_CLIENT_ID: &[&str] = &[
    "/api/auth/signin.email.password",
    "/api/auth/login",
    "/api/auth/refresh-token",
    "/api/auth/logout",
    "/api/timesheet/submit",
    "/api/timesheet/approve",
    "/api/timesheet/deny",
    "/api/timesheet/time-log/{id}",
    "/api/timesheet/timer/stop",
    "/api/organization-projects/{id}",
    "/api/tasks/{id}",
    "/timesheets/create-current",
    "/timesheets/{id}/create-previous",
    "/timesheets/{id}/create-next",
    "/timesheets/{id}/submit",
    "/timesheets/{id}/approve",
    "/timesheets/{id}/reject",
    "/timesheets/{id}/entries",
    "/timesheets/entries/{id}/update",
    "/timesheets/entries/{id}/delete",
];

#[test]
fn every_write_route_is_classified() {
    for r in stint_server::routes::table() {
        if !matches!(r.method.as_str(), "POST" | "PUT") {
            continue;
        }
        let takes = CLIENT_ID_ROUTES
            .iter()
            .any(|(m, p)| *m == r.method.as_str() && *p == r.path);
        let none = NO_CLIENT_ID.contains(&r.path);
        assert!(
            takes ^ none,
            "{} {}: list it in CLIENT_ID_ROUTES (and test it below) or in NO_CLIENT_ID",
            r.method,
            r.path
        );
    }
}

const T0: &str = "2024-03-05T09:00:00.000Z";
const T1: &str = "2024-03-05T10:00:00.000Z";

/// A 409 that says the id is taken and nothing of Omar's object.
#[track_caller]
fn refused(status: reqwest::StatusCode, body: &Value, what: &str) {
    assert_eq!(status, 409, "{what}: {body}");
    let text = body.to_string();
    assert!(text.contains("already used"), "{what}: {text}");
    for leak in ["doctor", "employeeId", "fullUrl", "startedAt", "Omar"] {
        assert!(!text.contains(leak), "{what} leaks {leak}: {text}");
    }
}

/// Omar's log under `id`, described "doctor appointment", then deleted.
async fn deleted_log(omar: &Session, id: Uuid) {
    let (status, body) = omar
        .post(
            "/api/timesheet/time-log",
            json!({ "id": id, "startedAt": T0, "stoppedAt": T1, "description": "doctor appointment" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = omar.delete(&format!("/api/timesheet/time-log/{id}")).await;
    assert_eq!(status, 200, "{body}");
}

/// Everything Omar has in March 2024, as he sees it.
async fn omars_view(omar: &Session) -> Value {
    let range = "startDate=2024-03-01T00:00:00.000Z&endDate=2024-04-01T00:00:00.000Z";
    let mut out = json!({});
    for what in ["time-log", "time-slot", "activity"] {
        let (status, body) = omar.get(&format!("/api/timesheet/{what}?{range}")).await;
        assert_eq!(status, 200, "{body}");
        out[what] = body;
    }
    out
}

both!(a_deleted_logs_id_stays_its_owners, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let id = Uuid::now_v7();
    deleted_log(&t.omar, id).await;
    let before = omars_view(&t.omar).await;
    for who in [&t.jane, &t.lena, &t.ada] {
        let new_log = json!({ "id": id, "startedAt": "2024-03-06T09:00:00.000Z", "stoppedAt": "2024-03-06T10:00:00.000Z" });
        let (s, b) = who.post("/api/timesheet/time-log", new_log.clone()).await;
        refused(s, &b, "POST time-log");
        let (s, b) = who.put("/api/timesheet/time-log", new_log.clone()).await;
        refused(s, &b, "PUT time-log");
        let (s, b) = who
            .post("/api/timesheet/timer/start", json!({ "id": id }))
            .await;
        refused(s, &b, "timer/start");
        let (s, b) = who
            .post("/api/timesheet/timer/toggle", json!({ "id": id }))
            .await;
        refused(s, &b, "timer/toggle");
        let (s, b) = who
            .post(
                "/api/timesheet/time-log/sync",
                json!({ "timeLogs": [new_log] }),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let outcome = &b["timeLogs"][0];
        assert_eq!(outcome["status"], "failed", "{b}");
        assert_eq!(outcome["statusCode"], 409, "{b}");
        assert!(!b.to_string().contains("doctor"), "{b}");
    }
    assert_eq!(omars_view(&t.omar).await, before, "nothing changed");
    // Omar's own replay is still harmless.
    let (status, body) = t
        .omar
        .post(
            "/api/timesheet/time-log/sync",
            json!({ "timeLogs": [{ "id": id, "startedAt": T0, "stoppedAt": T1, "version": 0 }] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["timeLogs"][0]["status"], "unchanged", "{body}");
    // The same id in another organization is simply new there.
    let (status, body) = t
        .gus
        .post(
            "/api/timesheet/time-log",
            json!({ "id": id, "startedAt": T0, "stoppedAt": T1 }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
});

both!(
    slot_and_activity_ids_stay_their_owners,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (slot_id, activity_id) = (Uuid::now_v7(), Uuid::now_v7());
        let slot = json!({
            "id": slot_id, "startedAt": "2024-03-05T09:10:00.000Z", "duration": 300,
            "keyboard": 10, "mouse": 20, "overall": 30,
            "activities": [{ "title": "doctor-portal", "duration": 60, "type": "APP",
                             "date": "2024-03-05", "time": "09:11:00" }]
        });
        let (status, stored) = t.omar.post("/api/timesheet/time-slot", slot.clone()).await;
        assert_eq!(status, 201, "{stored}");
        let activity = json!({ "activities": [{ "id": activity_id, "title": "doctor-portal",
        "duration": 30, "type": "APP", "date": "2024-03-05", "time": "09:12:00" }] });
        let (status, body) = t
            .omar
            .post("/api/timesheet/activity/bulk", activity.clone())
            .await;
        assert_eq!(status, 201, "{body}");
        let before = omars_view(&t.omar).await;

        for who in [&t.jane, &t.lena] {
            let (s, b) = who.post("/api/timesheet/time-slot", slot.clone()).await;
            refused(s, &b, "time-slot");
            let (s, b) = who
                .post("/api/timesheet/activity/bulk", activity.clone())
                .await;
            refused(s, &b, "activity/bulk");
        }
        assert_eq!(omars_view(&t.omar).await, before, "nothing changed");

        // Omar's replays answer his slot, unchanged.
        let (status, again) = t.omar.post("/api/timesheet/time-slot", slot).await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(again["duration"], stored["duration"], "{again}");
        let (status, body) = t.omar.post("/api/timesheet/activity/bulk", activity).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(omars_view(&t.omar).await, before, "a replay adds nothing");
    }
);

/// Uploads a screenshot with client id `id` as `who`.
async fn upload(who: &Session, id: Uuid) -> (reqwest::StatusCode, Value) {
    who.upload_shot(png_form(png(16, 9)).text("id", id.to_string()))
        .await
}

both!(a_screenshot_id_stays_its_owners, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let id = Uuid::now_v7();
    let (status, shot) = upload(&t.omar, id).await;
    assert_eq!(status, 201, "{shot}");
    for who in [&t.jane, &t.lena] {
        let (s, b) = upload(who, id).await;
        refused(s, &b, "screenshot");
    }
    let (status, again) = upload(&t.omar, id).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["sha256"], shot["sha256"]);
    // Deleted, the id is still Omar's.
    let (status, body) = t
        .omar
        .delete(&format!("/api/timesheet/screenshot/{id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    let (s, b) = upload(&t.jane, id).await;
    refused(s, &b, "a deleted screenshot's id");
});

both!(
    another_organizations_project_is_not_found,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let globex = server.project("Globex Site", &["--org", "Globex"]).await;
        let before = omars_view(&t.omar).await;
        let (s, b) = t
            .omar
            .post(
                "/api/timesheet/time-slot",
                json!({ "startedAt": T0, "duration": 60, "projectId": globex }),
            )
            .await;
        assert_eq!(s, 404, "time-slot: {b}");
        let (s, b) = t
            .omar
            .post(
                "/api/timesheet/activity/bulk",
                json!({ "activities": [{ "title": "x", "duration": 5, "type": "APP",
                "date": "2024-03-05", "time": "09:00:00", "projectId": globex }] }),
            )
            .await;
        assert_eq!(s, 404, "activity/bulk: {b}");
        let (s, b) = t
            .omar
            .post(
                "/api/timesheet/time-slot",
                json!({ "startedAt": T0, "duration": 60, "activities": [{ "title": "x",
                "duration": 5, "type": "APP", "date": "2024-03-05", "time": "09:00:00",
                "projectId": globex }] }),
            )
            .await;
        assert_eq!(s, 404, "an inline activity: {b}");
        assert_eq!(omars_view(&t.omar).await, before, "nothing changed");
    }
);

both!(
    a_project_or_task_id_stays_its_makers,
    |backend| async move {
        // Lena (a manager) makes a project and a task with ids of her app's
        // choosing; Max and Ada, who may make projects too, name them.
        let server = Server::start(backend).await;
        let t = server.team().await;
        let (project, task) = (Uuid::now_v7(), Uuid::now_v7());
        let made = json!({ "id": project, "name": "Omar's surprise party" });
        let (status, p) = t
            .lena
            .post("/api/organization-projects", made.clone())
            .await;
        assert_eq!(status, 201, "{p}");
        let made_task = json!({ "id": task, "title": "Omar's cake", "projectId": project });
        let (status, body) = t.lena.post("/api/tasks", made_task.clone()).await;
        assert_eq!(status, 202, "{body}");
        for who in [&t.max, &t.ada] {
            let (status, body) = who
                .post(
                    "/api/organization-projects",
                    json!({ "id": project, "name": "Other" }),
                )
                .await;
            refused(status, &body, "project");
            let (status, body) = who
                .post(
                    "/api/tasks",
                    json!({ "id": task, "title": "Other", "projectId": project }),
                )
                .await;
            refused(status, &body, "task");
        }
        // Her own replays are harmless: the same objects.
        let (status, again) = t.lena.post("/api/organization-projects", made).await;
        assert_eq!((status.as_u16(), &again), (201, &p));
        let (status, again) = t.lena.post("/api/tasks", made_task).await;
        assert_eq!((status.as_u16(), &again["id"]), (202, &json!(task)));
        let (_, all) = t.lena.get("/api/tasks").await;
        assert_eq!(all["total"], 1);
    }
);
