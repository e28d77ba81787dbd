//! Statistics, the daily chart, the project list, and the OpenAPI document.

#[macro_use]
mod util;

use serde_json::Value;
use util::*;

const LOGS: &str = "/api/timesheet/time-log";

/// Omar's week of 2024-01-14 (Sunday) to 2024-01-20, known to the second.
async fn omars_week(omar: &Session, website: &str, intranet: &str) {
    let logs = [
        (
            "2024-01-15T09:00",
            "2024-01-15T10:00",
            "TRACKED",
            Some(website),
        ),
        (
            "2024-01-15T10:00",
            "2024-01-15T10:30",
            "IDLE",
            Some(website),
        ),
        (
            "2024-01-15T13:00",
            "2024-01-15T14:30",
            "MANUAL",
            Some(intranet),
        ),
        ("2024-01-16T09:00", "2024-01-16T09:45", "RESUMED", None),
        (
            "2024-01-17T23:00",
            "2024-01-18T01:00",
            "TRACKED",
            Some(website),
        ),
        (
            "2024-01-21T09:00",
            "2024-01-21T10:00",
            "TRACKED",
            Some(website),
        ),
    ];
    for (a, b, kind, project) in logs {
        let (status, out) = omar
            .post(
                LOGS,
                json!({ "startedAt": format!("{a}:00.000Z"), "stoppedAt": format!("{b}:00.000Z"),
                        "logType": kind, "projectId": project }),
            )
            .await;
        assert_eq!(status, 201, "{out}");
    }
    for (at, duration, overall) in [
        ("2024-01-15T09:10:00Z", 600, 50),
        ("2024-01-15T09:20:00Z", 300, 100),
    ] {
        let (status, out) = omar
            .post(
                "/api/timesheet/time-slot",
                json!({ "startedAt": at, "duration": duration, "keyboard": 0, "mouse": 0, "overall": overall }),
            )
            .await;
        assert_eq!(status, 201, "{out}");
    }
}

const WEEK: &str = "startDate=2024-01-14&endDate=2024-01-20";

