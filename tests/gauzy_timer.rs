//! `/api/timesheet/timer/*`: one running timer per employee across devices,
//! stops in the past, toggling, and the status the desktop timer polls.

#[macro_use]
mod util;

use chrono::Timelike;
use serde_json::Value;
use util::*;

const START: &str = "/api/timesheet/timer/start";
const STOP: &str = "/api/timesheet/timer/stop";
const TOGGLE: &str = "/api/timesheet/timer/toggle";
const STATUS: &str = "/api/timesheet/timer/status";

/// Exactly what the Gauzy desktop timer sends to start (ids null).
fn desktop_start(org: &str, started_at: Option<String>) -> Value {
    json!({
        "description": "",
        "isBillable": true,
        "logType": "TRACKED",
        "projectId": null,
        "taskId": null,
        "source": "DESKTOP",
        "organizationId": org,
        "tenantId": org,
        "organizationContactId": null,
        "organizationTeamId": null,
        "isRunning": true,
        "version": "1.0.1",
        "startedAt": started_at,
        "manualTimeSlot": null,
    })
}

/// No two of the employee's logs overlap.
async fn assert_no_overlaps(who: &Session) -> Vec<Value> {
    let (status, page) = who.get("/api/timesheet/time-log").await;
    assert_eq!(status, 200);
    let logs = page["items"].as_array().unwrap().clone();
    let span = |l: &Value| {
        let a = instant(l["startedAt"].as_str().unwrap());
        let b = l["stoppedAt"]
            .as_str()
            .map(instant)
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
        (a, b)
    };
    for (i, x) in logs.iter().enumerate() {
        for y in &logs[i + 1..] {
            let ((a1, b1), (a2, b2)) = (span(x), span(y));
            assert!(b1 <= a2 || b2 <= a1, "overlap:\n{x}\n{y}");
        }
    }
    logs
}

both!(
    starting_on_a_second_device_stops_the_first,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(JANE, &[]).await;
        let (desktop, laptop) =
            tokio::join!(server.login(JANE, PASSWORD), server.login(JANE, PASSWORD));
        let org = desktop.org_id();

        let (status, first) = desktop
            .post(START, desktop_start(&org, Some(iso(now_plus(-600)))))
            .await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["isRunning"], true);
        assert!(first["stoppedAt"].is_null());
        assert_eq!(first["logType"], "TRACKED");
        assert_eq!(first["source"], "DESKTOP");
        assert_eq!(first["employeeId"], desktop.employee_id());
        assert!(first["timesheetId"].is_string(), "{first}");
        assert!(first["duration"].as_i64().unwrap() >= 600);

        let (status, s) = laptop.get(STATUS).await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(s["running"], true);
        assert_eq!(s["lastLog"]["id"], first["id"]);

        // Jane forgets the desktop and starts on her laptop.
        let at = iso(now_plus(-60));
        let (status, second) = laptop
            .post(START, json!({ "startedAt": at, "source": "BROWSER" }))
            .await;
        assert_eq!(status, 201, "{second}");
        assert_eq!(second["isRunning"], true);
        assert_eq!(second["startedAt"], at.as_str());
        let (_, first) = desktop
            .get(&format!(
                "/api/timesheet/time-log/{}",
                first["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(first["isRunning"], false, "{first}");
        assert_eq!(first["stoppedAt"], at.as_str());
        let why = first["stoppedReason"].as_str().expect("stoppedReason");
        assert!(why.contains("another device"), "{why}");
        // The desktop learns it from the status.
        let (_, s) = desktop.get(STATUS).await;
        assert_eq!(s["running"], true);
        assert_eq!(s["lastLog"]["id"], second["id"]);
        assert_eq!(assert_no_overlaps(&desktop).await.len(), 2);

        // A start before the running log's own start never makes an overlap.
        let (status, body) = desktop
            .post(START, json!({ "startedAt": iso(now_plus(-120)) }))
            .await;
        assert_eq!(status, 409, "{body}");
        let msg = body["message"].as_str().unwrap();
        assert!(msg.contains(second["id"].as_str().unwrap()), "{msg}");
        assert_no_overlaps(&desktop).await;
    }
);

both!(
    stopping_in_the_past_and_with_nothing_running,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let org = omar.org_id();

        let (status, body) = omar.post(STOP, json!({ "organizationId": org })).await;
        assert_eq!(status, 406, "{body}");
        assert_eq!(body["message"], "No running log found");

        let start = now_plus(-900);
        let (status, log) = omar
            .post(START, desktop_start(&org, Some(iso(start))))
            .await;
        assert_eq!(status, 201, "{log}");
        // Idle for the last five minutes: the desktop stops in the past.
        let mut stop = desktop_start(&org, Some(iso(start)));
        stop["isRunning"] = json!(false);
        stop["stoppedAt"] = json!(iso(now_plus(-300)));
        let (status, stopped) = omar.post(STOP, stop).await;
        assert_eq!(status, 201, "{stopped}");
        assert_eq!(stopped["id"], log["id"]);
        assert_eq!(stopped["isRunning"], false);
        assert_eq!(stopped["duration"], 600);
        assert!(is_iso_millis(stopped["stoppedAt"].as_str().unwrap()));

        let (status, body) = omar.post(STOP, json!({})).await;
        assert_eq!(status, 406, "{body}");

        // A stop before the start is refused and the timer keeps running.
        let (status, running) = omar.post(START, json!({})).await;
        assert_eq!(status, 201, "{running}");
        let (status, body) = omar
            .post(STOP, json!({ "stoppedAt": iso(now_plus(-200)) }))
            .await;
        assert_eq!(status, 400, "{body}");
        let (_, s) = omar.get(STATUS).await;
        assert_eq!(s["running"], true);
        let (status, body) = omar.post(STOP, json!({ "stoppedAt": "whenever" })).await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = omar.post(STOP, json!({})).await;
        assert_eq!(status, 201);
        assert_no_overlaps(&omar).await;
    }
);

