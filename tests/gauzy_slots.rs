//! `/api/timesheet/time-slot` and `/api/timesheet/activity`: ten-minute
//! slots merged from the desktop's reports, inline activities, replays, and
//! deleting a slot cutting its ten minutes out of the log.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const SLOTS: &str = "/api/timesheet/time-slot";
const ACTIVITY: &str = "/api/timesheet/activity";

/// Omar's tracked log from 09:00 to 10:00 on 2024-01-15; its id.
async fn tracked_hour(who: &Session) -> String {
    let (status, log) = who
        .post(
            "/api/timesheet/time-log",
            json!({
                "startedAt": "2024-01-15T09:00:00.000Z",
                "stoppedAt": "2024-01-15T10:00:00.000Z",
                "logType": "TRACKED",
                "source": "DESKTOP",
            }),
        )
        .await;
    assert_eq!(status, 201, "{log}");
    log["id"].as_str().unwrap().to_string()
}

/// A report as the desktop timer sends it.
fn report(who: &Session, at: &str, duration: i64, time_log_id: Value) -> Value {
    json!({
        "employeeId": who.employee_id(),
        "projectId": null,
        "duration": duration,
        "keyboard": 40,
        "mouse": 60,
        "overall": 50,
        "startedAt": format!("2024-01-15T{at}.000Z"),
        "recordedAt": format!("2024-01-15T{at}.000Z"),
        "timeLogId": time_log_id,
        "organizationId": who.org_id(),
        "tenantId": who.org_id(),
        "activities": [
            { "title": "VS Code", "date": "2024-01-15", "time": at, "duration": 120, "type": "APP",
              "projectId": null, "organizationId": who.org_id(), "employeeId": who.employee_id(),
              "source": "DESKTOP" },
            { "title": "https://docs.rs", "date": "2024-01-15", "time": at, "duration": 60, "type": "URL" },
        ],
    })
}

async fn activities(who: &Session) -> Vec<Value> {
    let (status, page) = who
        .get(&format!(
            "{ACTIVITY}?startDate=2024-01-15&endDate=2024-01-15"
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    ids(&page);
    page["items"].as_array().unwrap().clone()
}

both!(reports_merge_into_ten_minute_slots, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let log = tracked_hour(&omar).await;

    // timeLogId as a string, with a client id for replays.
    let mut first = report(&omar, "09:10:00", 300, json!(log));
    first["id"] = json!(uuid::Uuid::now_v7().to_string());
    let (status, slot) = omar.post(SLOTS, first.clone()).await;
    assert_eq!(status, 201, "{slot}");
    let slot_id = slot["id"].as_str().unwrap().to_string();
    assert_eq!(slot["startedAt"], "2024-01-15T09:10:00.000Z");
    assert_eq!(slot["duration"], 300);
    assert_eq!(slot["keyboard"], 40);
    assert_eq!(slot["mouse"], 60);
    assert_eq!(slot["overall"], 50);
    assert_eq!(slot["timeLogs"], json!([{ "id": log }]));
    assert_eq!(slot["screenshots"], json!([]));

    // The second half of the ten minutes, timeLogId as an array: one slot.
    let mut second = report(&omar, "09:15:00", 300, json!([log]));
    second["keyboard"] = json!(80);
    second["activities"] = json!([]);
    let (status, merged) = omar.post(SLOTS, second).await;
    assert_eq!(status, 201, "{merged}");
    assert_eq!(merged["id"], slot_id.as_str());
    assert_eq!(merged["duration"], 600);
    assert_eq!(merged["keyboard"], 60);
    assert_eq!(merged["timeLogs"].as_array().unwrap().len(), 1, "{merged}");

    // Replaying the first report changes nothing, activities included.
    let (status, again) = omar.post(SLOTS, first).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["id"], slot_id.as_str());
    assert_eq!(again["duration"], 600);
    assert_eq!(again["keyboard"], 60);
    let acts = activities(&omar).await;
    assert_eq!(acts.len(), 2, "{acts:?}");
    let vs = acts
        .iter()
        .find(|a| a["title"] == "VS Code")
        .expect("VS Code");
    assert_eq!(vs["type"], "APP");
    assert_eq!(vs["duration"], 120);
    assert_eq!(vs["timeSlotId"], slot_id.as_str());
    assert_eq!(vs["date"], "2024-01-15");
    assert_eq!(vs["time"], "09:10:00");

    // timeLogId null, and an instant in the middle of a slot.
    let (status, third) = omar
        .post(SLOTS, report(&omar, "09:23:27", 200, Value::Null))
        .await;
    assert_eq!(status, 201, "{third}");
    assert_eq!(third["startedAt"], "2024-01-15T09:20:00.000Z");
    assert_eq!(third["timeLogs"], json!([]));
    assert_ne!(third["id"], slot_id.as_str());
    // The desktop's random screenshot timing reports up to 660 s at once:
    // accepted, a slot holds at most ten minutes.
    let mut long = report(&omar, "09:30:00", 660, json!(log));
    long["activities"] = json!([]);
    let (status, fourth) = omar.post(SLOTS, long).await;
    assert_eq!(status, 201, "{fourth}");
    assert_eq!(fourth["duration"], 600);

    let (status, got) = omar.get(&format!("{SLOTS}/{slot_id}")).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["duration"], 600);
    assert_eq!(got["timeLogs"], json!([{ "id": log }]));
    let (status, page) = omar
        .get(&format!("{SLOTS}?startDate=2024-01-15&endDate=2024-01-15"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page).len(), 3);
    assert_eq!(activities(&omar).await.len(), 4);
});