both!(counts_and_the_daily_chart_add_up, |backend| async move {
    let server = Server::start(backend).await;
    let t = server.team().await;
    let (website, intranet) = tokio::join!(
        server.project("Website", &[]),
        server.project("Intranet", &[])
    );
    omars_week(&t.omar, &website, &intranet).await;
    let counted = 3600 + 5400 + 2700 + 7200;

    let (status, c) = t
        .omar
        .get(&format!("/api/timesheet/statistics/counts?{WEEK}"))
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["weeklyDuration"], counted, "IDLE is not counted: {c}");
    assert_eq!(c["weeklyActivities"], 67, "{c}");
    assert_eq!(c["todayDuration"], 0);
    assert_eq!(c["todayActivities"], 0);

    // Who sees Omar's numbers.
    let omar_q = format!(
        "/api/timesheet/statistics/counts?{WEEK}&employeeId={}",
        t.omar.employee_id()
    );
    for (who, expected) in [
        (&t.lena, counted),
        (&t.ada, counted),
        (&t.jane, 0),
        (&t.gus, 0),
    ] {
        let (status, c) = who.get(&omar_q).await;
        assert_eq!(status, 200, "{c}");
        assert_eq!(c["weeklyDuration"], expected, "{}: {c}", who.user["email"]);
    }

    let (status, chart) = t
        .omar
        .get(&format!("{LOGS}/report/daily-chart?{WEEK}&groupBy=project"))
        .await;
    assert_eq!(status, 200, "{chart}");
    let days = chart.as_array().expect("a list of days");
    assert_eq!(days.len(), 7, "{chart}");
    let day = |d: &str| {
        days.iter()
            .find(|x| x["date"] == d)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let project = |d: &Value, name: &str| {
        d["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["projectName"] == name)
            .map(|p| p["duration"].as_i64().unwrap())
    };
    let mon = day("2024-01-15");
    assert_eq!(mon["duration"], 9000, "{mon}");
    assert_eq!(project(&mon, "Website"), Some(3600));
    assert_eq!(project(&mon, "Intranet"), Some(5400));
    let tue = day("2024-01-16");
    assert_eq!(tue["duration"], 2700);
    assert_eq!(project(&tue, "No project"), Some(2700));
    assert_eq!(day("2024-01-17")["duration"], 3600);
    assert_eq!(day("2024-01-18")["duration"], 3600);
    assert_eq!(day("2024-01-14")["duration"], 0);
    let total: i64 = days.iter().map(|d| d["duration"].as_i64().unwrap()).sum();
    assert_eq!(total, counted);
    let wid = mon["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["projectName"] == "Website")
        .unwrap();
    assert_eq!(wid["projectId"], website.as_str());

    // By date only: no per-project split needed, same totals.
    let (status, chart) = t
        .omar
        .get(&format!("{LOGS}/report/daily-chart?{WEEK}&groupBy=date"))
        .await;
    assert_eq!(status, 200);
    let total: i64 = chart
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["duration"].as_i64().unwrap())
        .sum();
    assert_eq!(total, counted);
    let (status, chart) = t
        .jane
        .get(&format!(
            "{LOGS}/report/daily-chart?{WEEK}&employeeId={}",
            t.omar.employee_id()
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        chart.as_array().unwrap().iter().all(|d| d["duration"] == 0),
        "{chart}"
    );

    for bad in [
        format!("{LOGS}/report/daily-chart?startDate=someday"),
        format!("{LOGS}/report/daily-chart?startDate=2024-01-20&endDate=2024-01-14"),
        format!("{LOGS}/report/daily-chart?startDate=2020-01-01&endDate=2024-01-14"),
        "/api/timesheet/statistics/counts?startDate=x&endDate=y".to_string(),
        "/api/timesheet/statistics/counts?employeeId=me".to_string(),
    ] {
        let (status, body) = t.omar.get(&bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
});

both!(today_is_counted_as_today, |backend| async move {
    let server = Server::start(backend).await;
    server.user(OMAR, &[]).await;
    let omar = server.login(OMAR, PASSWORD).await;
    let now = now_plus(0);
    let midnight = now.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let elapsed = (now - midnight).num_seconds();
    if elapsed < 120 {
        eprintln!("skipping: too close to midnight UTC");
        return;
    }
    let start = midnight + chrono::Duration::seconds(elapsed / 4);
    let stop = midnight + chrono::Duration::seconds(elapsed / 2);
    let (status, log) = omar
        .post(
            LOGS,
            json!({ "startedAt": iso(start), "stoppedAt": iso(stop) }),
        )
        .await;
    assert_eq!(status, 201, "{log}");
    let expected = log["duration"].as_i64().unwrap();
    let (status, c) = omar.get("/api/timesheet/statistics/counts").await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["todayDuration"], expected, "{c}");
    assert!(c["weeklyDuration"].as_i64().unwrap() >= expected, "{c}");
    let (status, s) = omar.get("/api/timesheet/timer/status").await;
    assert_eq!(status, 200);
    assert_eq!(s["duration"], expected, "{s}");
});

both!(
    projects_follow_assignments_when_not_all_are_available,
    |backend| async move {
        let server = Server::start(backend).await;
        let t = server.team().await;
        let website = server.project("Website", &["--assign", OMAR]).await;
        let intranet = server.project("Intranet", &[]).await;
        server.project("Globex HQ", &["--org", "Globex"]).await;
        let names = |who: &Session| {
            let who = who.clone();
            async move {
                let (status, page) = who.get("/api/organization-projects").await;
                assert_eq!(status, 200, "{page}");
                ids(&page);
                let mut v: Vec<String> = page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect();
                v.sort();
                v
            }
        };
        assert_eq!(names(&t.omar).await, ["Intranet", "Website"]);
        assert_eq!(names(&t.gus).await, ["Globex HQ"]);

        server
            .ok(&[
                "org",
                "set",
                "--name",
                "Default",
                "--all-projects-available",
                "false",
            ])
            .await;
        assert_eq!(names(&t.omar).await, ["Website"]);
        assert!(names(&t.jane).await.is_empty());
        assert_eq!(names(&t.gus).await, ["Globex HQ"]);

        let log = |project: &str| json!({ "startedAt": "2024-01-15T09:00:00Z", "stoppedAt": "2024-01-15T10:00:00Z", "projectId": project });
        let (status, body) = t.omar.post(LOGS, log(&intranet)).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("Intranet"),
            "{body}"
        );
        let (status, body) = t.omar.post(LOGS, log(&website)).await;
        assert_eq!(status, 201, "{body}");
        let (status, _) = t
            .jane
            .post(
                "/api/timesheet/timer/start",
                json!({ "projectId": website }),
            )
            .await;
        assert_eq!(status, 400);
        // Another organization's project does not exist here.
        let (_, page) = t.gus.get("/api/organization-projects").await;
        let hq = page["items"][0]["id"].as_str().unwrap().to_string();
        let (status, _) = t.omar.post(LOGS, log(&hq)).await;
        assert_eq!(status, 404);
    }
);

both!(
    the_openapi_document_describes_the_api,
    |backend| async move {
        let server = Server::start(backend).await;
        let (status, doc) = server.anon().get("/api/openapi.json").await;
        assert_eq!(status, 200, "{doc}");
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        let paths = doc["paths"].as_object().expect("paths");
        for p in [
            "/api/timesheet/time-log/sync",
            "/api/auth/login",
            "/api/timesheet/time-log",
            "/api/timesheet/timer/start",
            "/api/timesheet/time-slot",
            "/api/timesheet/screenshot",
            "/api/timesheet/statistics/counts",
        ] {
            assert!(paths.contains_key(p), "{p} missing");
        }
        assert!(paths["/api/timesheet/time-log/sync"]["post"].is_object());
        // Unknown routes and wrong methods answer in JSON too.
        let (status, body) = server.anon().get("/api/nothing-here").await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["statusCode"], 404);
        let (status, body) = server.anon().delete("/api/auth/login").await;
        assert_eq!(status, 405, "{body}");
    }
);

both!(
    days_and_weeks_are_the_employee_s_own,
    |backend| async move {
        let server = Server::start(backend).await;
        server.user(OMAR, &["--timezone", "Europe/Berlin"]).await;
        let omar = server.login(OMAR, PASSWORD).await;
        // Saturday 23:30 UTC is Sunday 00:30 in Berlin: the first hour of the
        // week of 2024-01-14 there, and all of it on the 14th.
        let (status, log) = omar
            .post(
                LOGS,
                json!({ "startedAt": "2024-01-13T23:30:00Z", "stoppedAt": "2024-01-14T00:30:00Z" }),
            )
            .await;
        assert_eq!(status, 201, "{log}");
        let (status, page) = omar
            .get("/api/timesheet?startDate=2024-01-14&endDate=2024-01-14")
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            ids(&page),
            vec![log["timesheetId"].as_str().unwrap().to_string()]
        );
        let sheet = &page["items"][0];
        assert_eq!(sheet["startDate"], "2024-01-14");
        assert_eq!(sheet["startedAt"], "2024-01-13T23:00:00.000Z", "{sheet}");
        assert_eq!(sheet["duration"], 3600);

        let (status, chart) = omar
            .get(&format!(
                "{LOGS}/report/daily-chart?startDate=2024-01-13&endDate=2024-01-14"
            ))
            .await;
        assert_eq!(status, 200, "{chart}");
        assert_eq!(chart[0]["duration"], 0, "{chart}");
        assert_eq!(chart[1]["duration"], 3600, "{chart}");
        // A bare date in a list filter is the employee's local day.
        let (_, page) = omar
            .get(&format!("{LOGS}?startDate=2024-01-14&endDate=2024-01-14"))
            .await;
        assert_eq!(ids(&page).len(), 1);
        let (_, page) = omar
            .get(&format!("{LOGS}?startDate=2024-01-13&endDate=2024-01-13"))
            .await;
        assert!(ids(&page).is_empty(), "{page}");
    }
);
