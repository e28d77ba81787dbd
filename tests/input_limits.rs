//! How much one request may put in: every limit is a 400 naming the field,
//! and a refused write changes nothing.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;
use uuid::Uuid;

const T0: &str = "2024-03-05T09:00:00.000Z";
const T1: &str = "2024-03-05T10:00:00.000Z";

#[track_caller]
fn names(status: reqwest::StatusCode, body: &Value, field: &str) {
    assert_eq!(status, 400, "{body}");
    let msg = body["message"].as_str().unwrap_or_default();
    assert!(msg.contains(field), "the message names {field}: {body}");
}

/// The sync's first outcome is a 400 naming `field`.
#[track_caller]
fn refused_in_sync(body: &Value, field: &str) {
    let outcome = &body["timeLogs"][0];
    assert_eq!(outcome["statusCode"], 400, "{body}");
    let msg = outcome["message"].as_str().unwrap_or_default();
    assert!(msg.contains(field), "the message names {field}: {body}");
}

async fn logs_of(who: &Session) -> Value {
    let (status, body) = who
        .get("/api/timesheet/time-log?startDate=2024-03-01T00:00:00.000Z&endDate=2024-04-01T00:00:00.000Z")
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

both!(a_description_has_a_length_limit, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let create = |description: String| {
        t.omar.post(
            "/api/timesheet/time-log",
            json!({ "startedAt": T0, "stoppedAt": T1, "description": description }),
        )
    };
    let long = "x".repeat(10_001);
    let (status, body) = create(long.clone()).await;
    names(status, &body, "description");
    assert_eq!(logs_of(&t.omar).await["items"], json!([]), "nothing stored");

    // 10,000 characters (multi-byte ones too) are fine.
    let (status, log) = create("é".repeat(10_000)).await;
    assert_eq!(status, 201, "{log}");
    let id = log["id"].as_str().expect("id").to_string();
    let (status, body) = t
        .omar
        .put(
            &format!("/api/timesheet/time-log/{id}"),
            json!({ "description": long }),
        )
        .await;
    names(status, &body, "description");
    let (status, body) = t
        .omar
        .post(
            "/api/timesheet/time-log/sync",
            json!({ "timeLogs": [{ "id": Uuid::now_v7(), "startedAt": "2024-03-06T09:00:00.000Z",
                "stoppedAt": "2024-03-06T10:00:00.000Z", "description": long }] }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    refused_in_sync(&body, "description");
    let items = logs_of(&t.omar).await["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
    assert_eq!(items[0]["description"], json!("é".repeat(10_000)));
});

both!(
    a_slot_holds_at_most_the_bulk_cap_of_activities,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let activity = json!({ "title": "editor", "duration": 1, "type": "APP",
                           "date": "2024-03-05", "time": "09:00:00" });
        let many: Vec<Value> = (0..5_001).map(|_| activity.clone()).collect();
        let (status, body) = t
            .omar
            .post(
                "/api/timesheet/time-slot",
                json!({ "startedAt": T0, "duration": 600, "activities": many }),
            )
            .await;
        names(status, &body, "activities");
        let (status, body) = t
            .omar
            .post(
                "/api/timesheet/activity/bulk",
                json!({ "activities": many }),
            )
            .await;
        names(status, &body, "activities");
        let (status, slots) = t
        .omar
        .get("/api/timesheet/time-slot?startDate=2024-03-01T00:00:00.000Z&endDate=2024-04-01T00:00:00.000Z")
        .await;
        assert_eq!(status, 200, "{slots}");
        assert_eq!(slots["items"], json!([]), "nothing stored");
    }
);

both!(a_version_cannot_overflow, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let id = Uuid::now_v7();
    let log = |version: i64| json!({ "timeLogs": [{ "id": id, "startedAt": T0, "stoppedAt": T1, "version": version }] });
    let (status, body) = t
        .omar
        .post("/api/timesheet/time-log/sync", log(i64::MAX))
        .await;
    assert_eq!(status, 200, "{body}");
    refused_in_sync(&body, "version");
    // The largest version taken still leaves room for the next change.
    let (status, body) = t
        .omar
        .post("/api/timesheet/time-log/sync", log(1 << 53))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["timeLogs"][0]["status"], "created", "{body}");
    let (status, body) = t
        .omar
        .put(
            &format!("/api/timesheet/time-log/{id}"),
            json!({ "description": "after" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let items = logs_of(&t.omar).await["items"].clone();
    assert_eq!(items[0]["description"], "after", "{items}");
});

/// The tracker refuses a description the server would refuse, before it
/// tracks anything (not log by log, once the time waits in the outbox).
#[test]
fn the_tracker_refuses_a_description_the_server_would() {
    let dir = tempfile::tempdir().expect("a data dir");
    let long = "x".repeat(10_001);
    let out = stint()
        .args(["track", "--description", &long, "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("stint runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("at most 10000 characters"), "{err}");
    assert!(
        !dir.path().join("outbox.db").exists(),
        "nothing was written"
    );
}