both!(bad_reports_are_refused, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let omars = tracked_hour(&t.omar).await;
    let janes = tracked_hour(&t.jane).await;
    let ginas = tracked_hour(&t.gina).await;
    let cases = [
        ("duration", json!(-1), 400),
        ("keyboard", json!("lots"), 400),
        ("overall", json!(101), 400),
        ("startedAt", json!("noon"), 400),
        ("startedAt", Value::Null, 400),
        ("timeLogId", json!("nope"), 400),
        ("timeLogId", json!(janes), 400),
        ("timeLogId", json!([omars, ginas]), 404),
        ("timeLogId", json!(7), 400),
        ("employeeId", json!(t.jane.employee_id()), 403),
        ("organizationId", json!(t.gus.org_id()), 403),
        (
            "activities",
            json!([{ "title": "x", "type": "SMELL" }]),
            400,
        ),
        ("activities", json!([{ "title": "", "type": "APP" }]), 400),
        ("activities", json!("none"), 400),
    ];
    for (field, value, expected) in cases {
        let mut body = report(&t.omar, "09:10:00", 300, json!(omars));
        body[field] = value.clone();
        if field == "startedAt" {
            body["recordedAt"] = value.clone();
        }
        let (status, out) = t.omar.post(SLOTS, body).await;
        assert_eq!(status, expected, "{field}={value}: {out}");
        assert!(out["message"].is_string(), "{out}");
    }
    let (status, page) = t.omar.get(SLOTS).await;
    assert_eq!(status, 200);
    assert!(ids(&page).is_empty(), "nothing was stored: {page}");
    assert!(activities(&t.omar).await.is_empty());
});