both!(toggle_starts_and_stops, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let website = server.project("Website", &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let body =
        json!({ "projectId": website, "organizationId": omar.org_id(), "description": "toggle" });

    let (status, on) = omar.post(TOGGLE, body.clone()).await;
    assert_eq!(status, 201, "{on}");
    assert_eq!(on["isRunning"], true);
    assert_eq!(on["projectId"], website.as_str());
    assert_eq!(on["description"], "toggle");
    let (status, off) = omar.post(TOGGLE, body.clone()).await;
    assert_eq!(status, 201, "{off}");
    assert_eq!(off["id"], on["id"]);
    assert_eq!(off["isRunning"], false);
    let (_, s) = omar.get(STATUS).await;
    assert_eq!(s["running"], false);
    assert_eq!(s["lastLog"]["id"], on["id"]);

    // The start fields are checked like any log's.
    let mut bad = body.clone();
    bad["logType"] = json!("DAYDREAM");
    assert_eq!(omar.post(TOGGLE, bad).await.0, 400);
    let mut bad = body.clone();
    bad["projectId"] = json!(uuid::Uuid::new_v4().to_string());
    assert_eq!(omar.post(START, bad).await.0, 404);
    let mut bad = body;
    bad["organizationId"] = json!(uuid::Uuid::new_v4().to_string());
    assert_eq!(omar.post(START, bad).await.0, 403);
    let (_, s) = omar.get(STATUS).await;
    assert_eq!(s["running"], false);
});

both!(
    status_counts_the_day_the_client_names,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &[]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        let org = omar.org_id();
        let day = |a: &str, b: &str, kind: &str| {
            json!({
                "startedAt": format!("2024-01-15T{a}:00.000Z"),
                "stoppedAt": format!("2024-01-15T{b}:00.000Z"),
                "logType": kind,
                "source": "DESKTOP",
            })
        };
        for body in [
            day("08:00", "09:00", "TRACKED"),
            day("09:00", "09:30", "IDLE"),
            day("09:30", "10:00", "RESUMED"),
            day("23:30", "23:59", "MANUAL"),
            json!({
                "startedAt": "2024-01-14T23:00:00.000Z",
                "stoppedAt": "2024-01-15T00:30:00.000Z",
                "logType": "TRACKED",
            }),
            json!({
                "startedAt": "2024-01-16T10:00:00.000Z",
                "stoppedAt": "2024-01-16T11:00:00.000Z",
            }),
        ] {
            let (status, out) = omar.post("/api/timesheet/time-log", body).await;
            assert_eq!(status, 201, "{out}");
        }

        // Exactly the desktop timer's query: repeated keys, ids, and
        // `YYYY-MM-DD HH:mm:ss` bounds in UTC.
        let q = format!(
            "{STATUS}?tenantId={org}&organizationId={org}&relations=employee&relations=employee.user\
         &todayStart=2024-01-15%2000:00:00&todayEnd=2024-01-15%2023:59:59"
        );
        let (status, s) = omar.get(&q).await;
        assert_eq!(status, 200, "{s}");
        // 60 + 30 + 29 minutes, plus the 30 minutes after midnight; IDLE is not counted.
        assert_eq!(s["duration"], (60 + 30 + 29 + 30) * 60, "{s}");
        assert_eq!(s["running"], false);
        assert!(s["lastLog"].is_object(), "{s}");

        let bad = format!("{STATUS}?todayStart=2024-01-15%2000:00:00");
        assert_eq!(omar.get(&bad).await.0, 400);
        let bad = format!("{STATUS}?todayStart=monday&todayEnd=tuesday");
        assert_eq!(omar.get(&bad).await.0, 400);
        let other = uuid::Uuid::new_v4();
        assert_eq!(omar.get(&format!("{STATUS}?tenantId={other}")).await.0, 403);

        // A running timer counts up to now.
        let (status, _) = omar
            .post(START, desktop_start(&org, Some(iso(now_plus(-120)))))
            .await;
        assert_eq!(status, 201);
        let (status, s) = omar.get(STATUS).await;
        assert_eq!(status, 200);
        assert_eq!(s["running"], true);
        assert_eq!(s["lastLog"]["isRunning"], true);
        let since_midnight = chrono::Utc::now().time().num_seconds_from_midnight() as i64;
        assert!(
            s["duration"].as_i64().unwrap() >= 120.min(since_midnight),
            "{s}"
        );
    }
);

both!(
    six_devices_starting_at_once_leave_one_timer,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(JANE, &[]).await;
        let jane = server.login(JANE, PASSWORD).await;
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let jane = jane.clone();
            tasks.push(tokio::spawn(async move {
                jane.post(START, json!({ "source": "DESKTOP" })).await
            }));
        }
        let mut started = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            // A start that lands just before one already stored clashes with it.
            assert!(status == 201 || status == 409, "{status}: {body}");
            started += usize::from(status == 201);
        }
        assert!(started >= 1);
        let logs = assert_no_overlaps(&jane).await;
        assert_eq!(logs.len(), started);
        let running = logs.iter().filter(|l| l["isRunning"] == true).count();
        assert_eq!(running, 1, "{logs:?}");
    }
);