both!(
    deleting_a_slot_cuts_its_time_out_of_the_log,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let log = tracked_hour(&t.omar).await;
        let mut slots = Vec::new();
        for at in ["09:10:00", "09:50:00"] {
            let (status, slot) = t
                .omar
                .post(SLOTS, report(&t.omar, at, 600, json!(log)))
                .await;
            assert_eq!(status, 201, "{slot}");
            slots.push(slot["id"].as_str().unwrap().to_string());
        }
        let path = format!("{SLOTS}?ids[0]={}", slots[0]);

        // A colleague may not, another organization does not even find it.
        assert_eq!(t.jane.delete(&path).await.0, 403);
        assert_eq!(t.gus.delete(&path).await.0, 404);
        assert_eq!(t.gus.get(&format!("{SLOTS}/{}", slots[0])).await.0, 404);
        assert_eq!(t.jane.get(&format!("{SLOTS}/{}", slots[0])).await.0, 403);
        assert_eq!(t.lena.get(&format!("{SLOTS}/{}", slots[0])).await.0, 200);
        assert_eq!(t.omar.delete(SLOTS).await.0, 400);
        assert_eq!(t.omar.delete(&format!("{SLOTS}?ids[0]=zzz")).await.0, 400);

        let (status, body) = t.omar.delete(&path).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!(true));
        assert_eq!(t.omar.get(&format!("{SLOTS}/{}", slots[0])).await.0, 404);

        // 09:00-10:00 minus 09:10-09:20: two pieces, fifty minutes.
        let (_, page) = t
            .omar
            .get("/api/timesheet/time-log?startDate=2024-01-15&endDate=2024-01-15")
            .await;
        let mut pieces: Vec<(String, String)> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["startedAt"].as_str().unwrap().to_string(),
                    l["stoppedAt"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        pieces.sort();
        assert_eq!(
            pieces,
            [
                (
                    "2024-01-15T09:00:00.000Z".into(),
                    "2024-01-15T09:10:00.000Z".into()
                ),
                (
                    "2024-01-15T09:20:00.000Z".into(),
                    "2024-01-15T10:00:00.000Z".into()
                ),
            ],
            "{page}"
        );

        // The last ten minutes: the log is shortened.
        let (status, body) = t.omar.delete(&format!("{SLOTS}?ids[]={}", slots[1])).await;
        assert_eq!(status, 200, "{body}");
        let (_, page) = t
            .omar
            .get("/api/timesheet/time-log?startDate=2024-01-15&endDate=2024-01-15")
            .await;
        let total: i64 = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["duration"].as_i64().unwrap())
            .sum();
        assert_eq!(total, 40 * 60, "{page}");
    }
);

both!(activities_in_bulk, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let batch = json!({ "activities": [
        { "id": uuid::Uuid::now_v7().to_string(), "title": "Terminal", "type": "APP",
          "date": "2024-01-15", "time": "11:00:00", "duration": 300 },
        { "id": uuid::Uuid::now_v7().to_string(), "title": "https://example.com", "type": "URL",
          "recordedAt": "2024-01-15T11:05:00.000Z", "duration": 30,
          "organizationId": t.omar.org_id() },
    ]});
    let (status, saved) = t
        .omar
        .post(&format!("{ACTIVITY}/bulk"), batch.clone())
        .await;
    assert_eq!(status, 201, "{saved}");
    assert_eq!(saved.as_array().unwrap().len(), 2);
    assert_eq!(saved[0]["employeeId"], t.omar.employee_id());
    // Replayed: still two.
    let (status, _) = t.omar.post(&format!("{ACTIVITY}/bulk"), batch).await;
    assert_eq!(status, 201);
    let acts = activities(&t.omar).await;
    assert_eq!(acts.len(), 2, "{acts:?}");
    let url = acts.iter().find(|a| a["type"] == "URL").unwrap();
    assert_eq!(url["recordedAt"], "2024-01-15T11:05:00.000Z");

    // Only the owner, their supervisor and admins see them.
    assert!(activities(&t.jane).await.is_empty());
    assert_eq!(activities(&t.lena).await.len(), 2);
    assert_eq!(activities(&t.ada).await.len(), 2);
    assert!(activities(&t.gus).await.is_empty());
    let (status, page) = t
        .jane
        .get(&format!("{ACTIVITY}?employeeId={}", t.omar.employee_id()))
        .await;
    assert_eq!(status, 200);
    assert!(ids(&page).is_empty());

    for bad in [
        json!({ "activities": [{ "title": "x", "type": "APP" }] }),
        json!({ "activities": [{ "title": "x", "type": "APP", "date": "someday" }] }),
        json!({ "activities": [{ "title": "x", "type": "APP", "date": "2024-01-15", "duration": 90000 }] }),
        json!({ "activities": [{ "title": "x", "date": "2024-01-15", "employeeId": t.jane.employee_id() }] }),
        json!({ "activities": 3 }),
    ] {
        let (status, out) = t.omar.post(&format!("{ACTIVITY}/bulk"), bad.clone()).await;
        assert!(status == 400 || status == 403, "{bad}: {status} {out}");
    }
    assert_eq!(activities(&t.omar).await.len(), 2);
});
